"""推荐考察 over JSON: what a client reads back, and the refusals as the page words them."""

from apps.core.testing import bearer, text
from apps.recommendations.models import Recommendation
from apps.recommendations.services import recommendation_accept

from .factories import D, target_of

API = "/api/v1/recommendations"


def post(client, url, data, **kwargs):
    return client.post(url, data, content_type="application/json", **kwargs)


def test_office_recommends_with_a_token_and_reads_each_units_part(client, users, units, make_org):
    org = make_org()
    response = post(client, API, {"organisation_id": org.pk, "unit_ids": [units["九龙坡区"].pk, units["长寿区"].pk],
                                  "reason": "企业有西南布局意向", "date": "2025-10-05"},
                    headers=bearer(client, users["office"]))
    assert response.status_code == 201
    body = response.json()
    assert body["organisation"] == {"id": org.pk, "name": org.name} and body["date"] == "2025-10-05"
    # In the units' official order (九龙坡区 before 长寿区).
    assert [(t["unit"]["name"], t["status"], t["status_label"]) for t in body["targets"]] == [
        ("九龙坡区", "pending", "待答复"), ("长寿区", "pending", "待答复")]


def test_a_district_reads_only_its_own_part(client, users, recommend):
    recommendation = recommend("九龙坡区", "长寿区")
    client.force_login(users["district2"])
    body = client.get(f"{API}/{recommendation.pk}").json()
    assert [t["unit"]["name"] for t in body["targets"]] == ["长寿区"]
    assert "九龙坡区" not in text(client.get(API))


def test_refusals_name_the_field(client, users, units, make_org, recommend):
    client.force_login(users["office"])
    org = make_org()
    response = post(client, API, {"organisation_id": org.pk, "unit_ids": [999999], "reason": "理由"})
    assert response.status_code == 404 and response.json()["field"] == "unit_ids"
    response = post(client, API, {"organisation_id": org.pk, "unit_ids": [], "reason": "理由"})
    assert response.status_code == 400 and response.json()["field"] == "units"
    recommend("九龙坡区", organisation=org, date=D(2025, 9, 1))
    response = post(client, API, {"organisation_id": org.pk, "unit_ids": [units["九龙坡区"].pk], "reason": "理由"})
    assert response.status_code == 409 and response.json()["code"] == "duplicate_recommendation"
    assert "2025年9月1日" in response.json()["detail"]
    assert Recommendation.objects.filter(organisation=org).count() == 1


def test_accept_returns_the_project_and_its_stage(client, users, recommend):
    target = target_of(recommend("九龙坡区"), "九龙坡区")
    client.force_login(users["district"])
    body = post(client, f"{API}/targets/{target.pk}/accept", {"reason": "欢迎考察"}).json()
    assert body["status"] == "accepted" and body["decision_reason"] == "欢迎考察"
    assert body["project"]["stage"] == "recommended" and body["project"]["stage_label"] == "推荐考察"
    body = post(client, f"{API}/targets/{target.pk}/site-visit", {"date": "2025-10-15", "summary": "考察园区"}).json()
    assert body["site_visit"]["date"] == "2025-10-15" and body["project"]["stage"] == "site_visit"


def test_a_claim_conflict_on_accept_is_409_with_the_holder(client, users, make_project, make_org, recommend):
    org = make_org()
    make_project(organisation=org, unit_name="长寿区", actor=users["district2"])
    target = target_of(recommend("九龙坡区", organisation=org), "九龙坡区")
    client.force_login(users["district"])
    response = post(client, f"{API}/targets/{target.pk}/accept", {})
    assert response.status_code == 409
    assert response.json()["code"] == "claimed" and response.json()["holder_unit"] == "长寿区"
    target.refresh_from_db()
    assert target.status == "pending"


def test_decline_without_a_reason_is_400(client, users, recommend):
    target = target_of(recommend("九龙坡区"), "九龙坡区")
    client.force_login(users["district_admin"])
    response = post(client, f"{API}/targets/{target.pk}/decline", {})
    assert response.status_code == 400 and response.json()["field"] == "reason"


def test_funnel_gives_the_sentence_and_the_ids(client, users, recommend, make_org):
    org = make_org()
    recommendation = recommend("九龙坡区", organisation=org, date=D(2025, 10, 5))
    recommendation_accept(actor=users["district"], target=target_of(recommendation, "九龙坡区"), today=D(2025, 10, 8))
    client.force_login(users["office"])
    body = client.get(f"{API}/funnel", {"start": "2025-10-01", "end": "2025-10-31"}).json()
    assert body["sentence"] == "拜访企业0家，推荐1家企业赴渝实地考察，其中0家已达成合作意向或实现落地"
    assert body["organisation_ids"]["accepted"] == [org.pk] and body["accepted"] == 1
    response = client.get(f"{API}/funnel", {"start": "2025-11-01", "end": "2025-10-01"})
    assert response.status_code == 400 and response.json()["field"] == "start"


def test_funnel_for_another_unit_is_404_to_a_district(client, users, units):
    client.force_login(users["district"])
    assert client.get(f"{API}/funnel", {"unit": units["长寿区"].pk}).status_code == 404
    assert client.get(f"{API}/funnel", {"unit": units["九龙坡区"].pk}).status_code == 200
