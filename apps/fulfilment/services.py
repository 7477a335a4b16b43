"""Writes of fulfilment tracking (履约监测): funds in place (到位资金), the plan they are measured
against, and the daily alerts. Atomic, permission-checked, audited. Alerts are written only by
raise_alerts, the daily job (apps.fulfilment.jobs), never by a person."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.models import DISTRICT_ROLES, User
from apps.accounts.permissions import CHANGE, actor_scope, require
from apps.activities.models import Activity
from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.core.errors import ConflictError, DomainError
from apps.core.idempotency import submission_claim
from apps.core.money import CENT, check_amount, format_amount
from apps.core.templatetags.display import cndate
from apps.core.text import zh
from apps.fulfilment.choices import ACTIVE_STAGES, POST_SIGNING_STAGES, AlertKind
from apps.fulfilment.models import Alert, FundsEntry, FundsPlanItem
from apps.notifications.services import notify
from apps.projects import stages
from apps.projects.choices import Stage
from apps.projects.models import Project, StageChange
from apps.units.selectors import unit_current

FUNDS_FIELDS = ["project", "date", "amount", "note", "evidence"]
DEFAULT_REGISTRATION_DAYS = 90
DEFAULT_INACTIVITY_DAYS = 60
# Any fixed number: it only has to be the same for every process that runs raise_alerts.
ALERTS_LOCK_KEY = 4_2025_1101


def registration_days() -> int:
    """签约后多少天内应注册落地 (settings.FULFILMENT_REGISTRATION_DAYS)."""
    return int(getattr(settings, "FULFILMENT_REGISTRATION_DAYS", DEFAULT_REGISTRATION_DAYS))


def inactivity_days() -> int:
    """在推项目多少天没有走访洽谈即预警 (settings.INACTIVITY_ALERT_DAYS)."""
    return int(getattr(settings, "INACTIVITY_ALERT_DAYS", DEFAULT_INACTIVITY_DAYS))


def _locked_project(actor, project: Project) -> Project:
    scope = actor_scope(actor)
    require(scope.user_id is not None and not scope.read_only, "您的角色为只读，不能登记履约信息。")
    locked = Project.objects.restrict(actor, CHANGE).select_for_update().filter(pk=project.pk).first()
    require(locked is not None, "您没有修改该项目履约信息的权限。")
    return locked


def _require_signed(project: Project, what: str) -> None:
    if project.signed_date is None:
        raise DomainError(f"签约日期：项目尚未签约，签约后才能登记{what}。", field="signed_date")


# --- 到位资金 ------------------------------------------------------------------------------------------

@transaction.atomic
def funds_entry_add(*, actor, project: Project, date: datetime.date | None, amount: Decimal | None,
                    note: str = "", evidence: str = "", submission_key: str = "",
                    today: datetime.date | None = None) -> FundsEntry:
    """Record money that has arrived. A total above the signed amount is accepted — real money must be
    recordable even when the agreement understated it — and flagged by selectors.funds_warning."""
    locked = _locked_project(actor, project)
    submission_claim(key=submission_key, user=actor)
    _require_signed(locked, "到位资金")
    today = today or timezone.localdate()
    if date is None:
        raise DomainError("到位日期：请填写资金到位的日期。", field="date")
    if amount is None or amount == "":
        raise DomainError("到位金额：请填写金额。", field="amount")
    amount = Decimal(amount)
    if amount <= 0:
        raise DomainError("到位金额：须大于0。", field="amount")
    amount = check_amount(amount, field="到位金额", key="amount").quantize(CENT)
    if date > today:
        raise DomainError("到位日期：不能晚于今天；尚未到位的资金请写入资金到位计划。", field="date")
    if date < locked.signed_date:
        raise DomainError(f"到位日期：不能早于签约日期（{cndate(locked.signed_date)}）。", field="date")
    entry = FundsEntry.objects.create(project=locked, date=date, amount=amount, note=(note or "").strip()[:300],
                                      evidence=(evidence or "").strip(), created_by=actor)
    audit_record(actor=actor, instance=entry, action=AuditAction.CREATE,
                 changes=diff({}, snapshot(entry, FUNDS_FIELDS)))
    return entry


@transaction.atomic
def funds_entry_delete(*, actor, entry: FundsEntry, reason: str) -> FundsEntry:
    """Withdraw a mistaken entry (entered twice, wrong amount). It stays on record with who withdrew it
    and why, and no longer counts in any sum: nothing a person entered is erased."""
    _locked_project(actor, entry.project)
    locked = FundsEntry.objects.select_for_update().filter(pk=entry.pk).first()
    if locked is None or locked.deleted_at is not None:
        raise ConflictError("该笔到位资金已被撤销（可能是他人刚刚操作），请刷新页面。", code="already_deleted")
    if not (reason or "").strip():
        raise DomainError("撤销原因：请写明为什么撤销这笔记录（如重复登记、金额有误）。", field="reason")
    locked.deleted_at = timezone.now()
    locked.deleted_by = actor
    locked.delete_reason = reason.strip()[:300]
    locked.save(update_fields=["deleted_at", "deleted_by", "delete_reason"])
    audit_record(actor=actor, instance=locked, action=AuditAction.ARCHIVE,
                 changes={"deleted_at": [None, str(locked.deleted_at)]}, note=f"撤销到位资金：{locked.delete_reason}")
    return locked


# --- 资金到位计划 --------------------------------------------------------------------------------------

def _plan_line(item: FundsPlanItem) -> str:
    return f"{item.due_date} {format_amount(item.amount)}{'（' + item.note + '）' if item.note else ''}"


@transaction.atomic
def funds_plan_set(*, actor, project: Project, items: list[dict]) -> list[FundsPlanItem]:
    """Replace the project's plan by ``items`` ({"due_date", "amount", "note"}; each amount is what
    arrives in that instalment). An empty list clears the plan.

    The instalments may add up to at most the signed amount: the plan says how the agreed money
    arrives, and a plan above the agreement would report funds "behind" that were never agreed."""
    locked = _locked_project(actor, project)
    _require_signed(locked, "资金到位计划")
    cleaned: list[FundsPlanItem] = []
    seen: dict[datetime.date, int] = {}
    for number, item in enumerate(items, start=1):
        due_date, amount = item.get("due_date"), item.get("amount")
        label = f"资金到位计划第{number}期"
        if due_date is None:
            raise DomainError(f"{label}：请填写计划到位日期。", field="items")
        if amount is None or amount == "":
            raise DomainError(f"{label}：请填写本期计划金额。", field="items")
        amount = Decimal(amount)
        if amount <= 0:
            raise DomainError(f"{label}：本期计划金额须大于0。", field="items")
        amount = check_amount(amount, field=label, key="items").quantize(CENT)
        if due_date < locked.signed_date:
            raise DomainError(f"{label}：计划到位日期不能早于签约日期（{cndate(locked.signed_date)}）。",
                              field="items")
        if due_date in seen:
            raise DomainError(f"{label}：与第{seen[due_date]}期的日期相同（{cndate(due_date)}），同一天请合并为一期。",
                              field="items")
        seen[due_date] = number
        cleaned.append(FundsPlanItem(project=locked, due_date=due_date, amount=amount,
                                     note=(item.get("note") or "").strip()[:300]))
    total = sum((item.amount for item in cleaned), Decimal(0))
    if locked.signed_amount is not None and total > locked.signed_amount:
        raise DomainError(
            f"资金到位计划：各期合计{format_amount(total)}，超过签约金额{format_amount(locked.signed_amount)}。"
            "计划是签约金额分期到位的安排，合计不能超过签约金额；如协议金额有变，请先修改项目的签约金额。",
            field="items",
        )
    before = [_plan_line(item) for item in FundsPlanItem.objects.filter(project=locked)]
    FundsPlanItem.objects.filter(project=locked).delete()
    cleaned.sort(key=lambda item: item.due_date)
    created = FundsPlanItem.objects.bulk_create(cleaned)
    after = [_plan_line(item) for item in created]
    if before != after:
        audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, model_label="fulfilment.fundsplan",
                     changes={"funds_plan": [before, after]})
    return created


# --- 每日预警 ------------------------------------------------------------------------------------------

def _one_run_at_a_time() -> None:
    """Two runs at once (a manual run beside the scheduled one) must not both open the same alert.
    SQLite's IMMEDIATE transactions already queue writers; PostgreSQL needs a lock of its own."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ALERTS_LOCK_KEY])


def _per_project(queryset, **aggregates) -> dict:
    rows = queryset.order_by().values("project_id").annotate(**aggregates)
    return {row.pop("project_id"): row for row in rows}


def _conditions(projects: dict[int, Project], today: datetime.date, facts: dict) -> dict[tuple[int, str], str]:
    """(project id, kind) → the alert's message, for every condition that holds today."""
    registration_limit, idle_limit = facts["registration_days"], facts["inactivity_days"]
    found = {}
    for pk, project in projects.items():
        if project.stage == Stage.SIGNED and project.registered_date is None and project.signed_date:
            days = (today - project.signed_date).days
            if days > registration_limit:
                found[(pk, AlertKind.UNREGISTERED_AFTER_SIGNING)] = (
                    f"签约已{days}天仍未注册落地（规定{registration_limit}天）")
        if project.stage in POST_SIGNING_STAGES:
            plan = facts["plan"].get(pk)
            got = facts["funds"].get(pk, {}).get("total") or Decimal(0)
            if plan and plan["total"] and got < plan["total"]:
                found[(pk, AlertKind.FUNDS_BEHIND_PLAN)] = (
                    f"到位资金{format_amount(got)}，低于计划的{format_amount(plan['total'])}"
                    f"（截至{cndate(plan['last_due'])}）")
        if project.stage in ACTIVE_STAGES:
            days = (today - facts["last_worked"][pk]).days
            if days > idle_limit:
                found[(pk, AlertKind.NO_ACTIVITY)] = f"已{days}天无走访洽谈记录"
    return found


def _resolution(alert: Alert, today: datetime.date, facts: dict) -> str:
    project = alert.project
    if project.is_archived:
        return "项目已归档"
    stage = stages.label(project.stage)
    if alert.kind == AlertKind.UNREGISTERED_AFTER_SIGNING:
        if project.registered_date:
            return f"已于{cndate(project.registered_date)}注册落地"
        if project.stage != Stage.SIGNED:
            return f"项目阶段已变为“{stage}”"
        return f"不再满足预警条件（现规定签约后{facts['registration_days']}天内注册落地）"
    if alert.kind == AlertKind.FUNDS_BEHIND_PLAN:
        if project.stage not in POST_SIGNING_STAGES:
            return f"项目阶段已变为“{stage}”"
        plan = facts["plan"].get(project.pk)
        got = facts["funds"].get(project.pk, {}).get("total") or Decimal(0)
        if not plan or not plan["total"]:
            return "资金到位计划已调整，截至今日没有应到位的计划资金"
        return f"到位资金{format_amount(got)}，已达到计划的{format_amount(plan['total'])}"
    if project.stage not in ACTIVE_STAGES:
        return f"项目阶段已变为“{stage}”"
    last_activity = facts["activity"].get(project.pk, {}).get("last")
    if last_activity and (today - last_activity).days <= facts["inactivity_days"]:
        return f"{cndate(last_activity)}有走访洽谈记录"
    last_move = facts["moves"].get(project.pk, {}).get("last")
    if last_move and (today - last_move).days <= facts["inactivity_days"]:
        return f"{cndate(last_move)}项目阶段有变更"
    return f"不再满足预警条件（现规定{facts['inactivity_days']}天）"


def _recipients(projects: list[Project]) -> dict[int, list]:
    """Who hears of a new alert on each project: its specialist; without one, the working staff of the
    unit that carries the project today (an ended unit's projects go to its successor)."""
    carrying = {p.pk: unit_current(p.unit) for p in projects if not (p.specialist and p.specialist.is_active)}
    staff = defaultdict(list)
    for user in User.objects.filter(unit_id__in={u.pk for u in carrying.values()}, role__in=DISTRICT_ROLES,
                                    is_active=True).order_by("pk"):
        staff[user.unit_id].append(user)
    return {p.pk: [p.specialist] if p.pk not in carrying else staff[carrying[p.pk].pk] for p in projects}


@transaction.atomic
def raise_alerts(today: datetime.date | None = None) -> dict:
    """The daily check. For each live project: open an alert when a condition starts, keep its message
    current while it lasts, resolve it (with the reason) when it ends. Running it twice the same day
    changes nothing the second time. A constant number of queries whatever the number of projects,
    plus one notification insert per newly opened alert."""
    today = today or timezone.localdate()
    _one_run_at_a_time()
    with translation.override(settings.LANGUAGE_CODE):  # stored sentences are Chinese whoever runs it
        watched = Project.objects.filter(is_archived=False, stage__in={*POST_SIGNING_STAGES, *ACTIVE_STAGES})
        projects = {p.pk: p for p in watched.select_related("unit__successor", "specialist")}
        open_alerts = {(a.project_id, a.kind): a for a in Alert.objects.open().select_related("project")}
        in_scope = watched.values("id")
        facts = {
            "registration_days": registration_days(),
            "inactivity_days": inactivity_days(),
            "funds": _per_project(FundsEntry.objects.live().filter(project__in=in_scope, date__lte=today),
                                  total=Sum("amount")),
            "plan": _per_project(FundsPlanItem.objects.filter(project__in=in_scope, due_date__lte=today),
                                 total=Sum("amount"), last_due=Max("due_date")),
            "activity": _per_project(Activity.objects.filter(project__in=in_scope, date__lte=today),
                                     last=Max("date")),
            "moves": _per_project(StageChange.objects.filter(project__in=in_scope, occurred_on__lte=today),
                                  last=Max("occurred_on")),
        }
        # The last sign of work: a visit or talk, or a stage move (dated when it happened); a project
        # with neither counts from when it was registered.
        facts["last_worked"] = {
            pk: max([d for d in (facts["activity"].get(pk, {}).get("last"), facts["moves"].get(pk, {}).get("last"))
                     if d] or [timezone.localdate(p.created_at)])
            for pk, p in projects.items()
        }
        found = _conditions(projects, today, facts)

        resolved, updated = [], []
        for key, alert in open_alerts.items():
            if key not in found:
                alert.resolved_on, alert.resolved_reason = today, _resolution(alert, today, facts)[:300]
                resolved.append(alert)
            elif alert.message != found[key]:
                alert.message = found[key]
                updated.append(alert)
        Alert.objects.bulk_update(resolved, ["resolved_on", "resolved_reason"])
        Alert.objects.bulk_update(updated, ["message"])
        created = Alert.objects.bulk_create([
            Alert(project_id=pk, kind=kind, message=message, raised_on=today)
            for (pk, kind), message in sorted(found.items()) if (pk, kind) not in open_alerts
        ])

        recipients = _recipients([projects[alert.project_id] for alert in created])
        for alert in created:
            project = projects[alert.project_id]
            notify(kind="fulfilment.alert", title=f"履约预警：{project.name}",
                   body=f"{zh(alert.get_kind_display())}：{alert.message}。",
                   url=reverse("projects:detail", args=[project.pk]), project=project,
                   users=recipients[project.pk], units=[project.unit])

    raised_by_kind = {kind.value: 0 for kind in AlertKind}
    for alert in created:
        raised_by_kind[alert.kind] += 1
    return {
        "day": today.isoformat(),
        "checked": len(projects),
        "raised": len(created),
        "resolved": len(resolved),
        "updated": len(updated),
        "open": Alert.objects.open().count(),
        "raised_by_kind": raised_by_kind,
    }
