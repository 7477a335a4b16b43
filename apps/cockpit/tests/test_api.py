"""GET /api/v1/stats/summary: the selector's figures, to the yuan, with the same scoping and refusals."""

import datetime

from apps.cockpit.selectors import StatsFilter, summary
from apps.cockpit.tests.conftest import PERIOD
from apps.core.testing import bearer

URL = "/api/v1/stats/summary"
QUERY = {"start": "2025-01-01", "end": "2025-12-31"}


def test_anonymous_is_401(client, year):
    assert client.get(URL, QUERY).status_code == 401


def test_same_totals_as_the_selector(client, users, year):
    response = client.get(URL, QUERY, headers=bearer(client, users["office"]))
    assert response.status_code == 200
    body = response.json()
    data = summary(actor=users["office"], f=StatsFilter(*PERIOD), today=datetime.date.today())
    assert body["signed"]["count"] == data["signed"]["count"] == 4
    assert body["signed"]["amount_yuan"] == f"{data['signed']['amount']:.2f}" == "3000000000.00"
    assert body["signed"]["amount_display"] == "30亿元"
    assert body["signed_to_date"]["amount_display"] == "31亿元"
    assert body["funds"]["total_yuan"] == "370000000.00" and body["funds"]["percent"] == "15.4"
    assert body["reconciliation"]["signed_at_event_amount_display"] == "12亿元"
    assert body["reconciliation"]["event_signing_projects_intention_only"] == 1
    assert [(r["label"], r["amount_yuan"]) for r in body["by_unit"]] == [
        (r["label"], f"{r['amount']:.2f}") for r in data["by_unit"]]
    assert [r["count"] for r in body["by_month"]] == [r["count"] for r in data["by_month"]]
    assert body["ranking"][0]["rank"] == 1 and body["ranking"][0]["label"] == "长寿区"
    assert body["signings"]["amount_display"] == "32亿元"
    assert body["stages"] == data["stages"]


def test_unit_filter_rolls_up(client, users, units, year):
    body = client.get(URL, QUERY | {"unit": units["两江新区"].pk}, headers=bearer(client, users["office"])).json()
    assert body["signed"]["count"] == 1 and body["signed"]["amount_display"] == "3亿元"
    assert "原江北区" in body["filter"]["unit"]["note"]


def test_a_district_gets_its_own_and_403_for_another(client, users, units, year):
    headers = bearer(client, users["district"])
    body = client.get(URL, QUERY, headers=headers).json()
    assert body["signed"]["count"] == 1 and [r["label"] for r in body["by_unit"]] == ["九龙坡区"]
    refused = client.get(URL, QUERY | {"unit": units["长寿区"].pk}, headers=headers)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只能查看本单位的统计。"


def test_bad_filters(client, users, year):
    headers = bearer(client, users["office"])
    backwards = client.get(URL, {"start": "2025-12-31", "end": "2025-01-01"}, headers=headers)
    assert backwards.status_code == 400 and backwards.json()["field"] == "start"
    assert "开始日期" in backwards.json()["detail"]
    for field in ("unit", "cluster"):
        missing = client.get(URL, QUERY | {field: 999999}, headers=headers)
        assert missing.status_code == 404 and missing.json()["field"] == field
    assert client.get(URL, {"start": "明天"}, headers=headers).status_code == 422


def test_default_period_is_the_year_of_the_end_date(client, users, year):
    body = client.get(URL, {"end": "2025-12-31"}, headers=bearer(client, users["office"])).json()
    assert body["filter"]["start"] == "2025-01-01" and body["signed"]["count"] == 4


def test_the_office_is_not_a_unit_filter(client, users, units, year):
    client.force_login(users["office"])
    response = client.get("/api/v1/stats/summary", {"unit": units["驻京办"].pk})
    assert response.status_code == 400
    assert "驻京办不承接项目" in response.json()["detail"]
