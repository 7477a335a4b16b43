"""Writes to projects: create, edit, move a stage, archive. Atomic, permission-checked, audited.
Views, the API, commands and the demo loader all come through here, so they behave identically."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import DISTRICT_ROLES, User
from apps.accounts.permissions import CHANGE, actor_scope, may_create_projects, require
from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.core.codes import normalise_code
from apps.core.errors import ConflictError, DomainError
from apps.core.idempotency import submission_claim
from apps.core.money import check_amount
from apps.core.templatetags.display import cndate
from apps.core.uploads import check_attachment
from apps.organisations.matching import same_organisation_ids
from apps.organisations.models import Organisation
from apps.projects import stages
from apps.projects.choices import (
    CLAIMING_STAGES,
    AgreementType,
    ChainRole,
    Confidentiality,
    Priority,
    Stage,
)
from apps.projects.models import Project, SpecialistAssignment, StageChange
from apps.units.models import Unit

EDITABLE_FIELDS = [
    "name", "planned_investment", "cluster", "chain_role", "specialist", "priority", "confidentiality",
    "description", "source_unit", *stages.GATED_FIELDS,
]
AUDITED_FIELDS = ["name", "organisation", "unit", "stage", "first_contact_date", *EDITABLE_FIELDS, "signed_currency",
                  "signed_original_amount", "signed_exchange_rate"]
AMOUNT_FIELDS = {"planned_investment": "计划投资", "signed_amount": "签约金额"}


def _check_unit(actor, unit: Unit, day: datetime.date) -> None:
    if unit.is_office:
        raise DomainError("承接区县：驻京办负责发现和推荐线索，项目须由区县承接，请选择区县。", field="unit")
    if not unit.is_active_on(day):
        successor = f"，请选择{unit.successor.name}" if unit.successor_id else ""
        raise DomainError(
            f"承接区县：{unit.name}已于{cndate(unit.ended_on)}撤销{successor}（{cndate(day)}时已不存在）。",
            field="unit",
        )
    scope = actor_scope(actor)
    if scope.role in DISTRICT_ROLES and unit.id not in scope.unit_ids:
        raise DomainError(f"承接区县：您只能为本单位登记项目，不能登记到{unit.name}。", field="unit")


def _clean_values(values: dict) -> dict:
    cleaned = dict(values)
    for field, field_label in AMOUNT_FIELDS.items():
        if cleaned.get(field) is not None and cleaned[field] != "":
            check_amount(cleaned[field], field=field_label, key=field)
    if cleaned.get("registered_credit_code"):
        cleaned["registered_credit_code"] = normalise_code(cleaned["registered_credit_code"])
    if cleaned.get("specialist") is not None and not isinstance(cleaned["specialist"], User):
        raise DomainError("服务专员：请选择一位用户。", field="specialist")
    if cleaned.get("specialist") is not None and not cleaned["specialist"].is_active:
        raise DomainError("服务专员：该账号已停用，请另选一位。", field="specialist")
    for field, choices, field_label in [
        ("chain_role", ChainRole, "链上作用"), ("agreement_type", AgreementType, "协议类型"),
        ("priority", Priority, "重要程度"), ("confidentiality", Confidentiality, "密级"),
    ]:
        if cleaned.get(field) and cleaned[field] not in choices.values:
            raise DomainError(f"{field_label}：“{cleaned[field]}”不是可选值。", field=field)
    if "name" in cleaned and len((cleaned["name"] or "").strip()) < 2:
        raise DomainError("项目名称：请填写项目名称。", field="name")
    return cleaned


def organisation_claim_conflict(*, organisation: Organisation, unit: Unit, today: datetime.date | None = None):
    """Another unit's live project that still holds this organisation (首谈负责制), or None."""
    today = today or timezone.localdate()
    return (
        Project.objects.filter(organisation=organisation, stage__in=CLAIMING_STAGES, is_archived=False,
                               protected_until__gte=today)
        .exclude(unit=unit)
        .select_related("unit")
        .order_by("created_at")
        .first()
    )


def _holder_fields(holder: Project) -> dict:
    return {"holder_unit": holder.unit.name, "holder_unit_id": holder.unit_id,
            "protected_until": holder.protected_until.isoformat(), "holder_organisation_id": holder.organisation_id}


@transaction.atomic
def project_create(*, actor, organisation: Organisation, unit: Unit, name: str,
                   first_contact_date: datetime.date | None = None, submission_key: str = "",
                   is_sample: bool = False, **fields) -> Project:
    require(may_create_projects(actor), "您的角色不能登记项目。")
    submission_claim(key=submission_key, user=actor)
    today = timezone.localdate()
    first_contact_date = first_contact_date or today
    if first_contact_date > today:
        raise DomainError("首次接触日期：不能晚于今天。", field="first_contact_date")
    _check_unit(actor, unit, first_contact_date)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不支持的字段：{'、'.join(sorted(unknown))}。")
    cleaned = _clean_values({"name": name, **fields})
    cleaned["name"] = cleaned["name"].strip()

    # Lock the organisation row and those of records the matcher judges to be the same firm (not yet
    # merged duplicates): two districts registering the same enterprise at the same instant, even
    # under two spellings, queue here and the second sees the first's project.
    locked = Organisation.objects.select_related("merged_into").filter(pk=organisation.pk).first()
    if locked is not None and locked.merged_into_id:
        raise DomainError(
            f"目标主体：“{organisation.name}”是重复登记，已合并到“{locked.merged_into.name}”，请在该主体下登记项目。",
            field="organisation", code="merged",
        )
    same_ids = same_organisation_ids(organisation)
    list(Organisation.objects.select_for_update().filter(pk__in=[organisation.pk, *same_ids]).order_by("pk")
         .values_list("pk", flat=True))
    holder = organisation_claim_conflict(organisation=organisation, unit=unit, today=today)
    if holder:
        raise ConflictError(
            f"目标主体：“{organisation.name}”已由{holder.unit.name}登记跟进，首谈保护期至"
            f"{cndate(holder.protected_until)}，不能重复登记。如有异议，可申请驻京办协调。",
            field="organisation", code="claimed", extra=_holder_fields(holder),
        )
    for other in Organisation.objects.filter(pk__in=same_ids).order_by("pk"):
        holder = organisation_claim_conflict(organisation=other, unit=unit, today=today)
        if holder:
            raise ConflictError(
                f"目标主体：“{organisation.name}”与目标库中的“{other.name}”很可能是同一主体，后者已由"
                f"{holder.unit.name}登记跟进，首谈保护期至{cndate(holder.protected_until)}，不能重复登记。"
                "如确属不同主体或有异议，可申请驻京办协调。",
                field="organisation", code="claimed", extra=_holder_fields(holder),
            )
    project = Project.objects.create(
        organisation=organisation, unit=unit, first_contact_date=first_contact_date, created_by=actor,
        protected_until=today + datetime.timedelta(days=settings.PROJECT_PROTECTION_DAYS),
        stage=Stage.LEAD, stage_changed_at=timezone.now(), is_sample=is_sample, **cleaned,
    )
    StageChange.objects.create(project=project, from_stage="", to_stage=Stage.LEAD, changed_by=actor, note="登记项目",
                               occurred_on=first_contact_date)
    audit_record(actor=actor, instance=project, action=AuditAction.CREATE,
                 changes=diff({}, snapshot(project, AUDITED_FIELDS)))
    _record_specialist(actor=actor, project=project, previous_id=None)
    return project


def _record_specialist(*, actor, project: Project, previous_id: int | None, note: str = "") -> None:
    """Keep SpecialistAssignment in step with Project.specialist: close the outgoing row, open one for
    the incoming specialist, and tell them. Every service that can change the specialist calls this."""
    if project.specialist_id == previous_id:
        return
    now = timezone.now()
    SpecialistAssignment.objects.filter(project=project, ended_at__isnull=True).update(ended_at=now)
    if project.specialist_id is None:
        return
    SpecialistAssignment.objects.create(project=project, specialist_id=project.specialist_id, started_at=now,
                                        assigned_by=actor, note=note.strip())
    from apps.notifications.services import notify

    if project.specialist_id != getattr(actor, "pk", None):
        notify(kind="project.specialist_assigned", project=project, users=[project.specialist],
               title=f"您已被指定为“{project.name}”的服务专员",
               body=note.strip() or f"{project.unit.name} · {stages.label(project.stage)}",
               url=f"/projects/{project.pk}/")


def _signed_in_yuan(project: Project, signed_before) -> None:
    """A signed amount typed in (always yuan) replaces one converted from another currency: the
    original amount and its rate no longer describe it."""
    if project.signed_amount != signed_before and project.signed_currency != "CNY":
        project.signed_currency, project.signed_original_amount, project.signed_exchange_rate = "CNY", None, None


def _locked(actor, project: Project) -> Project:
    locked = Project.objects.restrict(actor, CHANGE).select_for_update().filter(pk=project.pk).first()
    require(locked is not None, "您没有修改该项目的权限。")
    return locked


@transaction.atomic
def project_update(*, actor, project: Project, version: int | None = None, handover_note: str = "",
                   **fields) -> Project:
    locked = _locked(actor, project)
    if version is not None and locked.version != version:
        raise ConflictError("该项目已被他人修改，您的修改没有保存。请刷新页面查看最新内容后再改。")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不支持的字段：{'、'.join(sorted(unknown))}。")
    cleaned = _clean_values(fields)
    # A fact that defines a stage already reached cannot be blanked out by an edit.
    here = stages.effective_stage(locked.stage, locked.paused_from)
    if here in stages.PIPELINE:
        for _, field, field_label in stages.requirements_between(Stage.LEAD, here):
            if field in cleaned and cleaned[field] in (None, ""):
                raise DomainError(f"{field_label}：项目已到“{stages.label(here)}”阶段，此项不能为空。", field=field)
    before = snapshot(locked, AUDITED_FIELDS)
    previous_specialist = locked.specialist_id
    signed_before = locked.signed_amount
    for key, value in cleaned.items():
        setattr(locked, key, value)
    _signed_in_yuan(locked, signed_before)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    changes = diff(before, snapshot(locked, AUDITED_FIELDS))
    if changes:
        audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, changes=changes)
    _record_specialist(actor=actor, project=locked, previous_id=previous_specialist, note=handover_note)
    return locked


@transaction.atomic
def project_hand_over(*, actor, project: Project, specialist, note: str, version: int | None = None) -> Project:
    """换人 (handover): a new 服务专员 takes the project over, with a note of what is handed over. The
    assignment history keeps who served when; the outgoing specialist keeps reading access through the
    project's unit as before, not through the project."""
    if specialist is None:
        raise DomainError("接任服务专员：请选择一位用户。", field="specialist")
    if specialist.pk == project.specialist_id:
        raise DomainError(f"接任服务专员：{specialist}已是本项目的服务专员。", field="specialist")
    if project.specialist_id and not (note or "").strip():
        raise DomainError("交接说明：请写明交接了哪些事项（进展、承诺、待办）。", field="note")
    return project_update(actor=actor, project=project, version=version, specialist=specialist,
                          handover_note=note)


@transaction.atomic
def project_change_stage(*, actor, project: Project, to_stage: str, expected_stage: str | None = None,
                         note: str = "", skip_reason: str = "", evidence: str = "", evidence_file=None,
                         values: dict | None = None, occurred_on: datetime.date | None = None) -> StageChange:
    locked = _locked(actor, project)
    check_attachment(evidence_file, field="evidence_file", label="佐证附件")
    if expected_stage and locked.stage != expected_stage:
        raise ConflictError(
            f"该项目的阶段已变为“{stages.label(locked.stage)}”（可能是他人刚刚修改，或表单重复提交），"
            "本次变更没有保存，请刷新后再操作。",
            field="to_stage", code="stale_stage",
        )
    values = _clean_values({k: v for k, v in (values or {}).items() if k in stages.GATED_FIELDS})
    merged = {f: getattr(locked, f) for f in stages.GATED_FIELDS} | {k: v for k, v in values.items()
                                                                    if v not in (None, "")}
    stages.check_transition(current=locked.stage, paused_from=locked.paused_from, target=to_stage,
                            values=merged, note=note, skip_reason=skip_reason)
    occurred_on = check_occurred_on(locked, occurred_on)
    before = snapshot(locked, AUDITED_FIELDS)
    previous_specialist = locked.specialist_id
    from_stage = locked.stage
    signed_before = locked.signed_amount
    for key, value in values.items():
        if value not in (None, ""):
            setattr(locked, key, value)
    _signed_in_yuan(locked, signed_before)
    if to_stage == Stage.PAUSED:
        locked.paused_from = stages.effective_stage(from_stage, locked.paused_from)
    elif to_stage != Stage.TERMINATED:
        locked.paused_from = ""
    locked.stage = to_stage
    locked.stage_changed_at = timezone.now()
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    change = StageChange.objects.create(
        project=locked, from_stage=from_stage, to_stage=to_stage, changed_by=actor, note=note.strip(),
        skip_reason=skip_reason.strip(), evidence=evidence.strip(), evidence_file=evidence_file or "",
        occurred_on=occurred_on,
    )
    audit_record(actor=actor, instance=locked, action=AuditAction.STAGE,
                 changes=diff(before, snapshot(locked, AUDITED_FIELDS)),
                 note=f"{stages.label(from_stage)} → {stages.label(to_stage)}")
    _record_specialist(actor=actor, project=locked, previous_id=previous_specialist)
    return change


def check_occurred_on(project, occurred_on: datetime.date | None) -> datetime.date:
    """A move may be entered after the fact, but not dated in the future or before the move it follows.
    For any record with stage_changes and a first_contact_date: projects, and talent (apps.talent)."""
    today = timezone.localdate()
    occurred_on = occurred_on or today
    if occurred_on > today:
        raise DomainError("发生日期：不能晚于今天。", field="occurred_on")
    previous = project.stage_changes.order_by("-occurred_on").values_list("occurred_on", flat=True).first()
    floor = max(d for d in [previous, project.first_contact_date] if d)
    if occurred_on < floor:
        raise DomainError(f"发生日期：不能早于上一次阶段变更或首次接触的日期（{cndate(floor)}）。", field="occurred_on")
    return occurred_on


@transaction.atomic
def project_archive(*, actor, project: Project, reason: str) -> Project:
    """Nothing is hard-deleted by a user: archiving hides a project from lists and keeps its history."""
    locked = _locked(actor, project)
    if not reason.strip():
        raise DomainError("归档原因：请写明为什么归档。", field="reason")
    locked.is_archived = True
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=actor, instance=locked, action=AuditAction.ARCHIVE, note=reason.strip())
    return locked
