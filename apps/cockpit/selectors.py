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
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from apps.accounts.permissions import VIEW, actor_scope
from apps.chains.models import Cluster
from apps.core.errors import DomainError
from apps.core.money import conversion_rates, rates_sentence
from apps.core.schemas import referenced
from apps.core.values import EARLIEST_DATE, LATEST_YEAR
from apps.events.models import Event, Signing, SigningStatus
from apps.events.selectors import signing_rows, totals_of
from apps.fulfilment.choices import AlertKind
from apps.fulfilment.models import Alert, FundsEntry
from apps.fulfilment.selectors import percent
from apps.projects.choices import PIPELINE, SIDE_STAGES, AgreementType, ChainRole, Stage
from apps.projects.models import Project, StageChange

# The list's own "without a cluster / chain role / source unit" value: the params must be what it reads.
from apps.projects.selectors import NONE
from apps.recommendations.selectors import funnel as recommendation_funnel
from apps.servicedesk.selectors import request_list
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
    # A period of centuries is a typo (and a month bucket each); the calendar's last day has no month after.
    for name, label, day in (("start", "开始日期", f.start), ("end", "结束日期", f.end)):
        if day < EARLIEST_DATE or day.year > LATEST_YEAR:
            raise DomainError(f"{label}：日期应在2000年到2100年之间。", field=name)
    unit = referenced(Unit.objects.all(), f.unit_id, label="单位", field="unit")
    cluster = referenced(Cluster.objects.all(), f.cluster_id, label="产业集群", field="cluster")
    scope = actor_scope(actor)
    if unit is None:
        return None, cluster, None
    if unit.kind == UnitKind.OFFICE:
        # Projects are carried by districts; the office's own leads are "线索来源单位", not a unit filter.
        raise DomainError(f"单位：{unit.name}不承接项目，请选择区县；驻京办首报的项目请看“按线索来源单位”。",
                          field="unit")
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
    # COUNT(*) and COUNT(amount), not COUNT(id): PostgreSQL can then answer the signed figures from
    # project_signed_date_idx alone. The rows without an amount are the difference.
    row = qs.aggregate(count=Count("*"), amount=Sum(field), disclosed=Count(field))
    return {"count": row["count"], "amount": _money(row["amount"]), "undisclosed": row["count"] - row["disclosed"]}


def _rates(qs) -> dict:
    """The rates behind an amount figure whose projects include some signed in another currency (few:
    project_foreign_signed_idx holds only those)."""
    rates = conversion_rates(qs.exclude(signed_currency="CNY").values_list(
        "signed_currency", "signed_exchange_rate", "signed_original_amount"))
    return {"rates": [rate.as_dict() for rate in rates], "rates_text": rates_sentence(rates)}


def _row(key, label, count=0, amount=ZERO, undisclosed=0, params=None, **extra) -> dict:
    return {"key": key, "label": label, "count": count, "amount": amount, "undisclosed": undisclosed,
            "params": params or {}, **extra}


def _add(row: dict, n: int, amount: Decimal, undisclosed: int) -> None:
    row["count"] += n
    row["amount"] += amount
    row["undisclosed"] += undisclosed


def _signed_breakdowns(signed_qs, f: StatsFilter, period: dict, units: dict[int, Unit]) -> dict:
    """The period's signed projects split five ways: each breakdown partitions the same set, so every one
    adds up to ``signed``. Three small grouped queries (by cluster and role, by unit and source, by day)
    rather than one by all five, which returns about a row per project for Python to fold (5,000 rows in
    the benchmark's year); the days fold into months here, which SQLite would otherwise compute through a
    Python function per row."""

    def grouped(*fields):
        return (signed_qs.values(*fields)
                .annotate(n=Count("*"), amount=Coalesce(Sum("signed_amount"), Value(ZERO), output_field=MONEY),
                          disclosed=Count("signed_amount"))
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

    def figures(r):
        return r["n"], _money(r["amount"]), r["n"] - r["disclosed"]

    for r in grouped("cluster_id", "chain_role"):
        n, amount, undisclosed = figures(r)
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
    for r in grouped("unit_id", "source_unit_id"):
        n, amount, undisclosed = figures(r)
        current = current_unit(units, r["unit_id"])
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
    for r in grouped("signed_date"):
        _add(by_month[r["signed_date"].replace(day=1)], *figures(r))
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


def _by_referrer(projects, f: StatsFilter) -> list[dict]:
    """以商招商 — 带动一串: the counted projects a landed firm brought (a referral credited in the period),
    per referring firm, with their signed amounts. Most brought first: the measure is how many follow."""
    period = {"referred_from": f.start.isoformat(), "referred_to": f.end.isoformat()}
    rows = (projects.filter(referral__credited_at__date__gte=f.start, referral__credited_at__date__lte=f.end)
            .values("referral__referring_organisation_id", "referral__referring_organisation__name")
            .annotate(n=Count("*"), amount=Coalesce(Sum("signed_amount"), Value(ZERO), output_field=MONEY),
                      disclosed=Count("signed_amount"))
            .order_by())
    # Most referred projects are not signed yet, so a missing amount is not "undisclosed": each row says how
    # many of its projects are signed instead.
    out = [_row(r["referral__referring_organisation_id"], r["referral__referring_organisation__name"], r["n"],
                _money(r["amount"]), 0,
                params=_base_params(f) | period | {"referred_by": r["referral__referring_organisation_id"]},
                signed=r["disclosed"], note=f"其中已签约{r['disclosed']}个")
           for r in rows]
    return sorted(out, key=lambda row: (-row["count"], -row["amount"], str(row["label"])))


def _largest_first(rows) -> list[dict]:
    return sorted(rows, key=lambda row: (-row["amount"], -row["count"], row["key"] == NONE, str(row["label"])))


def current_unit(units: dict[int, Unit], unit_id: int) -> Unit:
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
        candidates = {current_unit(units, unit.pk).pk}
    elif scope.all_units:
        candidates = {u.pk for u in units.values() if u.kind != UnitKind.OFFICE and u.is_active_on(today)}
    else:
        candidates = {current_unit(units, uid).pk for uid in scope.unit_ids if uid in units}
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


def _reconciliation(signed: dict, signed_qs, signing_rows: list[tuple]) -> dict:
    """How the period's signed projects relate to the signings at events, with no project counted twice.
    ``signed`` is the period's signed figure (count and amount of ``signed_qs``), ``signing_rows`` the
    period's active signings of the counted projects (events.selectors.signing_rows, already read for
    the totals): the rest is set arithmetic over them and the signed projects' ids, not four more
    queries over the signings."""
    signed_amounts = dict(signed_qs.values_list("id", "signed_amount"))
    binding_types = {str(t) for t in SIGNING_AGREEMENTS}
    event_projects = {row[0] for row in signing_rows if row[6] is not None}
    binding = {row[0] for row in signing_rows if row[2] in binding_types}
    binding_at_event = {row[0] for row in signing_rows if row[6] is not None and row[2] in binding_types}
    at_event = binding_at_event & signed_amounts.keys()
    at_event_amount = _money(sum((signed_amounts[pk] for pk in at_event if signed_amounts[pk] is not None), ZERO))
    split = {"at_event": len(at_event), "at_event_amount": at_event_amount,
             "outside": signed["count"] - len(at_event), "outside_amount": signed["amount"] - at_event_amount}
    total = len(event_projects)
    counted = len(event_projects & signed_amounts.keys())
    intention_only = len(event_projects - signed_amounts.keys() - binding)
    result = {
        "signed": split["at_event"] + split["outside"],
        "signed_at_event": split["at_event"],
        "signed_at_event_amount": split["at_event_amount"],
        "signed_outside_events": split["outside"],
        "signed_outside_events_amount": split["outside_amount"],
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


def counted_projects(actor, unit_ids: set[int] | None, cluster_id: int | None):
    """The projects every figure counts: visible to the actor, not archived, in the (rolled-up) units and
    the cluster asked for."""
    projects = Project.objects.restrict(actor, VIEW).filter(is_archived=False).order_by()
    if unit_ids is not None:
        projects = projects.filter(unit_id__in=unit_ids)
    if cluster_id is not None:
        projects = projects.filter(cluster_id=cluster_id)
    return projects


def of_counted_projects(qs, actor, unit_ids: set[int] | None, cluster_id: int | None):
    """Rows of ``qs`` (a model with a ``project`` foreign key) whose project is one ``summary`` counts:
    visible to the actor, not archived, in the unit and cluster asked for — the same set as its
    ``projects``, written so that the databases need not read every project for each figure. For the
    office's unfiltered cockpit that set is every project but the few archived ones, so the figure
    excludes those (a short list, through project_archived_idx) instead of checking each of its rows
    against `project_id IN (every live project)` or a join, which both planners answer by reading all
    200,000 projects. With a unit or a cluster the conditions go on the joined project row."""
    visible = Project.objects.restrict(actor, VIEW)
    restricted = visible.query.has_filters()  # a district or a specialist: only what restrict() lets them see
    if unit_ids is None and cluster_id is None and not restricted:
        return qs.exclude(project_id__in=Project.objects.filter(is_archived=True).values("id"))
    qs = qs.filter(project__is_archived=False)
    if unit_ids is not None:
        qs = qs.filter(project__unit_id__in=unit_ids)
    if cluster_id is not None:
        qs = qs.filter(project__cluster_id=cluster_id)
    if restricted:
        qs = qs.filter(project_id__in=visible.values("id"))
    return qs


def _event_rows(actor, f: StatsFilter) -> list[dict]:
    """The period's events with each one's totals (events.selectors.event_totals) from one grouped
    query instead of one per event. The same figures: an event has at most one active signing per
    project (the one_active_signing_per_event_project constraint), so its totals — each project once —
    are the count of its active signings, the sum of their disclosed amounts and the count of the
    undisclosed ones."""
    period_events = list(Event.objects.restrict(actor, VIEW).filter(date__gte=f.start, date__lte=f.end)
                         .order_by("date", "id").values("id", "title", "date"))
    totals = {row["event_id"]: row for row in (
        Signing.objects.filter(event_id__in=[e["id"] for e in period_events], status=SigningStatus.ACTIVE)
        .values("event_id").annotate(n=Count("id"), disclosed=Sum("amount"),
                                     undisclosed=Count("id", filter=Q(amount__isnull=True))).order_by())}
    events = []
    for event in period_events:
        total = totals.get(event["id"], {})
        events.append({"id": event["id"], "title": event["title"], "date": event["date"], "count": total.get("n", 0),
                       "amount": _money(total.get("disclosed")), "undisclosed": total.get("undisclosed", 0)})
    return events


def summary(*, actor, f: StatsFilter, today: datetime.date | None = None) -> dict:
    """Every figure of the cockpit for ``f``; plain data (Decimal yuan, int counts). See the module doc."""
    from django.utils import timezone

    today = today or timezone.localdate()
    unit, cluster, unit_ids = _resolve(actor, f)
    cluster_id = cluster.pk if cluster else None
    projects = counted_projects(actor, unit_ids, cluster_id)
    base = _base_params(f)
    period = {"signed_from": f.start.isoformat(), "signed_to": f.end.isoformat()}
    units = {u.pk: u for u in Unit.objects.all()}

    # COUNT(*), not COUNT(id): PostgreSQL can then answer from project_live_stage_idx alone.
    stage_counts = dict(projects.values_list("stage").annotate(n=Count("*")))
    stages = [{"key": str(stage), "label": str(stage.label), "count": stage_counts.get(stage, 0),
               "params": base | {"stage": str(stage)}} for stage in [*PIPELINE, *SIDE_STAGES]]

    signed_qs = projects.filter(signed_date__gte=f.start, signed_date__lte=f.end)
    signed = _count_amount(signed_qs) | _rates(signed_qs) | {"params": base | period}
    to_date_qs = projects.filter(signed_date__lte=f.end)
    signed_to_date = _count_amount(to_date_qs) | _rates(to_date_qs) | {
        "params": base | {"signed_to": f.end.isoformat()}}
    landed_qs = projects.filter(registered_date__gte=f.start, registered_date__lte=f.end)
    landed = _count_amount(landed_qs) | _rates(landed_qs) | {
        "params": base | {"registered_from": f.start.isoformat(), "registered_to": f.end.isoformat()}}
    in_production = {
        "count": projects.filter(production_date__gte=f.start, production_date__lte=f.end).count(),
        "params": base | {"production_from": f.start.isoformat(), "production_to": f.end.isoformat()},
    }

    def counted(qs):
        return of_counted_projects(qs, actor, unit_ids, cluster_id)

    period_entries = FundsEntry.objects.live().filter(date__gte=f.start, date__lte=f.end)
    funds_total = _money(counted(period_entries).aggregate(total=Sum("amount"))["total"])
    against = projects.filter(pk__in=period_entries.values("project_id")).aggregate(n=Count("id"),
                                                                                    amount=Sum("signed_amount"))
    funds = {"total": funds_total, "projects": against["n"], "signed_amount": _money(against["amount"]),
             "percent": percent(funds_total, against["amount"]),
             "list": "funds", "params": base | {"funds_from": f.start.isoformat(), "funds_to": f.end.isoformat()}}

    # Exactly the service-request list's "已逾期" (its own selector): every overdue request the actor may
    # see — for a district that includes a request handed to it on another unit's project, which is its
    # to answer — on live projects and talent records of the unit and cluster asked for.
    overdue_requests = {
        "count": request_list(actor=actor, overdue=True, unit_id=f.unit_id, cluster_id=f.cluster_id,
                              today=today).count(),
        "list": "service_requests", "params": base | {"overdue": True},
    }
    stalled = {
        "count": counted(Alert.objects.restrict(actor, VIEW).open().filter(kind=AlertKind.NO_ACTIVITY)).count(),
        "list": "alerts", "params": base | {"kind": AlertKind.NO_ACTIVITY.value},
    }

    # The funnel's first three steps count organisations through recommendations.selectors.funnel (the
    # unit filter passes through; a cluster does not apply to visits and recommendations).
    funnel_numbers = recommendation_funnel(actor=actor, start=f.start, end=f.end, unit_id=f.unit_id)
    intentions = (counted(StageChange.objects.filter(to_stage=Stage.INTENTION, occurred_on__gte=f.start,
                                                     occurred_on__lte=f.end))
                  .values("project_id").distinct().count())
    funnel = [
        {"key": "visited", "label": "走访", "count": funnel_numbers["visited"]},
        {"key": "recommended", "label": "推荐考察", "count": funnel_numbers["recommended"]},
        {"key": "site_visited", "label": "实地考察", "count": funnel_numbers["site_visited"]},
        {"key": "intentions", "label": "达成意向", "count": intentions,
         "params": base | {"intention_from": f.start.isoformat(), "intention_to": f.end.isoformat()}},
        {"key": "signed", "label": "签约", "count": signed["count"], "params": signed["params"]},
        {"key": "landed", "label": "注册落地", "count": landed["count"], "params": landed["params"]},
    ]

    signings_qs = counted(Signing.objects.filter(status=SigningStatus.ACTIVE, date__gte=f.start, date__lte=f.end))
    rows = signing_rows(signings_qs, clusters=False)  # the cockpit shows no signings by cluster
    totals = totals_of(rows, by_cluster=False)
    signings = {"count": totals.count, "amount": _money(totals.amount), "undisclosed": totals.undisclosed,
                "by_type": totals.by_type, "rates": [rate.as_dict() for rate in totals.rates],
                "rates_text": totals.rates_text}
    events = _event_rows(actor, f)

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
        "reconciliation": _reconciliation(signed, signed_qs, rows),
        **breakdowns,
        "ranking": _ranking(breakdowns["by_unit"], actor, unit, units, today, period, f),
        "by_referrer": _by_referrer(projects, f),
        "talent": _talent(actor, f),
        "thinktanks": _thinktanks(actor, f),
    }


def _talent(actor, f: StatsFilter) -> dict:
    """招才引智 (apps.talent.selectors.talent_counts): introduced in the period by signing date, on board by
    arrival date, by kind and cluster; each figure opens the talent list with the same dates."""
    from apps.talent.selectors import talent_counts

    counts = talent_counts(actor=actor, start=f.start, end=f.end, unit_id=f.unit_id, cluster_id=f.cluster_id)
    base = {key: value for key, value in (("unit", f.unit_id), ("cluster", f.cluster_id)) if value}
    signed = base | {"signed_from": f.start.isoformat(), "signed_to": f.end.isoformat()}
    arrived = base | {"arrived_from": f.start.isoformat(), "arrived_to": f.end.isoformat()}
    return {
        "introduced": {"count": counts.introduced, "full_time": counts.full_time, "flexible": counts.flexible,
                       "list": "talent", "params": signed},
        "landed": {"count": counts.landed, "list": "talent", "params": arrived},
        "by_kind": [{"key": row.key, "label": row.label, "count": row.count, "list": "talent",
                     "params": signed | {"kind": row.key}} for row in counts.by_kind],
        "by_cluster": [{"key": row.key, "label": row.label, "count": row.count, "list": "talent",
                        "params": signed | {"cluster": row.key}} for row in counts.by_cluster],
    }


def _thinktanks(actor, f: StatsFilter) -> dict:
    """智库合作 (apps.thinktanks.selectors.cooperation_summary) in the period: the office's relationships,
    so the same for every unit and cluster filter."""
    from apps.thinktanks.selectors import cooperation_summary

    s = cooperation_summary(actor=actor, start=f.start, end=f.end)
    return {"partners": s.partners_in_force, "activities": s.activities, "participants": s.participants,
            "projects": s.projects, "projects_amount": _money(s.projects_signed_amount), "talent": s.talent,
            "introductions": s.introductions, "list": "thinktanks", "params": {}}
