"""Writes: relations between organisations, person ties, and turning a 以商招商 proposal into a project
with its referral. Atomic, permission-checked, audited; refusals are Chinese DomainErrors naming the field."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.accounts.permissions import CHANGE, may_create_projects, may_write_library, require
from apps.audit.services import AuditAction, audit_record
from apps.core.errors import DomainError
from apps.organisations.models import Organisation, Person
from apps.relations.choices import (
    CANONICAL,
    KIND_BY_LABEL,
    SYMMETRIC,
    RelationKind,
    RelationSource,
    Strength,
    TieChannel,
    Warmth,
)
from apps.relations.models import PersonTie, Referral, Relation

READ_ONLY = "您的角色为只读，不能修改企业关系。"
SUPPLY_CHAIN = {"供应商", "客户", "合作伙伴"}


def survivor_of(organisation: Organisation) -> Organisation:
    """The record that stands for this organisation today: a merged duplicate resolves to its survivor."""
    seen = 0
    while organisation.merged_into_id and seen < 5:
        organisation = Organisation.objects.get(pk=organisation.merged_into_id)
        seen += 1
    return organisation


def canonical(organisation: Organisation, related: Organisation, kind: str):
    """(A, B, kind) as stored: "B 是 A 的客户" becomes "A 是 B 的供应商" (choices.CANONICAL)."""
    if kind in CANONICAL:
        return related, organisation, CANONICAL[kind]
    return organisation, related, kind


def parse_kind(raw: str) -> str:
    text = (raw or "").strip()
    if text in RelationKind.values:
        return text
    return KIND_BY_LABEL.get(text, "")


def existing_relation(organisation_id: int, related_id: int, kind: str) -> Relation | None:
    match = Q(organisation_id=organisation_id, related_id=related_id, kind=kind)
    if kind in SYMMETRIC:
        match |= Q(organisation_id=related_id, related_id=organisation_id, kind=kind)
    return Relation.objects.filter(match).first()


def _check(organisation: Organisation, related: Organisation, kind: str, strength) -> tuple:
    if kind not in RelationKind.values:
        raise DomainError("关系类型：请选择供应商、客户、合作伙伴、母公司、子公司或投资方。", field="kind")
    try:
        strength = int(strength)
    except (TypeError, ValueError):
        strength = 0
    if strength not in Strength.values:
        raise DomainError("强度：请选择强、中或弱（3、2、1）。", field="strength")
    organisation, related = survivor_of(organisation), survivor_of(related)
    if organisation.pk == related.pk:
        raise DomainError(f"关联企业：“{organisation.name}”不能与自身建立关系，请选择另一家企业。", field="related")
    for org in (organisation, related):
        if org.is_archived:
            raise DomainError(f"关联企业：“{org.name}”已归档，不能建立新的关系。", field="related")
    a, b, stored = canonical(organisation, related, kind)
    return a, b, stored, strength


def _describe(relation: Relation) -> str:
    return f"{relation.related.name} 是 {relation.organisation.name} 的{relation.get_kind_display()}"


@transaction.atomic
def relation_create(*, actor, organisation: Organisation, related: Organisation, kind: str,
                    strength=Strength.MEDIUM, evidence: str = "", source: str = RelationSource.MANUAL,
                    article=None) -> Relation:
    """`related` is `organisation`'s <kind>. A repeat of a recorded fact (from either side) is refused."""
    require(may_write_library(actor), READ_ONLY)
    a, b, stored, strength = _check(organisation, related, kind, strength)
    other = existing_relation(a.pk, b.pk, stored)
    if other is not None:
        raise DomainError(f"关联企业：已记录“{_describe(other)}”，同一对企业的同类关系只记一次。",
                          field="related", code="duplicate")
    try:
        with transaction.atomic():
            relation = Relation.objects.create(
                organisation=a, related=b, kind=stored, strength=strength, evidence=(evidence or "").strip(),
                source=source, article=article, created_by=actor,
            )
    except IntegrityError:  # the same fact entered at the same instant by someone else
        raise DomainError("关联企业：该关系刚刚已由他人登记，请刷新页面查看。", field="related",
                          code="duplicate") from None
    audit_record(actor=actor, instance=relation, action=AuditAction.CREATE,
                 changes={"关系": [None, _describe(relation)], "强度": [None, relation.get_strength_display()]},
                 note=relation.evidence[:200])
    return relation


@transaction.atomic
def relation_delete(*, actor, relation: Relation) -> None:
    require(may_write_library(actor), READ_ONLY)
    locked = Relation.objects.restrict(actor, CHANGE).select_for_update().filter(pk=relation.pk).first()
    require(locked is not None, "您没有删除该关系的权限。")
    text = _describe(locked)
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, changes={"关系": [text, None]},
                 note=f"删除企业关系：{text}")
    # A referral credited through this relation keeps its credit but loses the link (SET_NULL): logged on it.
    for referral in Referral.objects.filter(relation=locked):
        audit_record(actor=actor, instance=referral, action=AuditAction.UPDATE, changes={"relation": [text, None]},
                     note=f"所依据的企业关系已删除：{text}")
    locked.delete()


@transaction.atomic
def relation_propose_from_news(*, actor, article, organisation: Organisation, related: Organisation, kind: str,
                               evidence: str, strength=Strength.WEAK) -> tuple[Relation, bool]:
    """For the 招商情报 review page: a relation a news article states ("X 成为 Y 的一级供应商"), recorded on
    a person's click with the sentence as its evidence. A fact already recorded is returned as it is
    (created=False), so a second article saying the same thing adds nothing."""
    require(may_write_library(actor), READ_ONLY)
    a, b, stored, strength = _check(organisation, related, kind, strength)
    other = existing_relation(a.pk, b.pk, stored)
    if other is not None:
        return other, False
    relation = relation_create(actor=actor, organisation=organisation, related=related, kind=kind, strength=strength,
                               evidence=evidence, source=RelationSource.NEWS, article=article)
    return relation, True


# --- person ties ---------------------------------------------------------------------------------

@transaction.atomic
def person_tie_create(*, actor, person: Person, organisation: Organisation, channel: str,
                      warmth=Warmth.WARM, note: str = "") -> PersonTie:
    require(may_write_library(actor), "您的角色为只读，不能登记人脉关系。")
    if channel not in TieChannel.values:
        raise DomainError("渠道：请选择在京挂职干部、校友会、商协会、智库、同乡会、业务往来或其他。", field="channel")
    try:
        warmth = int(warmth)
    except (TypeError, ValueError):
        warmth = 0
    if warmth not in Warmth.values:
        raise DomainError("熟悉程度：请选择密切、熟悉或一般（3、2、1）。", field="warmth")
    if person.is_archived:
        raise DomainError(f"人员：“{person.name}”已归档。", field="person")
    organisation = survivor_of(organisation)
    if PersonTie.objects.filter(person=person, organisation=organisation, channel=channel).exists():
        raise DomainError(f"人员：已记录{person.name}通过{TieChannel(channel).label}联系“{organisation.name}”。",
                          field="person", code="duplicate")
    tie = PersonTie.objects.create(person=person, organisation=organisation, channel=channel, warmth=warmth,
                                   note=(note or "").strip(), created_by=actor)
    audit_record(actor=actor, instance=tie, action=AuditAction.CREATE,
                 changes={"人脉": [None, str(tie)], "熟悉程度": [None, tie.get_warmth_display()]})
    return tie


@transaction.atomic
def person_tie_delete(*, actor, tie: PersonTie) -> None:
    require(may_write_library(actor), "您的角色为只读，不能修改人脉关系。")
    locked = PersonTie.objects.restrict(actor, CHANGE).select_for_update().filter(pk=tie.pk).first()
    require(locked is not None, "您没有删除该人脉关系的权限。")
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, changes={"人脉": [str(locked), None]},
                 note=f"删除人脉关系：{locked}")
    locked.delete()


# --- 以商招商: a proposal becomes a lead -----------------------------------------------------------

@transaction.atomic
def proposal_accept(*, actor, landed_organisation: Organisation, candidate: Organisation,
                    submission_key: str = "") -> Referral:
    """"转为线索": register the candidate as a lead of the unit where the landed firm's project is, through
    projects.services.project_create (so 首谈, unit validity and permission rules hold), and credit the
    referral to the landed firm and that unit. The proposal is recomputed here, never taken from the form."""
    from apps.projects.services import project_create
    from apps.relations.selectors import proposals_for

    require(may_create_projects(actor), "您的角色不能登记项目。")
    landed_organisation, candidate = survivor_of(landed_organisation), survivor_of(candidate)
    proposal = next((p for p in proposals_for(actor, landed_organisation, limit=None)
                     if p.organisation.pk == candidate.pk), None)
    if proposal is None:
        raise DomainError(
            f"“{candidate.name}”不在“{landed_organisation.name}”的以商招商推荐中（可能已有本区县项目，或关系已删除），"
            "请刷新页面。", field="candidate", code="not_proposed")
    if proposal.held_by:
        raise DomainError(f"“{candidate.name}”已由{proposal.held_by}登记跟进，不能重复登记。如有异议，可申请驻京办协调。",
                          field="candidate", code="claimed")
    # A supplier, customer or partner of the landed firm works on the same chain; a fund or a parent group
    # need not, so its cluster is left for the district to choose.
    cluster = proposal.cluster or (proposal.landed_project.cluster if proposal.relation_label in SUPPLY_CHAIN else None)
    fields = {"cluster": cluster} if cluster is not None else {}
    project = project_create(
        actor=actor, organisation=candidate, unit=proposal.unit, submission_key=submission_key,
        name=f"{candidate.name}以商招商项目",
        description=f"以商招商：{proposal.reason}。由{landed_organisation.name}（{proposal.landed_project.unit.name}"
                    f"落地项目“{proposal.landed_project.name}”）带动。",
        **fields,
    )
    referral = Referral.objects.create(
        project=project, referring_organisation=landed_organisation, referring_unit=proposal.unit,
        landed_project=proposal.landed_project, relation_id=proposal.relation_id,
        relation_label=proposal.relation_label[:20], reason=proposal.reason[:300], credited_by=actor,
    )
    audit_record(actor=actor, instance=referral, action=AuditAction.CREATE,
                 changes={"引荐企业": [None, landed_organisation.name], "引荐单位": [None, proposal.unit.name]},
                 note=f"以商招商：{proposal.reason}")
    return referral
