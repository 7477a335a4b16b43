"""The project API over four clients — anonymous, a role without the right (a leader writing, a
specialist registering), the right role on another district's project (长寿区 on 九龙坡区's), and the
allowed one — plus the stage rules as a client meets them."""

import datetime
from decimal import Decimal

import pytest

from apps.audit.models import AuditLog
from apps.core.testing import bearer, text
from apps.projects.models import Project, StageChange

NAME = "骅远人工智能数据安全中心"
API = "/api/v1/projects"




def state(project) -> tuple:
    """What a denied request must leave untouched."""
    project.refresh_from_db()
    return (project.name, project.stage, project.planned_investment, project.version,
            StageChange.objects.filter(project=project).count())


@pytest.fixture
def project(make_project, organisation):
    return make_project(organisation=organisation, name=NAME, planned_investment=Decimal("500000000"),
                        chain_role="consolidate")


def assert_hidden(response):
    assert response.status_code == 404
    assert response.json()["detail"] == "记录不存在或您无权查看。"
    assert NAME not in text(response) and "500000000" not in text(response) and "5亿" not in text(response)


# --- GET /projects -------------------------------------------------------------------------------

def test_list_anonymous_is_401(client, project):
    response = client.get(API)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_list_other_district_does_not_show_the_project(client, users, project):
    client.force_login(users["district2"])
    response = client.get(API)
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert NAME not in text(response)


def test_list_leader_reads_every_unit(client, users, project):
    client.force_login(users["leader"])
    response = client.get(API)
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["items"]] == [NAME]


def test_list_own_district_with_amounts_and_filters(client, users, project, make_project):
    make_project(name="长寿区的另一个项目", unit_name="长寿区")
    client.force_login(users["district"])
    data = client.get(API).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["planned_investment_yuan"] == "500000000.00"
    assert item["planned_investment_display"] == "5亿元"
    assert item["unit"]["name"] == "九龙坡区"
    assert item["first_contact_date"] == "2025-10-01"
    assert client.get(API, {"stage": "contact"}).json()["count"] == 0
    assert client.get(API, {"chain_role": "consolidate", "q": "骅远"}).json()["count"] == 1


def test_list_unit_filter_rolls_ended_units_into_their_successor(client, users, units, make_project):
    make_project(name="新凯精测项目", unit_name="江北区", first_contact_date=datetime.date(2025, 11, 1))
    client.force_login(users["office"])
    names = [p["name"] for p in client.get(API, {"unit": units["两江新区"].pk}).json()["items"]]
    assert names == ["新凯精测项目"]


def test_list_reads_the_list_pages_filters(client, users, units, make_project):
    """The keys a cockpit figure carries: date ranges, source unit, and "none" for projects without one."""
    from apps.chains.models import Cluster

    cluster = Cluster.objects.order_by("sort_order", "id").first()
    signed = make_project(name="已签约项目", cluster=cluster, source_unit=units["驻京办"])
    Project.objects.filter(pk=signed.pk).update(stage="signed", signed_date=datetime.date(2025, 11, 1))
    make_project(name="未归类项目")
    client.force_login(users["office"])

    def names(params):
        response = client.get(API, params)
        assert response.status_code == 200, response.json()
        return {p["name"] for p in response.json()["items"]}

    assert names({"signed_from": "2025-11-01", "signed_to": "2025-11-30"}) == {"已签约项目"}
    assert names({"signed_to": "2025-10-31"}) == set()
    assert names({"cluster": "none"}) == {"未归类项目"}
    assert names({"cluster": cluster.pk}) == {"已签约项目"}  # an integer id, as before
    assert names({"source_unit": "none"}) == {"未归类项目"}
    assert names({"source_unit": units["驻京办"].pk}) == {"已签约项目"}
    assert names({"chain_role": "none"}) == {"已签约项目", "未归类项目"}
    assert names({"registered_from": "2025-01-01"}) == set()
    assert names({"production_to": "2030-01-01"}) == set()


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"cluster": "abc"}, "cluster", "产业集群（cluster）"),
    ({"cluster": "999999"}, "cluster", "产业集群（cluster）"),
    ({"source_unit": "nobody"}, "source_unit", "线索来源单位（source_unit）"),
    ({"stage": "nonsense"}, "stage", "阶段（stage）"),
    ({"chain_role": "middle"}, "chain_role", "链上作用（chain_role）"),
    ({"unit": "999999"}, "unit", "承接区县（unit）"),
])
def test_list_refuses_a_filter_it_cannot_read_naming_the_parameter(client, users, project, params, field, words):
    client.force_login(users["office"])
    response = client.get(API, params)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field and body["detail"].startswith(words)
    assert NAME not in text(response)


def test_list_refuses_a_malformed_date_naming_the_parameter(client, users, project):
    client.force_login(users["office"])
    response = client.get(API, {"signed_from": "2025-13-01"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("signed_from：日期格式应为 YYYY-MM-DD")


def test_list_is_paginated_with_a_count(client, users, make_project):
    for _ in range(55):
        make_project()
    client.force_login(users["office"])
    first = client.get(API).json()
    assert first["count"] == 55 and len(first["items"]) == 50
    assert len(client.get(API, {"page": 2}).json()["items"]) == 5
    response = client.get(API, {"page": 0})
    assert response.status_code == 422 and "page" in response.json()["detail"]


def test_list_query_count_does_not_grow_with_rows(client, users, make_project, django_assert_max_num_queries):
    for _ in range(20):
        make_project()
    client.force_login(users["office"])
    with django_assert_max_num_queries(8):
        assert client.get(API).json()["count"] == 20


# --- GET /projects/{id} --------------------------------------------------------------------------

def test_detail_anonymous_is_401(client, project):
    response = client.get(f"{API}/{project.pk}")
    assert response.status_code == 401
    assert NAME not in text(response)


def test_detail_other_district_is_404_and_leaks_nothing(client, users, project):
    client.force_login(users["district2"])
    assert_hidden(client.get(f"{API}/{project.pk}"))


def test_detail_leader_reads(client, users, project):
    client.force_login(users["leader"])
    response = client.get(f"{API}/{project.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == NAME


def test_detail_own_district_with_bearer_token(client, users, project):
    response = client.get(f"{API}/{project.pk}", headers=bearer(client, users["district"]))
    assert response.status_code == 200
    data = response.json()
    assert data["planned_investment_yuan"] == "500000000.00"
    assert data["planned_investment_display"] == "5亿元"
    assert data["stage"] == "lead" and data["stage_label"] == "线索"
    assert "contact" in data["allowed_targets"]
    assert data["version"] == 1


def test_detail_unknown_id_is_the_same_404(client, users):
    client.force_login(users["office"])
    assert client.get(f"{API}/999999").json() == {"detail": "记录不存在或您无权查看。", "code": "not_found"}


# --- POST /projects ------------------------------------------------------------------------------

def payload(organisation, units, **extra):
    return {"organisation_id": organisation.pk, "unit_id": units["九龙坡区"].pk, "name": NAME,
            "first_contact_date": "2025-10-01", "planned_investment_yuan": 500000000, **extra}


def test_create_anonymous_is_401_and_creates_nothing(client, organisation, units):
    response = client.post(API, payload(organisation, units), content_type="application/json")
    assert response.status_code == 401
    assert Project.objects.count() == 0


@pytest.mark.parametrize("role", ["leader", "specialist"])
def test_create_by_a_role_that_may_not_register_is_403(client, users, organisation, units, role):
    client.force_login(users[role])
    response = client.post(API, payload(organisation, units), content_type="application/json")
    assert response.status_code == 403
    assert "不能登记项目" in response.json()["detail"]
    assert Project.objects.count() == 0


def test_create_for_another_district_is_refused(client, users, organisation, units):
    client.force_login(users["district2"])
    response = client.post(API, payload(organisation, units), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "unit"
    assert "只能为本单位登记项目" in response.json()["detail"]
    assert Project.objects.count() == 0


def test_create_allowed_with_bearer_token(client, users, organisation, units):
    response = client.post(API, payload(organisation, units, chain_role="consolidate"),
                           content_type="application/json", headers=bearer(client, users["district"]))
    assert response.status_code == 201
    data = response.json()
    assert data["name"] == NAME and data["stage"] == "lead"
    assert data["planned_investment_yuan"] == "500000000.00"
    assert data["protected_until"]
    project = Project.objects.get()
    assert project.planned_investment == Decimal("500000000.00")
    assert project.created_by == users["district"]
    assert project.stage_changes.count() == 1


def test_create_with_amount_in_yi_is_422_naming_the_field(client, users, organisation, units):
    client.force_login(users["district"])
    response = client.post(API, payload(organisation, units, planned_investment_yuan="5亿"),
                           content_type="application/json")
    assert response.status_code == 422
    assert "planned_investment_yuan" in response.json()["detail"]
    assert "应为数字" in response.json()["detail"]
    assert Project.objects.count() == 0


def test_create_with_a_chinese_date_is_422(client, users, organisation, units):
    client.force_login(users["district"])
    response = client.post(API, payload(organisation, units, first_contact_date="2025年10月1日"),
                           content_type="application/json")
    assert response.status_code == 422
    assert "first_contact_date" in response.json()["detail"] and "YYYY-MM-DD" in response.json()["detail"]
    assert Project.objects.count() == 0


def test_create_with_an_unknown_organisation_is_404_naming_the_field(client, users, units, organisation):
    client.force_login(users["district"])
    response = client.post(API, payload(organisation, units, organisation_id=999999),
                           content_type="application/json")
    assert response.status_code == 404
    assert response.json()["field"] == "organisation_id"
    assert Project.objects.count() == 0


def test_two_districts_registering_the_same_organisation(client, users, organisation, units):
    client.force_login(users["district"])
    assert client.post(API, payload(organisation, units), content_type="application/json").status_code == 201
    client.force_login(users["district2"])
    response = client.post(API, payload(organisation, units, unit_id=units["长寿区"].pk, name="长寿区项目"),
                           content_type="application/json")
    assert response.status_code == 409
    assert "九龙坡区" in response.json()["detail"]
    assert response.json()["code"] == "claimed"
    assert list(Project.objects.values_list("unit__name", flat=True)) == ["九龙坡区"]


# --- PATCH /projects/{id} ------------------------------------------------------------------------

def test_patch_anonymous_is_401(client, project):
    before = state(project)
    response = client.patch(f"{API}/{project.pk}", {"version": 1, "name": "改名"}, content_type="application/json")
    assert response.status_code == 401
    assert state(project) == before


def test_patch_leader_is_403_and_changes_nothing(client, users, project):
    before = state(project)
    client.force_login(users["leader"])
    response = client.patch(f"{API}/{project.pk}", {"version": 1, "name": "领导改名"}, content_type="application/json")
    assert response.status_code == 403
    assert "权限" in response.json()["detail"]
    assert state(project) == before


def test_patch_other_district_is_404_and_changes_nothing(client, users, project):
    before = state(project)
    client.force_login(users["district2"])
    assert_hidden(client.patch(f"{API}/{project.pk}", {"version": 1, "name": "长寿区改名"},
                               content_type="application/json"))
    assert state(project) == before


def test_patch_allowed_bumps_the_version_and_audits(client, users, project):
    client.force_login(users["district"])
    response = client.patch(f"{API}/{project.pk}", {"version": 1, "planned_investment_yuan": "600000000.5"},
                            content_type="application/json")
    assert response.status_code == 200
    assert response.json()["planned_investment_yuan"] == "600000000.50"
    assert response.json()["version"] == 2
    assert response.json()["name"] == NAME  # a field not sent is left alone
    project.refresh_from_db()
    assert project.planned_investment == Decimal("600000000.50")
    assert AuditLog.objects.filter(model="projects.project", object_id=str(project.pk), action="update").exists()


def test_patch_with_a_stale_version_is_409_and_changes_nothing(client, users, project):
    client.force_login(users["district"])
    client.patch(f"{API}/{project.pk}", {"version": 1, "description": "第一次修改"}, content_type="application/json")
    before = state(project)
    response = client.patch(f"{API}/{project.pk}", {"version": 1, "name": "过期的修改"}, content_type="application/json")
    assert response.status_code == 409
    assert "已被他人修改" in response.json()["detail"]
    assert state(project) == before


def test_patch_with_amount_in_yi_is_422_and_changes_nothing(client, users, project):
    before = state(project)
    client.force_login(users["district"])
    response = client.patch(f"{API}/{project.pk}", {"version": 1, "planned_investment_yuan": "5亿"},
                            content_type="application/json")
    assert response.status_code == 422
    assert "planned_investment_yuan" in response.json()["detail"]
    assert state(project) == before


# --- POST /projects/{id}/stage -------------------------------------------------------------------

def stage(client, project, **data):
    return client.post(f"{API}/{project.pk}/stage", data, content_type="application/json")


def test_stage_anonymous_is_401(client, project):
    before = state(project)
    assert stage(client, project, to_stage="contact").status_code == 401
    assert state(project) == before


def test_stage_leader_is_403_and_changes_nothing(client, users, project):
    before = state(project)
    client.force_login(users["leader"])
    response = stage(client, project, to_stage="contact")
    assert response.status_code == 403
    assert state(project) == before


def test_stage_by_a_specialist_of_the_unit_who_does_not_serve_the_project_is_403(client, users, project):
    before = state(project)
    client.force_login(users["specialist"])
    assert client.get(f"{API}/{project.pk}").status_code == 200  # sees their unit's projects
    response = stage(client, project, to_stage="contact")
    assert response.status_code == 403
    assert state(project) == before


def test_stage_by_the_projects_own_specialist_is_allowed(client, users, project):
    Project.objects.filter(pk=project.pk).update(specialist=users["specialist"])
    client.force_login(users["specialist"])
    assert stage(client, project, to_stage="contact", note="专员跟进").status_code == 201


def test_stage_other_district_is_404_and_changes_nothing(client, users, project):
    before = state(project)
    client.force_login(users["district2"])
    assert_hidden(stage(client, project, to_stage="contact"))
    assert state(project) == before


def test_stage_allowed_with_bearer_token(client, users, project):
    response = client.post(f"{API}/{project.pk}/stage", {"to_stage": "contact", "expected_stage": "lead",
                                                          "note": "首次电话沟通"},
                           content_type="application/json", headers=bearer(client, users["district"]))
    assert response.status_code == 201
    data = response.json()
    assert data["change"]["from_stage"] == "lead" and data["change"]["to_stage_label"] == "接洽"
    assert data["change"]["changed_by"]["id"] == users["district"].pk
    assert data["project"]["stage"] == "contact" and data["project"]["version"] == 2
    project.refresh_from_db()
    assert project.stage == "contact"


def test_stage_skip_without_reason_is_400_naming_the_reason(client, users, project):
    before = state(project)
    client.force_login(users["district"])
    response = stage(client, project, to_stage="site_visit")
    assert response.status_code == 400
    assert "跨阶段理由" in response.json()["detail"]
    assert response.json()["field"] == "skip_reason"
    assert state(project) == before


def test_stage_signed_without_amount_is_400_naming_the_amount(client, users, project):
    client.force_login(users["district"])
    response = stage(client, project, to_stage="signed", skip_reason="客户直接签约", signed_date="2025-11-01",
                     agreement_type="contract", specialist_id=users["specialist"].pk)
    assert response.status_code == 400
    assert "签约金额" in response.json()["detail"]
    project.refresh_from_db()
    assert project.stage == "lead" and project.specialist_id is None and project.signed_date is None


def test_stage_signed_with_every_fact(client, users, project):
    client.force_login(users["district"])
    response = stage(client, project, to_stage="signed", skip_reason="客户直接签约", signed_date="2025-11-01",
                     agreement_type="contract", signed_amount_yuan=500000000, specialist_id=users["specialist"].pk,
                     evidence="协议编号 JLP-2025-001")
    assert response.status_code == 201, response.json()
    data = response.json()["project"]
    assert data["stage"] == "signed"
    assert data["signed_amount_yuan"] == "500000000.00" and data["signed_amount_display"] == "5亿元"
    assert data["signed_date"] == "2025-11-01"
    assert data["specialist"]["id"] == users["specialist"].pk
    assert response.json()["change"]["skip_reason"] == "客户直接签约"


def test_stage_with_a_stale_expected_stage_is_409(client, users, project):
    client.force_login(users["district"])
    assert stage(client, project, to_stage="contact", expected_stage="lead").status_code == 201
    before = state(project)
    response = stage(client, project, to_stage="contact", expected_stage="lead")
    assert response.status_code == 409
    assert response.json()["code"] == "stale_stage"
    assert state(project) == before


def test_stage_amount_in_yi_is_422(client, users, project):
    before = state(project)
    client.force_login(users["district"])
    response = stage(client, project, to_stage="contact", planned_investment_yuan="5亿")
    assert response.status_code == 422
    assert "planned_investment_yuan" in response.json()["detail"]
    assert state(project) == before


# --- GET /projects/{id}/history ------------------------------------------------------------------

def test_history_anonymous_is_401(client, project):
    assert client.get(f"{API}/{project.pk}/history").status_code == 401


def test_history_other_district_is_404(client, users, project):
    client.force_login(users["district2"])
    assert_hidden(client.get(f"{API}/{project.pk}/history"))


def test_history_lists_stage_changes_and_edits(client, users, project):
    client.force_login(users["district"])
    stage(client, project, to_stage="contact", note="首次电话沟通")
    client.patch(f"{API}/{project.pk}", {"version": 2, "description": "数据安全"}, content_type="application/json")
    client.force_login(users["leader"])
    response = client.get(f"{API}/{project.pk}/history")
    assert response.status_code == 200
    data = response.json()
    assert [(c["from_stage"], c["to_stage"]) for c in data["stage_changes"]] == [("", "lead"), ("lead", "contact")]
    assert [e["kind"] for e in data["timeline"]] == ["edit", "stage", "stage"]
    assert data["timeline"][1]["title"] == "线索 → 接洽" and data["timeline"][1]["detail"] == "首次电话沟通"


# --- GET /projects/stages ------------------------------------------------------------------------

def test_stages_anonymous_is_401(client):
    assert client.get(f"{API}/stages").status_code == 401


def test_stages_list_their_required_fields_by_api_name(client, users):
    client.force_login(users["leader"])
    stages = {s["value"]: s for s in client.get(f"{API}/stages").json()}
    assert [s["label"] for s in stages.values()][:3] == ["线索", "接洽", "推荐考察"]
    assert {"field": "signed_amount_yuan", "label": "签约金额"} in stages["signed"]["required_fields"]
    assert {"field": "specialist_id", "label": "服务专员"} in stages["intention"]["required_fields"]
    assert stages["paused"]["in_pipeline"] is False and stages["paused"]["position"] is None
