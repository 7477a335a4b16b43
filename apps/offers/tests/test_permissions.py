"""Offers are read by everyone signed in and changed only by their own unit (not the office, not leaders)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.offers import services
from apps.offers.models import Site

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_another_district_cannot_change_the_site_in_the_service(users, jlp_offers):
    site = jlp_offers["site"]
    with pytest.raises(PermissionDenied):
        services.site_update(actor=users["district2"], site=site, values={
            "name": "改名", "kind": "factory", "area": Decimal(1)})
    site.refresh_from_db()
    assert site.name == "白市驿标准厂房2栋" and site.area == Decimal(12000)


@pytest.mark.parametrize("role", ["office", "office_admin", "leader", "specialist", "district2", "liangjiang"])
def test_only_the_own_district_may_change(users, jlp_offers, role):
    with pytest.raises(PermissionDenied):
        services.site_retire(actor=users[role], site=jlp_offers["site"])
    assert Site.objects.get(pk=jlp_offers["site"].pk).retired_at is None


def test_office_cannot_add_offers_for_a_district(users, units):
    with pytest.raises(PermissionDenied):
        services.park_create(actor=users["office_admin"], unit=units["九龙坡区"], values={"name": "某园区"})


def test_district_cannot_add_offers_for_another_district(users, units):
    with pytest.raises(PermissionDenied):
        services.park_create(actor=users["district2"], unit=units["九龙坡区"], values={"name": "某园区"})


def test_edit_page_of_another_districts_site_is_403_and_changes_nothing(client, users, jlp_offers):
    site = jlp_offers["site"]
    url = reverse("offers:edit", args=["site", site.pk])
    for role in ("district2", "office", "leader"):
        c = _login(client, users[role])
        assert c.get(url).status_code == 403
        response = c.post(url, {"name": "改名", "kind": "factory", "area": "1", "status": "available"})
        assert response.status_code == 403
        assert "只能由本区县" in response.content.decode()
    site.refresh_from_db()
    assert site.name == "白市驿标准厂房2栋"


def test_own_district_edits_through_the_page(client, users, jlp_offers):
    site = jlp_offers["site"]
    c = _login(client, users["district"])
    response = c.post(reverse("offers:edit", args=["site", site.pk]), {
        "name": "白市驿标准厂房2栋", "kind": "factory", "area": "13000", "power_kva": "5000",
        "status": "available", "park": jlp_offers["park"].pk})
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.area == Decimal(13000)


def test_everyone_signed_in_sees_every_districts_offers_but_edit_buttons_only_at_home(client, users, units,
                                                                                    jlp_offers):
    url = reverse("offers:district", args=[units["九龙坡区"].pk])
    edit = reverse("offers:edit", args=["site", jlp_offers["site"].pk])
    for role in ("office", "leader", "district2", "liangjiang", "specialist"):
        page = _login(client, users[role]).get(url).content.decode()
        assert "白市驿标准厂房2栋" in page
        assert edit not in page
    page = _login(client, users["district"]).get(url).content.decode()
    assert edit in page


def test_anonymous_is_sent_to_login(client, units):
    response = client.get(reverse("offers:district", args=[units["九龙坡区"].pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_retire_page_of_another_district_is_403(client, users, jlp_offers):
    response = _login(client, users["district2"]).post(reverse("offers:retire", args=["site", jlp_offers["site"].pk]))
    assert response.status_code == 403
    assert Site.objects.get(pk=jlp_offers["site"].pk).retired_at is None


def test_need_profiles_are_the_offices(client, users):
    assert _login(client, users["district"]).get(reverse("offers:need_create")).status_code == 403
    assert _login(client, users["leader"]).get(reverse("offers:need_create")).status_code == 403
    assert _login(client, users["office"]).get(reverse("offers:need_create")).status_code == 200
