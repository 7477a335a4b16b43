"""/api/v1/notifications: one's own inbox, over bearer tokens; everyone else's messages are 404."""

import pytest

from apps.core.testing import bearer, text
from apps.notifications.models import Notification
from apps.notifications.services import notify

pytestmark = pytest.mark.django_db

ROLES = ["office_admin", "office", "leader", "district", "district_admin", "district2", "specialist"]


@pytest.fixture
def inboxes(users):
    for who, user in users.items():
        notify(kind="x.y", title=f"给{who}的通知", body="正文", url="/projects/", users=[user])
    return {who: Notification.objects.get(recipient=user) for who, user in users.items()}


@pytest.mark.parametrize("who", ROLES)
def test_permission_matrix(client, users, inboxes, who):
    headers = bearer(client, users[who])
    own, other = inboxes[who], inboxes["liangjiang"]

    listing = client.get("/api/v1/notifications", headers=headers)
    assert listing.status_code == 200
    assert [item["title"] for item in listing.json()["items"]] == [f"给{who}的通知"]
    assert client.get("/api/v1/notifications/unread-count", headers=headers).json() == {"unread": 1}

    denied = client.post(f"/api/v1/notifications/{other.pk}/read", headers=headers)
    assert denied.status_code == 404 and "给liangjiang的通知" not in text(denied)
    assert client.post("/api/v1/notifications/999999/read", headers=headers).status_code == 404

    read = client.post(f"/api/v1/notifications/{own.pk}/read", headers=headers)
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert client.post("/api/v1/notifications/read-all", headers=headers).json() == {"marked": 0}

    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.parametrize("method, path", [
    ("get", "/api/v1/notifications"), ("get", "/api/v1/notifications/unread-count"),
    ("post", "/api/v1/notifications/1/read"), ("post", "/api/v1/notifications/read-all"),
])
def test_anonymous_is_401(client, inboxes, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 401
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_list_is_paginated_unread_first_and_filterable(client, users):
    user = users["district"]
    for n in range(55):
        notify(kind="x.y", title=f"第{n}条", users=[user])
    first = Notification.objects.filter(recipient=user).order_by("id").first()
    headers = bearer(client, user)
    client.post("/api/v1/notifications/read-all", headers=headers)
    Notification.objects.filter(pk=first.pk).update(read_at=None)

    page1 = client.get("/api/v1/notifications", headers=headers).json()
    page2 = client.get("/api/v1/notifications?page=2", headers=headers).json()

    assert page1["count"] == 55 and len(page1["items"]) == 50 and len(page2["items"]) == 5
    assert page1["items"][0]["title"] == "第0条" and page1["items"][0]["read_at"] is None
    assert page1["items"][1]["title"] == "第54条"
    unread = client.get("/api/v1/notifications?unread=true", headers=headers).json()
    assert [item["title"] for item in unread["items"]] == ["第0条"]


def test_read_all_reports_how_many(client, users):
    notify(kind="x.y", title="甲", users=[users["district"]])
    notify(kind="x.y", title="乙", users=[users["district"]])
    headers = bearer(client, users["district"])

    assert client.post("/api/v1/notifications/read-all", headers=headers).json() == {"marked": 2}
    assert client.get("/api/v1/notifications/unread-count", headers=headers).json() == {"unread": 0}


def test_session_writes_need_csrf(users, inboxes):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["district"])

    response = browser.post(f"/api/v1/notifications/{inboxes['district'].pk}/read")

    assert response.status_code == 403
    inboxes["district"].refresh_from_db()
    assert inboxes["district"].read_at is None
