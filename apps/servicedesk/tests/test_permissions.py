"""Every page and API endpoint of the service desk, for every role of the `users` fixture and for an
anonymous visitor: the status each gets. The request is on a 九龙坡区 project whose specialist is
users["specialist"]; 长寿区 and 两江新区 must not learn it exists (404), the leader reads only (403 on
writes). Denied writes change nothing."""

import pytest
from django.urls import reverse

from apps.servicedesk.models import ContactLink, ServiceRequest, ServiceRequestReply
from apps.servicedesk.services import request_reply

from .factories import pdf_file

ROLES = ["anonymous", "office_admin", "office", "leader", "district", "district_admin", "specialist", "district2",
         "liangjiang"]
SEES = {"office_admin", "office", "leader", "district", "district_admin", "specialist"}
CHANGES = SEES - {"leader"}
TITLE = "厂房用电增容报装"


def expect(role, *, ok, anonymous=302, read_only=403, hidden=404, everyone=False):
    if role == "anonymous":
        return anonymous
    if everyone:
        return ok
    if role == "leader":
        return read_only if read_only is not None else ok
    if role in SEES:
        return ok
    return hidden


@pytest.fixture
def world(users, units, service_request, project):
    reply = request_reply(actor=users["specialist"], request=service_request, body="已联系供电公司",
                          attachment=pdf_file())
    service_request.refresh_from_db()
    return {"request": service_request, "reply": reply, "project": project, "unit": units["九龙坡区"]}


def login(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


def snapshot():
    return (list(ServiceRequest.objects.values_list("status", "version", "owner_id", "owner_unit_id")),
            ServiceRequestReply.objects.count(), ContactLink.objects.count(), ServiceRequest.objects.count())


# --- Pages -------------------------------------------------------------------------------------------

PAGES = {
    # name: (method, url(world), data(world), expected(role))
    "list": ("get", lambda w: reverse("servicedesk:list"), None,
             lambda r: expect(r, ok=200, everyone=True)),
    "detail": ("get", lambda w: reverse("servicedesk:detail", args=[w["request"].pk]), None,
               lambda r: expect(r, ok=200, read_only=None)),
    "attachment": ("get", lambda w: reverse("servicedesk:attachment", args=[w["request"].pk, w["reply"].pk]), None,
                   lambda r: expect(r, ok=200, read_only=None)),
    "project": ("get", lambda w: reverse("servicedesk:project", args=[w["project"].pk]), None,
                lambda r: expect(r, ok=200, read_only=None)),
    "deadlines": ("get", lambda w: reverse("servicedesk:deadlines"), None,
                  lambda r: expect(r, ok=200, everyone=True)),
    "create_form": ("get", lambda w: reverse("servicedesk:create") + f"?project={w['project'].pk}", None,
                    lambda r: expect(r, ok=200)),
    "create": ("post", lambda w: reverse("servicedesk:create") + f"?project={w['project'].pk}",
               lambda w: {"category": "land", "title": "用地指标", "description": ""},
               lambda r: expect(r, ok=302)),
    "reply": ("post", lambda w: reverse("servicedesk:reply", args=[w["request"].pk]),
              lambda w: {"body": "明日现场勘察"}, lambda r: expect(r, ok=302)),
    "status": ("post", lambda w: reverse("servicedesk:status", args=[w["request"].pk]),
               lambda w: {"to_status": "resolved", "note": "已送电", "version": w["request"].version},
               lambda r: expect(r, ok=302)),
    "assign": ("post", lambda w: reverse("servicedesk:assign", args=[w["request"].pk]),
               lambda w: {"owner_unit": w["unit"].pk, "owner": "", "version": w["request"].version},
               lambda r: expect(r, ok=302)),
    "link_create": ("post", lambda w: reverse("servicedesk:link_create", args=[w["project"].pk]),
                    lambda w: {"contact_name": "王经理", "valid_days": "30"}, lambda r: expect(r, ok=200)),
    "deadline_edit": ("post", lambda w: reverse("servicedesk:deadlines"),
                      lambda w: {"category": "land", "days": "20"},
                      lambda r: 302 if r in ("office_admin", "anonymous") else 403),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_permissions(client, users, world, role, page):
    method, url, data, expected = PAGES[page]
    login(client, users, role)
    before = snapshot()
    response = getattr(client, method)(url(world), data(world) if data else None)
    status = expected(role)
    assert response.status_code == status, f"{page} as {role}: {response.status_code} != {status}"
    if role == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    if status in (403, 404) or role == "anonymous":
        assert snapshot() == before
        if status == 404:
            assert TITLE not in response.content.decode()


def test_detail_shows_the_forms_only_to_who_may_work_on_it(client, users, world):
    url = reverse("servicedesk:detail", args=[world["request"].pk])
    for role in ROLES[1:]:
        client.force_login(users[role])
        response = client.get(url)
        if role not in SEES:
            continue
        body = response.content.decode()
        assert TITLE in body
        assert ('id="reply-form"' in body) == (role in CHANGES), role
        assert ('id="status"' in body) == (role in CHANGES), role


def test_the_contact_link_panel_only_for_who_may_change_the_project(client, users, world):
    url = reverse("servicedesk:project", args=[world["project"].pk])
    for role in SEES:
        client.force_login(users[role])
        assert ('id="contact-links"' in client.get(url).content.decode()) == (role in CHANGES), role


# --- API ---------------------------------------------------------------------------------------------

API = "/api/v1/service-requests"

ENDPOINTS = {
    "list": ("get", lambda w: API, None, lambda r: expect(r, ok=200, anonymous=401, everyone=True)),
    "detail": ("get", lambda w: f"{API}/{w['request'].pk}", None,
               lambda r: expect(r, ok=200, anonymous=401, read_only=None)),
    "attachment": ("get", lambda w: f"{API}/{w['request'].pk}/replies/{w['reply'].pk}/attachment", None,
                   lambda r: expect(r, ok=200, anonymous=401, read_only=None)),
    "create": ("json", lambda w: API, lambda w: {"project_id": w["project"].pk, "category": "land", "title": "用地"},
               lambda r: expect(r, ok=201, anonymous=401)),
    "reply": ("post", lambda w: f"{API}/{w['request'].pk}/replies", lambda w: {"body": "明日勘察"},
              lambda r: expect(r, ok=201, anonymous=401)),
    "status": ("json", lambda w: f"{API}/{w['request'].pk}/status",
               lambda w: {"to_status": "resolved", "note": "已送电", "version": w["request"].version},
               lambda r: expect(r, ok=200, anonymous=401)),
    "assign": ("json", lambda w: f"{API}/{w['request'].pk}/assign",
               lambda w: {"owner_unit_id": w["unit"].pk, "owner_id": None, "version": w["request"].version},
               lambda r: expect(r, ok=200, anonymous=401)),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_api_permissions(client, users, world, role, endpoint):
    method, url, data, expected = ENDPOINTS[endpoint]
    login(client, users, role)
    before = snapshot()
    if method == "json":
        response = client.post(url(world), data(world), content_type="application/json")
    else:
        response = getattr(client, method)(url(world), data(world) if data else None)
    status = expected(role)
    assert response.status_code == status, f"{endpoint} as {role}: {response.status_code} != {status}"
    if status in (401, 403, 404):
        assert snapshot() == before
        assert TITLE not in response.content.decode()
    if endpoint == "list" and role in ("district2", "liangjiang"):
        assert response.json()["count"] == 0
