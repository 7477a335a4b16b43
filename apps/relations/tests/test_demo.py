import pytest

from apps.relations import demo
from apps.relations.models import Referral
from apps.relations.selectors import introduction_paths, proposals_for, referral_stats

pytestmark = pytest.mark.django_db


def test_demo_shows_a_landed_firm_with_proposed_partners(settings):
    from apps.accounts.models import User
    from apps.core.demo import demo_load

    settings.DEMO = True
    demo_load()  # the demo loader runs apps.relations.demo.load itself
    accounts = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    landed = demo.landed_demo_project()
    assert landed.unit.name == "九龙坡区"
    proposals = proposals_for(accounts["demo_district"], landed.organisation)
    names = [p.organisation.name for p in proposals]
    # Six related firms: one already a 九龙坡区 lead, one turned into a lead by the demo itself.
    assert len(proposals) == 4
    assert set(names[:2]) == {"渝芯光电材料(北京)有限公司(示例)", "华屏智能终端(北京)有限公司(示例)"}
    assert "精微背光科技(北京)有限公司(示例)" not in names
    assert all(n.endswith("(示例)") for n in names)
    assert f"{landed.organisation.name}的供应商（关系强）" in [p.reason for p in proposals]
    assert Referral.objects.get().referring_unit.name == "九龙坡区"
    assert referral_stats(accounts["demo_office"], None, None)[0].count == 1
    target = proposals[1].organisation
    assert introduction_paths(accounts["demo_district"], target)
