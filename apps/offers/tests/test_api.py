"""The district-offers API as a script calls it: /api/v1/offers on the site's own API (config/api.py), with
a real bearer token. Offers are read by everyone and changed by their own district only; need profiles are
the office's."""


import pytest

from apps.audit.models import AuditLog
from apps.core.testing import api_caller
from apps.offers.models import NeedProfile, Park, Policy, Site
from apps.recommendations.models import Recommendation, RecommendationTarget

pytestmark = pytest.mark.django_db
TERMS = "对新落户企业实行企业所得税先征后返。"
CAR = "智能网联新能源汽车"


@pytest.fixture
def call(client):
    return api_caller(client, "/api/v1/offers")


@pytest.fixture
def need(users, organisation, clusters, thermal_link):
    from apps.offers import services

    return services.need_create(actor=users["office"], values={
        "title": "热管理基地", "organisation": organisation, "cluster": clusters["智能网联新能源汽车"],
        "chain_link": thermal_link, "site_kind": "factory", "area_min": "8000", "area_max": "15000",
        "power_kva": 4000})


def rows():
    return (Park.objects.count(), Site.objects.count(), Policy.objects.count(), NeedProfile.objects.count(),
            Recommendation.objects.count(), AuditLog.objects.exclude(model="accounts.user").count())


def test_every_signed_in_user_reads_every_districts_offers(call, users, units, jlp_offers, cs_offers):
    listed = call("get", "/parks", users["district2"])
    assert listed.status_code == 200 and listed.json()["count"] == 2
    jlp = call("get", f"/sites?unit={units['九龙坡区'].pk}", users["leader"]).json()
    assert [row["name"] for row in jlp["items"]] == ["白市驿标准厂房2栋"]
    assert call("get", "/sites?kind=land", users["office"]).json()["count"] == 0
    bad = call("get", "/sites?kind=castle", users["office"])
    assert bad.status_code == 400 and "载体类型（kind）" in bad.json()["detail"] and bad.json()["field"] == "kind"
    site = call("get", f"/sites/{jlp_offers['site'].pk}", users["district2"]).json()
    assert site["area"] == "12000.00" and site["area_display"] == "12,000平方米"
    assert site["price"] == "18.00" and site["price_display"] == "18 元/m²·月"
    assert site["park"]["name"] == "九龙坡智能制造产业园" and site["may_change"] is False
    policy = call("get", f"/policies/{jlp_offers['policy'].pk}", users["district"]).json()
    assert policy["clusters"][0]["name"] == "智能网联新能源汽车" and policy["may_change"] is True
    assert call("get", "/parks/999999", users["office"]).status_code == 404
    assert call("get", "/parks").status_code == 401


def test_only_the_own_district_registers_an_offer_and_its_flags_show(call, users, units):
    payload = {"unit_id": units["九龙坡区"].pk, "title": "招商引资十条", "summary": TERMS,
               "valid_from": "2025-01-01"}
    before = rows()
    for who in ("office", "leader", "district2"):
        refused = call("post", "/policies", users[who], payload)
        assert refused.status_code == 403 and "本区县" in refused.json()["detail"], who
    late = call("post", "/policies", users["district"], {**payload, "valid_until": "2024-12-31"})
    assert late.status_code == 400 and late.json()["field"] == "valid_until" and "有效期至" in late.json()["detail"]
    unpriced = call("post", "/sites", users["district"], {"unit_id": units["九龙坡区"].pk, "name": "3号厂房",
                                                          "kind": "factory", "area": 5000, "price": 20})
    assert unpriced.status_code == 400 and unpriced.json()["field"] == "price_unit"
    words = call("post", "/sites", users["district"], {"unit_id": units["九龙坡区"].pk, "name": "3号厂房",
                                                       "kind": "factory", "area": "5千平方米"})
    assert words.status_code == 422 and words.json()["detail"].startswith("area：应为数字")
    assert rows() == before
    created = call("post", "/policies", users["district"], payload)
    assert created.status_code == 201
    body = created.json()
    assert body["unit"]["name"] == "九龙坡区" and body["in_force"] is True
    flag = body["fairness_flags"][0]
    assert flag["matched_text"] == "先征后返" and flag["article"] == "第十条第（一）项" and flag["status"] == "open"
    # The flag is for the office and the district that wrote the term, not for other districts.
    assert call("get", f"/policies/{body['id']}", users["office"]).json()["fairness_flags"][0]["id"] == flag["id"]
    assert call("get", f"/policies/{body['id']}", users["district2"]).json()["fairness_flags"] == []


def test_patch_keeps_what_is_not_sent_and_withdraw_takes_the_offer_out(call, users, units, clusters, jlp_offers):
    park = jlp_offers["park"]
    path = f"/parks/{park.pk}"
    before = rows()
    for who in ("office", "leader", "district2"):
        assert call("patch", path, users[who], {"name": "改名"}).status_code == 403, who
        assert call("post", f"{path}/withdraw", users[who]).status_code == 403, who
    blank = call("patch", path, users["district"], {"name": " "})
    assert blank.status_code == 400 and blank.json()["field"] == "name" and "园区名称" in blank.json()["detail"]
    assert call("patch", path, users["district"], {"cluster_ids": [999999]}).json()["field"] == "cluster_ids"
    assert rows() == before
    park.refresh_from_db()
    assert park.name == "九龙坡智能制造产业园" and park.retired_at is None
    changed = call("patch", path, users["district"], {"description": "国家级经开区配套园"})
    assert changed.status_code == 200
    assert changed.json()["description"] == "国家级经开区配套园"
    assert changed.json()["name"] == "九龙坡智能制造产业园"
    assert [c["name"] for c in changed.json()["clusters"]] == ["智能网联新能源汽车"]
    withdrawn = call("post", f"{path}/withdraw", users["district_admin"])
    assert withdrawn.status_code == 200 and withdrawn.json()["is_retired"] is True
    assert call("get", "/parks", users["office"]).json()["count"] == 0
    assert call("get", "/parks?include_retired=true", users["office"]).json()["count"] == 1
    late = call("patch", path, users["district"], {"description": "再改"})
    assert late.status_code == 400 and "已下架" in late.json()["detail"]


def test_need_profiles_are_the_offices(call, users, organisation, clusters, thermal_link, need):
    payload = {"title": "电池包组装", "organisation_id": organisation.pk, "cluster_id": clusters["新能源及新型储能"].pk,
               "site_kind": "factory", "area_min": 8000, "area_max": 12000}
    before = rows()
    for who in ("leader", "district"):
        assert call("post", "/needs", users[who], payload).status_code == 403, who
    wrong_link = call("post", "/needs", users["office"], {**payload, "chain_link_id": thermal_link.pk})
    assert wrong_link.status_code == 400 and wrong_link.json()["field"] == "chain_link"
    assert "新能源及新型储能" in wrong_link.json()["detail"]
    missing = call("post", "/needs", users["office"], {"title": "无集群"})
    assert missing.status_code == 422 and "cluster_id：必填" in missing.json()["detail"]
    assert rows() == before
    created = call("post", "/needs", users["office"], payload)
    assert created.status_code == 201
    assert created.json()["cluster"]["name"] == "新能源及新型储能" and created.json()["area_max"] == "12000.00"
    assert call("get", "/needs", users["leader"]).json()["count"] == 2
    assert call("get", "/needs", users["district"]).json()["count"] == 0
    assert call("get", f"/needs/{need.pk}", users["district"]).status_code == 404
    assert call("get", f"/needs/{need.pk}", users["leader"]).json()["organisation"]["name"] == organisation.name


def test_matches_rank_districts_with_reasons_and_gaps(call, users, jlp_offers, cs_offers, need):
    response = call("get", f"/needs/{need.pk}/matches", users["office"])
    assert response.status_code == 200
    matches = response.json()["matches"]
    assert [m["unit"]["name"] for m in matches[:2]] == ["九龙坡区", "长寿区"]
    best = matches[0]
    assert "可用标准厂房12,000平方米，满足8,000–15,000平方米" in best["reasons"]
    assert best["sites"][0]["name"] == "白市驿标准厂房2栋" and best["policies"][0]["title"] == "促进汽车零部件产业发展十条"
    assert any("供电容量不足" in gap for gap in matches[1]["missing"])
    assert best["score"] > matches[1]["score"]
    assert call("get", f"/needs/{need.pk}/matches", users["district"]).status_code == 404


def test_send_recommends_the_chosen_districts_only(call, users, units, clusters, jlp_offers, cs_offers, need):
    from apps.offers import services

    nameless = services.need_create(actor=users["office"], values={"title": "无企业", "cluster": clusters["先进材料"]})
    path = f"/needs/{need.pk}/send"
    payload = {"unit_ids": [units["九龙坡区"].pk]}
    before = rows()
    assert call("post", path, users["district"], payload).status_code == 404
    assert call("post", path, users["leader"], payload).status_code == 403
    empty = call("post", path, users["office"], {"unit_ids": []})
    assert empty.status_code == 400 and empty.json()["field"] == "units" and "请至少勾选一个区县" in empty.json()["detail"]
    office = call("post", path, users["office"], {"unit_ids": [units["驻京办"].pk]})
    assert office.status_code == 404 and office.json()["field"] == "unit_ids"
    refused = call("post", f"/needs/{nameless.pk}/send", users["office"], payload)
    assert refused.status_code == 400 and refused.json()["field"] == "organisation"
    assert rows() == before
    sent = call("post", path, users["office"], payload)
    assert sent.status_code == 201
    body = sent.json()
    assert [t["unit"]["name"] for t in body["targets"]] == ["九龙坡区"]
    assert body["organisation"]["id"] == need.organisation_id
    assert "九龙坡智能制造产业园主导产业含智能网联新能源汽车" in body["reason"]
    assert [t.unit.name for t in RecommendationTarget.objects.all()] == ["九龙坡区"]


def test_lists_are_a_bounded_number_of_queries(call, users, units, clusters):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.offers import services

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert call("get", path, users["office"]).status_code == 200
        return len(queries)

    def add(n):
        for i in range(n):
            park = services.park_create(actor=users["district"], unit=units["九龙坡区"], values={
                "name": f"园区{i}", "clusters": [clusters[CAR]]})
            services.site_create(actor=users["district"], unit=units["九龙坡区"], values={
                "name": f"厂房{i}", "park": park, "kind": "factory", "area": 1000})

    add(1)
    few = {path: count(path) for path in ("/parks", "/sites")}
    add(4)
    assert {path: count(path) for path in ("/parks", "/sites")} == few

