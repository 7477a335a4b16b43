"""The demo's fulfilment data: after it loads, the demo shows an alert of every kind, and the district
account finds the funds alert of its own sample project on its work list."""

from django.utils import timezone

from apps.accounts.models import User
from apps.core.demo import DEMO_USERNAMES, demo_load
from apps.fulfilment.models import Alert, FundsEntry
from apps.fulfilment.selectors import my_alerts, project_fulfilment
from apps.fulfilment.services import raise_alerts
from apps.projects.models import Project


def test_the_demo_shows_every_kind_of_alert(db):
    demo_load()  # apps.core.demo calls apps.fulfilment.demo.load, which ends with the daily check
    today = timezone.localdate()
    accounts = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    kinds = set(Alert.objects.filter(resolved_on__isnull=True).values_list("kind", flat=True))
    assert kinds == {"unregistered_after_signing", "funds_behind_plan", "no_activity"}
    assert raise_alerts(today=today)["raised"] == 0  # the scheduled run later that day adds nothing

    behind = Alert.objects.get(kind="funds_behind_plan")
    assert behind.project.is_sample and behind.project.unit.name == "九龙坡区"
    assert behind.message.startswith("到位资金") and "低于计划的" in behind.message
    assert behind in list(my_alerts(actor=accounts["demo_district"]))
    # The article's real projects get no invented money; their alerts come from what the demo records.
    huayuan = Project.objects.get(name="骅远人工智能数据安全中心项目")
    assert not FundsEntry.objects.filter(project=huayuan).exists()
    assert set(Alert.objects.filter(project=huayuan).values_list("kind", flat=True)) == {
        "unregistered_after_signing", "no_activity"}
    # Every other signed sample keeps to its plan.
    for project in Project.objects.filter(is_sample=True, funds_plan__isnull=False).distinct():
        f = project_fulfilment(actor=accounts["demo_office"], project=project, today=today)
        assert f["plan_total"] == project.signed_amount
        assert (f["behind_by"] > 0) == (project == behind.project)
