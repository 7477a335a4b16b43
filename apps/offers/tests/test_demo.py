import io

import pytest
from django.core.management import call_command

from apps.offers import matching
from apps.offers.models import NeedProfile, Park, Site

pytestmark = pytest.mark.django_db


def test_demo_offers_load_and_the_demo_need_ranks_districts(settings):
    settings.DEMO = True
    call_command("load_demo", stdout=io.StringIO())
    assert Site.objects.filter(unit__name="两江新区").exists()
    assert Site.objects.filter(unit__name="九龙坡区", created_by__username="demo_district_admin").exists()
    assert not Site.objects.filter(unit__name="江北区").exists()
    assert all(p.is_sample for p in Park.objects.all())
    need = NeedProfile.objects.select_related("cluster", "chain_link", "organisation").get()
    assert need.organisation.name.endswith("(示例)")
    matches = matching.rank(need)
    assert matches[0].unit.name == "九龙坡区"
    assert "可用标准厂房12,000平方米，满足10,000–15,000平方米" in matches[0].reasons
