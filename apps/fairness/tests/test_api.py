"""The fair-competition API as a script calls it: /api/v1/fairness on the site's own API, with a real bearer
token. The check stores nothing; the queue is read as the pages read it; only the office reviews."""


import pytest

from apps.audit.models import AuditLog
from apps.core.testing import api_caller
from apps.fairness import services
from apps.fairness.models import FairnessFlag, FlagStatus

pytestmark = pytest.mark.django_db
TERMS = "甲方协助乙方办理项目立项手续。甲方对乙方实行企业所得税先征后返。甲方以零地价向乙方供应项目用地。"


@pytest.fixture
def call(client):
    return api_caller(client, "/api/v1/fairness")


@pytest.fixture
def flags(make_project):
    """Two open flags on a project of 九龙坡区."""
    return services.flags_refresh(obj=make_project(unit_name="九龙坡区"), texts={"terms": TERMS})


def state():
    return (list(FairnessFlag.objects.order_by("pk").values_list("pk", "status", "review_note")),
            AuditLog.objects.exclude(model="accounts.user").count())


def test_check_names_rule_article_and_sentence_and_stores_nothing(call, users):
    before = state()
    response = call("post", "/check", users["district2"], {"text": TERMS})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    rebate = body["findings"][0]
    assert rebate["rule_name"] == "税收返还" and rebate["article"] == "第十条第（一）项"
    assert rebate["excerpt"] == "甲方对乙方实行企业所得税先征后返。" and rebate["matched"] == "先征后返"
    assert TERMS[rebate["start"]:rebate["end"]] == "先征后返"
    assert body["source"]["title"] == "公平竞争审查条例"
    assert call("post", "/check", users["leader"], {"text": "甲方协助乙方办理项目立项手续。"}).json()["count"] == 0
    blank = call("post", "/check", users["office"], {"text": "  "})
    assert blank.status_code == 400 and blank.json()["field"] == "text" and "条款文字" in blank.json()["detail"]
    assert call("post", "/check", users["office"], {}).json()["detail"] == "text：必填。"
    assert state() == before
    assert call("post", "/check", None, {"text": TERMS}).status_code == 401


def test_queue_and_one_flag_follow_the_readers_unit(call, users, flags):
    queue = call("get", "/flags", users["office"])
    assert queue.status_code == 200 and queue.json()["count"] == 2
    row = queue.json()["items"][0]
    assert row["target"]["type"] == "projects.project" and row["unit"]["name"] == "九龙坡区"
    assert row["status_label"] == "待审查"
    assert call("get", "/flags", users["district"]).json()["count"] == 2
    assert call("get", "/flags", users["district2"]).json()["count"] == 0
    assert call("get", "/flags?q=零地价", users["leader"]).json()["count"] == 1
    assert call("get", "/flags?status=cleared", users["office"]).json()["count"] == 0
    bad = call("get", "/flags?status=done", users["office"])
    assert bad.status_code == 400 and "状态（status）" in bad.json()["detail"]
    one = call("get", f"/flags/{flags[0].pk}", users["district"])
    assert one.status_code == 200 and one.json()["sentence"] == flags[0].sentence
    hidden = call("get", f"/flags/{flags[0].pk}", users["district2"])
    assert hidden.status_code == 404 and "先征后返" not in hidden.content.decode()


def test_only_the_office_reviews_and_a_review_needs_its_basis(call, users, flags):
    path = f"/flags/{flags[0].pk}/review"
    payload = {"status": "cleared", "note": "依据国务院批准的西部大开发税收政策。"}
    before = state()
    assert call("post", path, users["district2"], payload).status_code == 404
    for who in ("district", "leader"):
        refused = call("post", path, users[who], payload)
        assert refused.status_code == 403 and "只有驻京办" in refused.json()["detail"], who
    no_note = call("post", path, users["office"], {"status": "cleared", "note": " "})
    assert no_note.status_code == 400 and no_note.json()["field"] == "note" and "审查意见" in no_note.json()["detail"]
    reopened = call("post", path, users["office"], {"status": "open", "note": "再看看"})
    assert reopened.status_code == 400 and reopened.json()["field"] == "status"
    assert state() == before
    reviewed = call("post", path, users["office"], payload)
    assert reviewed.status_code == 200
    body = reviewed.json()
    assert body["status"] == "cleared" and body["status_label"] == "已确认无问题"
    assert body["reviewed_by"]["id"] == users["office"].pk and body["review_note"] == payload["note"]
    assert FairnessFlag.objects.get(pk=flags[0].pk).status == FlagStatus.CLEARED
    assert call("get", "/flags", users["office"]).json()["count"] == 1


def test_the_queue_is_a_bounded_number_of_queries(call, users, make_project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert call("get", "/flags", users["office"]).status_code == 200
        return len(queries)

    services.flags_refresh(obj=make_project(), texts={"terms": TERMS})
    few = count()
    for _ in range(4):
        services.flags_refresh(obj=make_project(), texts={"terms": TERMS})
    assert count() == few
