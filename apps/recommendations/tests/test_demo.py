"""The demo's recommendations load through the services and give the funnel page something to show."""

from django.utils import timezone

from apps.recommendations import demo
from apps.recommendations.models import Recommendation, TargetStatus
from apps.recommendations.selectors import default_period, funnel, recommendations_waiting


def test_demo_load_gives_non_zero_numbers(make_user, units):
    accounts = {
        "demo_office": make_user("demo_office", "office_staff", "驻京办"),
        "demo_district": make_user("demo_district", "district_staff", "九龙坡区"),
        "demo_district2": make_user("demo_district2", "district_staff", "长寿区"),
        "demo_specialist": make_user("demo_specialist", "specialist", "九龙坡区"),
        "demo_leader": make_user("demo_leader", "leader", "驻京办"),
        "demo_admin": make_user("demo_admin", "office_admin", "驻京办"),
    }
    today = timezone.localdate()
    assert demo.load(accounts, units, today) == {"recommendations": 6}
    assert all(r.is_sample and "示例" in r.reason for r in Recommendation.objects.all())
    statuses = set(Recommendation.objects.values_list("targets__status", flat=True))
    assert statuses == {TargetStatus.ACCEPTED, TargetStatus.DECLINED, TargetStatus.PENDING}
    numbers = funnel(actor=accounts["demo_leader"], start=default_period(today)[0], end=today)
    assert numbers["visited"] == 5 and numbers["recommended"] == 5
    assert numbers["accepted"] == 2 and numbers["declined"] == 2 and numbers["site_visited"] == 1
    assert numbers["reached_intention_or_landed"] == 1
    assert recommendations_waiting(actor=accounts["demo_district"]).count() == 2
    assert recommendations_waiting(actor=accounts["demo_office"]).count() == 4
