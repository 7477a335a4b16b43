"""Visits and talks over the API: an activity on a project is seen and changed by whoever sees and
changes the project, so 长寿区 meets 九龙坡区's visits as 404s and a leader reads but records nothing."""

import datetime
from decimal import Decimal

import pytest

from apps.activities.models import Activity
from apps.activities.services import activity_create
from apps.core.testing import bearer, text

API = "/api/v1/activities"
PROJECT = "骅远人工智能数据安全中心"
SUMMARY = "双方就数据中心选址达成初步共识"




@pytest.fixture
def project(make_project, organisation):
    return make_project(organisation=organisation, name=PROJECT, planned_investment=Decimal("500000000"))


@pytest.fixture
def activity(users, project):
    return activity_create(actor=users["district"], project=project, date=datetime.date(2025, 11, 1),
                           summary=SUMMARY, next_step="寄送选址方案", next_step_due=datetime.date(2025, 11, 15))


def assert_hidden(response):
    assert response.status_code == 404
    assert "记录不存在或您无权查看" in response.json()["detail"]
    assert PROJECT not in text(response) and SUMMARY not in text(response)


# --- GET /activities -----------------------------------------------------------------------------

def test_list_anonymous_is_401(client, activity):
    response = client.get(API)
    assert response.status_code == 401
    assert SUMMARY not in text(response)


def test_list_other_district_does_not_see_the_projects_activities(client, users, activity, project):
    client.force_login(users["district2"])
    for params in ({}, {"project": project.pk}, {"organisation": project.organisation_id}):
        response = client.get(API, params)
        assert response.status_code == 200
        assert response.json()["count"] == 0
        assert SUMMARY not in text(response) and PROJECT not in text(response)


def test_list_leader_reads(client, users, activity):
    client.force_login(users["leader"])
    assert [a["summary"] for a in client.get(API).json()["items"]] == [SUMMARY]


def test_list_own_district_filters_by_project_and_kind(client, users, activity, project, organisation):
    activity_create(actor=users["district"], organisation=organisation, date=datetime.date(2025, 10, 20),
                    summary="电话沟通", kind="call")
    response = client.get(API, {"project": project.pk}, headers=bearer(client, users["district"]))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["project"] == {"id": project.pk, "name": PROJECT}
    assert item["unit"]["name"] == "九龙坡区" and item["kind_label"] == "走访拜访"
    assert item["date"] == "2025-11-01" and item["next_step_due"] == "2025-11-15"
    client.force_login(users["district"])
    assert client.get(API, {"organisation": organisation.pk}).json()["count"] == 2
    assert [a["summary"] for a in client.get(API, {"kind": "call"}).json()["items"]] == ["电话沟通"]


# --- POST /activities ----------------------------------------------------------------------------

def new_activity(project, **extra):
    return {"project_id": project.pk, "date": "2025-11-02", "summary": "实地考察九龙坡园区", "kind": "site_visit",
            **extra}


def test_create_anonymous_is_401(client, project):
    assert client.post(API, new_activity(project), content_type="application/json").status_code == 401
    assert Activity.objects.count() == 0


def test_create_leader_is_403(client, users, project):
    client.force_login(users["leader"])
    response = client.post(API, new_activity(project), content_type="application/json")
    assert response.status_code == 403
    assert "只读" in response.json()["detail"]
    assert Activity.objects.count() == 0


def test_create_on_another_districts_project_is_404_naming_the_field(client, users, project):
    client.force_login(users["district2"])
    response = client.post(API, new_activity(project), content_type="application/json")
    assert_hidden(response)
    assert response.json()["field"] == "project_id"
    assert Activity.objects.count() == 0


def test_create_allowed(client, users, project):
    client.force_login(users["district"])
    response = client.post(API, new_activity(project, next_step="提交用地方案", next_step_due="2025-11-20"),
                           content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["organisation"]["id"] == project.organisation_id  # taken from the project
    assert data["kind"] == "site_visit" and data["created_by"]["id"] == users["district"].pk
    assert Activity.objects.get().unit.name == "九龙坡区"


def test_create_with_a_future_date_is_refused(client, users, project):
    client.force_login(users["district"])
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(API, new_activity(project, date=future), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "date" and "将来" in response.json()["detail"]
    assert Activity.objects.count() == 0


def test_create_without_project_or_organisation_names_the_organisation(client, users):
    client.force_login(users["district"])
    response = client.post(API, {"date": "2025-11-02", "summary": "拜访"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "organisation"
    assert Activity.objects.count() == 0


# --- POST /activities/{id}/done ------------------------------------------------------------------

def done(client, activity, **kwargs):
    return client.post(f"{API}/{activity.pk}/done", content_type="application/json", **kwargs)


def is_done(activity) -> bool:
    activity.refresh_from_db()
    return activity.next_step_done


def test_done_anonymous_is_401(client, activity):
    assert done(client, activity).status_code == 401
    assert not is_done(activity)


def test_done_leader_is_403(client, users, activity):
    client.force_login(users["leader"])
    response = done(client, activity)
    assert response.status_code == 403
    assert not is_done(activity)


def test_done_other_district_is_404(client, users, activity):
    client.force_login(users["district2"])
    assert_hidden(done(client, activity))
    assert not is_done(activity)


def test_done_allowed_with_bearer_token(client, users, activity):
    response = done(client, activity, headers=bearer(client, users["district"]))
    assert response.status_code == 200
    assert response.json()["next_step_done"] is True
    assert is_done(activity)
