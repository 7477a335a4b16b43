"""The demo's 招才引智: eight invented records across the pipeline, through the services."""

import pytest

from apps.talent.models import Talent
from apps.talent.selectors import talent_counts

pytestmark = pytest.mark.django_db


def test_demo_loads_talent_across_the_pipeline(settings):
    from apps.accounts.models import User
    from apps.core.demo import demo_load

    settings.DEMO = True
    demo_load()
    accounts = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    assert Talent.objects.count() == 8 and not Talent.objects.filter(is_sample=False).exists()
    assert all("示例" in name for name in Talent.objects.values_list("name", flat=True))
    academician = Talent.objects.get(title="中国工程院院士（示例）")
    assert (academician.stage, academician.unit.name) == ("negotiation", "九龙坡区")
    assert [c.name for c in academician.clusters.all()] == ["新一代电子信息制造业"]
    team = Talent.objects.get(kind="team", mode="joint_lab")
    assert team.team_size == 12 and team.affiliation.name == "北京航空航天大学"
    assert Talent.objects.filter(stage="arrived").count() == 2
    linked = Talent.objects.get(project__isnull=False)
    assert linked.link_kind == "brought_by_project" and linked.project.unit == linked.unit
    assert linked.project.cluster.name == "新型显示" and linked.project.stage == "registered"
    assert set(Talent.objects.values_list("stage", flat=True)) == {
        "intention", "negotiation", "site_visit", "signed", "arrived", "serving", "paused"}
    counts = talent_counts(actor=accounts["demo_office"])
    assert (counts.introduced, counts.landed) == (4, 3)
    # demo_district (九龙坡区) sees its own and nothing of 长寿区's.
    district = talent_counts(actor=accounts["demo_district"])
    assert (district.introduced, district.landed) == (3, 2)
    # Their requests are on the service desk: the joint lab's fit-out late and escalated, the school place done.
    from apps.servicedesk.selectors import request_list

    fit_out = request_list(actor=accounts["demo_district"], subject="talent", overdue=True).get()
    assert fit_out.talent == team and fit_out.escalation.is_overdue
    assert request_list(actor=accounts["demo_district2"], subject="talent").get().status == "resolved"
