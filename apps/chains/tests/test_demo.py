import pytest

from apps.chains import rules, selectors
from apps.chains.models import Cluster
from apps.projects.choices import ChainRole
from apps.projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_articles_three_chain_roles_and_interesting_gaps_for_jiulongpo():
    from apps.accounts.models import User
    from apps.core.demo import demo_load
    from apps.units.models import Unit

    demo_load()  # the demo loader places the chains' part itself (apps.chains.demo.load)

    def role(name):
        return rules.suggest_chain_role(Project.objects.get(name=name))

    huayuan, jiayue, honghai = (role("骅远人工智能数据安全中心项目"), role("分布式温室气体利用项目"),
                                role("弘海微创医疗器械全国总部项目"))
    assert huayuan.role == ChainRole.CONSOLIDATE, huayuan.rule
    assert jiayue.role == ChainRole.FILL, jiayue.rule
    assert honghai.role == ChainRole.EXTEND, honghai.rule
    assert "长寿区" in jiayue.rule and "生物医药" in honghai.rule

    report = selectors.gap_analysis(actor=User.objects.get(username="demo_district"),
                                    cluster=Cluster.objects.get(name="智能网联新能源汽车"),
                                    unit=Unit.objects.get(name="九龙坡区"))
    counts = report.counts()
    assert counts["strong"] >= 1 and counts["weak"] >= 2 and counts["missing"] >= 1
    cells = next(r for r in report.rows if r.node.link.name == "动力电池电芯")
    assert cells.status == "missing" and len(cells.candidates) == 2
    security = next(r for r in report.rows if r.node.link.name == "汽车数据安全")
    assert [p.name for p in security.projects] == ["骅远人工智能数据安全中心项目"]
