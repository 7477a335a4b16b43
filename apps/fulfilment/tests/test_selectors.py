"""The figures people read: funds in place against the signed amount and the plan, the key dates, and
which alerts each person is shown."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from apps.fulfilment.selectors import (
    alert_counts,
    alerts_for,
    my_alerts,
    project_fulfilment,
    signed_projects,
    with_percentages,
)
from apps.fulfilment.services import funds_entry_add, funds_plan_set, raise_alerts
from apps.fulfilment.tests.conftest import WAN, YI, register, sign
from apps.projects.services import project_change_stage

D = datetime.date


@pytest.fixture
def tracked(signed_project, users):
    """Registered 2026-01-15; 1.2亿 + 3000万 arrived; plan 2亿 by 2026-03-31, 1亿 more by 2026-06-30."""
    register(signed_project, actor=users["district"], registered_date=D(2026, 1, 15))
    for day, amount in [(D(2025, 12, 15), Decimal("1.2") * YI), (D(2026, 1, 10), 3000 * WAN)]:
        funds_entry_add(actor=users["district"], project=signed_project, date=day, amount=amount, today=day)
    funds_plan_set(actor=users["district"], project=signed_project, items=[
        {"due_date": D(2026, 3, 31), "amount": 2 * YI}, {"due_date": D(2026, 6, 30), "amount": 1 * YI}])
    return signed_project


def test_project_fulfilment_figures(tracked, users):
    f = project_fulfilment(actor=users["district"], project=tracked, today=D(2026, 4, 1))
    assert f["applicable"] and f["may_change"]
    assert f["signed_amount"] == 5 * YI
    assert f["funds_total"] == Decimal("1.5") * YI and f["funds_percent"] == Decimal("30.0")
    assert [e.cumulative for e in f["entries"]] == [Decimal("1.2") * YI, Decimal("1.5") * YI]
    assert f["plan_total"] == 3 * YI
    assert f["plan_due"] == 2 * YI and f["plan_due_date"] == D(2026, 3, 31) and f["plan_due_percent"] == Decimal("40.0")
    assert f["behind_by"] == Decimal("0.5") * YI
    assert [(i.cumulative, i.is_due, i.met) for i in f["plan_items"]] == [(2 * YI, True, False), (3 * YI, False, False)]
    assert f["next_plan_item"].due_date == D(2026, 6, 30)
    dates = {row["field"]: row for row in f["key_dates"]}
    assert dates["signed_date"]["date"] == D(2025, 11, 1) and dates["signed_date"]["days_after_previous"] is None
    assert dates["registered_date"]["days_after_previous"] == 75
    assert dates["registered_date"]["days_since"] == 76
    assert dates["construction_start_date"]["date"] is None
    assert f["warning"] == ""


def test_project_fulfilment_for_a_reader_and_for_an_outsider(tracked, users):
    assert project_fulfilment(actor=users["leader"], project=tracked)["may_change"] is False
    assert project_fulfilment(actor=users["specialist"], project=tracked)["may_change"] is False
    for role in ["district2", "liangjiang"]:
        with pytest.raises(Http404):
            project_fulfilment(actor=users[role], project=tracked)


def test_a_project_before_signing_is_not_applicable(make_project, users):
    f = project_fulfilment(actor=users["district"], project=make_project())
    assert not f["applicable"] and not f["may_change"] and f["funds_percent"] is None
    assert f["entries"] == [] and f["plan_items"] == []


@pytest.fixture
def raised(signed_project, other_signed_project):
    raise_alerts(today=D(2026, 3, 1))  # each: unregistered and no activity


def test_alerts_follow_the_projects_visibility(raised, signed_project, other_signed_project, users):
    def names(role, **kw):
        return {a.project.name for a in alerts_for(actor=users[role], **kw)}

    both = {signed_project.name, other_signed_project.name}
    assert names("office") == names("leader") == both
    assert names("district") == names("specialist") == {signed_project.name}
    assert names("district2") == {other_signed_project.name}
    assert names("liangjiang") == set()
    assert names("office", unit_id=signed_project.unit_id) == {signed_project.name}
    assert len(alerts_for(actor=users["office"], kind="unregistered_after_signing")) == 2


def test_resolved_alerts_are_listed_only_when_asked(raised, signed_project, users):
    register(signed_project, actor=users["district"], registered_date=D(2026, 3, 1))
    raise_alerts(today=D(2026, 3, 2))
    # Registering ends both: the project is registered, and the move is work on it.
    assert list(alerts_for(actor=users["district"])) == []
    resolved = alerts_for(actor=users["district"], open_only=False)
    assert sorted((a.kind, a.resolved_reason) for a in resolved) == [
        ("no_activity", "2026年3月1日项目阶段有变更"), ("unregistered_after_signing", "已于2026年3月1日注册落地")]


def test_alert_counts(raised, users):
    assert alert_counts(actor=users["office"]) == {
        "unregistered_after_signing": 2, "funds_behind_plan": 0, "no_activity": 2, "total": 4}
    assert alert_counts(actor=users["district2"])["total"] == 2
    assert alert_counts(actor=users["liangjiang"])["total"] == 0


def test_my_alerts(raised, make_project, signed_project, other_signed_project, users):
    # t_office is the 骅远 specialist; t_district2 the 长寿区 one.
    assert {a.project_id for a in my_alerts(actor=users["office"])} == {signed_project.pk}
    assert {a.project_id for a in my_alerts(actor=users["district2"])} == {other_signed_project.pk}
    assert {a.project_id for a in my_alerts(actor=users["leader"])} == {signed_project.pk, other_signed_project.pk}
    assert list(my_alerts(actor=users["district"])) == []  # 骅远 has a specialist; it is not theirs
    quiet = make_project(name="久未联系的项目", actor=users["office"])
    project_change_stage(actor=users["office"], project=quiet, to_stage="contact", occurred_on=D(2025, 10, 2))
    raise_alerts(today=D(2026, 3, 1))
    # Without a specialist the unit's own staff carry it (they are the ones notified).
    assert {a.project_id for a in my_alerts(actor=users["district"])} == {quiet.pk}
    assert {a.project_id for a in my_alerts(actor=users["district_admin"])} == {quiet.pk}


def test_signed_projects_with_their_percentages_in_one_query(tracked, other_signed_project, make_project, users):
    make_project(name="未签约项目")
    with CaptureQueriesContext(connection) as ctx:
        rows = with_percentages(signed_projects(actor=users["office"], today=D(2026, 4, 1)))
    assert len(ctx.captured_queries) == 1
    figures = {p.name: (p.funds_total, p.funds_percent, p.plan_due, p.behind) for p in rows}
    assert figures == {
        tracked.name: (Decimal("1.5") * YI, Decimal("30.0"), 2 * YI, True),
        other_signed_project.name: (0, Decimal("0.0"), 0, False),
    }
    assert [p.name for p in signed_projects(actor=users["district2"])] == [other_signed_project.name]
    assert [p.name for p in signed_projects(actor=users["office"], unit_id=tracked.unit_id)] == [tracked.name]


def test_a_specialist_sees_the_projects_they_serve(make_project, users):
    elsewhere = sign(make_project(name="两江新区项目", unit_name="两江新区", actor=users["office"]),
                     actor=users["office"], specialist=users["specialist"])
    raise_alerts(today=D(2026, 3, 1))
    assert {a.project_id for a in alerts_for(actor=users["specialist"])} == {elsewhere.pk}
    assert project_fulfilment(actor=users["specialist"], project=elsewhere)["may_change"] is True


def test_alerts_and_signed_projects_narrow_by_cluster(raised, signed_project, other_signed_project, users):
    from apps.chains.models import Cluster
    from apps.projects.models import Project

    cluster = Cluster.objects.order_by("sort_order", "id").first()
    Project.objects.filter(pk=other_signed_project.pk).update(cluster=cluster)
    office = users["office"]
    assert {a.project.name for a in alerts_for(actor=office, cluster_id=cluster.pk)} == {other_signed_project.name}
    assert alert_counts(actor=office, cluster_id=cluster.pk)["total"] == 2
    assert alert_counts(actor=office, unit_id=signed_project.unit_id, cluster_id=cluster.pk)["total"] == 0
    assert [p.name for p in signed_projects(actor=office, cluster_id=cluster.pk)] == [other_signed_project.name]


def test_the_funds_ledger_and_its_totals(tracked, other_signed_project, users):
    from apps.fulfilment.selectors import funds_ledger, funds_ledger_totals
    from apps.fulfilment.services import funds_entry_delete

    wrong = funds_entry_add(actor=users["district"], project=tracked, date=D(2026, 1, 11), amount=YI)
    funds_entry_delete(actor=users["district"], entry=wrong, reason="重复登记")
    funds_entry_add(actor=users["district2"], project=other_signed_project, date=D(2025, 11, 20), amount=2 * YI)
    office = users["office"]
    rows = funds_ledger(actor=office)
    assert [(e.date, e.amount) for e in rows] == [(D(2026, 1, 10), 3000 * WAN), (D(2025, 12, 15), Decimal("1.2") * YI),
                                                  (D(2025, 11, 20), 2 * YI)]
    assert funds_ledger_totals(rows) == {"total": Decimal("350000000.00"), "entries": 3, "projects": 2}
    in_2025 = funds_ledger(actor=office, start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert funds_ledger_totals(in_2025) == {"total": Decimal("3.2") * YI, "entries": 2, "projects": 2}
    assert funds_ledger_totals(funds_ledger(actor=office, unit_id=tracked.unit_id))["total"] == Decimal("1.5") * YI
    # Restricted like the project: 长寿区 sees only its own; an archived project leaves the ledger.
    assert funds_ledger_totals(funds_ledger(actor=users["district2"]))["total"] == 2 * YI
    from apps.projects.services import project_archive

    project_archive(actor=office, project=other_signed_project, reason="重复登记")
    assert funds_ledger_totals(funds_ledger(actor=office))["projects"] == 1
