"""Recording visits, talks and site visits."""

import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.permissions import CHANGE, actor_scope, require
from apps.activities.models import Activity, ActivityKind
from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.core.errors import DomainError
from apps.core.idempotency import submission_claim
from apps.projects.claims import project_extend_protection
from apps.projects.models import Project

FIELDS = ["kind", "date", "organisation", "project", "unit", "participants", "counterparts", "summary",
          "next_step", "next_step_due", "next_step_done"]


@transaction.atomic
def activity_create(*, actor, date: datetime.date, summary: str, organisation=None, project: Project | None = None,
                    kind: str = ActivityKind.VISIT, participants: str = "", counterparts: str = "",
                    next_step: str = "", next_step_due: datetime.date | None = None, submission_key: str = "",
                    is_sample: bool = False) -> Activity:
    scope = actor_scope(actor)
    require(scope.user_id is not None and not scope.read_only, "您的角色为只读，不能记录走访。")
    submission_claim(key=submission_key, user=actor)
    if project is not None:
        require(Project.objects.restrict(actor, CHANGE).filter(pk=project.pk).exists(), "您没有在该项目上记录走访的权限。")
        if organisation is not None and organisation.pk != project.organisation_id:
            raise DomainError("对象单位：与所选项目的目标主体不一致。", field="organisation")
        organisation = project.organisation
    if organisation is None:
        raise DomainError("对象单位：请选择走访的单位。", field="organisation")
    if kind not in ActivityKind.values:
        raise DomainError("类型：不是可选值。", field="kind")
    if date > timezone.localdate():
        raise DomainError("日期：走访记录不能填写将来的日期；计划中的事项请写在“下一步”。", field="date")
    if not (summary or "").strip():
        raise DomainError("洽谈内容与共识：请填写谈了什么、达成了什么。", field="summary")
    if next_step_due and not next_step.strip():
        raise DomainError("下一步：填写了期限，请同时写明下一步做什么。", field="next_step")
    if next_step_due and next_step_due < date:
        raise DomainError("下一步期限：不能早于走访日期。", field="next_step_due")
    if actor.unit_id is None:
        raise DomainError("您的账号没有所属单位，请联系管理员设置后再记录。")
    activity = Activity.objects.create(
        kind=kind, date=date, organisation=organisation, project=project, unit=actor.unit,
        participants=participants.strip(), counterparts=counterparts.strip(), summary=summary.strip(),
        next_step=next_step.strip(), next_step_due=next_step_due, created_by=actor, is_sample=is_sample,
    )
    audit_record(actor=actor, instance=activity, action=AuditAction.CREATE, changes=diff({}, snapshot(activity, FIELDS)))
    if project is not None:
        # 首谈负责制: recorded work keeps the project's protection alive (projects.claims).
        project_extend_protection(actor=actor, project=project, activity_date=date)
    return activity


@transaction.atomic
def activity_complete_next_step(*, actor, activity: Activity) -> Activity:
    locked = Activity.objects.restrict(actor, CHANGE).select_for_update().filter(pk=activity.pk).first()
    require(locked is not None, "您没有修改该记录的权限。")
    if not locked.next_step_done:
        locked.next_step_done = True
        locked.save(update_fields=["next_step_done"])
        audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                     changes={"next_step_done": [False, True]})
    return locked
