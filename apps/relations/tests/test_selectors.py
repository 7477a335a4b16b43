"""以商招商 proposals, 带动一串 and who can introduce us, as the people using them would judge them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.errors import DomainError
from apps.projects.models import Project
from apps.relations import services
from apps.relations.models import Referral
from apps.relations.selectors import introduction_paths, proposals_for, referral_stats
from apps.relations.tests.conftest import YI

pytestmark = pytest.mark.django_db


def _relate(users, firm, org, kind, strength):
    return services.relation_create(actor=users["office"], organisation=firm, related=org, kind=kind,
                                    strength=strength)


def test_proposals_rank_by_strength_then_chain_fit_and_skip_the_units_pipeline(users, landed, make_org,
                                                                               make_project, clusters):
    firm = landed.organisation
    strong, medium, weak = make_org("强供应科技有限公司"), make_org("中等客户科技有限公司"), make_org("弱投资管理有限公司")
    fitting = make_org("同链电池科技有限公司")
    in_pipeline = make_org("已跟进科技有限公司")
    _relate(users, firm, strong, "supplier", 3)
    services.relation_create(actor=users["office"], organisation=medium, related=firm, kind="supplier", strength=2)
    _relate(users, firm, weak, "investor", 1)
    _relate(users, firm, fitting, "partner", 2)
    _relate(users, firm, in_pipeline, "supplier", 3)
    # 九龙坡区 already works this one; 长寿区's project of the fitting firm tells its cluster (visible to the office).
    make_project(organisation=in_pipeline, actor=users["district"])
    make_project(organisation=fitting, unit_name="长寿区", actor=users["district2"],
                 cluster=clusters["智能网联新能源汽车"])

    proposals = proposals_for(users["office"], firm)
    names = [p.organisation.name for p in proposals]
    assert "已跟进科技有限公司" not in names
    assert names[0] == "强供应科技有限公司"
    assert proposals[0].reason == "长安汽车股份有限公司的供应商（关系强）"
    # medium is firm's *customer* (firm supplies it): seen from the firm's side.
    medium_p = next(p for p in proposals if p.organisation == medium)
    assert medium_p.relation_label == "客户"
    fit = next(p for p in proposals if p.organisation == fitting)
    assert "同属智能网联新能源汽车集群" in fit.reason
    assert fit.held_by == "长寿区" and fit.reason.endswith("已由长寿区登记跟进")
    assert names[-1] == "同链电池科技有限公司"  # held elsewhere: listed last, with the reason
    assert names.index("中等客户科技有限公司") < names.index("弱投资管理有限公司")
    assert all(p.unit.name == "九龙坡区" for p in proposals)


def test_a_firm_that_has_not_landed_has_no_proposals(users, make_project, make_org):
    project = make_project(name="仍在洽谈的项目")
    _relate(users, project.organisation, make_org("供应商科技有限公司"), "supplier", 3)
    assert proposals_for(users["office"], project.organisation) == []


def test_a_district_sees_proposals_only_for_firms_it_sees(users, landed, make_org):
    _relate(users, landed.organisation, make_org("供应商科技有限公司"), "supplier", 3)
    assert proposals_for(users["district"], landed.organisation)
    assert proposals_for(users["district2"], landed.organisation) == []


def test_accepting_a_proposal_creates_the_lead_and_credits_the_firm_and_unit(users, landed, make_org, land):
    supplier = make_org("供应商科技有限公司")
    relation = _relate(users, landed.organisation, supplier, "supplier", 3)
    referral = services.proposal_accept(actor=users["district"], landed_organisation=landed.organisation,
                                        candidate=supplier)
    project = referral.project
    assert (project.organisation, project.unit.name, project.stage) == (supplier, "九龙坡区", "lead")
    assert project.cluster == landed.cluster
    assert (referral.referring_organisation, referral.referring_unit.name) == (landed.organisation, "九龙坡区")
    assert referral.relation == relation and referral.relation_label == "供应商"
    # It is now in the pipeline: no longer proposed, and a second click is refused in Chinese.
    assert proposals_for(users["district"], landed.organisation) == []
    with pytest.raises(DomainError, match="不在“长安汽车股份有限公司”的以商招商推荐中"):
        services.proposal_accept(actor=users["district"], landed_organisation=landed.organisation, candidate=supplier)
    with pytest.raises(PermissionDenied):
        services.proposal_accept(actor=users["leader"], landed_organisation=landed.organisation, candidate=supplier)

    # 带动一串: the landed firm brought one project; once signed, its amount counts.
    land(project, actor=users["district"], amount=3 * YI)
    today = datetime.date.today()
    stats = referral_stats(users["office"], today - datetime.timedelta(days=1), today)
    assert [(s.organisation_name, s.count, s.signed_amount, s.by_stage) for s in stats] == [
        ("长安汽车股份有限公司", 1, 3 * YI, {"注册落地": 1})]
    assert referral_stats(users["district2"], None, None) == []
    assert referral_stats(users["office"], None, None, unit_id=project.unit.pk)[0].count == 1
    assert referral_stats(users["office"], today + datetime.timedelta(days=1), None) == []


def test_a_candidate_held_by_another_unit_cannot_become_a_lead(users, landed, make_org, make_project):
    held = make_org("被长寿跟进的企业有限公司")
    _relate(users, landed.organisation, held, "supplier", 3)
    make_project(organisation=held, unit_name="长寿区", actor=users["district2"])
    proposal = proposals_for(users["district"], landed.organisation)[0]
    assert proposal.held_by == "长寿区"
    with pytest.raises(DomainError, match="已由长寿区登记跟进"):
        services.proposal_accept(actor=users["district"], landed_organisation=landed.organisation, candidate=held)
    assert not Referral.objects.exists()
    assert Project.objects.filter(organisation=held).count() == 1


def test_introduction_paths_best_first(users, make_org):
    from apps.organisations.services import person_create

    target, via_strong, via_weak = make_org("目标企业有限公司"), make_org("强关联有限公司"), make_org("弱关联有限公司")
    _relate(users, target, via_strong, "supplier", 3)
    _relate(users, target, via_weak, "partner", 1)
    direct = person_create(actor=users["office"], name="直接认识")
    hop = person_create(actor=users["office"], name="间接认识")
    far = person_create(actor=users["office"], name="弱间接")
    services.person_tie_create(actor=users["office"], person=direct, organisation=target, channel="alumni", warmth=2)
    services.person_tie_create(actor=users["office"], person=hop, organisation=via_strong, channel="chamber", warmth=3)
    services.person_tie_create(actor=users["office"], person=far, organisation=via_weak, channel="other", warmth=3)
    paths = introduction_paths(users["district"], target)
    assert [p.person.name for p in paths] == ["间接认识", "直接认识", "弱间接"]  # 3×3, 2×3, 3×1
    assert paths[0].reason == "间接认识通过商协会联系强关联有限公司（密切），强关联有限公司是目标企业有限公司的供应商（关系强）"
    assert paths[1].reason == "直接认识通过校友会直接联系目标企业有限公司（熟悉）"
    assert introduction_paths(users["district"], target, limit=1)[0].person == hop


def test_a_partner_that_would_fill_a_missing_link_of_the_unit_ranks_higher_and_says_so(users, landed, make_org,
                                                                                        clusters):
    """Gaps filled: a partner placed on a link 九龙坡区 lacks is proposed first, with the link named — read from
    the cluster's current gap summary, never from a stale one."""
    from apps.chains import jobs
    from apps.chains import services as chain_services
    from apps.chains.models import ChainLink

    firm = landed.organisation
    plain, filler = make_org("普通伙伴科技有限公司"), make_org("电芯伙伴科技有限公司")
    _relate(users, firm, plain, "partner", 2)
    _relate(users, firm, filler, "partner", 2)
    cells = ChainLink.objects.get(cluster=clusters["智能网联新能源汽车"], name="动力电池电芯")
    chain_services.placement_create(actor=users["office"], link=cells, organisation=filler)
    # No summary yet: no gap reason (not a guess), both rank alike.
    assert all(not p.gap_note for p in proposals_for(users["office"], firm))

    jobs.refresh_gaps(everything=True)
    proposals = proposals_for(users["office"], firm)
    assert proposals[0].organisation == filler
    assert "可补九龙坡区动力电池电芯环节（缺失）" in proposals[0].reason
    assert not next(p for p in proposals if p.organisation == plain).gap_note

    # Once a local firm fills the link, the summary is stale until recomputed, and then the reason is gone.
    local = make_org("九龙电芯一厂有限公司", region="重庆市九龙坡区")
    chain_services.placement_create(actor=users["office"], link=cells, organisation=local, is_chain_leader=True)
    assert all(not p.gap_note for p in proposals_for(users["office"], firm))
    jobs.refresh_gaps()
    assert "（薄弱）" in next(p for p in proposals_for(users["office"], firm) if p.organisation == filler).reason
