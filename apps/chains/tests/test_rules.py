import pytest

from apps.chains import rules, services
from apps.projects.choices import ChainRole

pytestmark = pytest.mark.django_db


def test_a_project_on_a_link_its_district_lacks_fills_the_chain(users, links, make_project):
    project = make_project(unit_name="九龙坡区")
    services.placement_create(actor=users["office"], link=links["上游/电池与电驱/动力电池电芯"], project=project)
    role, rule = rules.suggest_chain_role(project)
    assert role == ChainRole.FILL
    assert rule == "九龙坡区在环节“上游/电池与电驱/动力电池电芯”上还没有其他企业（缺失环节）→ 补链"


def test_a_project_on_a_link_with_a_chain_leader_strengthens_it(users, links, make_org, make_project):
    link = links["下游/整车制造/新能源乘用车"]
    leader = make_org(name="渝车集团有限公司", region="重庆市九龙坡区")
    services.placement_create(actor=users["office"], link=link, organisation=leader, is_chain_leader=True)
    project = make_project(unit_name="九龙坡区")
    services.placement_create(actor=users["office"], link=link, project=project)
    role, rule = rules.suggest_chain_role(project)
    assert role == ChainRole.STRENGTHEN and "已有链主“渝车集团有限公司”" in rule
    # In another district the same link is missing.
    other = make_project(unit_name="长寿区")
    services.placement_create(actor=users["office"], link=link, project=other)
    assert rules.suggest_chain_role(other).role == ChainRole.FILL


def test_a_foundation_link_consolidates_and_an_extension_link_extends(users, links, make_project):
    project = make_project()
    services.placement_create(actor=users["office"], link=links["中游/车联网与数据/汽车数据安全"], project=project)
    role, rule = rules.suggest_chain_role(project)
    assert role == ChainRole.CONSOLIDATE and "基础环节" in rule
    services.link_update(actor=users["office_admin"], link=links["下游/充换电与后市场/动力电池回收"], extension=True)
    other = make_project()
    services.placement_create(actor=users["office"], link=links["下游/充换电与后市场/动力电池回收"], project=other)
    assert rules.suggest_chain_role(other).role == ChainRole.EXTEND


def test_an_unplaced_project_beyond_its_clusters_map_extends_the_chain(users, make_project):
    from apps.chains.models import Cluster

    project = make_project(name="某医疗器械总部项目", cluster=Cluster.objects.get(name="生物医药"))
    role, rule = rules.suggest_chain_role(project)
    assert role == ChainRole.EXTEND and rule == "所属集群“生物医药”还没有链图，项目在现有链图之外 → 延链"


def test_an_unplaced_project_is_judged_on_the_suggested_link(users, car, make_org, make_project):
    org = make_org(name="京锂动力电池有限公司", industry_section="C")
    project = make_project(organisation=org, cluster=car)
    suggestion = rules.suggest_chain_role(project)
    assert suggestion.role == ChainRole.FILL
    assert suggestion.rule.startswith("按系统建议的环节（名称含“动力电池”")


def test_the_persons_choice_is_kept_beside_the_suggestion(users, links, make_project):
    from apps.projects.services import project_update

    project = make_project()
    services.placement_create(actor=users["office"], link=links["上游/电池与电驱/动力电池电芯"], project=project)
    project = project_update(actor=users["office"], project=project, chain_role=ChainRole.STRENGTHEN)
    assert project.chain_role == ChainRole.STRENGTHEN
    assert rules.suggest_chain_role(project).role == ChainRole.FILL
