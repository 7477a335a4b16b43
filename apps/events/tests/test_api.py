"""活动与签约 over JSON: what a client reads back, the totals as edits and withdrawals change them, and
every refusal as a Chinese sentence naming the field — with nothing written. The `event` and `sign`
fixtures here shadow conftest.py's: this event is run by 九龙坡区, so its district staff are the
organisers."""

import datetime
from decimal import Decimal

import pytest

from apps.audit.models import AuditLog
from apps.chains.models import Cluster
from apps.core.testing import bearer, text
from apps.events.models import Event, Signing
from apps.events.services import event_create, signing_create, signing_withdraw
from apps.projects.models import Project, StageChange

D = datetime.date
API = "/api/v1/events"
SIGNINGS = "/api/v1/signings"


def post(client, url, data, **kwargs):
    return client.post(url, data, content_type="application/json", **kwargs)


def patch(client, url, data, **kwargs):
    return client.patch(url, data, content_type="application/json", **kwargs)


def rows() -> dict:
    """What a refused request must leave as it was."""
    return {"events": Event.objects.count(), "signings": Signing.objects.count(),
            "audit": AuditLog.objects.count(), "stage_changes": StageChange.objects.count(),
            "signing_versions": sorted(Signing.objects.values_list("pk", "version", "order", "amount", "status")),
            "event_versions": sorted(Event.objects.values_list("pk", "version", "title", "date"))}


@pytest.fixture
def event(users):
    """A two-day promotion run by 九龙坡区."""
    return event_create(actor=users["district"], values={
        "title": "2025中国北京·重庆产业合作推介会", "kind": "promotion", "date": D(2025, 11, 1),
        "end_date": D(2025, 11, 2), "city": "北京", "venue": "北京饭店", "hosts": "主办 重庆市人民政府"})


@pytest.fixture
def ready(make_project, users):
    """A project the stage rules let sign (it has a planned investment and a service specialist)."""
    def make(unit_name="九龙坡区", **fields):
        fields.setdefault("planned_investment", Decimal("800000000"))
        fields.setdefault("specialist", users["specialist"] if unit_name == "九龙坡区" else None)
        return make_project(unit_name=unit_name, **fields)

    return make


@pytest.fixture
def sign(users):
    def make(project, event=None, *, amount="500000000", agreement="framework", actor=None, date=None, order=None):
        values = {"agreement_type": agreement, "amount": None if amount is None else Decimal(amount),
                  "date": date or (event.date if event else D(2025, 11, 1)), "order": order}
        return signing_create(actor=actor or users["office"], project=project, event=event, values=values,
                              advance_stage=False)

    return make


# --- events ------------------------------------------------------------------------------------------

def test_office_registers_an_event_with_a_token_and_reads_it_back(client, users, units):
    response = post(client, API, {"title": "院士专家北京行", "kind": "salon", "date": "2025-10-20",
                                  "unit_id": units["长寿区"].pk, "attendee_count": 400,
                                  "attendee_count_is_floor": True}, headers=bearer(client, users["office"]))
    assert response.status_code == 201
    body = response.json()
    assert body["unit"]["name"] == "长寿区" and body["kind_label"] == "院士人才沙龙" and body["version"] == 1
    assert body["attendee_count"] == 400 and body["attendee_count_is_floor"] is True
    assert body["totals"] == {"count": 0, "amount": "0.00", "amount_text": "0元", "undisclosed": 0, "by_type": {},
                              "by_cluster": [], "rates": [], "rates_text": ""}
    assert body["may_change"] is True


def test_a_district_registers_for_its_own_unit_by_default(client, users):
    client.force_login(users["district2"])
    response = post(client, API, {"title": "长寿区招商推介会", "date": "2025-09-10"})
    assert response.status_code == 201 and response.json()["unit"]["name"] == "长寿区"


def test_event_refusals_name_the_field_and_write_nothing(client, users, units, event):
    client.force_login(users["district"])
    before = rows()
    cases = [
        ({"title": "  ", "date": "2025-11-01"}, 400, "title", "活动名称"),
        ({"title": "推介会", "date": "2025-11-01", "end_date": "2025-10-31"}, 400, "end_date", "不能早于"),
        ({"title": "推介会", "date": "2025-11-01", "kind": "party"}, 400, "kind", "活动类型"),
        ({"title": "推介会", "date": "2025-11-01", "attendee_count_is_floor": True}, 400, "attendee_count", "参会人数"),
        # A district registers only its own unit's events.
        ({"title": "推介会", "date": "2025-11-01", "unit_id": units["长寿区"].pk}, 400, "unit_id", "本单位"),
        ({"title": "推介会", "date": "2025-11-01", "unit_id": 999999}, 404, "unit_id", "组织单位"),
        ({"title": "推介会"}, 422, None, "date：必填"),
        ({"title": "推介会", "date": "2025-11-01", "attendee_count": "很多"}, 422, None, "attendee_count：应为整数"),
    ]
    for data, status, field, words in cases:
        response = post(client, API, data)
        assert response.status_code == status, data
        assert response.json().get("field") == field and words in response.json()["detail"], response.json()
    assert rows() == before


def test_the_list_gives_count_amount_and_the_amount_as_people_say_it(client, users, event, ready, sign):
    sign(ready(), event, amount="20000000000")
    sign(ready(), event, amount="3950000000")
    withdrawn = sign(ready(), event, amount="100000000")
    signing_withdraw(actor=users["office"], signing=withdrawn, reason="企业决策推迟")
    event_create(actor=users["office"], values={"title": "院士专家座谈会", "kind": "seminar", "date": D(2024, 6, 1)})
    client.force_login(users["leader"])
    body = client.get(API).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["title"] == event.title
    assert (first["signing_count"], first["signing_amount"], first["amount_text"]) == (2, "23950000000.00", "239.5亿元")
    assert (body["items"][1]["signing_count"], body["items"][1]["signing_amount"],
            body["items"][1]["amount_text"]) == (0, "0.00", "0元")
    assert [e["title"] for e in client.get(API, {"year": 2024}).json()["items"]] == ["院士专家座谈会"]
    assert [e["title"] for e in client.get(API, {"kind": "promotion"}).json()["items"]] == [event.title]
    assert [e["title"] for e in client.get(API, {"q": "北京饭店"}).json()["items"]] == [event.title]
    assert client.get(API, {"year": "去年"}).status_code == 422


def test_detail_totals_count_projects_types_and_clusters(client, users, event, ready, sign):
    clusters = list(Cluster.objects.order_by("pk")[:2])
    sign(ready(cluster=clusters[0]), event, amount="300000000", agreement="contract")
    sign(ready(cluster=clusters[0]), event, amount="200000000", agreement="framework")
    sign(ready(cluster=clusters[1]), event, amount=None, agreement="intention")
    sign(ready(), event, amount="50000000", agreement="contract")
    client.force_login(users["district2"])
    totals = client.get(f"{API}/{event.pk}").json()["totals"]
    assert totals["count"] == 4 and totals["amount"] == "550000000.00" and totals["amount_text"] == "5.5亿元"
    assert totals["undisclosed"] == 1
    assert totals["by_type"] == {"contract": 2, "framework": 1, "intention": 1}
    assert totals["by_cluster"] == [
        {"cluster": clusters[0].name, "count": 2, "amount": "500000000.00"},
        {"cluster": None, "count": 1, "amount": "50000000.00"},
        {"cluster": clusters[1].name, "count": 1, "amount": "0.00"},
    ]


def test_patch_event_with_the_version_read(client, users, event):
    client.force_login(users["district_admin"])
    response = patch(client, f"{API}/{event.pk}", {"version": 1, "venue": "国家会议中心", "attendee_count": 420})
    assert response.status_code == 200
    assert response.json()["venue"] == "国家会议中心" and response.json()["version"] == 2
    assert response.json()["title"] == event.title  # fields not sent stay as they were
    before = rows()
    stale = patch(client, f"{API}/{event.pk}", {"version": 1, "venue": "北京饭店"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version" and "他人修改" in stale.json()["detail"]
    assert rows() == before
    assert Event.objects.get(pk=event.pk).venue == "国家会议中心"


def test_patch_event_refusals_name_the_field(client, users, units, event, ready, sign):
    sign(ready(), event, date=D(2025, 11, 2))
    client.force_login(users["district"])
    before = rows()
    moved = patch(client, f"{API}/{event.pk}", {"version": 1, "end_date": None})
    assert moved.status_code == 400 and moved.json()["field"] == "date"
    assert "2025年11月2日" in moved.json()["detail"]
    blank = patch(client, f"{API}/{event.pk}", {"version": 1, "title": ""})
    assert blank.status_code == 400 and blank.json()["field"] == "title"
    other = patch(client, f"{API}/{event.pk}", {"version": 1, "unit_id": units["长寿区"].pk})
    assert other.status_code == 400 and other.json()["field"] == "unit_id"
    # A field that must have a value cannot be sent as null.
    assert patch(client, f"{API}/{event.pk}", {"version": 1, "date": None}).status_code == 422
    assert patch(client, f"{API}/{event.pk}", {"venue": "别处"}).status_code == 422  # no version
    assert rows() == before


def test_unknown_event_is_404_in_chinese(client, users):
    client.force_login(users["office"])
    for response in [client.get(f"{API}/999999"), client.get(f"{API}/999999/signings"),
                     client.get(f"{API}/999999/tally"), patch(client, f"{API}/999999", {"version": 1}),
                     post(client, f"{API}/999999/signings", {"project_id": 1, "agreement_type": "intention"}),
                     post(client, f"{API}/999999/signings/order", {"ids": []})]:
        assert response.status_code == 404 and response.json()["detail"] == "记录不存在或您无权查看。"


# --- signings ----------------------------------------------------------------------------------------

def test_a_signing_in_words_moves_the_project_and_counts(client, users, event, ready):
    project = ready()
    client.force_login(users["district"])
    response = post(client, f"{API}/{event.pk}/signings", {
        "project_id": project.pk, "agreement_type": "contract", "amount_text": "5亿元", "date": "2025-11-02",
        "our_signatory": "九龙坡区人民政府 副区长", "their_signatory": "企业 董事长"})
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["amount_text"], body["agreement_label"]) == ("500000000.00", "5亿元", "正式合同")
    assert body["event"]["id"] == event.pk and body["order"] == 1 and body["status"] == "active"
    # 正式合同 moves the project to 签约, with the signing's date and amount.
    assert body["project"]["stage"] == "signed" and body["project"]["stage_label"] == "签约"
    project.refresh_from_db()
    assert (project.signed_date, project.signed_amount) == (D(2025, 11, 2), Decimal("500000000"))
    totals = client.get(f"{API}/{event.pk}").json()["totals"]
    assert (totals["count"], totals["amount_text"]) == (1, "5亿元")


def test_a_signing_in_yuan_as_number_or_string(client, users, event, ready):
    client.force_login(users["office"])
    for amount in [300000000, "300000000.00", "  30000000.5 "]:
        response = post(client, f"{API}/{event.pk}/signings", {"project_id": ready().pk, "agreement_type": "intention",
                                                                "amount": amount})
        assert response.status_code == 201, response.json()
        assert response.json()["amount"] == f"{Decimal(str(amount).strip()):.2f}"
    # Not disclosed: no amount at all; the signing still counts as a project.
    response = post(client, f"{API}/{event.pk}/signings", {"project_id": ready().pk, "agreement_type": "intention"})
    assert response.status_code == 201 and response.json()["amount"] is None
    assert response.json()["date"] == "2025-11-01"  # an event's signing defaults to the event's first day
    totals = client.get(f"{API}/{event.pk}").json()["totals"]
    assert (totals["count"], totals["undisclosed"], totals["amount"]) == (4, 1, "630000000.50")


@pytest.mark.parametrize("amounts, field, words", [
    ({"amount": "abc"}, "amount", "无法识别“abc”"),
    ({"amount": "5亿元"}, "amount", "amount_text"),
    ({"amount": "NaN"}, "amount", "无法识别"),
    ({"amount": "0"}, "amount", "不能为0"),
    ({"amount": 0}, "amount", "不能为0"),
    ({"amount": "-5"}, "amount", "负数"),
    ({"amount": "1.234"}, "amount", "精确到分"),
    ({"amount": "2000000000000"}, "amount", "超过1万亿元"),
    ({"amount_text": "5000"}, "amount_text", "没有单位"),
    ({"amount_text": "五亿"}, "amount_text", "无法识别"),
    ({"amount_text": "0万元"}, "amount_text", "不能为0"),
    ({"amount": "500000000", "amount_text": "5亿元"}, "amount", "只填一个"),
])
def test_bad_amounts_are_400_naming_the_field_sent(client, users, event, ready, amounts, field, words):
    project = ready()
    client.force_login(users["district"])
    before = rows()
    for url in [f"{API}/{event.pk}/signings", SIGNINGS]:
        response = post(client, url, {"project_id": project.pk, "agreement_type": "contract", "date": "2025-11-01",
                                      **amounts})
        assert response.status_code == 400, response.json()
        assert response.json()["field"] == field and response.json()["detail"].startswith("签约金额：")
        assert words in response.json()["detail"]
    assert rows() == before
    assert Project.objects.get(pk=project.pk).stage == "lead"


def test_a_date_outside_the_event_is_400_on_date(client, users, event, ready):
    project = ready()
    client.force_login(users["district"])
    before = rows()
    response = post(client, f"{API}/{event.pk}/signings", {"project_id": project.pk, "agreement_type": "intention",
                                                            "date": "2025-11-03"})
    assert response.status_code == 400 and response.json()["field"] == "date"
    assert "2025年11月1日至2025年11月2日" in response.json()["detail"]
    assert rows() == before


def test_other_signing_refusals(client, users, event, ready, make_project):
    client.force_login(users["district"])
    project = ready()
    before = rows()
    cases = [
        ({"project_id": project.pk, "agreement_type": "memo"}, 400, "agreement_type"),
        ({"project_id": project.pk, "agreement_type": "intention", "order": 0}, 400, "order"),
        ({"project_id": 999999, "agreement_type": "intention"}, 404, "project_id"),
        ({"agreement_type": "intention"}, 422, None),
        ({"project_id": project.pk, "agreement_type": "intention", "date": "11月1日"}, 422, None),
    ]
    for data, status, field in cases:
        response = post(client, f"{API}/{event.pk}/signings", data)
        assert response.status_code == status and response.json().get("field") == field, (data, response.json())
    assert rows() == before


def test_a_stage_rule_refusal_names_advance_stage_and_can_be_skipped(client, users, event, make_project):
    bare = make_project()  # no planned investment, no specialist: cannot reach 意向/协议
    client.force_login(users["district"])
    before = rows()
    refused = post(client, f"{API}/{event.pk}/signings", {"project_id": bare.pk, "agreement_type": "intention"})
    assert refused.status_code == 400 and refused.json()["field"] == "advance_stage"
    assert refused.json()["detail"].startswith("同时更新项目阶段：") and "服务专员" in refused.json()["detail"]
    assert rows() == before
    alone = post(client, f"{API}/{event.pk}/signings", {"project_id": bare.pk, "agreement_type": "intention",
                                                         "advance_stage": False})
    assert alone.status_code == 201 and alone.json()["project"]["stage"] == "lead"


def test_a_project_signs_once_per_event_until_withdrawn(client, users, event, ready):
    project = ready()
    client.force_login(users["district"])
    first = post(client, f"{API}/{event.pk}/signings", {"project_id": project.pk, "agreement_type": "intention",
                                                         "amount_text": "3000万元"})
    assert first.status_code == 201
    before = rows()
    again = post(client, f"{API}/{event.pk}/signings", {"project_id": project.pk, "agreement_type": "contract",
                                                         "amount_text": "5亿元"})
    assert again.status_code == 409 and again.json()["field"] == "project_id"
    assert again.json()["code"] == "already_signed" and "第1位" in again.json()["detail"]
    assert rows() == before
    post(client, f"{SIGNINGS}/{first.json()['id']}/withdraw", {"reason": "录入有误"})
    again = post(client, f"{API}/{event.pk}/signings", {"project_id": project.pk, "agreement_type": "contract",
                                                         "amount_text": "5亿元"})
    assert again.status_code == 201
    assert client.get(f"{API}/{event.pk}").json()["totals"]["amount_text"] == "5亿元"


def test_an_archived_project_is_refused_with_the_reason(client, users, event, ready):
    from apps.projects.services import project_archive

    project = project_archive(actor=users["office"], project=ready(), reason="重复登记")
    client.force_login(users["district"])
    response = post(client, f"{API}/{event.pk}/signings", {"project_id": project.pk, "agreement_type": "intention"})
    assert response.status_code == 400 and response.json()["field"] == "project_id"
    assert "已归档" in response.json()["detail"]


def test_a_signing_without_an_event(client, users, event, ready):
    project = ready()
    client.force_login(users["specialist"])  # the project's service specialist records it
    response = post(client, SIGNINGS, {"project_id": project.pk, "agreement_type": "framework",
                                       "amount_text": "1.5亿", "date": "2025-12-01"})
    assert response.status_code == 201
    body = response.json()
    assert body["event"] is None and body["amount"] == "150000000.00" and body["project"]["stage"] == "signed"
    assert client.get(f"{API}/{event.pk}").json()["totals"]["count"] == 0
    # Without an event there is no default date.
    response = post(client, SIGNINGS, {"project_id": ready().pk, "agreement_type": "intention"})
    assert response.status_code == 400 and response.json()["field"] == "date"


def test_patch_signing_changes_the_totals(client, users, event, ready, sign):
    signing = sign(ready(), event, amount="500000000")
    sign(ready(), event, amount="100000000")
    client.force_login(users["district"])
    response = patch(client, f"{SIGNINGS}/{signing.pk}", {"version": 1, "amount_text": "8亿元", "their_signatory": "董事长"})
    assert response.status_code == 200
    assert (response.json()["amount_text"], response.json()["their_signatory"], response.json()["version"]) == (
        "8亿元", "董事长", 2)
    assert client.get(f"{API}/{event.pk}").json()["totals"]["amount_text"] == "9亿元"
    response = patch(client, f"{SIGNINGS}/{signing.pk}", {"version": 2, "amount": None})
    assert response.status_code == 200 and response.json()["amount"] is None
    totals = client.get(f"{API}/{event.pk}").json()["totals"]
    assert (totals["count"], totals["amount_text"], totals["undisclosed"]) == (2, "1亿元", 1)
    # Fields not sent stay as they were.
    response = patch(client, f"{SIGNINGS}/{signing.pk}", {"version": 3, "our_signatory": "副区长"})
    assert response.json()["amount"] is None and response.json()["their_signatory"] == "董事长"


def test_patch_signing_refusals(client, users, event, ready, sign):
    signing = sign(ready(), event)
    client.force_login(users["district"])
    before = rows()
    cases = [
        ({"version": 0, "amount_text": "8亿元"}, 409, None, "stale_version"),
        ({"version": 1, "amount": "八亿"}, 400, "amount", "invalid"),
        ({"version": 1, "amount_text": "8"}, 400, "amount_text", "unit_missing"),
        ({"version": 1, "date": "2025-10-31"}, 400, "date", "invalid"),
        ({"version": 1, "agreement_type": "memo"}, 400, "agreement_type", "invalid"),
    ]
    for data, status, field, code in cases:
        response = patch(client, f"{SIGNINGS}/{signing.pk}", data)
        assert (response.status_code, response.json().get("field"), response.json()["code"]) == (status, field, code)
    assert rows() == before
    assert patch(client, f"{SIGNINGS}/999999", {"version": 1}).status_code == 404


def test_withdraw_keeps_the_row_and_stops_counting(client, users, event, ready, sign):
    signing = sign(ready(), event, amount="500000000")
    sign(ready(), event, amount="100000000")
    client.force_login(users["district"])
    before = rows()
    refused = post(client, f"{SIGNINGS}/{signing.pk}/withdraw", {"reason": "  "})
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    assert rows() == before
    response = post(client, f"{SIGNINGS}/{signing.pk}/withdraw", {"reason": "企业决策推迟"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["status_label"], body["withdrawn_reason"]) == ("withdrawn", "已撤回", "企业决策推迟")
    assert body["withdrawn_by"]["id"] == users["district"].pk
    totals = client.get(f"{API}/{event.pk}").json()["totals"]
    assert (totals["count"], totals["amount_text"]) == (1, "1亿元")
    listing = client.get(f"{API}/{event.pk}/signings").json()
    assert [s["id"] for s in listing["withdrawn"]] == [signing.pk] and signing.pk not in [s["id"] for s in listing["signings"]]
    again = post(client, f"{SIGNINGS}/{signing.pk}/withdraw", {"reason": "再撤一次"})
    assert again.status_code == 409 and again.json()["code"] == "already_withdrawn"
    edit = patch(client, f"{SIGNINGS}/{signing.pk}", {"version": body["version"], "amount_text": "1亿元"})
    assert edit.status_code == 400 and edit.json()["field"] == "status"


def test_reorder_the_ceremony(client, users, event, ready, sign):
    first, second, third = (sign(ready(), event) for _ in range(3))
    client.force_login(users["district"])
    response = post(client, f"{API}/{event.pk}/signings/order", {"ids": [third.pk, first.pk, second.pk]})
    assert response.status_code == 200
    assert [(s["id"], s["order"]) for s in response.json()["signings"]] == [(third.pk, 1), (first.pk, 2), (second.pk, 3)]
    before = rows()
    stale = post(client, f"{API}/{event.pk}/signings/order", {"ids": [third.pk, first.pk]})
    assert stale.status_code == 409 and stale.json()["field"] == "order" and stale.json()["code"] == "stale_order"
    doubled = post(client, f"{API}/{event.pk}/signings/order", {"ids": [third.pk, first.pk, first.pk, second.pk]})
    assert doubled.status_code == 409
    assert rows() == before


def test_a_signing_entered_at_a_place_moves_the_others_down(client, users, event, ready, sign):
    first, second = sign(ready(), event), sign(ready(), event)
    client.force_login(users["district"])
    response = post(client, f"{API}/{event.pk}/signings", {"project_id": ready().pk, "agreement_type": "intention",
                                                            "order": 1})
    assert response.status_code == 201 and response.json()["order"] == 1
    listing = client.get(f"{API}/{event.pk}/signings").json()["signings"]
    assert [s["id"] for s in listing] == [response.json()["id"], first.pk, second.pk]
    assert [s["order"] for s in listing] == [1, 2, 3]


def test_event_signings_list_what_the_reader_may_see(client, users, event, ready, sign):
    own = sign(ready("长寿区"), event, actor=users["district2"])
    sign(ready(), event)
    client.force_login(users["district2"])
    body = client.get(f"{API}/{event.pk}/signings").json()
    assert [s["id"] for s in body["signings"]] == [own.pk] and body["hidden"] == 1
    assert body["signings"][0]["may_change"] is True
    client.force_login(users["leader"])
    body = client.get(f"{API}/{event.pk}/signings").json()
    assert len(body["signings"]) == 2 and body["hidden"] == 0
    assert [s["may_change"] for s in body["signings"]] == [False, False]


def test_tally_gives_totals_latest_first_and_a_stamp_that_moves(client, users, event, ready, sign):
    hidden = sign(ready(), event, amount="200000000")
    own = sign(ready("长寿区"), event, amount=None, agreement="intention", actor=users["district2"])
    client.force_login(users["district2"])
    body = client.get(f"{API}/{event.pk}/tally").json()
    assert (body["totals"]["count"], body["totals"]["amount_text"], body["totals"]["undisclosed"]) == (2, "2亿元", 1)
    assert body["latest"] == [
        {"order": 2, "name": own.project.name, "unit": "长寿区", "amount": None, "agreement": "意向协议"},
        # Another unit's signing: counted in the totals; to this reader only the fact that it happened.
        {"order": 1, "name": None, "unit": None, "amount": None, "agreement": None},
    ]
    assert hidden.project.name not in text(client.get(f"{API}/{event.pk}/tally"))
    stamp = body["stamp"]
    assert client.get(f"{API}/{event.pk}/tally").json()["stamp"] == stamp
    patch(client, f"{SIGNINGS}/{own.pk}", {"version": own.version, "amount_text": "1亿元"})
    after = client.get(f"{API}/{event.pk}/tally").json()
    assert after["stamp"] != stamp and after["totals"]["amount_text"] == "3亿元"


def test_a_row_a_service_cannot_find_is_a_404_not_a_500(client, users, event, ready, sign, monkeypatch):
    """The services raise Model.DoesNotExist for a row the actor may not see (a row hidden between the
    endpoint's read and the service's lock); the API's handlers only know Http404."""
    import apps.events.api as events_api

    def vanished(**kwargs):
        raise Signing.DoesNotExist

    signing = sign(ready(), event)
    monkeypatch.setattr(events_api, "signing_withdraw", vanished)
    client.force_login(users["office"])
    response = post(client, f"{SIGNINGS}/{signing.pk}/withdraw", {"reason": "理由"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
