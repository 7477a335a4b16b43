"""Writes to talent records: create, edit, move a stage, assign a specialist, archive. Atomic,
permission-checked (restrict(actor, CHANGE)), audited; bad input is a DomainError naming the field,
raised before anything is written."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import DISTRICT_ROLES, User
from apps.accounts.permissions import CHANGE, VIEW, actor_scope, may_create_projects, require
from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.chains.models import Cluster
from apps.core.errors import ConflictError, DomainError
from apps.core.idempotency import submission_claim
from apps.core.templatetags.display import cndate
from apps.organisations.models import Organisation
from apps.projects.models import Project
from apps.projects.services import check_occurred_on
from apps.talent import stages
from apps.talent.choices import IntroductionMode, ProjectLinkKind, TalentKind, TalentStage
from apps.talent.models import Talent, TalentSpecialistAssignment, TalentStageChange
from apps.units.models import Unit

EDITABLE_FIELDS = ["name", "kind", "team_size", "title", "affiliation", "field", "source_unit", "specialist",
                   "project", "link_kind", "description", *stages.GATED_FIELDS]
AUDITED_FIELDS = ["name", "unit", "stage", "first_contact_date", *EDITABLE_FIELDS]


def _check_unit(actor, unit: Unit | None, day: datetime.date) -> None:
    if unit is None:
        raise DomainError("承接区县：请选择承接区县。", field="unit")
    if unit.is_office:
        raise DomainError("承接区县：人才须由区县承接落地，请选择区县。", field="unit")
    if not unit.is_active_on(day):
        successor = f"，请选择{unit.successor.name}" if unit.successor_id else ""
        raise DomainError(f"承接区县：{unit.name}已于{cndate(unit.ended_on)}撤销{successor}。", field="unit")
    scope = actor_scope(actor)
    if scope.role in DISTRICT_ROLES and unit.id not in scope.unit_ids:
        raise DomainError(f"承接区县：您只能为本单位登记人才，不能登记到{unit.name}。", field="unit")


def _clean(actor, values: dict, *, current_specialist_id: int | None = None) -> dict:
    """Check the submitted facts one by one; each refusal names its field."""
    cleaned = dict(values)
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if len(cleaned["name"]) < 2:
            raise DomainError("姓名或团队名称：请填写姓名或团队名称。", field="name")
    for field, choices, field_label in [("kind", TalentKind, "人才类别"), ("mode", IntroductionMode, "引进方式"),
                                        ("link_kind", ProjectLinkKind, "关联方式")]:
        if cleaned.get(field) and cleaned[field] not in choices.values:
            raise DomainError(f"{field_label}：“{cleaned[field]}”不是可选值。", field=field)
    for field in ("title", "field", "description", "mode", "link_kind"):
        if field in cleaned and cleaned[field] is None:
            cleaned[field] = ""
    if "team_size" in cleaned and cleaned["team_size"] is not None and cleaned["team_size"] < 1:
        raise DomainError("团队人数：请填写不小于 1 的人数。", field="team_size")
    if cleaned.get("specialist") is not None:
        if not isinstance(cleaned["specialist"], User):
            raise DomainError("服务专员：请选择一位用户。", field="specialist")
        if not cleaned["specialist"].is_active:
            raise DomainError("服务专员：该账号已停用，请另选一位。", field="specialist")
        # The same people the page offers (projects' rule): a district names specialists, the office or its
        # own staff — not another district's staff, who would then see and change the record.
        from apps.projects.forms import specialist_choices

        if not specialist_choices(actor, current_specialist_id).filter(pk=cleaned["specialist"].pk).exists():
            raise DomainError("服务专员：只能指定服务专员、驻京办人员或本单位人员。", field="specialist")
    if cleaned.get("affiliation") is not None:
        if not Organisation.objects.restrict(actor, VIEW).filter(pk=cleaned["affiliation"].pk).exists():
            raise DomainError("所在单位：该单位不在目标库中或已归档，请重新选择。", field="affiliation")
    if cleaned.get("project") is not None:
        # A project the actor cannot see may not be named: linking must not reveal that it exists.
        if not Project.objects.restrict(actor, VIEW).filter(pk=cleaned["project"].pk).exists():
            raise DomainError("关联项目：项目不存在或您无权查看。", field="project")
    return cleaned


def _check_whole(talent: Talent) -> None:
    """Rules across fields, checked on the record as it would be saved."""
    if talent.kind == TalentKind.TEAM and not talent.team_size:
        raise DomainError("团队人数：人才类别为“团队”时请填写团队人数。", field="team_size")
    if talent.kind != TalentKind.TEAM:
        talent.team_size = None
    if talent.project_id and not talent.link_kind:
        raise DomainError("关联方式：关联项目时请选择是人才带来项目，还是随项目引进人才。", field="link_kind")
    if not talent.project_id:
        talent.link_kind = ""


def _check_clusters(clusters) -> list[Cluster]:
    clusters = list(clusters or [])
    if any(not isinstance(c, Cluster) for c in clusters):
        raise DomainError("产业集群：请从33618产业集群中选择。", field="clusters")
    return clusters


def _record_specialist(*, actor, talent: Talent, previous_id: int | None, note: str = "") -> None:
    """Keep TalentSpecialistAssignment in step with Talent.specialist, and tell the incoming one."""
    if talent.specialist_id == previous_id:
        return
    now = timezone.now()
    TalentSpecialistAssignment.objects.filter(talent=talent, ended_at__isnull=True).update(ended_at=now)
    if talent.specialist_id is None:
        return
    TalentSpecialistAssignment.objects.create(talent=talent, specialist_id=talent.specialist_id, started_at=now,
                                              assigned_by=actor, note=note.strip())
    if talent.specialist_id != getattr(actor, "pk", None):
        from apps.notifications.services import notify

        notify(kind="talent.specialist_assigned", users=[talent.specialist],
               title=f"您已被指定为人才“{talent.name}”的服务专员",
               body=note.strip() or f"{talent.unit.name} · {stages.label(talent.stage)}", url=f"/talent/{talent.pk}/")


def _locked(actor, talent: Talent) -> Talent:
    locked = Talent.objects.restrict(actor, CHANGE).select_for_update().filter(pk=talent.pk).first()
    require(locked is not None, "您没有修改该人才记录的权限。")
    return locked


def _audit_snapshot(talent: Talent) -> dict:
    data = snapshot(talent, AUDITED_FIELDS)
    data["clusters"] = "、".join(talent.clusters.order_by("sort_order", "id").values_list("name", flat=True))
    return data


@transaction.atomic
def talent_create(*, actor, name: str, unit: Unit, kind: str = TalentKind.EXPERT,
                  first_contact_date: datetime.date | None = None, clusters=(), submission_key: str = "",
                  is_sample: bool = False, **fields) -> Talent:
    """登记人才 at 意向, with the first history row and an audit entry."""
    require(may_create_projects(actor), "您的角色不能登记人才（领导账号为只读）。")
    submission_claim(key=submission_key, user=actor)
    today = timezone.localdate()
    first_contact_date = first_contact_date or today
    if first_contact_date > today:
        raise DomainError("首次接触日期：不能晚于今天。", field="first_contact_date")
    _check_unit(actor, unit, first_contact_date)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不支持的字段：{'、'.join(sorted(unknown))}。")
    gated = [f for f in stages.GATED_FIELDS if fields.get(f) not in (None, "")]
    if gated:
        raise DomainError(f"{stages.GATED_LABELS[gated[0]]}：新登记的人才处于“意向”阶段，签约和到岗信息请在变更阶段时填写。",
                          field=gated[0])
    cleaned = _clean(actor, {"name": name, "kind": kind, **fields})
    clusters = _check_clusters(clusters)
    talent = Talent(unit=unit, first_contact_date=first_contact_date, created_by=actor, stage=TalentStage.INTENTION,
                    stage_changed_at=timezone.now(), is_sample=is_sample, **cleaned)
    _check_whole(talent)
    talent.save()
    talent.clusters.set(clusters)
    TalentStageChange.objects.create(talent=talent, from_stage="", to_stage=TalentStage.INTENTION, changed_by=actor,
                                     note="登记人才", occurred_on=first_contact_date)
    audit_record(actor=actor, instance=talent, action=AuditAction.CREATE, changes=diff({}, _audit_snapshot(talent)))
    _record_specialist(actor=actor, talent=talent, previous_id=None)
    return talent


@transaction.atomic
def talent_update(*, actor, talent: Talent, version: int | None = None, clusters=None, handover_note: str = "",
                  **fields) -> Talent:
    """修改信息. ``version`` is the one the form read (ADR 0005); clusters=None leaves them as they are."""
    locked = _locked(actor, talent)
    if version is not None and locked.version != version:
        raise ConflictError("该人才记录已被他人修改，您的修改没有保存。请刷新页面查看最新内容后再改。")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不支持的字段：{'、'.join(sorted(unknown))}。")
    cleaned = _clean(actor, fields, current_specialist_id=locked.specialist_id)
    # A stage's facts belong to the stage: filled in when it is entered, corrected but never blanked after.
    for stage, field, field_label in stages.requirements_between(TalentStage.INTENTION, TalentStage.SERVING):
        if field not in cleaned or cleaned[field] == getattr(locked, field):
            continue
        if not stages.reached(locked.stage, locked.paused_from, stage):
            raise DomainError(f"{field_label}：尚未到“{stages.label(stage)}”阶段，请在变更阶段时填写。", field=field)
        if cleaned[field] in (None, ""):
            raise DomainError(f"{field_label}：已到“{stages.label(stage)}”阶段，此项不能为空。", field=field)
    before = _audit_snapshot(locked)
    previous_specialist = locked.specialist_id
    for key, value in cleaned.items():
        setattr(locked, key, value)
    _check_whole(locked)
    stages.check_dates({f: getattr(locked, f) for f in stages.DATE_FIELDS})
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    if clusters is not None:
        locked.clusters.set(_check_clusters(clusters))
    changes = diff(before, _audit_snapshot(locked))
    if changes:
        audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, changes=changes)
    _record_specialist(actor=actor, talent=locked, previous_id=previous_specialist, note=handover_note)
    return locked


@transaction.atomic
def talent_assign_specialist(*, actor, talent: Talent, specialist, note: str = "",
                             version: int | None = None) -> Talent:
    """指定或更换服务专员; a handover from someone needs a note of what is handed over."""
    if specialist is None:
        raise DomainError("服务专员：请选择一位用户。", field="specialist")
    if specialist.pk == talent.specialist_id:
        raise DomainError(f"服务专员：{specialist.display_name}已是该人才的服务专员。", field="specialist")
    if talent.specialist_id and not (note or "").strip():
        raise DomainError("交接说明：请写明交接了哪些事项（进展、承诺、待办）。", field="note")
    return talent_update(actor=actor, talent=talent, version=version, specialist=specialist, handover_note=note)


@transaction.atomic
def talent_move_stage(*, actor, talent: Talent, to_stage: str, expected_stage: str | None = None, note: str = "",
                      skip_reason: str = "", evidence: str = "", values: dict | None = None,
                      occurred_on: datetime.date | None = None) -> TalentStageChange:
    """变更阶段: one step forward, a jump with a reason, a pause or an end — each with a history row."""
    locked = _locked(actor, talent)
    if expected_stage and locked.stage != expected_stage:
        raise ConflictError(
            f"新阶段：该人才的阶段已变为“{stages.label(locked.stage)}”（可能是他人刚刚修改，或表单重复提交），"
            "本次变更没有保存，请刷新后再操作。", field="to_stage", code="stale_stage",
        )
    values = _clean(actor, {k: v for k, v in (values or {}).items() if k in stages.GATED_FIELDS})
    merged = {f: getattr(locked, f) for f in stages.GATED_FIELDS} | {k: v for k, v in values.items()
                                                                    if v not in (None, "")}
    stages.check_transition(current=locked.stage, paused_from=locked.paused_from, target=to_stage, values=merged,
                            note=note, skip_reason=skip_reason)
    occurred_on = check_occurred_on(locked, occurred_on)
    before = _audit_snapshot(locked)
    from_stage = locked.stage
    for key, value in merged.items():
        setattr(locked, key, value)
    if to_stage == TalentStage.PAUSED:
        locked.paused_from = stages.effective_stage(from_stage, locked.paused_from)
    elif to_stage != TalentStage.TERMINATED:
        locked.paused_from = ""
    locked.stage = to_stage
    locked.stage_changed_at = timezone.now()
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    change = TalentStageChange.objects.create(
        talent=locked, from_stage=from_stage, to_stage=to_stage, changed_by=actor, note=note.strip(),
        skip_reason=skip_reason.strip(), evidence=evidence.strip(), occurred_on=occurred_on,
    )
    audit_record(actor=actor, instance=locked, action=AuditAction.STAGE, changes=diff(before, _audit_snapshot(locked)),
                 note=f"{stages.label(from_stage)} → {stages.label(to_stage)}")
    return change


@transaction.atomic
def talent_archive(*, actor, talent: Talent, reason: str) -> Talent:
    """Nothing is hard-deleted: archiving hides a record from lists and figures and keeps its history."""
    locked = _locked(actor, talent)
    if not (reason or "").strip():
        raise DomainError("归档原因：请写明为什么归档。", field="reason")
    if locked.is_archived:
        raise DomainError("归档原因：该人才记录已归档。", field="reason")
    locked.is_archived = True
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=actor, instance=locked, action=AuditAction.ARCHIVE, note=reason.strip())
    return locked


@transaction.atomic
def talent_attend(*, actor, talent: Talent, event, attended: bool = True) -> Talent:
    """Record (or withdraw) that this talent took part in an event: whoever may change the record may."""
    locked = _locked(actor, talent)
    if attended and locked.events.filter(pk=event.pk).exists():
        raise DomainError(f"活动：已记录参加“{event.title}”。", field="event")
    if attended:
        locked.events.add(event)
    else:
        locked.events.remove(event)
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes={"events": ["", event.title] if attended else [event.title, ""]},
                 note=f"{'记录参加' if attended else '移除'}活动：{event.title}")
    return locked
