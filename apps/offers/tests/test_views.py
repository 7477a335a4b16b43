import pytest
from django.urls import reverse

from apps.offers import services
from apps.offers.models import NeedProfile, Site
from apps.recommendations.models import Recommendation, RecommendationTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(users, clusters, thermal_link, organisation):
    return services.need_create(actor=users["office"], values={
        "title": "热管理基地", "organisation": organisation, "cluster": clusters["智能网联新能源汽车"],
        "chain_link": thermal_link, "site_kind": "factory", "area_min": "8000", "area_max": "15000",
        "power_kva": 4000})


def test_index_and_district_pages(client, users, units, jlp_offers):
    client.force_login(users["leader"])
    index = client.get(reverse("offers:index")).content.decode()
    assert "九龙坡区" in index and "江北区" not in index  # ended units are not listed
    page = client.get(reverse("offers:district", args=[units["九龙坡区"].pk])).content.decode()
    assert "12,000平方米" in page and "18 元/m²·月" in page and "九龙坡府发〔2025〕3号" in page


def test_land_shows_mu(client, users, units):
    services.site_create(actor=users["district"], unit=units["九龙坡区"], values={
        "name": "西彭C-12地块", "kind": "land", "area": "66667", "price": "300000", "price_unit": "per_mu"})
    client.force_login(users["office"])
    page = client.get(reverse("offers:district", args=[units["九龙坡区"].pk])).content.decode()
    assert "100亩（66,667平方米）" in page


def test_district_adds_a_site_through_the_form_and_a_bad_area_writes_nothing(client, users, units):
    client.force_login(users["district"])
    url = reverse("offers:create", args=[units["九龙坡区"].pk, "site"])
    response = client.post(url, {"name": "新厂房", "kind": "factory", "area": "0", "status": "available"})
    assert response.status_code == 200 and "面积：应大于0" in response.content.decode()
    assert not Site.objects.exists()
    response = client.post(url, {"name": "新厂房", "kind": "factory", "area": "9000", "status": "available"})
    assert response.status_code == 302 and Site.objects.get().area == 9000


def test_create_page_for_another_district_is_403(client, users, units):
    client.force_login(users["district2"])
    assert client.get(reverse("offers:create", args=[units["九龙坡区"].pk, "park"])).status_code == 403
    assert client.get(reverse("offers:create", args=[units["九龙坡区"].pk, "nonsense"])).status_code == 404


def test_match_page_shows_ranked_districts_with_reasons_and_gaps(client, users, jlp_offers, cs_offers, need):
    client.force_login(users["office"])
    page = client.get(reverse("offers:need_match", args=[need.pk])).content.decode()
    assert page.index("1. 九龙坡区") < page.index("长寿区")
    assert "可用标准厂房12,000平方米，满足8,000–15,000平方米" in page
    assert "供电容量不足：最大3,000千伏安 &lt; 4,000" in page


def test_need_form_creates_and_redirects_to_the_match(client, users, clusters):
    client.force_login(users["office"])
    response = client.post(reverse("offers:need_create"), {
        "title": "储能电池组装", "cluster": clusters["新能源及新型储能"].pk, "site_kind": "factory",
        "area_min": "8000", "area_max": "6000"})
    assert "面积上限：不能小于面积下限" in response.content.decode() and not NeedProfile.objects.exists()
    response = client.post(reverse("offers:need_create"), {
        "title": "储能电池组装", "cluster": clusters["新能源及新型储能"].pk, "site_kind": "factory",
        "area_min": "8000", "area_max": "12000"})
    need = NeedProfile.objects.get()
    assert response["Location"] == reverse("offers:need_match", args=[need.pk])


def test_sending_recommends_to_the_ticked_districts_only(client, users, units, jlp_offers, cs_offers, need):
    client.force_login(users["office"])
    response = client.post(reverse("offers:need_send", args=[need.pk]), {"units": [units["九龙坡区"].pk]})
    recommendation = Recommendation.objects.get()
    assert response["Location"] == reverse("recommendations:detail", args=[recommendation.pk])
    assert [t.unit.name for t in RecommendationTarget.objects.all()] == ["九龙坡区"]
    assert recommendation.organisation == need.organisation
    assert "九龙坡智能制造产业园主导产业含智能网联新能源汽车" in recommendation.reason


def test_sending_without_an_organisation_says_so_and_writes_nothing(client, users, units, clusters):
    need = services.need_create(actor=users["office"], values={"title": "无企业需求",
                                                              "cluster": clusters["先进材料"]})
    client.force_login(users["office"])
    response = client.post(reverse("offers:need_send", args=[need.pk]), {"units": [units["长寿区"].pk]})
    assert response.status_code == 400
    assert "请先在需求中选择企业" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_sending_with_nothing_ticked_says_so(client, users, need):
    client.force_login(users["office"])
    response = client.post(reverse("offers:need_send", args=[need.pk]), {})
    assert response.status_code == 400 and "请至少勾选一个区县" in response.content.decode()


def test_only_the_office_sends(client, users, units, need):
    for role in ("leader",):
        client.force_login(users[role])
        response = client.post(reverse("offers:need_send", args=[need.pk]), {"units": [units["九龙坡区"].pk]})
        assert response.status_code == 403
    client.force_login(users["district"])
    assert client.get(reverse("offers:need_match", args=[need.pk])).status_code == 404
    assert not Recommendation.objects.exists()


def test_own_district_opens_each_edit_form_filled_in_and_retires(client, users, units, jlp_offers):
    resource = services.resource_create(actor=users["district"], unit=units["九龙坡区"], values={
        "kind": "talent", "title": "技能人才共享中心"})
    client.force_login(users["district"])
    for kind, row, text in (("park", jlp_offers["park"], "九龙坡智能制造产业园"), ("site", jlp_offers["site"], "12000"),
                            ("policy", jlp_offers["policy"], "九龙坡府发〔2025〕3号"),
                            ("resource", resource, "技能人才共享中心")):
        page = client.get(reverse("offers:edit", args=[kind, row.pk]))
        assert page.status_code == 200 and text in page.content.decode()
    response = client.post(reverse("offers:retire", args=["site", jlp_offers["site"].pk]))
    assert response.status_code == 302
    page = client.get(reverse("offers:district", args=[units["九龙坡区"].pk])).content.decode()
    assert "已下架，不再参与匹配" in page
    assert "<td>白市驿标准厂房2栋" not in page and "尚未登记土地或厂房" in page


def test_districts_without_any_fitting_offer_are_named_on_one_line(client, users, jlp_offers, cs_offers, need):
    client.force_login(users["office"])
    page = client.get(reverse("offers:need_match", args=[need.pk])).content.decode()
    line = page[page.index('id="without-offers"'):]
    assert "万州区" in line[:2000] and "九龙坡区" not in line[:line.index("</p>")]
    assert page.count('name="units"') < 10  # the districts worth ticking, not every unit


def test_the_district_page_offers_withdrawal_of_parks_and_policies_too(client, users, units, jlp_offers):
    client.force_login(users["district_admin"])
    page = client.get(reverse("offers:district", args=[units["九龙坡区"].pk])).content.decode()
    for kind in ("park", "site", "policy"):
        assert reverse("offers:retire", args=[kind, jlp_offers[kind].pk]) in page
    client.post(reverse("offers:retire", args=["policy", jlp_offers["policy"].pk]))
    jlp_offers["policy"].refresh_from_db()
    assert jlp_offers["policy"].retired_at is not None
    client.force_login(users["district2"])  # another district sees no withdraw buttons
    page = client.get(reverse("offers:district", args=[units["九龙坡区"].pk])).content.decode()
    assert reverse("offers:retire", args=["park", jlp_offers["park"].pk]) not in page


def test_sending_with_a_forged_district_value_is_refused_with_a_message_not_an_error(client, users, need):
    client.force_login(users["office"])
    response = client.post(reverse("offers:need_send", args=[need.pk]), {"units": ["abc"]})
    assert response.status_code == 400 and not Recommendation.objects.exists()


def test_land_is_priced_in_wan_yuan_per_mu(client, users, units):
    from decimal import Decimal

    from apps.offers import services

    services.site_create(actor=users["district_admin"], unit=units["九龙坡区"], values={
        "name": "西彭组团C-12地块", "kind": "land", "area": Decimal(66667), "price": Decimal(350000),
        "price_unit": "per_mu"})
    client.force_login(users["district"])
    page = client.get(reverse("offers:district", args=[units["九龙坡区"].pk])).content.decode()
    assert "35万元/亩" in page and "350,000" not in page
