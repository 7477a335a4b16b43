"""Writes of 推荐考察: recommend, accept, decline, withdraw, log the site visit. Atomic, permission-checked,
audited; each step tells the other side (apps.notifications.services.notify).

Duplicates. Recommending an organisation to a unit that already has a pending or accepted target for
it is refused, naming the earlier recommendation's date: the district is already looking at it or
already working it. After a decline (or a withdrawal) the office may recommend it to that unit again —
circumstances change, and a new reason is a new question; the funnel still counts the organisation
once. Recommending one organisation to different units, in one recommendation or in several, is fine.

Accepting links the unit's own live project for the organisation, or registers one through
projects.services.project_create (so 首谈负责制 applies: if another unit holds the organisation the
ConflictError propagates and nothing is written), and moves it to 推荐考察 if it is not that far yet.
Logging the site visit records an Activity (实地考察) on that project and moves it to 实地考察."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.models import OFFICE_ROLES
from apps.accounts.permissions import CHANGE, actor_scope, require
from apps.accounts.selectors import unit_members
from apps.activities.models import Activity, ActivityKind
from apps.activities.services import activity_create
from apps.audit.services import AuditAction, audit_record
from apps.core.errors import ConflictError, DomainError
from apps.core.idempotency import submission_claim
from apps.core.templatetags.display import cndate
from apps.core.text import zh
from apps.notifications.services import notify
from apps.organisations.models import Organisation
from apps.projects import stages
from apps.projects.choices import PIPELINE, Stage
from apps.projects.models import Project
from apps.projects.services import project_change_stage, project_create
from apps.recommendations.models import OPEN_STATUSES, Recommendation, RecommendationTarget, TargetStatus
from apps.units.models import Unit
from apps.units.selectors import unit_current, unit_office, unit_rollup_ids

ANSWERING_ROLES = ["district_admin", "district_staff"]
NOT_OFFICE = "只有驻京办可以推荐企业赴区县考察。"
NOT_ANSWERER = "只有被推荐的区县（区县管理员、招商干部）可以答复该推荐。"


def status_label(status: str) -> str:
    # Always Chinese: it goes into service messages and audit notes.
    with translation.override(settings.LANGUAGE_CODE):
        return zh(TargetStatus(status).label)


def detail_path(recommendation: Recommendation) -> str:
    return reverse("recommendations:detail", args=[recommendation.pk])


def _require_office(actor, message: str) -> None:
    scope = actor_scope(actor)
    require(scope.user_id is not None and not scope.read_only and scope.role in OFFICE_ROLES, message)


def _check_target_unit(unit: Unit, day: datetime.date, today: datetime.date) -> None:
    if unit.is_office:
        raise DomainError("推荐区县：驻京办不承接项目，请选择区县或功能区。", field="units")
    for when in (day, today):
        if not unit.is_active_on(when):
            if unit.ended_on and when >= unit.ended_on:
                successor = f"，请选择{unit.successor.name}" if unit.successor_id else ""
                raise DomainError(f"推荐区县：{unit.name}已于{cndate(unit.ended_on)}撤销{successor}。", field="units")
            raise DomainError(f"推荐区县：{unit.name}于{cndate(unit.valid_from)}设立，{cndate(when)}时尚不存在。",
                              field="units")


def _unique(units) -> list[Unit]:
    seen, out = set(), []
    for unit in units or ():
        if unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            out.append(unit)
    return out


@transaction.atomic
def recommendation_create(*, actor, organisation: Organisation | None = None, units, reason: str,
                          project: Project | None = None, date: datetime.date | None = None,
                          today: datetime.date | None = None, submission_key: str = "",
                          is_sample: bool = False) -> Recommendation:
    _require_office(actor, NOT_OFFICE)
    submission_claim(key=submission_key, user=actor)
    today = today or timezone.localdate()
    date = date or today
    if date > today:
        raise DomainError("推荐日期：不能晚于今天。", field="date")
    if project is not None:
        if organisation is not None and organisation.pk != project.organisation_id:
            raise DomainError("关联项目：与所推荐的企业不一致。", field="project")
        organisation = project.organisation
    if organisation is None:
        raise DomainError("推荐企业：请选择要推荐的企业。", field="organisation")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("推荐理由：请写明推荐该企业的理由（产业方向、投资意向、与区县的契合点等）。", field="reason")
    units = _unique(units)
    if not units:
        raise DomainError("推荐区县：请至少选择一个区县。", field="units")
    for unit in units:
        _check_target_unit(unit, date, today)

    # Two colleagues recommending the same firm to the same district at the same instant queue here,
    # and the second meets the first's recommendation in the duplicate check below.
    locked = Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if locked is None or locked.is_archived:
        raise DomainError(f"推荐企业：“{organisation.name}”已归档，不能推荐。", field="organisation")
    if locked.merged_into_id:
        merged_into = Organisation.objects.get(pk=locked.merged_into_id)
        raise DomainError(f"推荐企业：“{organisation.name}”是重复登记，已合并到“{merged_into.name}”，请推荐该主体。",
                          field="organisation", code="merged")
    earlier = []
    for unit in units:
        previous = (RecommendationTarget.objects.filter(recommendation__organisation=organisation,
                                                        unit_id__in=unit_rollup_ids(unit), status__in=OPEN_STATUSES)
                    .select_related("recommendation", "unit").order_by("recommendation__date", "id").first())
        if previous:
            earlier.append(f"已于{cndate(previous.recommendation.date)}推荐给{previous.unit.name}"
                           f"（{status_label(previous.status)}）")
    if earlier:
        raise ConflictError(f"推荐区县：“{organisation.name}”{'；'.join(earlier)}，不能重复推荐。"
                            "区县婉拒或推荐撤回后可以再次推荐。", field="units", code="duplicate_recommendation")

    from_unit = actor.unit if actor.unit_id and actor.unit.is_office else unit_office()
    recommendation = Recommendation.objects.create(
        organisation=organisation, project=project, reason=reason, recommended_by=actor, from_unit=from_unit,
        date=date, is_sample=is_sample,
    )
    targets = [RecommendationTarget.objects.create(recommendation=recommendation, unit=unit) for unit in units]
    names = "、".join(unit.name for unit in units)
    audit_record(actor=actor, instance=recommendation, action=AuditAction.CREATE, changes={
        "organisation": [None, organisation.name], "units": [None, names], "reason": [None, reason],
        "date": [None, str(date)], "project": [None, project.name if project else None],
    }, note=f"推荐“{organisation.name}”赴{names}实地考察")
    url = detail_path(recommendation)
    for target in targets:
        notify(kind="recommendation.created", title=f"驻京办推荐“{organisation.name}”赴{target.unit.name}实地考察，请答复",
               body=reason, url=url, users=unit_members(target.unit, roles=ANSWERING_ROLES), units=[target.unit])
    return recommendation


def _locked_target(actor, target: RecommendationTarget) -> RecommendationTarget:
    # No select_related here: FOR UPDATE may not reach the nullable side of an outer join (PostgreSQL).
    locked = RecommendationTarget.objects.restrict(actor, CHANGE).select_for_update().filter(pk=target.pk).first()
    require(locked is not None, NOT_ANSWERER)
    return locked


def _check_pending(target: RecommendationTarget) -> None:
    if target.status != TargetStatus.PENDING:
        when = f"已于{cndate(target.decided_on)}" if target.decided_on else "已"
        raise ConflictError(f"{target.unit.name}对“{target.recommendation.organisation.name}”的推荐{when}"
                            f"{'撤回' if target.status == TargetStatus.WITHDRAWN else '答复'}"
                            f"（{status_label(target.status)}），不能再次答复。", field="status", code="already_decided")


def _decide(actor, target: RecommendationTarget, status: str, reason: str, day: datetime.date) -> None:
    target.status = status
    target.decision_reason = reason
    target.decided_by = actor
    target.decided_at = timezone.now()
    target.decided_on = day
    target.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "decided_on", "project",
                               "site_visit"])


def _tell_recommender(recommendation: Recommendation, *, kind: str, title: str, body: str, project=None) -> None:
    if recommendation.recommended_by_id:
        notify(kind=kind, title=title, body=body, url=detail_path(recommendation), project=project,
               users=[recommendation.recommended_by])


def _project_for(actor, target: RecommendationTarget) -> Project:
    """The unit's live project for the organisation (the recommended one if it is the unit's), else a
    new one registered through project_create — which applies 首谈负责制 and may refuse."""
    recommendation = target.recommendation
    unit = unit_current(target.unit)
    unit_ids = unit_rollup_ids(unit)
    live = Project.objects.filter(is_archived=False).exclude(stage=Stage.TERMINATED)
    if recommendation.project_id and live.filter(pk=recommendation.project_id, unit_id__in=unit_ids).exists():
        return recommendation.project
    existing = (live.filter(organisation_id=recommendation.organisation_id, unit_id__in=unit_ids)
                .order_by("-created_at", "-id").first())
    if existing:
        return existing
    organisation = recommendation.organisation
    return project_create(actor=actor, organisation=organisation, unit=unit, name=f"{organisation.name}项目",
                          first_contact_date=recommendation.date, source_unit=recommendation.from_unit,
                          description=f"驻京办{cndate(recommendation.date)}推荐考察：{recommendation.reason}",
                          is_sample=recommendation.is_sample)


def _advance_to(actor, project: Project, stage: str, *, day: datetime.date, note: str) -> None:
    """Move the project forward to ``stage`` if it is not that far yet; never backwards, never out of 终止."""
    project = Project.objects.get(pk=project.pk)
    if project.stage == Stage.TERMINATED:
        return
    here = stages.effective_stage(project.stage, project.paused_from)
    if here in PIPELINE and stages.position(here) >= stages.position(stage):
        return
    gap = stages.position(stage) - stages.position(here) if here in PIPELINE else len(PIPELINE)
    skip_reason = f"{note}（中间阶段未单独记录）" if gap > 1 else ""
    previous = project.stage_changes.order_by("-occurred_on").values_list("occurred_on", flat=True).first()
    floor = max(d for d in [previous, project.first_contact_date] if d)
    project_change_stage(actor=actor, project=project, to_stage=stage, expected_stage=project.stage, note=note,
                         skip_reason=skip_reason, occurred_on=max(day, floor))


@transaction.atomic
def recommendation_accept(*, actor, target: RecommendationTarget, reason: str = "",
                          today: datetime.date | None = None) -> RecommendationTarget:
    locked = _locked_target(actor, target)
    _check_pending(locked)
    recommendation = locked.recommendation
    today = max(today or timezone.localdate(), recommendation.date)
    reason = (reason or "").strip()
    project = _project_for(actor, locked)
    _advance_to(actor, project, Stage.RECOMMENDED, day=today,
                note=f"接受驻京办{cndate(recommendation.date)}的推荐考察" + (f"：{reason}" if reason else ""))
    locked.project = project
    _decide(actor, locked, TargetStatus.ACCEPTED, reason, today)
    organisation = recommendation.organisation
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes={"status": [TargetStatus.PENDING.value, TargetStatus.ACCEPTED.value],
                          "project": [None, project.name]},
                 note=f"{locked.unit.name}接受推荐“{organisation.name}”，承接项目“{project.name}”")
    _tell_recommender(recommendation, kind="recommendation.accepted", project=project,
                      title=f"{locked.unit.name}已接受推荐：“{organisation.name}”", body=reason)
    return locked


@transaction.atomic
def recommendation_decline(*, actor, target: RecommendationTarget, reason: str,
                           today: datetime.date | None = None) -> RecommendationTarget:
    locked = _locked_target(actor, target)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("婉拒理由：请写明原因（如产业方向不符、缺少用地等），驻京办会看到。", field="reason")
    _check_pending(locked)
    recommendation = locked.recommendation
    today = max(today or timezone.localdate(), recommendation.date)
    _decide(actor, locked, TargetStatus.DECLINED, reason, today)
    organisation = recommendation.organisation
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes={"status": [TargetStatus.PENDING.value, TargetStatus.DECLINED.value]},
                 note=f"{locked.unit.name}婉拒推荐“{organisation.name}”：{reason}")
    _tell_recommender(recommendation, kind="recommendation.declined",
                      title=f"{locked.unit.name}婉拒了推荐：“{organisation.name}”", body=reason)
    return locked


@transaction.atomic
def recommendation_withdraw(*, actor, recommendation: Recommendation, reason: str, units=None,
                            today: datetime.date | None = None) -> list[RecommendationTarget]:
    """Call back the still-unanswered part of a recommendation (all of it, or only ``units``). An
    answered target stays as it is: an accepted one is the district's project now."""
    _require_office(actor, "只有驻京办可以撤回推荐。")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("撤回理由：请写明原因，被推荐的区县会看到。", field="reason")
    pending = RecommendationTarget.objects.select_for_update().filter(recommendation_id=recommendation.pk,
                                                                      status=TargetStatus.PENDING)
    if units:
        pending = pending.filter(unit__in=list(units))
    targets = list(pending.order_by("id"))
    if not targets:
        raise ConflictError("该推荐没有待答复的区县，无需撤回；已答复的推荐不能撤回。", field="units",
                            code="nothing_to_withdraw")
    today = max(today or timezone.localdate(), recommendation.date)
    for target in targets:
        _decide(actor, target, TargetStatus.WITHDRAWN, reason, today)
    organisation = recommendation.organisation
    names = "、".join(target.unit.name for target in targets)
    audit_record(actor=actor, instance=recommendation, action=AuditAction.UPDATE,
                 changes={"withdrawn": [None, names]}, note=f"撤回对{names}的推荐“{organisation.name}”：{reason}")
    for target in targets:
        notify(kind="recommendation.withdrawn", title=f"驻京办撤回了推荐：“{organisation.name}”", body=reason,
               url=detail_path(recommendation), users=unit_members(target.unit, roles=ANSWERING_ROLES),
               units=[target.unit])
    return targets


@transaction.atomic
def target_log_site_visit(*, actor, target: RecommendationTarget, date: datetime.date, summary: str,
                          participants: str = "", counterparts: str = "", next_step: str = "",
                          next_step_due: datetime.date | None = None, submission_key: str = "",
                          is_sample: bool = False) -> Activity:
    """The visit the recommendation led to: an Activity (实地考察) on the accepted project, linked here."""
    locked = _locked_target(actor, target)
    recommendation = locked.recommendation
    if locked.status != TargetStatus.ACCEPTED or locked.project_id is None:
        raise DomainError(f"该推荐{status_label(locked.status)}，接受推荐后才能记录实地考察。", field="status",
                          code="not_accepted")
    if locked.site_visit_id:
        raise ConflictError(f"该推荐已记录{cndate(locked.site_visit.date)}的实地考察；之后的考察请在项目页记录走访。",
                            field="date", code="already_visited")
    if date is None:
        raise DomainError("考察日期：请填写企业实地考察的日期。", field="date")
    if date < recommendation.date:
        raise DomainError(f"考察日期：不能早于推荐日期（{cndate(recommendation.date)}）。", field="date")
    activity = activity_create(actor=actor, project=locked.project, kind=ActivityKind.SITE_VISIT, date=date,
                               summary=summary, participants=participants, counterparts=counterparts,
                               next_step=next_step, next_step_due=next_step_due, submission_key=submission_key,
                               is_sample=is_sample)
    _advance_to(actor, locked.project, Stage.SITE_VISIT, day=date,
                note=f"驻京办推荐的企业赴{locked.unit.name}实地考察")
    locked.site_visit = activity
    locked.save(update_fields=["site_visit"])
    organisation = recommendation.organisation
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes={"site_visit": [None, str(activity.date)]},
                 note=f"“{organisation.name}”于{cndate(date)}赴{locked.unit.name}实地考察")
    _tell_recommender(recommendation, kind="recommendation.site_visit", project=locked.project,
                      title=f"“{organisation.name}”已赴{locked.unit.name}实地考察（{cndate(date)}）",
                      body=activity.summary)
    return activity
