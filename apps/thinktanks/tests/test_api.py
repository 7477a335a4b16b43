"""The cooperation API as a script calls it: /api/v1/thinktanks on the site's own API, with a real bearer
token. Everyone reads; the office and the holding unit write; a project another unit may not see stays
unnamed in the outcomes."""

import datetime
import json as json_module

import pytest

from apps.audit.models import AuditLog
from apps.core.testing import api_caller
from apps.thinktanks.models import Cooperation, CooperationActivity, CooperationOutcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    return api_caller(client, "/api/v1/thinktanks")


def state():
    return (list(Cooperation.objects.order_by("pk").values_list("pk", "title", "version", "end_date")),
            CooperationActivity.objects.count(), CooperationOutcome.objects.count(),
            AuditLog.objects.exclude(model="accounts.user").count())


def test_everyone_reads_and_an_outcomes_hidden_project_stays_unnamed(call, users, cooperation,
                                                                       district_cooperation, make_project):
    from apps.thinktanks.services import activity_add, outcome_add

    project = make_project(name="长寿储能电池项目", unit_name="长寿区")
    activity_add(actor=users["office"], cooperation=cooperation, values={
        "date": datetime.date(2025, 4, 10), "kind": "salon", "title": "院士人才沙龙", "participant_count": 40})
    outcome_add(actor=users["office"], cooperation=cooperation, values={
        "kind": "project", "date": datetime.date(2025, 5, 1), "project": project})
    listed = call("get", "", users["district"])
    assert listed.status_code == 200 and listed.json()["count"] == 2
    row = next(r for r in listed.json()["items"] if r["id"] == cooperation.pk)
    assert row["activity_count"] == 1 and row["project_count"] == 1 and row["status_label"] == "合作中"
    assert call("get", "?q=九龙坡", users["leader"]).json()["count"] == 1
    assert call("get", "?partner_kind=university", users["office"]).json()["count"] == 1
    seen = call("get", f"/{cooperation.pk}", users["district"]).json()
    assert seen["activities"][0]["title"] == "院士人才沙龙" and seen["activities"][0]["kind_label"] == "沙龙"
    assert seen["outcomes"][0]["project"] is None and seen["outcomes"][0]["project_hidden"] is True
    assert seen["may_change"] is False
    assert "长寿储能" not in json_module.dumps(seen, ensure_ascii=False)
    named = call("get", f"/{cooperation.pk}", users["district2"]).json()["outcomes"][0]
    assert named["project"]["name"] == "长寿储能电池项目" and named["project_hidden"] is False
    assert call("get", "/999999", users["office"]).status_code == 404
    assert call("get", "").status_code == 401


def test_create_for_own_unit_and_refusals_write_nothing(call, users, units, think_tank, organisation):
    payload = {"partner_id": think_tank.pk, "title": "产业研究合作协议", "signed_date": "2025-06-01",
               "unit_id": units["九龙坡区"].pk}
    before = state()
    for who in ("leader", "specialist"):
        assert call("post", "", users[who], payload).status_code == 403, who
    other = call("post", "", users["district2"], payload)
    assert other.status_code == 400 and other.json()["field"] == "unit" and "本单位" in other.json()["detail"]
    firm = call("post", "", users["district"], {**payload, "partner_id": organisation.pk})
    assert firm.status_code == 400 and firm.json()["field"] == "partner" and "智库" in firm.json()["detail"]
    ended = call("post", "", users["district"], {**payload, "status": "terminated"})
    assert ended.status_code == 400 and ended.json()["field"] == "end_date"
    slashed = call("post", "", users["district"], {**payload, "signed_date": "2025/06/01"})
    assert slashed.status_code == 422 and "signed_date：日期格式" in slashed.json()["detail"]
    assert call("post", "", users["district"], {**payload, "partner_id": 999999}).json()["field"] == "partner_id"
    assert state() == before
    created = call("post", "", users["district"], payload)
    assert created.status_code == 201
    body = created.json()
    assert body["unit"]["name"] == "九龙坡区" and body["partner"]["kind_label"] == "智库"
    assert body["version"] == 1 and body["activities"] == [] and body["may_change"] is True


def test_patch_by_holder_or_office_with_the_version_read(call, users, cooperation, district_cooperation):
    path = f"/{district_cooperation.pk}"
    before = state()
    for who in ("district2", "leader"):
        refused = call("patch", path, users[who], {"version": 1, "title": "改名"})
        assert refused.status_code == 403 and "负责该合作的单位" in refused.json()["detail"], who
    assert call("patch", f"/{cooperation.pk}", users["district"], {"version": 1, "title": "改名"}).status_code == 403
    early = call("patch", path, users["district"], {"version": 1, "end_date": "2024-01-01"})
    assert early.status_code == 400 and early.json()["field"] == "end_date" and "合作结束日期" in early.json()["detail"]
    assert call("patch", path, users["district"], {"title": "改名"}).json()["detail"] == "version：必填。"
    assert state() == before
    changed = call("patch", path, users["office"], {"version": 1, "terms": "每季度一次产业沙龙。"})
    assert changed.status_code == 200
    assert changed.json()["terms"] == "每季度一次产业沙龙。" and changed.json()["title"] == "九龙坡区合作协议"
    assert changed.json()["version"] == 2
    stale = call("patch", path, users["district"], {"version": 1, "title": "又改"})
    assert stale.status_code == 409 and "刚被他人修改" in stale.json()["detail"]
    district_cooperation.refresh_from_db()
    assert district_cooperation.title == "九龙坡区合作协议"


def test_activities_are_recorded_by_the_holder(call, users, district_cooperation):
    path = f"/{district_cooperation.pk}/activities"
    payload = {"date": "2025-07-01", "kind": "report", "title": "九龙坡产业链研究报告", "participant_count": 12}
    before = state()
    for who in ("district2", "leader"):
        assert call("post", path, users[who], payload).status_code == 403, who
    negative = call("post", path, users["district"], {**payload, "participant_count": -1})
    assert negative.status_code == 400 and negative.json()["field"] == "participant_count"
    assert "参加人数" in negative.json()["detail"]
    unknown = call("post", path, users["district"], {**payload, "event_id": 999999})
    assert unknown.status_code == 404 and unknown.json()["field"] == "event_id"
    assert call("post", path, users["district"], {"date": "2025-07-01"}).json()["detail"] == "title：必填。"
    assert state() == before
    added = call("post", path, users["district"], payload)
    assert added.status_code == 201 and added.json()["kind_label"] == "报告" and added.json()["participant_count"] == 12
    assert call("get", f"/{district_cooperation.pk}", users["district2"]).json()["activities"][0]["id"] == \
        added.json()["id"]


def test_outcomes_name_only_projects_the_writer_may_see(call, users, district_cooperation, make_project):
    own = make_project(name="九龙坡热管理项目", unit_name="九龙坡区")
    other = make_project(name="长寿储能电池项目", unit_name="长寿区")
    path = f"/{district_cooperation.pk}/outcomes"
    before = state()
    assert call("post", path, users["leader"], {"kind": "project", "date": "2025-08-01",
                                                "project_id": own.pk}).status_code == 403
    hidden = call("post", path, users["district"], {"kind": "project", "date": "2025-08-01", "project_id": other.pk})
    assert hidden.status_code == 404 and hidden.json()["field"] == "project_id" and "长寿" not in hidden.json()["detail"]
    missing = call("post", path, users["district"], {"kind": "project", "date": "2025-08-01"})
    assert missing.status_code == 400 and missing.json()["field"] == "project" and "带来的项目" in missing.json()["detail"]
    assert state() == before
    added = call("post", path, users["district"], {"kind": "project", "date": "2025-08-01", "project_id": own.pk})
    assert added.status_code == 201
    assert added.json()["project"]["name"] == "九龙坡热管理项目" and added.json()["project_hidden"] is False
    seen_elsewhere = call("get", f"/{district_cooperation.pk}", users["district2"]).json()["outcomes"][0]
    assert seen_elsewhere["project"] is None and seen_elsewhere["project_hidden"] is True
    twice = call("post", path, users["district"], {"kind": "project", "date": "2025-08-02", "project_id": own.pk})
    assert twice.status_code == 400 and "同一项目只记一次" in twice.json()["detail"]


def test_the_list_is_a_bounded_number_of_queries(call, users, think_tank, values):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.thinktanks.services import cooperation_create

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert call("get", "", users["office"]).status_code == 200
        return len(queries)

    cooperation_create(actor=users["office"], values=values(think_tank))
    few = count()
    for n in range(4):
        cooperation_create(actor=users["office"], values=values(think_tank, title=f"专项协议{n}"))
    assert count() == few
