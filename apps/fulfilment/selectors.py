"""Reads of fulfilment tracking, always through restrict(): a project the actor may not see has no
funds, plan or alerts as far as they can tell."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import DISTRICT_ROLES
from apps.accounts.permissions import VIEW, actor_scope
from apps.core.columns import USER_NAME, joined
from apps.core.money import format_amount
from apps.core.statements import CompiledRead
from apps.fulfilment.choices import POST_SIGNING_STAGES, AlertKind
from apps.fulfilment.models import Alert, FundsEntry, FundsPlanItem
from apps.projects.models import Project
from apps.projects.querysets import project_may_change
from apps.units.models import Unit
from apps.units.selectors import unit_rollup_ids

MONEY = DecimalField(max_digits=20, decimal_places=2)
ZERO = Decimal("0.00")
# The key dates after signing, in order: (field, label).
KEY_DATES = [("signed_date", _("签约")), ("registered_date", _("注册落地")), ("construction_start_date", _("开工")),
             ("production_date", _("投产"))]


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole as a percentage with one decimal (24.0), None without a whole to divide by."""
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def funds_warning(*, signed_amount: Decimal | None, funds_total: Decimal) -> str:
    """What to tell the person who just recorded funds, if the total now looks wrong."""
    if signed_amount and funds_total > signed_amount:
        return (f"到位资金累计{format_amount(funds_total)}，已超过签约金额{format_amount(signed_amount)}。"
                "请核实是否重复登记；如协议金额已增加，请修改项目的签约金额。")
    return ""


def _key_dates(project: Project, today: datetime.date) -> list[dict]:
    """Each key date with the days since the one before; the last date reached also says how long ago."""
    rows, previous = [], None
    for field, label in KEY_DATES:
        day = getattr(project, field)
        rows.append({"field": field, "label": label, "date": day,
                     "days_after_previous": (day - previous).days if day and previous else None})
        previous = day or previous
    reached = [row for row in rows if row["date"]]
    if reached:
        reached[-1]["days_since"] = (today - reached[-1]["date"]).days
    return rows


# The panel's three reads, by project alone: project_fulfilment has the project as read for this actor, and
# whoever sees a project sees its money and alerts. Compiled once per process (core.statements).
_FUNDS_ENTRIES = CompiledRead(FundsEntry, lambda project_id: joined(
    FundsEntry.objects.filter(project_id=project_id), {"created_by": USER_NAME, "deleted_by": USER_NAME}),
    kinds=(int,), name="fulfilment: funds entries")
_PLAN_ITEMS = CompiledRead(FundsPlanItem, lambda project_id: FundsPlanItem.objects.filter(project_id=project_id),
                           kinds=(int,), name="fulfilment: plan items")
_ALERTS = CompiledRead(Alert, lambda project_id: Alert.objects.filter(project_id=project_id).order_by(
    "-raised_on", "-id")[:20], kinds=(int,), name="fulfilment: latest alerts")


def project_fulfilment(*, actor, project: Project, today: datetime.date | None = None, visible: bool = False,
                       may_change: bool | None = None, summary: bool = False) -> dict:
    """Everything the fulfilment panel and page show about one project (404 if the actor may not see it).

    The project page passes the project it has just read for this actor (visible=True) and whether the actor may
    change it, so neither is asked of the database twice. Its panel (summary=True) shows no money before the
    project is signed, only open alerts, so the money is then not read."""
    if not visible:
        project = get_object_or_404(Project.objects.restrict(actor, VIEW).select_related("unit", "specialist"),
                                    pk=project.pk)
    if may_change is None:
        may_change = project_may_change(actor, project)
    today = today or timezone.localdate()
    unsigned_summary = summary and project.signed_date is None
    entries = [] if unsigned_summary else _FUNDS_ENTRIES(project.pk)
    live = [e for e in entries if e.deleted_at is None]
    running = ZERO
    for entry in live:
        running += entry.amount
        entry.cumulative = running
    funds_total = running

    plan_items = [] if unsigned_summary else _PLAN_ITEMS(project.pk)
    cumulative = ZERO
    for item in plan_items:
        cumulative += item.amount
        item.cumulative = cumulative
        item.is_due = item.due_date <= today
        arrived = sum((e.amount for e in live if e.date <= item.due_date), ZERO)
        item.met = arrived >= cumulative
    due = [item for item in plan_items if item.is_due]
    plan_due = due[-1].cumulative if due else ZERO
    plan_total = cumulative
    signed_amount = project.signed_amount
    alerts = _ALERTS(project.pk)
    return {
        "project": project,
        "today": today,
        "applicable": project.signed_date is not None,
        "may_change": project.signed_date is not None and may_change,
        "signed_date": project.signed_date,
        "signed_amount": signed_amount,
        "funds_total": funds_total,
        "funds_percent": percent(funds_total, signed_amount),
        "plan_total": plan_total,
        "plan_due": plan_due,
        "plan_due_date": due[-1].due_date if due else None,
        "plan_due_percent": percent(plan_due, signed_amount),
        "behind_by": max(plan_due - funds_total, ZERO),
        "next_plan_item": next((item for item in plan_items if not item.is_due), None),
        "entries": live,
        "withdrawn_entries": [e for e in entries if e.deleted_at is not None],
        "plan_items": plan_items,
        "key_dates": _key_dates(project, today),
        "open_alerts": [a for a in alerts if a.resolved_on is None],
        "resolved_alerts": [a for a in alerts if a.resolved_on is not None],
        "warning": funds_warning(signed_amount=signed_amount, funds_total=funds_total),
    }


def _in_place(qs, *, unit_id: int | None, cluster_id: int | None, prefix: str = "project__"):
    """Narrow to a unit's (with the ended units that rolled up into it: "as of now") and a cluster's
    projects, the way the cockpit counts them."""
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).first()
        qs = qs.filter(**{f"{prefix}unit_id__in": unit_rollup_ids(unit)}) if unit else qs.none()
    if cluster_id:
        qs = qs.filter(**{f"{prefix}cluster_id": cluster_id})
    return qs


def alerts_for(*, actor, open_only: bool = True, kind: str = "", unit_id: int | None = None,
               cluster_id: int | None = None, project_id: int | None = None):
    """Alerts on the projects the actor may see, newest first."""
    qs = Alert.objects.restrict(actor, VIEW).filter(project__is_archived=False)
    if open_only:
        qs = qs.open()
    if kind:
        qs = qs.filter(kind=kind)
    qs = _in_place(qs, unit_id=unit_id, cluster_id=cluster_id)
    if project_id:
        qs = qs.filter(project_id=project_id)
    return qs.select_related("project", "project__unit", "project__unit__successor", "project__specialist").order_by(
        "-raised_on", "project__name", "id")


def alert_counts(*, actor, unit_id: int | None = None, cluster_id: int | None = None) -> dict[str, int]:
    """Open alerts the actor may see, by kind, and "total" — for badges and the cockpit."""
    counts = {kind.value: 0 for kind in AlertKind}
    rows = (alerts_for(actor=actor, unit_id=unit_id, cluster_id=cluster_id).order_by().values_list("kind")
            .annotate(n=Count("id")))
    for kind, n in rows:
        counts[kind] = n
    counts["total"] = sum(counts.values())
    return counts


def my_alerts(*, actor, limit: int = 20):
    """Open alerts for 我的工作: on projects the actor is the specialist of or registered, and for
    district staff also their unit's projects without a specialist (they receive those notifications).
    A read-only leader owns nothing and sees every open alert they may see."""
    qs = alerts_for(actor=actor)
    scope = actor_scope(actor)
    if scope.read_only:
        return qs[:limit]
    mine = Q(project__specialist=actor) | Q(project__created_by=actor)
    if scope.role in DISTRICT_ROLES:
        mine |= Q(project__specialist__isnull=True, project__unit_id__in=scope.unit_ids)
    return qs.filter(mine)[:limit]


def signed_projects(*, actor, unit_id: int | None = None, cluster_id: int | None = None,
                    today: datetime.date | None = None):
    """Projects after signing that the actor may see, each with funds_total and plan_due (planned to have
    arrived by today) annotated — one query however many projects."""
    today = today or timezone.localdate()
    funds = (FundsEntry.objects.live().filter(project=OuterRef("pk"), date__lte=today).order_by()
             .values("project").annotate(total=Sum("amount")).values("total"))
    plan = (FundsPlanItem.objects.filter(project=OuterRef("pk"), due_date__lte=today).order_by()
            .values("project").annotate(total=Sum("amount")).values("total"))
    qs = Project.objects.restrict(actor, VIEW).filter(is_archived=False, stage__in=POST_SIGNING_STAGES)
    qs = _in_place(qs, unit_id=unit_id, cluster_id=cluster_id, prefix="")
    return (qs.annotate(funds_total=Coalesce(Subquery(funds, output_field=MONEY), Value(ZERO), output_field=MONEY),
                        plan_due=Coalesce(Subquery(plan, output_field=MONEY), Value(ZERO), output_field=MONEY))
            .select_related("unit", "unit__successor", "organisation")
            .order_by("signed_date", "id"))


def with_percentages(projects) -> list[Project]:
    """Set funds_percent and behind on each project of a page of signed_projects()."""
    rows = list(projects)
    for project in rows:
        project.funds_percent = percent(project.funds_total, project.signed_amount)
        project.behind = project.funds_total < project.plan_due
    return rows


def funds_ledger(*, actor, start: datetime.date | None = None, end: datetime.date | None = None,
                 unit_id: int | None = None, cluster_id: int | None = None):
    """到位资金台账: the live funds entries of the projects the actor may see (never an archived one),
    dated in [start, end] (either end open), newest first — the records behind the cockpit's funds
    figure for the same unit, cluster and period."""
    qs = FundsEntry.objects.restrict(actor, VIEW).live().filter(project__is_archived=False)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    qs = _in_place(qs, unit_id=unit_id, cluster_id=cluster_id)
    return qs.select_related("project", "project__unit", "project__unit__successor", "created_by").order_by(
        "-date", "-id")


def funds_ledger_totals(entries) -> dict:
    """The ledger's total in exact yuan, its number of entries and of projects, in one query."""
    row = entries.order_by().aggregate(total=Sum("amount"), entries=Count("id"),
                                       projects=Count("project_id", distinct=True))
    return {"total": Decimal(row["total"] or 0).quantize(ZERO), "entries": row["entries"],
            "projects": row["projects"]}
