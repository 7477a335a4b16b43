"""The demo's 智库合作 is the article's: ten partners with 北京大学 and 清华大学 among them, 20余场 activities,
and results that lead to the demo's projects."""

import pytest

from apps.thinktanks.models import CooperationActivity, CooperationOutcome

pytestmark = pytest.mark.django_db


def test_the_demo_has_ten_partners_with_activities_and_results(settings):
    from apps.accounts.models import User
    from apps.core.demo import demo_load
    from apps.thinktanks import selectors

    settings.DEMO = True
    demo_load()
    office = User.objects.get(username="demo_office")
    rows = list(selectors.cooperation_list(actor=office))
    names = {row.partner.name for row in rows}
    assert len(rows) == 10 and {"北京大学", "清华大学"} <= names
    assert all(row.is_sample and "示例" in row.title for row in rows)
    assert all(1 <= row.activity_count <= 3 for row in rows)
    assert CooperationActivity.objects.count() == 21  # "院士人才沙龙等活动20余场"
    salon = CooperationActivity.objects.get(event__isnull=False)
    assert salon.event.kind == "salon" and salon.cooperation.partner.name == "清华大学"
    linked = CooperationOutcome.objects.filter(kind="project").select_related("project")
    assert {o.project.name for o in linked} >= {"骅远人工智能数据安全中心项目"}
    statuses = {row.display_status for row in rows}
    assert {"active", "expired", "negotiating"} <= statuses
    summary = selectors.cooperation_summary(actor=User.objects.get(username="demo_leader"))
    assert summary.activities == 21 and summary.projects == linked.count() and summary.projects_signed_amount > 0
    # 九龙坡区 holds one of the ten and may change it; the office's are read-only to it.
    district = User.objects.get(username="demo_district")
    held = [row for row in rows if selectors.may_change_cooperation(district, row)]
    assert [row.partner.name for row in held] == ["中国信息通信研究院"]
