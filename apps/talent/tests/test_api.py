"""The talent API as a script calls it: /api/v1/talent on the site's own API (config/api.py), with a real
bearer token — its authentication and its exception handlers (a DomainError is a 400 with a Chinese
sentence)."""

import datetime

import pytest

from apps.audit.models import AuditLog
from apps.core.testing import api_caller
from apps.talent.models import Talent, TalentStageChange

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    return api_caller(client, "/api/v1")


def rows():
    return (Talent.objects.count(), TalentStageChange.objects.count(), AuditLog.objects.filter(
        model="talent.talent").count())


def test_list_and_detail_follow_the_actors_scope(call, make_talent, users, clusters):
    own = make_talent(name="梁振宇", kind="academician", clusters=[clusters["新一代电子信息制造业"]])
    other = make_talent(name="长寿的专家", unit_name="长寿区")
    response = call("get", "/talent", users["district"])
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["items"][0]["name"] == "梁振宇"
    assert body["items"][0]["kind_label"] == "院士"
    assert body["items"][0]["clusters"] == [{"id": clusters["新一代电子信息制造业"].pk, "name": "新一代电子信息制造业"}]
    assert call("get", "/talent?kind=team", users["office"]).json()["count"] == 0
    assert call("get", f"/talent?unit={other.unit_id}", users["office"]).json()["count"] == 1
    refused = call("get", "/talent?stage=famous", users["office"])
    assert refused.status_code == 400 and "阶段（stage）" in refused.json()["detail"]
    detail = call("get", f"/talent/{own.pk}", users["district"]).json()
    assert detail["stage"] == "intention" and "negotiation" in detail["allowed_targets"]
    hidden = call("get", f"/talent/{other.pk}", users["district"])
    assert hidden.status_code == 404 and "长寿" not in hidden.content.decode()
    assert call("get", "/talent").status_code == 401


def test_create_and_refusals_write_nothing(call, users, units, clusters, organisation):
    payload = {"name": "北航智能感知团队", "kind": "team", "team_size": 12, "unit_id": units["九龙坡区"].pk,
               "affiliation_id": organisation.pk, "cluster_ids": [clusters["传感器及仪器仪表"].pk],
               "first_contact_date": "2025-10-01"}
    before = rows()
    bad = call("post", "/talent", users["district"], {**payload, "team_size": None})
    assert bad.status_code == 400 and bad.json()["field"] == "team_size" and "团队人数" in bad.json()["detail"]
    other = call("post", "/talent", users["district"], {**payload, "unit_id": units["长寿区"].pk})
    assert other.status_code == 400 and other.json()["field"] == "unit"
    missing = call("post", "/talent", users["district"], {**payload, "cluster_ids": [999999]})
    assert missing.status_code == 404 and missing.json()["field"] == "cluster_ids"
    assert call("post", "/talent", users["leader"], payload).status_code == 403
    assert rows() == before
    created = call("post", "/talent", users["district"], payload)
    assert created.status_code == 201
    body = created.json()
    assert body["team_size"] == 12 and body["affiliation"]["name"] == organisation.name
    assert body["unit"]["name"] == "九龙坡区" and body["stage_label"] == "意向"


def test_stage_moves_follow_the_rules(call, make_talent, users):
    talent = make_talent(name="宋启明", unit_name="长寿区")
    path = f"/talent/{talent.pk}/stage"
    before = rows()
    skip = call("post", path, users["district2"], {"to_stage": "signed", "skip_reason": "当场签约"})
    assert skip.status_code == 400 and skip.json()["field"] == "mode" and "引进方式" in skip.json()["detail"]
    assert call("post", path, users["district"], {"to_stage": "negotiation"}).status_code == 404
    assert call("post", path, users["leader"], {"to_stage": "negotiation"}).status_code == 403
    assert rows() == before
    moved = call("post", path, users["district2"], {
        "to_stage": "signed", "skip_reason": "当场签约", "mode": "full_time", "signed_date": "2025-10-10",
        "occurred_on": "2025-10-10", "expected_stage": "intention"})
    assert moved.status_code == 201
    body = moved.json()
    assert body["change"]["to_stage_label"] == "签约" and body["talent"]["mode_label"] == "全职引进"
    assert body["talent"]["signed_date"] == "2025-10-10"
    again = call("post", path, users["district2"], {"to_stage": "signed", "expected_stage": "intention"})
    assert again.status_code == 409


def test_patch_changes_what_is_sent_with_the_version_read(call, make_talent, users, clusters):
    talent = make_talent(name="梁振宇")
    path = f"/talent/{talent.pk}"
    before = rows(), Talent.objects.values_list("title", "version").get(pk=talent.pk)
    assert call("patch", path, users["district2"], {"version": 1, "title": "院士"}).status_code == 404
    refused = call("patch", path, users["leader"], {"version": 1, "title": "院士"})
    assert refused.status_code == 403 and "只能查看" in refused.json()["detail"]
    small = call("patch", path, users["district"], {"version": 1, "kind": "team", "team_size": 0})
    assert small.status_code == 400 and small.json()["field"] == "team_size" and "团队人数" in small.json()["detail"]
    early = call("patch", path, users["district"], {"version": 1, "signed_date": "2025-10-01"})
    assert early.status_code == 400 and early.json()["field"] == "signed_date" and "签约" in early.json()["detail"]
    assert call("patch", path, users["district"], {"title": "院士"}).json()["detail"] == "version：必填。"
    assert call("patch", path, users["district"], {"version": 1, "cluster_ids": [999999]}).status_code == 404
    assert (rows(), Talent.objects.values_list("title", "version").get(pk=talent.pk)) == before
    changed = call("patch", path, users["district"], {
        "version": 1, "title": "中国工程院院士", "cluster_ids": [clusters["新一代电子信息制造业"].pk]})
    assert changed.status_code == 200
    body = changed.json()
    assert body["title"] == "中国工程院院士" and body["name"] == "梁振宇" and body["version"] == 2
    assert [c["name"] for c in body["clusters"]] == ["新一代电子信息制造业"]
    stale = call("patch", path, users["office"], {"version": 1, "title": "教授"})
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    assert Talent.objects.get(pk=talent.pk).title == "中国工程院院士"


def test_archive_needs_a_reason_and_hides_the_record_from_the_list(call, make_talent, users):
    talent = make_talent(name="宋启明")
    path = f"/talent/{talent.pk}/archive"
    before = rows()
    assert call("post", path, users["district2"], {"reason": "重复登记"}).status_code == 404
    assert call("post", path, users["leader"], {"reason": "重复登记"}).status_code == 403
    blank = call("post", path, users["district"], {"reason": "  "})
    assert blank.status_code == 400 and blank.json()["field"] == "reason" and "归档原因" in blank.json()["detail"]
    assert rows() == before and not Talent.objects.get(pk=talent.pk).is_archived
    archived = call("post", path, users["district"], {"reason": "重复登记"})
    assert archived.status_code == 200 and archived.json()["is_archived"] is True
    assert call("get", "/talent", users["district"]).json()["count"] == 0
    again = call("post", path, users["district"], {"reason": "重复登记"})
    assert again.status_code == 400 and "已归档" in again.json()["detail"]


def test_history_lists_stage_changes_and_specialists_without_naming_hidden_projects(
        call, signed_talent, users, make_project):
    talent = signed_talent(name="周海")
    other = make_project(name="长寿储能电池项目", unit_name="长寿区")
    moved = call("patch", f"/talent/{talent.pk}", users["office"], {
        "version": talent.version, "specialist_id": users["specialist"].pk, "project_id": other.pk,
        "link_kind": "brings_project"})
    assert moved.status_code == 200 and moved.json()["specialist"]["id"] == users["specialist"].pk
    history = call("get", f"/talent/{talent.pk}/history", users["district"])
    assert history.status_code == 200
    body = history.json()
    assert [c["to_stage"] for c in body["stage_changes"]] == ["intention", "negotiation", "site_visit", "signed"]
    assert body["specialist_assignments"][-1]["specialist"]["id"] == users["specialist"].pk
    assert body["specialist_assignments"][-1]["assigned_by"]["id"] == users["office"].pk
    assert body["timeline"][0]["kind"] in ("edit", "specialist")
    assert "长寿储能" not in history.content.decode()
    assert "其他单位的项目" in history.content.decode()
    office = call("get", f"/talent/{talent.pk}/history", users["office"]).content.decode()
    assert "长寿储能电池项目" in office
    assert call("get", f"/talent/{talent.pk}/history", users["district2"]).status_code == 404
