import datetime
from decimal import Decimal

import pytest

from apps.audit.models import AuditLog
from apps.core.errors import DomainError
from apps.offers import services
from apps.offers.models import Park, Policy, Site

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("values, field, words", [
    ({"name": "厂房", "kind": "factory", "area": "0"}, "area", "面积：应大于0"),
    ({"name": "厂房", "kind": "factory", "area": "-5"}, "area", "面积：应大于0"),
    ({"name": "厂房", "kind": "factory"}, "area", "面积：必填"),
    ({"name": "厂房", "kind": "factory", "area": "100", "price": "18"}, "price_unit", "请选择单位"),
    ({"name": "地块", "kind": "land", "area": "100", "price": "300000", "price_unit": "per_m2_month"},
     "price_unit", "元/亩"),
    ({"name": "厂房", "kind": "factory", "area": "100", "ready_date": datetime.date(1990, 1, 1)},
     "ready_date", "2000年到2100年"),
    ({"name": "厂房", "kind": "factory", "area": "100", "ready_date": datetime.date(2090, 1, 1)},
     "ready_date", "十年以后"),
    ({"name": "", "kind": "factory", "area": "100"}, "name", "名称：必填"),
    ({"name": "厂房", "kind": "castle", "area": "100"}, "kind", "载体类型"),
])
def test_bad_site_values_are_refused_naming_the_field_and_nothing_is_written(users, units, values, field, words):
    before = AuditLog.objects.count()
    with pytest.raises(DomainError) as error:
        services.site_create(actor=users["district"], unit=units["九龙坡区"], values=values,
                             today=datetime.date(2026, 11, 26))
    assert error.value.field == field
    assert words in error.value.message
    assert Site.objects.count() == 0 and AuditLog.objects.count() == before


def test_policy_ending_before_it_starts_is_refused(users, units):
    with pytest.raises(DomainError) as error:
        services.policy_create(actor=users["district"], unit=units["九龙坡区"], values={
            "title": "某政策", "summary": "要点", "valid_from": datetime.date(2026, 1, 1),
            "valid_until": datetime.date(2025, 12, 31)})
    assert error.value.field == "valid_until" and "不能早于生效日期" in error.value.message
    assert not Policy.objects.exists()


def test_a_site_cannot_sit_in_another_districts_park(users, units, cs_offers):
    with pytest.raises(DomainError) as error:
        services.site_create(actor=users["district"], unit=units["九龙坡区"], values={
            "name": "厂房", "kind": "factory", "area": "100", "park": cs_offers["park"]})
    assert error.value.field == "park"


def test_create_update_retire_are_audited(users, units, clusters):
    actor = users["district_admin"]
    park = services.park_create(actor=actor, unit=units["九龙坡区"], values={
        "name": "西彭铝产业园", "clusters": [clusters["轻合金材料"]]})
    services.park_update(actor=actor, park=park, values={"name": "西彭铝产业园", "leading_industries": "铝型材",
                                                         "clusters": [clusters["轻合金材料"], clusters["先进材料"]]})
    services.park_retire(actor=actor, park=park)
    logs = list(AuditLog.objects.filter(model="offers.park", object_id=str(park.pk)).order_by("id"))
    assert [log.action for log in logs] == ["create", "update", "archive"]
    assert logs[1].changes["leading_industries"] == ["", "铝型材"]
    assert logs[1].changes["clusters"] == ["轻合金材料", "先进材料、轻合金材料"]
    assert Park.objects.live().count() == 0


def test_a_district_rolled_up_into_liangjiang_is_maintained_by_liangjiang(users, units):
    # 江北区 ended on 2025-11-06 and rolls up into 两江新区: its offers are 两江新区's to keep.
    site = Site.objects.create(unit=units["江北区"], name="旧厂房", kind="factory", area=Decimal(100))
    services.site_update(actor=users["liangjiang"], site=site, values={
        "name": "旧厂房", "kind": "factory", "area": Decimal(200)})
    site.refresh_from_db()
    assert site.area == Decimal(200)


def test_need_checks(users, clusters, thermal_link):
    with pytest.raises(DomainError) as error:
        services.need_create(actor=users["office"], values={"title": "需求", "cluster": clusters["先进材料"],
                                                            "chain_link": thermal_link})
    assert error.value.field == "chain_link"
    with pytest.raises(DomainError) as error:
        services.need_create(actor=users["office"], values={"title": "需求", "cluster": clusters["先进材料"],
                                                            "area_min": "9000", "area_max": "8000"})
    assert error.value.field == "area_max" and "不能小于面积下限" in error.value.message


def test_a_policy_with_a_selective_tax_refund_is_flagged_for_review_and_still_saved(users, units, client):
    """公平竞争审查: the policy is saved (a warning, never a block), flagged with the article it touches, and
    the flag is shown beside it on the district page and in the office's review queue."""
    from apps.fairness.models import FairnessFlag
    from apps.offers.models import Policy
    from apps.offers.services import policy_create

    policy = policy_create(actor=users["district"], unit=units["九龙坡区"], values={
        "title": "九龙坡区支持重点企业落户办法", "summary": "对乙方实行税收返还，前三年按地方留成部分全额返还。",
        "valid_from": datetime.date(2025, 1, 1), "doc_number": "九龙坡府发〔2025〕1号"})
    assert Policy.objects.filter(pk=policy.pk).exists()
    flags = list(FairnessFlag.objects.filter(object_id=policy.pk))
    assert flags and all("第十条" in flag.article for flag in flags)
    client.force_login(users["district"])
    page = client.get(f"/offers/units/{units['九龙坡区'].pk}/").content.decode()
    assert "公平竞争审查提示" in page and "返还" in page
    client.force_login(users["office"])
    assert "九龙坡区支持重点企业落户办法" in client.get("/fairness/").content.decode()
