"""Every cockpit figure against the year in conftest.py, counted by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.cockpit.selectors import StatsFilter, summary
from apps.cockpit.tests.conftest import PERIOD, TODAY, YI, intention, move
from apps.core.errors import DomainError
from apps.core.schemas import ReferenceNotFound
from apps.recommendations.selectors import funnel
from apps.units.selectors import unit_rollup_note

D = datetime.date
F = StatsFilter(*PERIOD)


def yi(n) -> Decimal:
    return (Decimal(str(n)) * YI).quantize(Decimal("0.01"))


def rows(data, key):
    return {row["label"]: (row["count"], row["amount"]) for row in data[key]}


def test_default_period_is_the_year_so_far():
    assert StatsFilter.default_period(D(2025, 11, 6)) == (D(2025, 1, 1), D(2025, 11, 6))


def test_headline_figures(users, year):
    data = summary(actor=users["office"], f=F, today=TODAY)
    stages = {row["key"]: row["count"] for row in data["stages"]}
    # P4 意向; P2, P3, P5 签约; P1 注册落地; P6 投产; P7 archived counts nowhere.
    assert stages == {"lead": 0, "contact": 0, "recommended": 0, "site_visit": 0, "intention": 1, "signed": 3,
                      "registered": 1, "construction": 0, "production": 1, "paused": 0, "terminated": 0}
    # P1 5亿 + P2 18亿 + P3 3亿 + P5 4亿 (once, though it signed at two events).
    assert (data["signed"]["count"], data["signed"]["amount"]) == (4, yi(30))
    assert data["signed"]["params"] == {"signed_from": "2025-01-01", "signed_to": "2025-12-31"}
    assert (data["signed_to_date"]["count"], data["signed_to_date"]["amount"]) == (5, yi(31))  # + P6 in 2024
    assert (data["landed"]["count"], data["landed"]["amount"]) == (1, yi(5))                    # P1
    assert data["in_production"]["count"] == 1                                                   # P6
    # 1.2亿 (P1) + 2亿 (P2; the withdrawn 1亿 not) + 0.5亿 (P6) against 5 + 18 + 1 亿 = 15.4%.
    assert data["funds"]["total"] == yi("3.7")
    assert (data["funds"]["projects"], data["funds"]["signed_amount"]) == (3, yi(24))
    assert data["funds"]["percent"] == Decimal("15.4")
    assert data["overdue_requests"]["count"] == 1          # P2's; P1's is not yet due; P7 archived
    assert data["stalled"]["count"] == 1                   # P4's open alert; P2's resolved; P7 archived


def test_breakdowns_split_the_signed_projects(users, units, year, clusters):
    data = summary(actor=users["office"], f=F, today=TODAY)
    a, b = clusters["A"], clusters["B"]
    assert rows(data, "by_cluster") == {b.name: (2, yi(22)), a.name: (2, yi(8))}
    assert [row["label"] for row in data["by_cluster"]] == [b.name, a.name]   # larger amount first
    assert data["by_cluster"][0]["tier"] == b.tier
    assert data["by_cluster"][0]["params"] == {"cluster": b.pk, "signed_from": "2025-01-01",
                                               "signed_to": "2025-12-31"}
    assert rows(data, "by_chain_role") == {"强链": (1, yi(5)), "固链": (1, yi(4)), "补链": (1, yi(18)),
                                           "延链": (1, yi(3))}
    assert rows(data, "by_unit") == {"长寿区": (2, yi(22)), "九龙坡区": (1, yi(5)), "两江新区": (1, yi(3))}
    by_source = rows(data, "by_source_unit")
    assert by_source == {"未填写": (3, yi(25)), "驻京办": (1, yi(5))}
    assert [row for row in data["by_source_unit"] if row["label"] == "未填写"][0]["params"]["source_unit"] == "none"
    months = data["by_month"]
    assert [row["key"] for row in months] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert {row["key"]: (row["count"], row["amount"]) for row in months if row["count"]} == {
        "2025-06": (1, yi(18)), "2025-11": (3, yi(12))}
    assert months[1]["params"] == {"signed_from": "2025-02-01", "signed_to": "2025-02-28"}
    for key in ("by_cluster", "by_chain_role", "by_unit", "by_source_unit", "by_month"):
        assert sum(row["count"] for row in data[key]) == data["signed"]["count"], key
        assert sum(row["amount"] for row in data[key]) == data["signed"]["amount"], key


def test_ranking_lists_every_district_largest_first(users, units, year):
    ranking = summary(actor=users["office"], f=F, today=TODAY)["ranking"]
    assert [(row["label"], row["rank"]) for row in ranking[:3]] == [("长寿区", 1), ("九龙坡区", 2), ("两江新区", 3)]
    names = [row["label"] for row in ranking]
    # Districts with nothing signed share the next place; ended units appear only inside their successor.
    assert "驻京办" not in names and "江北区" not in names and "渝北区" not in names
    assert all(row["rank"] == 4 and row["count"] == 0 for row in ranking[3:]) and len(ranking) > 10
    assert ranking[0]["params"] == {"unit": units["长寿区"].pk, "signed_from": "2025-01-01",
                                    "signed_to": "2025-12-31"}


def test_jiangbei_rolls_up_into_liangjiang_with_the_note(users, units, year):
    data = summary(actor=users["office"], f=F, today=TODAY)
    liangjiang = next(row for row in data["by_unit"] if row["label"] == "两江新区")
    assert liangjiang["key"] == units["两江新区"].pk and liangjiang["includes"] == ["江北区"]
    assert liangjiang["note"] == unit_rollup_note(units["两江新区"])
    assert "原江北区" in liangjiang["note"] and "2025年11月6日" in liangjiang["note"]
    assert next(row for row in data["by_unit"] if row["label"] == "长寿区")["note"] == ""
    # A filter on 两江新区 takes in the old 江北区 project and says so.
    filtered = summary(actor=users["office"], f=StatsFilter(*PERIOD, unit_id=units["两江新区"].pk), today=TODAY)
    assert (filtered["signed"]["count"], filtered["signed"]["amount"]) == (1, yi(3))
    assert filtered["filter"]["unit"]["note"] == liangjiang["note"]
    assert filtered["signed"]["params"]["unit"] == units["两江新区"].pk


def test_cluster_filter(users, year, clusters):
    data = summary(actor=users["office"], f=StatsFilter(*PERIOD, cluster_id=clusters["A"].pk), today=TODAY)
    assert (data["signed"]["count"], data["signed"]["amount"]) == (2, yi(8))      # P1, P3 (P7 archived)
    assert {row["key"]: row["count"] for row in data["stages"] if row["count"]} == {"registered": 1, "signed": 1}
    assert rows(data, "by_cluster") == {clusters["A"].name: (2, yi(8))}


def test_reconciliation_counts_each_project_once(users, year):
    data = summary(actor=users["office"], f=F, today=TODAY)
    rec = data["reconciliation"]
    # Signed in 2025: P1, P3, P5 at events (5 + 3 + 4 亿), P2 on its own (18亿).
    assert (rec["signed_at_event"], rec["signed_at_event_amount"]) == (3, yi(12))
    assert (rec["signed_outside_events"], rec["signed_outside_events_amount"]) == (1, yi(18))
    assert rec["signed_at_event"] + rec["signed_outside_events"] == data["signed"]["count"]
    assert rec["signed_at_event_amount"] + rec["signed_outside_events_amount"] == data["signed"]["amount"]
    # At events: P1, P3, P4, P5; P4's is an 意向协议, so it is not in `signed`.
    assert rec["event_signing_projects"] == 4
    assert rec["event_signing_projects_in_signed"] == 3
    assert rec["event_signing_projects_not_in_signed"] == 1
    assert rec["event_signing_projects_intention_only"] == 1
    assert "在活动上签约3个" in rec["text"] and "1个仅签署意向协议" in rec["text"]
    # All signings of the year, each project once: P5 at its latest (the ceremony), P4's intention counts here.
    assert (data["signings"]["count"], data["signings"]["amount"]) == (5, yi(32))
    assert data["signings"]["by_type"] == {"framework": 2, "contract": 2, "intention": 1}
    events = {row["title"]: (row["count"], row["amount"]) for row in data["events"]}
    assert events == {"重庆市与京津冀地区产业对接活动": (4, yi(14)), "年末集中签约仪式": (1, yi(4))}


def test_intention_signed_later_moves_into_signed(users, year):
    """Once P4 reaches 签约 (a contract on its own), it is counted in `signed` — once — and its event
    signing is then among those counted."""
    from apps.events.services import signing_create

    signing_create(actor=users["office"], project=year["P4"], advance_stage=True,
                   values={"agreement_type": "contract", "amount": 2 * YI, "date": D(2025, 12, 20)})
    data = summary(actor=users["office"], f=F, today=TODAY)
    rec = data["reconciliation"]
    assert (data["signed"]["count"], data["signed"]["amount"]) == (5, yi(32))
    assert (rec["signed_at_event"], rec["signed_outside_events"]) == (3, 2)
    assert (rec["event_signing_projects_in_signed"], rec["event_signing_projects_intention_only"]) == (4, 0)
    assert data["signings"]["count"] == 5


def test_funnel_passes_the_recommendation_funnel_through(users, units, year):
    data = summary(actor=users["office"], f=F, today=TODAY)
    expected = funnel(actor=users["office"], start=PERIOD[0], end=PERIOD[1])
    steps = {row["key"]: row["count"] for row in data["funnel"]}
    assert {k: steps[k] for k in ("visited", "recommended", "site_visited")} == {
        k: expected[k] for k in ("visited", "recommended", "site_visited")}
    # Intentions in 2025: P1–P5 (P6's was in 2024; P7 is archived).
    assert (steps["intentions"], steps["signed"], steps["landed"]) == (5, 4, 1)


def test_a_district_sees_its_own_district(users, units, year):
    data = summary(actor=users["district"], f=F, today=TODAY)    # 九龙坡区: P1, P4, P6
    assert (data["signed"]["count"], data["signed"]["amount"]) == (1, yi(5))
    assert (data["signed_to_date"]["count"], data["signed_to_date"]["amount"]) == (2, yi(6))
    assert data["funds"]["total"] == yi("1.7")
    assert data["overdue_requests"]["count"] == 0 and data["stalled"]["count"] == 1
    assert rows(data, "by_unit") == {"九龙坡区": (1, yi(5))}
    assert [row["label"] for row in data["ranking"]] == ["九龙坡区"]
    assert (data["signings"]["count"], data["reconciliation"]["event_signing_projects"]) == (2, 2)  # P1, P4
    with pytest.raises(PermissionDenied, match="只能查看本单位的统计"):
        summary(actor=users["district"], f=StatsFilter(*PERIOD, unit_id=units["长寿区"].pk), today=TODAY)


def test_liangjiang_sees_the_old_jiangbei_projects(users, units, year):
    data = summary(actor=users["liangjiang"], f=F, today=TODAY)
    assert (data["signed"]["count"], data["signed"]["amount"]) == (1, yi(3))
    assert data["by_unit"][0]["label"] == "两江新区" and data["by_unit"][0]["includes"] == ["江北区"]
    own_old = summary(actor=users["liangjiang"], f=StatsFilter(*PERIOD, unit_id=units["江北区"].pk), today=TODAY)
    assert own_old["signed"]["count"] == 1


def test_bad_filters_name_the_field(users, year):
    with pytest.raises(DomainError) as error:
        summary(actor=users["office"], f=StatsFilter(D(2025, 12, 1), D(2025, 1, 1)), today=TODAY)
    assert error.value.field == "start"
    for f, field in ((StatsFilter(*PERIOD, unit_id=999999), "unit"), (StatsFilter(*PERIOD, cluster_id=999999),
                                                                      "cluster")):
        with pytest.raises(ReferenceNotFound) as missing:
            summary(actor=users["office"], f=f, today=TODAY)
        assert missing.value.field == field


def _queries(actor) -> int:
    with CaptureQueriesContext(connection) as ctx:
        summary(actor=actor, f=F, today=TODAY)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_projects(users, units, make_project, year, clusters,
                                                 django_assert_max_num_queries):
    from apps.fulfilment.services import funds_entry_add

    office = users["office"]
    before = _queries(office)
    for i, unit_name in enumerate(["九龙坡区", "长寿区", "两江新区", "渝中区"] * 3):
        p = make_project(unit_name=unit_name, cluster=clusters["AB"[i % 2]], chain_role="fill",
                         first_contact_date=D(2025, 1, 10))
        intention(p, office, D(2025, 2, 1))
        move(p, office, "signed", D(2025, 3 + i % 6, 1), signed_date=D(2025, 3 + i % 6, 1),
             agreement_type="contract", signed_amount=YI)
        funds_entry_add(actor=office, project=p, date=D(2025, 10, 1), amount=YI / 2)
    assert summary(actor=office, f=F, today=TODAY)["signed"]["count"] == 16
    with django_assert_max_num_queries(before):
        summary(actor=office, f=F, today=TODAY)
