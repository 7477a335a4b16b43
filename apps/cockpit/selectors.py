"""Every figure of the cockpit (驾驶舱), computed from the records in one place, so the cockpit, the
briefing, the exports and GET /api/v1/stats/summary cannot disagree.

Scope: every number counts only projects the actor may see (Project.objects.restrict(actor, "view")),
never archived ones; a district sees its own district (with the ended units that rolled up into it),
the office and leaders everything. A unit filter rolls up ended units: 两江新区 includes the projects of
原江北区 and 原渝北区 (2025-11-06).

Counting (the period is [start, end], both days included):
- signed: projects whose 签约日期 is in the period, each once, amount = their 签约金额 (projects without
  an amount count and are reported as ``undisclosed``, never as zero). Breakdowns split exactly this set,
  so their counts and amounts add up to it.
- signings: the signings dated in the period through events.selectors.signing_totals (each project once,
  at its latest signing). A signing of a 意向协议 does not make a project signed: such a project is in
  ``signings`` but not in ``signed`` until it reaches 签约. ``reconciliation`` states the relation.
- events: the events dated in the period with each event's own totals (events.selectors.event_totals) —
  the figures announced at the event, whoever signed there; unit and cluster filters do not split them.

Every figure carries ``params``: the project-list filter that shows the records behind it, so the pages
can make each figure click through. Keys beyond the list's own (stage, unit, cluster, chain_role):
signed_from/signed_to, registered_from/registered_to, production_from/production_to, source_unit;
"none" selects projects without a cluster / chain role / source unit."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from apps.accounts.permissions import VIEW, actor_scope
from apps.chains.models import Cluster
from apps.core.errors import DomainError
from apps.core.schemas import referenced
from apps.events.models import Event, Signing, SigningStatus
from apps.events.selectors import event_totals, signing_totals
from apps.fulfilment.choices import AlertKind
from apps.fulfilment.models import Alert, FundsEntry
from apps.fulfilment.selectors import percent
from apps.projects.choices import PIPELINE, SIDE_STAGES, AgreementType, ChainRole, Stage
from apps.projects.models import Project, StageChange

# The list's own "without a cluster / chain role / source unit" value: the params must be what it reads.
from apps.projects.selectors import NONE
from apps.recommendations.selectors import funnel as recommendation_funnel
from apps.servicedesk.choices import OPEN_STATUSES
from apps.servicedesk.models import ServiceRequest
from apps.units.models import Unit, UnitKind
from apps.units.selectors import unit_rollup_ids, unit_rollup_note

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=20, decimal_places=2)
# The agreements that make a project signed (签约); a 意向协议 only moves it to 意向/协议.
SIGNING_AGREEMENTS = [AgreementType.FRAMEWORK, AgreementType.CONTRACT]


@dataclass(frozen=True)
class StatsFilter:
    start: datetime.date
    end: datetime.date
    unit_id: int | None = None
    cluster_id: int | None = None

    @staticmethod
    def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """今年以来: the way such figures are reported."""
        return datetime.date(today.year, 1, 1), today

    @classmethod
    def for_today(cls, today: datetime.date, **filters) -> "StatsFilter":
        start, end = cls.default_period(today)
        return cls(start=start, end=end, **filters)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(ZERO)


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _resolve(actor, f: StatsFilter) -> tuple[Unit | None, Cluster | None, set[int] | None]:
    """Check the filter; return the unit, the cluster and the unit ids counted (None: every unit)."""
    if f.start > f.end:
        raise DomainError("开始日期：不能晚于结束日期。", field="start")
    unit = referenced(Unit.objects.all(), f.unit_id, label="单位", field="unit")
    cluster = referenced(Cluster.objects.all(), f.cluster_id, label="产业集群", field="cluster")
    scope = actor_scope(actor)
    if unit is None:
        return None, cluster, None
    if not scope.all_units and unit.pk not in scope.unit_ids:
        raise PermissionDenied("只能查看本单位的统计。")
    return unit, cluster, unit_rollup_ids(unit)


def _base_params(f: StatsFilter) -> dict:
    params = {}
    if f.unit_id:
        params["unit"] = f.unit_id
    if f.cluster_id:
        params["cluster"] = f.cluster_id
    return params


def _count_amount(qs, field: str = "signed_amount") -> dict:
    row = qs.aggregate(count=Count("id"), amount=Sum(field),
                       undisclosed=Count("id", filter=Q(**{f"{field}__isnull": True})))
    return {"count": row["count"], "amount": _money(row["amount"]), "undisclosed": row["undisclosed"]}


def _row(key, label, count=0, amount=ZERO, undisclosed=0, params=None, **extra) -> dict:
    return {"key": key, "label": label, "count": count, "amount": amount, "undisclosed": undisclosed,
            "params": params or {}, **extra}


def _add(row: dict, n: int, amount: Decimal, undisclosed: int) -> None:
    row["count"] += n
    row["amount"] += amount
    row["undisclosed"] += undisclosed


def _signed_breakdowns(signed_qs, f: StatsFilter, period: dict, units: dict[int, Unit]) -> dict:
    """One grouped query over the period's signed projects, split five ways in Python: each breakdown
    partitions the same set, so every one adds up to ``signed``."""
    rows = (signed_qs.annotate(month=TruncMonth("signed_date"))
            .values("cluster_id", "chain_role", "unit_id", "source_unit_id", "month")
            .annotate(n=Count("id"), amount=Coalesce(Sum("signed_amount"), Value(ZERO), output_field=MONEY),
                      undisclosed=Count("id", filter=Q(signed_amount__isnull=True)))
            .order_by())
    base = _base_params(f) | period
    clusters = {c.pk: c for c in Cluster.objects.all()}
    by_cluster: dict = {}
    by_role = {role.value: _row(role.value, str(role.label), params=base | {"chain_role": role.value})
               for role in ChainRole}
    by_unit: dict = {}
    by_source: dict = {}
    by_month = {m: _row(m.strftime("%Y-%m"), f"{m.year}年{m.month}月",
                        params=_base_params(f) | {"signed_from": max(m, f.start).isoformat(),
                                                  "signed_to": min(_month_end(m), f.end).isoformat()})
                for m in _months(f.start, f.end)}
    for r in rows:
        n, amount, undisclosed = r["n"], _money(r["amount"]), r["undisclosed"]
        cid = r["cluster_id"]
        if cid not in by_cluster:
            cluster = clusters.get(cid)
            by_cluster[cid] = _row(cid or NONE, cluster.name if cluster else "未归类",
                                   params=base | {"cluster": cid or NONE},
                                   tier=cluster.tier if cluster else "",
                                   tier_label=str(cluster.get_tier_display()) if cluster else "")
        _add(by_cluster[cid], n, amount, undisclosed)
        role = r["chain_role"] or ""
        if role not in by_role:
            by_role[role] = _row(NONE, "未填写", params=base | {"chain_role": NONE})
        _add(by_role[role], n, amount, undisclosed)
        current = _current(units, r["unit_id"])
        if current.pk not in by_unit:
            by_unit[current.pk] = _row(current.pk, current.name, params=base | {"unit": current.pk},
                                       includes=set())
        if r["unit_id"] != current.pk:
            by_unit[current.pk]["includes"].add(r["unit_id"])
        _add(by_unit[current.pk], n, amount, undisclosed)
        sid = r["source_unit_id"]
        if sid not in by_source:
            source = units.get(sid)
            by_source[sid] = _row(sid or NONE, source.name if source else "未填写",
                                  params=base | {"source_unit": sid or NONE})
        _add(by_source[sid], n, amount, undisclosed)
        month = r["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        _add(by_month[month], n, amount, undisclosed)
    for row in by_unit.values():
        ended = row.pop("includes")
        row["includes"] = [units[uid].name for uid in sorted(ended, key=lambda uid: units[uid].code)]
        # Said wherever a figure rolls up ended units (units.selectors.unit_rollup_note).
        row["note"] = unit_rollup_note(units[row["key"]]) if ended else ""
    return {
        "by_cluster": _largest_first(by_cluster.values()),
        "by_chain_role": [row for row in by_role.values() if row["count"] or row["key"] != NONE],
        "by_unit": _largest_first(by_unit.values()),
        "by_source_unit": _largest_first(by_source.values()),
        "by_month": list(by_month.values()),
    }


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def _largest_first(rows) -> list[dict]:
    return sorted(rows, key=lambda row: (-row["amount"], -row["count"], row["key"] == NONE, str(row["label"])))


def _current(units: dict[int, Unit], unit_id: int) -> Unit:
    """The unit that carries this one's work today (units.selectors.unit_current, without a query)."""
    unit, hops = units[unit_id], 0
    while unit.successor_id and hops < 10:
        unit, hops = units[unit.successor_id], hops + 1
    return unit


def _ranking(by_unit: list[dict], actor, unit: Unit | None, units: dict[int, Unit], today: datetime.date,
             period_params: dict, f: StatsFilter) -> list[dict]:
    """Districts by signed amount, largest first; the districts in view that signed nothing are listed
    with zero, so the ranking says who has nothing to show."""
    rows = {row["key"]: row for row in by_unit if units[row["key"]].kind != UnitKind.OFFICE}
    scope = actor_scope(actor)
    if unit is not None:
        candidates = {_current(units, unit.pk).pk}
    elif scope.all_units:
        candidates = {u.pk for u in units.values() if u.kind != UnitKind.OFFICE and u.is_active_on(today)}
    else:
        candidates = {_current(units, uid).pk for uid in scope.unit_ids if uid in units}
    for uid in candidates - set(rows):
        rows[uid] = _row(uid, units[uid].name, params=_base_params(f) | period_params | {"unit": uid},
                         includes=[], note="")
    ranked = sorted(rows.values(), key=lambda row: (-row["amount"], -row["count"], units[row["key"]].sort_order,
                                                    units[row["key"]].code))
    out, previous = [], None
    for place, row in enumerate(ranked, start=1):
        # Equal amount and count share a place (1, 2, 2, 4).
        rank = previous[0] if previous and previous[1] == (row["amount"], row["count"]) else place
        previous = (rank, (row["amount"], row["count"]))
        out.append({**row, "rank": rank})
    return out


def _reconciliation(signed_qs, signings_qs, f: StatsFilter) -> dict:
    """How the period's signed projects relate to the signings at events, with no project counted twice."""
    event_signings = signings_qs.filter(event__isnull=False)
    signed_at_event = Exists(event_signings.filter(project=OuterRef("pk"), agreement_type__in=SIGNING_AGREEMENTS))
    split = signed_qs.aggregate(
        at_event=Count("id", filter=Q(signed_at_event)),
        at_event_amount=Sum("signed_amount", filter=Q(signed_at_event)),
        outside=Count("id", filter=~Q(signed_at_event)),
        outside_amount=Sum("signed_amount", filter=~Q(signed_at_event)),
    )
    event_projects = event_signings.values("project_id").distinct()
    signed_in_period = {"project__signed_date__gte": f.start, "project__signed_date__lte": f.end}
    counted = event_signings.filter(**signed_in_period).values("project_id").distinct().count()
    total = event_projects.count()
    binding = signings_qs.filter(project=OuterRef("project"), agreement_type__in=SIGNING_AGREEMENTS)
    intention_only = (event_signings.exclude(**signed_in_period).filter(~Exists(binding))
                      .values("project_id").distinct().count())
    result = {
        "signed": split["at_event"] + split["outside"],
        "signed_at_event": split["at_event"],
        "signed_at_event_amount": _money(split["at_event_amount"]),
        "signed_outside_events": split["outside"],
        "signed_outside_events_amount": _money(split["outside_amount"]),
        "event_signing_projects": total,
        "event_signing_projects_in_signed": counted,
        "event_signing_projects_not_in_signed": total - counted,
        "event_signing_projects_intention_only": intention_only,
    }
    result["text"] = (
        f"本期签约项目{result['signed']}个，其中在活动上签约{result['signed_at_event']}个、"
        f"活动以外签约{result['signed_outside_events']}个；本期活动签约涉及项目{total}个，"
        f"其中{counted}个已计入本期签约，{total - counted}个未计入"
        f"（其中{intention_only}个仅签署意向协议，达到签约阶段后计入）。每个项目只计一次。"
    )
    return result


def summary(*, actor, f: StatsFilter, today: datetime.date | None = None) -> dict:
    """Every figure of the cockpit for ``f``; plain data (Decimal yuan, int counts). See the module doc."""
    from django.utils import timezone

    today = today or timezone.localdate()
    unit, cluster, unit_ids = _resolve(actor, f)
    projects = Project.objects.restrict(actor, VIEW).filter(is_archived=False).order_by()
    if unit_ids is not None:
        projects = projects.filter(unit_id__in=unit_ids)
    if cluster is not None:
        projects = projects.filter(cluster_id=cluster.pk)
    base = _base_params(f)
    period = {"signed_from": f.start.isoformat(), "signed_to": f.end.isoformat()}
    units = {u.pk: u for u in Unit.objects.all()}

    stage_counts = dict(projects.values_list("stage").annotate(n=Count("id")))
    stages = [{"key": str(stage), "label": str(stage.label), "count": stage_counts.get(stage, 0),
               "params": base | {"stage": str(stage)}} for stage in [*PIPELINE, *SIDE_STAGES]]

    signed_qs = projects.filter(signed_date__gte=f.start, signed_date__lte=f.end)
    signed = _count_amount(signed_qs) | {"params": base | period}
    signed_to_date = _count_amount(projects.filter(signed_date__lte=f.end)) | {
        "params": base | {"signed_to": f.end.isoformat()}}
    landed = _count_amount(projects.filter(registered_date__gte=f.start, registered_date__lte=f.end)) | {
        "params": base | {"registered_from": f.start.isoformat(), "registered_to": f.end.isoformat()}}
    in_production = {
        "count": projects.filter(production_date__gte=f.start, production_date__lte=f.end).count(),
        "params": base | {"production_from": f.start.isoformat(), "production_to": f.end.isoformat()},
    }

    entries = FundsEntry.objects.live().filter(date__gte=f.start, date__lte=f.end,
                                               project_id__in=projects.values("id"))
    funds_total = _money(entries.aggregate(total=Sum("amount"))["total"])
    against = projects.filter(pk__in=entries.values("project_id")).aggregate(n=Count("id"), amount=Sum("signed_amount"))
    funds = {"total": funds_total, "projects": against["n"], "signed_amount": _money(against["amount"]),
             "percent": percent(funds_total, against["amount"]),
             "list": "funds", "params": base | {"funds_from": f.start.isoformat(), "funds_to": f.end.isoformat()}}

    overdue_requests = {
        "count": ServiceRequest.objects.restrict(actor, VIEW).filter(
            status__in=OPEN_STATUSES, due_date__lt=today, project_id__in=projects.values("id")).count(),
        "list": "service_requests", "params": base | {"overdue": True},
    }
    stalled = {
        "count": Alert.objects.restrict(actor, VIEW).open().filter(
            kind=AlertKind.NO_ACTIVITY, project_id__in=projects.values("id")).count(),
        "list": "alerts", "params": base | {"kind": AlertKind.NO_ACTIVITY.value},
    }

    # The funnel's first three steps count organisations through recommendations.selectors.funnel (the
    # unit filter passes through; a cluster does not apply to visits and recommendations).
    funnel_numbers = recommendation_funnel(actor=actor, start=f.start, end=f.end, unit_id=f.unit_id)
    intentions = (StageChange.objects.filter(project_id__in=projects.values("id"), to_stage=Stage.INTENTION,
                                             occurred_on__gte=f.start, occurred_on__lte=f.end)
                  .values("project_id").distinct().count())
    funnel = [
        {"key": "visited", "label": "走访", "count": funnel_numbers["visited"]},
        {"key": "recommended", "label": "推荐考察", "count": funnel_numbers["recommended"]},
        {"key": "site_visited", "label": "实地考察", "count": funnel_numbers["site_visited"]},
        {"key": "intentions", "label": "达成意向", "count": intentions},
        {"key": "signed", "label": "签约", "count": signed["count"], "params": signed["params"]},
        {"key": "landed", "label": "注册落地", "count": landed["count"], "params": landed["params"]},
    ]

    signings_qs = Signing.objects.filter(status=SigningStatus.ACTIVE, date__gte=f.start, date__lte=f.end,
                                         project_id__in=projects.values("id"))
    totals = signing_totals(signings_qs)
    signings = {"count": totals.count, "amount": _money(totals.amount), "undisclosed": totals.undisclosed,
                "by_type": totals.by_type}
    events = []
    period_events = Event.objects.restrict(actor, VIEW).filter(date__gte=f.start, date__lte=f.end)
    for event in period_events.order_by("date", "id"):
        event_total = event_totals(event)
        events.append({"id": event.pk, "title": event.title, "date": event.date, "count": event_total.count,
                       "amount": _money(event_total.amount), "undisclosed": event_total.undisclosed})

    breakdowns = _signed_breakdowns(signed_qs, f, period, units)
    return {
        "filter": {
            "start": f.start, "end": f.end, "today": today,
            "unit": None if unit is None else {"id": unit.pk, "name": unit.name, "note": unit_rollup_note(unit)},
            "cluster": None if cluster is None else {"id": cluster.pk, "name": cluster.name, "tier": cluster.tier},
        },
        "stages": stages,
        "signed": signed,
        "signed_to_date": signed_to_date,
        "landed": landed,
        "in_production": in_production,
        "funds": funds,
        "overdue_requests": overdue_requests,
        "stalled": stalled,
        "funnel": funnel,
        "events": events,
        "signings": signings,
        "reconciliation": _reconciliation(signed_qs, signings_qs, f),
        **breakdowns,
        "ranking": _ranking(breakdowns["by_unit"], actor, unit, units, today, period, f),
    }
