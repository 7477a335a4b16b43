"""首谈负责制 beyond the first registration: protection extended by recorded work, and 协调 — a unit
refused because another holds the organisation asks the office to decide.

The rule is one owner. Granting a request ends the holder's protection (its last protected day becomes
yesterday, so the requester can register today); there is no 共同跟进. Every step is an audit entry and
the ClaimArbitration row itself, visible to both units and the office."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import DISTRICT_ROLES
from apps.accounts.permissions import actor_scope, may_create_projects, may_decide_arbitrations, require
from apps.audit.services import AuditAction, audit_record
from apps.core.errors import ConflictError, DomainError
from apps.core.templatetags.display import cndate
from apps.organisations.models import Organisation
from apps.projects.choices import CLAIMING_STAGES
from apps.projects.models import ArbitrationStatus, ClaimArbitration, Project
from apps.projects.services import organisation_claim_conflict
from apps.units.models import Unit

CLAIMED = "claimed"
DECISIONS = {ArbitrationStatus.GRANTED, ArbitrationStatus.REJECTED}


# --- protection extended by recorded activity --------------------------------------------------------

def project_extend_protection(*, actor, project: Project, activity_date: datetime.date) -> Project | None:
    """Called by activities.services.activity_create inside its transaction: work recorded on a project
    still in a claiming stage keeps it protected until at least activity_date + the extension. Never
    revives a protection the office ended by 协调, nor one another unit now holds."""
    locked = Project.objects.select_for_update().filter(pk=project.pk).first()
    if locked is None or locked.is_archived or locked.stage not in CLAIMING_STAGES:
        return None
    until = activity_date + datetime.timedelta(days=settings.PROJECT_PROTECTION_EXTENSION_DAYS)
    if locked.protected_until and until <= locked.protected_until:
        return None
    if ClaimArbitration.objects.filter(holder_project=locked, status=ArbitrationStatus.GRANTED).exists():
        return None
    if organisation_claim_conflict(organisation=locked.organisation, unit=locked.unit):
        return None
    before = locked.protected_until
    Project.objects.filter(pk=locked.pk).update(protected_until=until)
    locked.protected_until = until
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes={"protected_until": [before and str(before), str(until)]},
                 note=f"记录{cndate(activity_date)}的走访洽谈，首谈保护期延长至{cndate(until)}")
    return locked


# --- the refusal, as data ---------------------------------------------------------------------------

def claim_refusal_fields(*, organisation: Organisation, unit: Unit) -> dict:
    """What a refused registration tells a program beside the sentence: who holds the organisation and
    until when (the same facts organisation_claims shows on the page — never the holder's project)."""
    holder = organisation_claim_conflict(organisation=organisation, unit=unit)
    if holder is None:
        return {}
    return {"holder_unit": holder.unit.name, "holder_unit_id": holder.unit_id,
            "protected_until": holder.protected_until.isoformat(), "organisation_id": organisation.pk,
            "arbitration": "POST /api/v1/projects/arbitrations"}


# --- 协调 ----------------------------------------------------------------------------------------------

def _check_requesting_unit(actor, unit: Unit) -> None:
    if unit.is_office:
        raise DomainError("申请单位：驻京办不承接项目，协调须由区县申请。", field="unit")
    scope = actor_scope(actor)
    if scope.role in DISTRICT_ROLES and unit.id not in scope.unit_ids:
        raise DomainError(f"申请单位：您只能以本单位名义申请协调，不能代{unit.name}申请。", field="unit")


@transaction.atomic
def arbitration_request(*, actor, organisation: Organisation, unit: Unit, reason: str) -> ClaimArbitration:
    require(may_create_projects(actor), "您的角色不能申请协调（领导账号为只读）。")
    _check_requesting_unit(actor, unit)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("申请理由：请写明为什么应由本单位跟进（如首次接触的时间、经过和进展）。", field="reason")
    # The same lock project_create takes: a request and a registration on one organisation queue.
    current = Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if current is not None and current.merged_into_id:
        raise DomainError(f"目标主体：“{organisation.name}”是重复登记，已合并到“{current.merged_into.name}”，"
                          "请就该主体申请。", field="organisation", code="merged")
    holder = organisation_claim_conflict(organisation=organisation, unit=unit)
    if holder is None:
        raise DomainError(f"目标主体：“{organisation.name}”目前没有其他单位在首谈保护期内跟进，可以直接登记项目，"
                          "无需申请协调。", field="organisation", code="not_claimed")
    pending = ClaimArbitration.objects.filter(organisation=organisation, requesting_unit=unit,
                                              status=ArbitrationStatus.PENDING).first()
    if pending:
        raise ConflictError(f"{unit.name}已于{cndate(timezone.localdate(pending.requested_at))}就“{organisation.name}”"
                            "申请协调，驻京办尚未处理，请勿重复申请。", field="organisation",
                            code="duplicate_arbitration")
    try:
        with transaction.atomic():
            arbitration = ClaimArbitration.objects.create(
                organisation=organisation, requesting_unit=unit, requested_by=actor, holder_project=holder,
                holder_protected_until=holder.protected_until, reason=reason,
            )
    except IntegrityError:  # a colleague's request committed between our check and our insert
        raise ConflictError(f"{unit.name}已就“{organisation.name}”申请协调，驻京办尚未处理，请勿重复申请。",
                            field="organisation", code="duplicate_arbitration") from None
    audit_record(actor=actor, instance=arbitration, action=AuditAction.CREATE,
                 changes={"status": [None, ArbitrationStatus.PENDING.value]},
                 note=f"{unit.name}申请协调“{organisation.name}”（{holder.unit.name}首谈保护期至"
                      f"{cndate(holder.protected_until)}）：{reason}")
    return arbitration


def _locked_pending(arbitration: ClaimArbitration) -> ClaimArbitration:
    locked = (ClaimArbitration.objects.select_for_update().select_related("organisation", "requesting_unit")
              .filter(pk=arbitration.pk).first())
    if locked is None:
        raise DomainError("该协调申请不存在。", code="not_found")
    if locked.status != ArbitrationStatus.PENDING:
        when = f"已于{cndate(timezone.localdate(locked.decided_at))}" if locked.decided_at else "已"
        raise ConflictError(f"{locked.requesting_unit.name}关于“{locked.organisation.name}”的协调申请{when}处理"
                            f"（{locked.get_status_display()}），不能再次处理。", field="decision",
                            code="already_decided")
    return locked


@transaction.atomic
def arbitration_decide(*, actor, arbitration: ClaimArbitration, decision: str, note: str) -> ClaimArbitration:
    require(may_decide_arbitrations(actor), "只有驻京办可以处理协调申请。")
    if decision not in DECISIONS:
        raise DomainError("处理结果：请选择“同意”（原单位保护期终止）或“不同意”（维持原保护期）。", field="decision")
    note = (note or "").strip()
    if not note:
        raise DomainError("处理意见：请写明理由，双方单位都会看到。", field="note")
    locked = _locked_pending(arbitration)
    holder = Project.objects.select_for_update().select_related("unit").get(pk=locked.holder_project_id)
    locked.status = decision
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    organisation, requester = locked.organisation, locked.requesting_unit
    if decision == ArbitrationStatus.GRANTED:
        # 保护期至 is inclusive: ending it today means its last protected day was yesterday, so the
        # requester can register at once.
        ended = timezone.localdate() - datetime.timedelta(days=1)
        before = holder.protected_until
        if before is None or before > ended:
            Project.objects.filter(pk=holder.pk).update(protected_until=ended)
        audit_record(actor=actor, instance=holder, action=AuditAction.UPDATE,
                     changes={"protected_until": [before and str(before), str(min(before or ended, ended))]},
                     note=f"驻京办协调：同意{requester.name}的申请，{holder.unit.name}对“{organisation.name}”的"
                          f"首谈保护期于{cndate(timezone.localdate())}终止。理由：{note}")
        outcome = f"同意，{holder.unit.name}的首谈保护期终止，{requester.name}可登记"
    else:
        outcome = f"不同意，维持{holder.unit.name}的首谈保护期"
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes={"status": [ArbitrationStatus.PENDING.value, decision]},
                 note=f"协调“{organisation.name}”：{outcome}。理由：{note}")
    return locked


@transaction.atomic
def arbitration_withdraw(*, actor, arbitration: ClaimArbitration) -> ClaimArbitration:
    scope = actor_scope(actor)
    locked = _locked_pending(arbitration)
    # The requester's to take back; the office answers a request by deciding it (arbitration_decide), so a
    # withdrawal always means the requesting unit changed its mind, as the audit note says.
    require(not scope.read_only and (locked.requesting_unit_id in scope.unit_ids or locked.requested_by_id == actor.pk),
            "只有申请单位可以撤回协调申请。")
    locked.status = ArbitrationStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes={"status": [ArbitrationStatus.PENDING.value, ArbitrationStatus.WITHDRAWN.value]},
                 note=f"{locked.requesting_unit.name}撤回关于“{locked.organisation.name}”的协调申请")
    return locked


# --- reads ---------------------------------------------------------------------------------------------

def arbitration_list(*, actor, status: str = "", organisation_id: int | None = None):
    qs = ClaimArbitration.objects.restrict(actor, "view").select_related(
        "organisation", "requesting_unit", "requested_by", "holder_project__unit", "decided_by")
    if status:
        qs = qs.filter(status=status)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("-requested_at", "-id")


def arbitration_get(*, actor, pk: int) -> ClaimArbitration:
    return get_object_or_404(arbitration_list(actor=actor), pk=pk)


def project_arbitrations(*, actor, project: Project):
    """The requests against this project, for its page: the holder unit sees why its protection ended. The page
    names only the requesting unit, so only that is joined."""
    return arbitration_list(actor=actor).filter(holder_project=project).select_related(None).select_related(
        "requesting_unit")
