"""The service-request API says what the pages say: the same due dates, escalation labels, refusals
and conflicts, with a bearer token or the browser session."""

import datetime

from django.utils import timezone

from apps.core.testing import bearer, text
from apps.servicedesk.models import ServiceRequest

from .factories import pdf_file

API = "/api/v1/service-requests"


def test_a_script_raises_answers_and_resolves_a_request(client, users, project):
    headers = bearer(client, users["district"])
    created = client.post(API, {"project_id": project.pk, "category": "planning", "title": "规划许可办理",
                                "description": "厂区二期规划许可"}, content_type="application/json", headers=headers)
    assert created.status_code == 201
    body = created.json()
    assert body["category_label"] == "规划与审批" and body["status_label"] == "待受理"
    assert body["due_date"] == str(timezone.localdate() + datetime.timedelta(days=10))
    assert body["owner"]["id"] == users["specialist"].pk and body["owner_unit"]["name"] == "九龙坡区"
    assert body["escalation"] == {"level": 0, "level_label": "承办人", "overdue_days": 0, "label": ""}
    pk = body["id"]

    replied = client.post(f"{API}/{pk}/replies", {"body": "已报规划局", "attachment": pdf_file()}, headers=headers)
    assert replied.status_code == 201
    assert replied.json()["attachment_name"] == "批复.pdf"
    download = client.get(replied.json()["attachment_url"], headers=headers)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")

    detail = client.get(f"{API}/{pk}", headers=headers).json()
    assert detail["status"] == "in_progress" and detail["version"] == 2
    assert [r["body"] for r in detail["replies"]] == ["已报规划局"]

    done = client.post(f"{API}/{pk}/status", {"to_status": "resolved", "note": "许可已核发", "version": 2},
                       content_type="application/json", headers=headers)
    assert done.status_code == 200 and done.json()["status_label"] == "已办结"
    assert done.json()["replies"][-1]["status_to"] == "resolved"


def test_a_stale_version_is_a_409_with_the_pages_sentence(client, users, service_request):
    headers = bearer(client, users["district"])
    url = f"{API}/{service_request.pk}/status"
    first = client.post(url, {"to_status": "in_progress", "version": 1}, content_type="application/json",
                        headers=headers)
    assert first.status_code == 200
    second = client.post(url, {"to_status": "closed", "note": "重复", "version": 1},
                         content_type="application/json", headers=headers)
    assert second.status_code == 409
    assert second.json()["detail"].startswith("该诉求已被他人修改") and second.json()["code"] == "stale"
    service_request.refresh_from_db()
    assert service_request.status == "in_progress"


def test_refusals_name_the_field_in_chinese(client, users, project, service_request):
    headers = bearer(client, users["district"])
    bad = client.post(API, {"project_id": project.pk, "category": "transport", "title": "道路"},
                      content_type="application/json", headers=headers)
    assert bad.status_code == 400 and bad.json()["field"] == "category"
    assert bad.json()["detail"].startswith("诉求类别：")
    resolve = client.post(f"{API}/{service_request.pk}/status", {"to_status": "resolved", "version": 1},
                          content_type="application/json", headers=headers)
    assert resolve.status_code == 400 and resolve.json()["field"] == "note"
    too_big = client.post(f"{API}/{service_request.pk}/replies",
                          {"body": "附件", "attachment": pdf_file(size=10 * 1024 * 1024 + 1)}, headers=headers)
    assert too_big.status_code == 400 and too_big.json()["field"] == "attachment"
    assert "附件：文件过大" in text(too_big)
    hidden = client.post(API, {"project_id": 999999, "category": "land", "title": "用地"},
                         content_type="application/json", headers=headers)
    assert hidden.status_code == 404 and hidden.json()["field"] == "project_id"
    assert ServiceRequest.objects.count() == 1


def test_the_list_filters_and_shows_lateness(client, users, make_request):
    today = timezone.localdate()
    late = make_request(title="逾期的诉求", today=today - datetime.timedelta(days=9))  # 水电气: 2 days late
    make_request(title="新诉求", category="land", today=today)
    client.force_login(users["district"])
    everything = client.get(API).json()
    assert everything["count"] == 2
    assert everything["items"][0]["title"] == "逾期的诉求"  # the most urgent first
    overdue = client.get(API, {"overdue": "true"}).json()
    assert [r["id"] for r in overdue["items"]] == [late.pk]
    assert overdue["items"][0]["escalation"]["label"] == "已逾期2天 · 已升级至单位负责人"
    assert client.get(API, {"category": "land"}).json()["count"] == 1
    assert client.get(API, {"mine": "true"}).json()["count"] == 2  # she raised both
    client.force_login(users["specialist"])
    assert client.get(API, {"mine": "true"}).json()["count"] == 2  # he owns both


def test_assigning_over_the_api(client, users, units, service_request):
    headers = bearer(client, users["district"])
    response = client.post(f"{API}/{service_request.pk}/assign",
                           {"owner_unit_id": units["九龙坡区"].pk, "owner_id": users["district"].pk, "version": 1},
                           content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["owner"]["id"] == users["district"].pk
    wrong = client.post(f"{API}/{service_request.pk}/assign",
                        {"owner_unit_id": units["九龙坡区"].pk, "owner_id": users["district2"].pk, "version": 2},
                        content_type="application/json", headers=headers)
    assert wrong.status_code == 400 and wrong.json()["field"] == "owner"
