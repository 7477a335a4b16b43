"""Writes of cooperations, their activities and their outcomes. Atomic, permission-checked, audited; a
DomainError names the field in Chinese and nothing is written. Every write to an activity or outcome
locks its cooperation row, so two people editing the same cooperation queue."""


from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_noop

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES
from apps.accounts.permissions import CHANGE, VIEW, actor_scope, require
from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.core.errors import ConflictError, DomainError
from apps.core.idempotency import submission_claim
from apps.core.values import date_value as _date
from apps.core.values import text_value as _text
from apps.events.models import Event
from apps.organisations.models import Organisation
from apps.projects.models import Project
from apps.thinktanks.models import (
    PARTNER_KINDS,
    STORED_STATUSES,
    ActivityKind,
    Cooperation,
    CooperationActivity,
    CooperationOutcome,
    CooperationStatus,
    OutcomeKind,
)
from apps.units.models import Unit

COOPERATION_FIELDS = ["partner", "title", "agreement_no", "signed_date", "start_date", "end_date", "terms", "status",
                      "contact", "unit", "partner_contact"]
ACTIVITY_FIELDS = ["date", "kind", "title", "summary", "participant_count", "event", "output_title"]
OUTCOME_FIELDS = ["kind", "date", "project", "organisation", "note"]
NOT_HOLDER = gettext_noop("只有驻京办或负责该合作的单位的管理员、招商干部可以修改该智库合作。")
MAX_PARTICIPANTS = 100_000


def may_create_cooperations(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and (
        scope.role in OFFICE_ROLES or scope.role in DISTRICT_ROLES or getattr(actor, "is_superuser", False))


def _check_cooperation(actor, values: dict) -> dict:
    partner = values.get("partner")
    if not isinstance(partner, Organisation):
        raise DomainError("合作机构：请从目标库中选择智库、高校或科研院所。", field="partner")
    if partner.is_archived or partner.merged_into_id:
        raise DomainError(f"合作机构：“{partner.name}”已归档或已合并，请选择现行记录。", field="partner")
    if partner.kind not in PARTNER_KINDS:
        raise DomainError(f"合作机构：“{partner.name}”的类型是{partner.get_kind_display()}，"
                          "智库合作只与智库、高校或科研院所建立；如类型有误，请先在目标库中更正。", field="partner")
    clean = {
        "partner": partner,
        "title": _text(values, "title", "协议名称", required=True),
        "agreement_no": _text(values, "agreement_no", "协议编号", max_length=60),
        "terms": _text(values, "terms", "合作内容", max_length=5000),
        "partner_contact": _text(values, "partner_contact", "对方联系人", max_length=100),
    }
    status = values.get("status") or CooperationStatus.ACTIVE
    if status == CooperationStatus.EXPIRED:
        raise DomainError("状态：“已到期”由合作结束日期自动判断，请选择“合作中”并填写结束日期。", field="status")
    if status not in STORED_STATUSES:
        raise DomainError("状态：请选择洽谈中、合作中或已终止。", field="status")
    clean["status"] = status
    signed = _date(values, "signed_date", "签订日期", required=status != CooperationStatus.NEGOTIATING)
    start = _date(values, "start_date", "合作开始日期")
    end = _date(values, "end_date", "合作结束日期")
    if end is not None and end < (start or signed or end):
        raise DomainError("合作结束日期：不能早于合作开始日期（未填开始日期时为签订日期）。", field="end_date")
    if status == CooperationStatus.TERMINATED and end is None:
        raise DomainError("合作结束日期：已终止的合作请填写终止日期。", field="end_date")
    clean.update(signed_date=signed, start_date=start, end_date=end)
    unit = values.get("unit")
    if unit is None and actor.unit_id:
        unit = actor.unit
    if not isinstance(unit, Unit):
        raise DomainError("负责单位：请选择。", field="unit")
    scope = actor_scope(actor)
    if not (scope.all_units or getattr(actor, "is_superuser", False)) and unit.pk not in scope.unit_ids:
        raise DomainError("负责单位：区县只能登记由本单位负责的合作。", field="unit")
    clean["unit"] = unit
    contact = values.get("contact")
    if contact is not None and not contact.is_active:
        raise DomainError(f"我方联系人：{contact}的账号已停用，请另选。", field="contact")
    clean["contact"] = contact
    return clean


@transaction.atomic
def cooperation_create(*, actor, values: dict, submission_key: str = "", is_sample: bool = False) -> Cooperation:
    require(may_create_cooperations(actor), "只有驻京办和区县的管理员、招商干部可以登记智库合作。")
    submission_claim(key=submission_key, user=actor)
    clean = _check_cooperation(actor, values)
    cooperation = Cooperation.objects.create(**clean, created_by=actor, is_sample=is_sample)
    audit_record(actor=actor, instance=cooperation, action=AuditAction.CREATE,
                 note=f"登记智库合作：{cooperation.partner.name}《{cooperation.title}》")
    return cooperation


def _locked(actor, cooperation: Cooperation) -> Cooperation:
    if not Cooperation.objects.restrict(actor, VIEW).filter(pk=cooperation.pk).exists():
        raise Cooperation.DoesNotExist
    locked = (Cooperation.objects.restrict(actor, CHANGE).select_for_update(of=("self",))
              .filter(pk=cooperation.pk).first())
    require(locked is not None, NOT_HOLDER)
    return locked


@transaction.atomic
def cooperation_update(*, actor, cooperation: Cooperation, values: dict,
                       expected_version: int | None = None) -> Cooperation:
    locked = _locked(actor, cooperation)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError("该合作刚被他人修改，本次修改没有保存，请刷新后再改。", code="stale_version")
    merged = {f: getattr(locked, f) for f in COOPERATION_FIELDS} | {
        k: v for k, v in values.items() if k in COOPERATION_FIELDS}
    clean = _check_cooperation(actor, merged)
    before = snapshot(locked, COOPERATION_FIELDS)
    for key, value in clean.items():
        setattr(locked, key, value)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes=diff(before, snapshot(locked, COOPERATION_FIELDS)))
    return locked


# --- activities ----------------------------------------------------------------------------------

def _check_activity(actor, values: dict) -> dict:
    clean = {
        "date": _date(values, "date", "活动日期", required=True),
        "title": _text(values, "title", "活动名称", required=True),
        "summary": _text(values, "summary", "活动内容", max_length=5000),
        "output_title": _text(values, "output_title", "形成成果"),
    }
    kind = values.get("kind") or ActivityKind.OTHER
    if kind not in ActivityKind.values:
        raise DomainError("活动形式：请选择报告、沙龙、咨询、调研、讲座或其他。", field="kind")
    clean["kind"] = kind
    count = values.get("participant_count")
    if count in ("", None):
        count = None
    else:
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise DomainError("参加人数：请填写整数。", field="participant_count") from None
        if count < 0 or count > MAX_PARTICIPANTS:
            raise DomainError(f"参加人数：应在0到{MAX_PARTICIPANTS:,}之间。", field="participant_count")
    clean["participant_count"] = count
    event = values.get("event")
    if event is not None and not Event.objects.restrict(actor, VIEW).filter(pk=event.pk).exists():
        raise DomainError("关联活动：请从活动列表中选择。", field="event")
    clean["event"] = event
    return clean


@transaction.atomic
def activity_add(*, actor, cooperation: Cooperation, values: dict, submission_key: str = "") -> CooperationActivity:
    locked = _locked(actor, cooperation)
    submission_claim(key=submission_key, user=actor)
    clean = _check_activity(actor, values)
    activity = CooperationActivity.objects.create(cooperation=locked, **clean, created_by=actor)
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 note=f"添加合作活动：{activity.date} {activity.get_kind_display()} {activity.title}")
    return activity


@transaction.atomic
def activity_remove(*, actor, activity: CooperationActivity) -> None:
    locked = _locked(actor, activity.cooperation)
    text = f"{activity.date} {activity.get_kind_display()} {activity.title}"
    CooperationActivity.objects.filter(pk=activity.pk, cooperation=locked).delete()
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, note=f"删除合作活动：{text}")


# --- outcomes ------------------------------------------------------------------------------------

def _check_outcome(actor, cooperation: Cooperation, values: dict) -> dict:
    kind = values.get("kind")
    if kind not in OutcomeKind.values:
        raise DomainError("成果类型：请选择项目、人才、引荐、报告成果或其他。", field="kind")
    clean = {
        "kind": kind,
        "date": _date(values, "date", "日期", required=True),
        "note": _text(values, "note", "说明", max_length=2000),
    }
    project = values.get("project")
    organisation = values.get("organisation")
    talent = values.get("talent")
    if talent is not None:
        from apps.talent.models import Talent

        if not Talent.objects.restrict(actor, VIEW).filter(pk=talent.pk, is_archived=False).exists():
            raise DomainError("带来的人才：请从您可查看的人才记录中选择。", field="talent")
        if kind != OutcomeKind.TALENT:
            raise DomainError("带来的人才：只有成果类型为“人才”时才选择人才记录。", field="talent")
    if project is not None and not Project.objects.restrict(actor, VIEW).filter(pk=project.pk).exists():
        raise DomainError("带来的项目：请从您可查看的项目中选择。", field="project")
    if organisation is not None and (organisation.is_archived or organisation.merged_into_id):
        raise DomainError(f"引荐的主体：“{organisation.name}”已归档或已合并，请选择现行记录。", field="organisation")
    if kind == OutcomeKind.PROJECT:
        if project is None:
            raise DomainError("带来的项目：成果类型为“项目”时请选择项目。", field="project")
        if CooperationOutcome.objects.filter(cooperation=cooperation, kind=kind, project=project).exists():
            raise DomainError(f"带来的项目：“{project.name}”已记为该合作的成果，同一项目只记一次。", field="project")
    if kind == OutcomeKind.INTRODUCTION and organisation is None and not clean["note"]:
        raise DomainError("引荐的主体：成果类型为“引荐”时请选择引荐的企业或机构（不在目标库中的，在说明中写明）。",
                          field="organisation")
    if kind in (OutcomeKind.TALENT, OutcomeKind.REPORT, OutcomeKind.OTHER) and not clean["note"] \
            and project is None and organisation is None and talent is None:
        label = OutcomeKind(kind).label
        raise DomainError(f"说明：请写明该{label}是什么（如人才姓名、报告标题）。", field="note")
    clean.update(project=project, organisation=organisation, talent=talent)
    return clean


@transaction.atomic
def outcome_add(*, actor, cooperation: Cooperation, values: dict, submission_key: str = "") -> CooperationOutcome:
    locked = _locked(actor, cooperation)
    submission_claim(key=submission_key, user=actor)
    clean = _check_outcome(actor, locked, values)
    outcome = CooperationOutcome.objects.create(cooperation=locked, **clean, created_by=actor)
    subject = outcome.project or outcome.talent or outcome.organisation or outcome.note[:40]
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 note=f"添加合作成果：{outcome.get_kind_display()} {subject}")
    return outcome


@transaction.atomic
def outcome_remove(*, actor, outcome: CooperationOutcome) -> None:
    locked = _locked(actor, outcome.cooperation)
    subject = outcome.project or outcome.talent or outcome.organisation or outcome.note[:40]
    text = f"{outcome.get_kind_display()} {subject}"
    CooperationOutcome.objects.filter(pk=outcome.pk, cooperation=locked).delete()
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, note=f"删除合作成果：{text}")
