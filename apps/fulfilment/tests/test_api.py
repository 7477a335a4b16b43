"""Fulfilment over the API, for every kind of client: anonymous (401), another unit (404, nothing
leaked), a reader (403 on writes, nothing changed) and those who may change."""

import datetime
from decimal import Decimal

import pytest

from apps.core.testing import bearer, text
from apps.fulfilment.models import FundsEntry, FundsPlanItem
from apps.fulfilment.services import funds_entry_add, funds_plan_set, raise_alerts
from apps.fulfilment.tests.conftest import YI

D = datetime.date
API = "/api/v1/fulfilment"
NAME = "骅远人工智能数据安全中心项目"


@pytest.fixture
def tracked(signed_project, users):
    funds_entry_add(actor=users["district"], project=signed_project, date=D(2025, 12, 15), amount=Decimal("1.2") * YI)
    funds_plan_set(actor=users["district"], project=signed_project, items=[
        {"due_date": D(2026, 3, 31), "amount": 2 * YI, "note": "首期"},
        {"due_date": D(2026, 6, 30), "amount": 1 * YI, "note": "二期"}])
    raise_alerts(today=D(2026, 6, 30))
    return signed_project


def post_funds(client, project, user=None, **data):
    body = {"date": "2025-12-20", "amount_yuan": "30000000", "note": "二笔注资"} | data
    headers = bearer(client, user) if user else {}
    return client.post(f"{API}/projects/{project.pk}/funds", body, content_type="application/json", headers=headers)


def put_plan(client, project, user, items):
    return client.put(f"{API}/projects/{project.pk}/plan", {"items": items}, content_type="application/json",
                      headers=bearer(client, user))


def test_anonymous_is_401(client, tracked):
    for response in [client.get(f"{API}/alerts"), client.get(f"{API}/projects/{tracked.pk}"),
                     post_funds(client, tracked),
                     client.put(f"{API}/projects/{tracked.pk}/plan", {"items": []}, content_type="application/json")]:
        assert response.status_code == 401
        assert NAME not in text(response)
    assert FundsEntry.objects.count() == 1 and FundsPlanItem.objects.count() == 2


@pytest.mark.parametrize("role", ["district2", "liangjiang"])
def test_another_unit_sees_nothing(client, users, role, tracked):
    headers = bearer(client, users[role])
    listing = client.get(f"{API}/alerts", {"project": tracked.pk}, headers=headers)
    assert listing.status_code == 200 and listing.json()["count"] == 0
    for response in [client.get(f"{API}/projects/{tracked.pk}", headers=headers),
                     post_funds(client, tracked, users[role]),
                     put_plan(client, tracked, users[role], [])]:
        assert response.status_code == 404
        assert response.json()["detail"] == "记录不存在或您无权查看。"
        assert NAME not in text(response)
    assert FundsEntry.objects.count() == 1 and FundsPlanItem.objects.count() == 2


@pytest.mark.parametrize("role", ["leader", "specialist"])
def test_a_reader_reads_and_may_not_write(client, users, role, tracked):
    headers = bearer(client, users[role])
    assert client.get(f"{API}/projects/{tracked.pk}", headers=headers).status_code == 200
    assert client.get(f"{API}/alerts", headers=headers).json()["count"] == 3
    for response in [post_funds(client, tracked, users[role]), put_plan(client, tracked, users[role], [])]:
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
    assert FundsEntry.objects.count() == 1 and FundsPlanItem.objects.count() == 2


def test_alerts_list_and_filters(client, users, tracked):
    headers = bearer(client, users["district"])
    data = client.get(f"{API}/alerts", {"kind": "funds_behind_plan"}, headers=headers).json()
    assert data["count"] == 1
    [alert] = data["items"]
    assert alert["message"] == "到位资金1.2亿元，低于计划的3亿元（截至2026年6月30日）"
    assert alert["kind_label"] == "资金到位滞后" and alert["raised_on"] == "2026-06-30"
    assert alert["project"] == {"id": tracked.pk, "name": NAME} and alert["unit"]["name"] == "九龙坡区"
    assert alert["resolved_on"] is None
    assert client.get(f"{API}/alerts", headers=headers).json()["count"] == 3
    assert client.get(f"{API}/alerts", {"open": "false"}, headers=headers).json()["count"] == 3


def test_project_fulfilment_figures(client, users, tracked):
    data = client.get(f"{API}/projects/{tracked.pk}", headers=bearer(client, users["leader"])).json()
    assert data["project"] == {"id": tracked.pk, "name": NAME} and data["stage"] == "signed"
    assert data["signed_amount_yuan"] == "500000000.00" and data["signed_amount_display"] == "5亿元"
    assert data["funds_total_yuan"] == "120000000.00" and data["funds_total_display"] == "1.2亿元"
    assert data["funds_percent"] == "24.0"
    assert data["plan_total_yuan"] == "300000000.00"
    assert [i["cumulative_display"] for i in data["plan_items"]] == ["2亿元", "3亿元"]
    assert data["entries"][0]["amount_display"] == "1.2亿元"
    assert {a["kind"] for a in data["open_alerts"]} == {"unregistered_after_signing", "funds_behind_plan",
                                                        "no_activity"}
    assert data["key_dates"][0] == {"field": "signed_date", "label": "签约", "date": "2025-11-01",
                                    "days_after_previous": None, "days_since": data["key_dates"][0]["days_since"]}


@pytest.mark.parametrize("role", ["office", "office_admin", "district", "district_admin"])
def test_recording_funds(client, users, role, tracked):
    response = post_funds(client, tracked, users[role])
    assert response.status_code == 201
    data = response.json()
    assert data["amount_yuan"] == "30000000.00" and data["amount_display"] == "3,000万元"
    assert data["cumulative_yuan"] == "150000000.00" and data["funds_total_display"] == "1.5亿元"
    assert data["warning"] == "" and data["created_by"]["id"] == users[role].pk


def test_recording_funds_errors_name_the_api_field(client, users, tracked):
    response = post_funds(client, tracked, users["district"], amount_yuan="0")
    assert response.status_code == 400
    assert response.json() == {"detail": "到位金额：须大于0。", "field": "amount_yuan", "code": "invalid"}
    response = post_funds(client, tracked, users["district"], date="2025-10-01")
    assert response.status_code == 400 and response.json()["field"] == "date"
    assert "不能早于签约日期（2025年11月1日）" in response.json()["detail"]
    response = post_funds(client, tracked, users["district"], amount_yuan="1.2亿")
    assert response.status_code == 422 and "amount_yuan" in response.json()["detail"]
    assert FundsEntry.objects.count() == 1


def test_recording_above_the_signed_amount_warns(client, users, tracked):
    data = post_funds(client, tracked, users["district"], amount_yuan="400000000").json()
    assert data["funds_total_display"] == "5.2亿元"
    assert data["warning"].startswith("到位资金累计5.2亿元，已超过签约金额5亿元。")


def test_setting_the_plan(client, users, tracked):
    response = put_plan(client, tracked, users["district"], [{"due_date": "2026-12-31", "amount_yuan": "500000000"}])
    assert response.status_code == 200
    assert [(i["due_date"], i["cumulative_display"]) for i in response.json()] == [("2026-12-31", "5亿元")]
    response = put_plan(client, tracked, users["district"], [{"due_date": "2026-12-31", "amount_yuan": "600000000"}])
    assert response.status_code == 400 and response.json()["field"] == "items"
    assert "超过签约金额5亿元" in response.json()["detail"]
