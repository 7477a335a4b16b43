"""The daily alerts with the clock moved: each opens the day its condition starts, is not opened twice,
keeps its figures current, and resolves — with the reason — the day the condition ends."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.activities.services import activity_create
from apps.fulfilment.jobs import raise_alerts_task
from apps.fulfilment.models import Alert
from apps.fulfilment.services import funds_entry_add, funds_plan_set, raise_alerts
from apps.fulfilment.tests.conftest import WAN, YI, register, sign
from apps.notifications.models import Notification
from apps.projects.services import project_archive, project_change_stage

D = datetime.date
UNREGISTERED, FUNDS, IDLE = "unregistered_after_signing", "funds_behind_plan", "no_activity"


def open_alerts(project, kind):
    return list(Alert.objects.filter(project=project, kind=kind, resolved_on__isnull=True))


def alerts(project, kind):
    return list(Alert.objects.filter(project=project, kind=kind).order_by("id"))


# --- 签约未注册落地 ---------------------------------------------------------------------------------------

def test_unregistered_alert_opens_after_the_configured_days_and_not_before(signed_project):
    raise_alerts(today=D(2026, 1, 30))  # 90 days after signing: still within the rule
    assert alerts(signed_project, UNREGISTERED) == []

    counts = raise_alerts(today=D(2026, 1, 31))
    [alert] = open_alerts(signed_project, UNREGISTERED)
    assert alert.message == "签约已91天仍未注册落地（规定90天）"
    assert alert.raised_on == D(2026, 1, 31)
    assert counts["raised_by_kind"][UNREGISTERED] == 1


def test_unregistered_alert_is_not_duplicated_and_keeps_its_figures_current(signed_project, users):
    first = raise_alerts(today=D(2026, 2, 7))
    again = raise_alerts(today=D(2026, 2, 7))
    assert first["raised"] >= 1
    assert again["raised"] == 0 and again["resolved"] == 0 and again["updated"] == 0
    assert len(alerts(signed_project, UNREGISTERED)) == 1
    notes = Notification.objects.filter(kind="fulfilment.alert", project=signed_project, title__contains="骅远")
    assert notes.filter(body__contains="签约已98天仍未注册落地（规定90天）").count() == 1
    # The specialist hears of it, once, with a link to the project.
    assert set(notes.values_list("recipient__username", flat=True)) == {"t_office"}
    assert notes.first().url == f"/projects/{signed_project.pk}/"

    raise_alerts(today=D(2026, 2, 8))
    [alert] = alerts(signed_project, UNREGISTERED)
    assert alert.message == "签约已99天仍未注册落地（规定90天）" and alert.raised_on == D(2026, 2, 7)
    assert notes.filter(body__contains="注册落地").count() == 1  # no new notification for the same alert


def test_unregistered_alert_resolves_when_the_project_registers(signed_project, users):
    raise_alerts(today=D(2026, 2, 7))
    register(signed_project, actor=users["district"], registered_date=D(2026, 2, 10))
    counts = raise_alerts(today=D(2026, 2, 11))
    [alert] = alerts(signed_project, UNREGISTERED)
    assert alert.resolved_on == D(2026, 2, 11)
    assert alert.resolved_reason == "已于2026年2月10日注册落地"
    assert counts["resolved"] >= 1
    # Resolved stays resolved on the next run, and no new alert of that kind opens.
    raise_alerts(today=D(2026, 2, 12))
    assert len(alerts(signed_project, UNREGISTERED)) == 1


def test_registration_days_come_from_settings(signed_project, settings):
    settings.FULFILMENT_REGISTRATION_DAYS = 30
    raise_alerts(today=D(2025, 12, 1))
    assert alerts(signed_project, UNREGISTERED) == []
    raise_alerts(today=D(2025, 12, 2))
    assert [a.message for a in alerts(signed_project, UNREGISTERED)] == ["签约已31天仍未注册落地（规定30天）"]
    # Relaxing the rule resolves the alert and says why.
    settings.FULFILMENT_REGISTRATION_DAYS = 120
    raise_alerts(today=D(2025, 12, 3))
    [alert] = alerts(signed_project, UNREGISTERED)
    assert alert.resolved_on == D(2025, 12, 3) and "120天" in alert.resolved_reason


# --- 资金到位滞后 ----------------------------------------------------------------------------------------

@pytest.fixture
def planned(signed_project, users):
    """Plan 2亿 by 2026-03-31 and 1亿 more by 2026-06-30; 1.2亿 arrived on 2025-12-15."""
    funds_plan_set(actor=users["district"], project=signed_project, items=[
        {"due_date": D(2026, 3, 31), "amount": 2 * YI, "note": "首期"},
        {"due_date": D(2026, 6, 30), "amount": 1 * YI, "note": "二期"},
    ])
    funds_entry_add(actor=users["district"], project=signed_project, date=D(2025, 12, 15),
                    amount=Decimal("1.2") * YI, today=D(2025, 12, 15))
    return signed_project


def test_funds_alert_opens_when_a_planned_instalment_falls_due_unmet(planned):
    raise_alerts(today=D(2026, 3, 30))
    assert alerts(planned, FUNDS) == []
    raise_alerts(today=D(2026, 3, 31))
    assert [a.message for a in open_alerts(planned, FUNDS)] == ["到位资金1.2亿元，低于计划的2亿元（截至2026年3月31日）"]
    raise_alerts(today=D(2026, 6, 30))
    [alert] = alerts(planned, FUNDS)
    assert alert.message == "到位资金1.2亿元，低于计划的3亿元（截至2026年6月30日）"
    assert alert.raised_on == D(2026, 3, 31) and alert.resolved_on is None


def test_funds_alert_resolves_when_the_money_arrives(planned, users):
    raise_alerts(today=D(2026, 6, 30))
    # Money dated after "today" does not count yet.
    funds_entry_add(actor=users["district"], project=planned, date=D(2026, 7, 1), amount=Decimal("1.8") * YI,
                    today=D(2026, 7, 1))
    raise_alerts(today=D(2026, 6, 30))
    assert len(open_alerts(planned, FUNDS)) == 1
    raise_alerts(today=D(2026, 7, 1))
    [alert] = alerts(planned, FUNDS)
    assert alert.resolved_on == D(2026, 7, 1)
    assert alert.resolved_reason == "到位资金3亿元，已达到计划的3亿元"


def test_funds_alert_resolves_when_the_plan_is_moved_later(planned, users):
    raise_alerts(today=D(2026, 4, 1))
    funds_plan_set(actor=users["district"], project=planned, items=[{"due_date": D(2026, 9, 30), "amount": 3 * YI}])
    raise_alerts(today=D(2026, 4, 2))
    [alert] = alerts(planned, FUNDS)
    assert alert.resolved_on == D(2026, 4, 2) and "计划已调整" in alert.resolved_reason


def test_no_plan_means_no_funds_alert(signed_project):
    raise_alerts(today=D(2027, 1, 1))
    assert alerts(signed_project, FUNDS) == []


# --- 长期无走访洽谈 --------------------------------------------------------------------------------------

@pytest.fixture
def contact_project(make_project, users):
    """接洽 since 2025-10-10, no specialist, last talk on 2025-11-20 (九龙坡区)."""
    project = make_project(name="京泰汽车零部件西南基地项目", unit_name="九龙坡区", actor=users["district"])
    project_change_stage(actor=users["district"], project=project, to_stage="contact", occurred_on=D(2025, 10, 10))
    activity_create(actor=users["district"], project=project, date=D(2025, 11, 20), summary="电话沟通选址")
    project.refresh_from_db()
    return project


def test_no_activity_alert_counts_from_the_last_talk(contact_project):
    raise_alerts(today=D(2026, 1, 19))  # 60 days
    assert alerts(contact_project, IDLE) == []
    raise_alerts(today=D(2026, 1, 20))
    assert [a.message for a in open_alerts(contact_project, IDLE)] == ["已61天无走访洽谈记录"]


def test_no_activity_alert_without_a_specialist_goes_to_the_units_staff(contact_project):
    raise_alerts(today=D(2026, 1, 20))
    recipients = set(Notification.objects.filter(kind="fulfilment.alert", project=contact_project)
                     .values_list("recipient__username", flat=True))
    assert recipients == {"t_district", "t_district_admin"}


def test_no_activity_alert_resolves_with_a_new_visit(contact_project, users):
    raise_alerts(today=D(2026, 1, 20))
    activity_create(actor=users["district"], project=contact_project, date=D(2026, 2, 1), summary="上门走访")
    raise_alerts(today=D(2026, 2, 2))
    [alert] = alerts(contact_project, IDLE)
    assert alert.resolved_on == D(2026, 2, 2) and alert.resolved_reason == "2026年2月1日有走访洽谈记录"
    # Quiet again for long enough: a new alert opens beside the resolved one.
    raise_alerts(today=D(2026, 4, 3))
    assert [a.resolved_on for a in alerts(contact_project, IDLE)] == [D(2026, 2, 2), None]
    assert open_alerts(contact_project, IDLE)[0].message == "已61天无走访洽谈记录"


def test_a_stage_move_counts_as_work(contact_project, users):
    project_change_stage(actor=users["district"], project=contact_project, to_stage="recommended",
                         occurred_on=D(2026, 1, 5))
    raise_alerts(today=D(2026, 2, 1))
    assert alerts(contact_project, IDLE) == []
    raise_alerts(today=D(2026, 3, 7))
    assert [a.message for a in open_alerts(contact_project, IDLE)] == ["已61天无走访洽谈记录"]


def test_inactivity_days_come_from_settings(contact_project, settings):
    settings.INACTIVITY_ALERT_DAYS = 30
    raise_alerts(today=D(2025, 12, 20))
    assert alerts(contact_project, IDLE) == []
    raise_alerts(today=D(2025, 12, 21))
    assert [a.message for a in alerts(contact_project, IDLE)] == ["已31天无走访洽谈记录"]


def test_leads_paused_and_producing_projects_are_not_watched_for_activity(make_project, contact_project, users):
    lead = make_project(name="只是线索的项目")
    raise_alerts(today=D(2026, 6, 1))
    assert alerts(lead, IDLE) == []
    assert len(open_alerts(contact_project, IDLE)) == 1
    project_change_stage(actor=users["district"], project=contact_project, to_stage="paused",
                         note="企业投资计划调整", occurred_on=D(2026, 6, 1))
    raise_alerts(today=D(2026, 6, 2))
    [alert] = alerts(contact_project, IDLE)
    assert alert.resolved_on == D(2026, 6, 2) and alert.resolved_reason == "项目阶段已变为“暂缓”"


def test_archiving_resolves_every_open_alert(signed_project, users):
    raise_alerts(today=D(2026, 3, 1))
    assert Alert.objects.filter(project=signed_project, resolved_on__isnull=True).count() == 2  # unregistered, idle
    project_archive(actor=users["district"], project=signed_project, reason="重复登记")
    raise_alerts(today=D(2026, 3, 2))
    assert set(Alert.objects.filter(project=signed_project).values_list("resolved_reason", flat=True)) == {"项目已归档"}


# --- the run as a whole ---------------------------------------------------------------------------------

def test_one_open_alert_per_project_and_kind_is_enforced_by_the_database(signed_project):
    Alert.objects.create(project=signed_project, kind=UNREGISTERED, message="x", raised_on=D(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(project=signed_project, kind=UNREGISTERED, message="y", raised_on=D(2026, 1, 2))
    Alert.objects.filter(project=signed_project).update(resolved_on=D(2026, 1, 3))
    Alert.objects.create(project=signed_project, kind=UNREGISTERED, message="z", raised_on=D(2026, 1, 4))


def test_the_query_count_does_not_grow_with_the_number_of_projects(make_project, users):
    def projects(n, start):
        for i in range(n):
            sign(make_project(name=f"示例签约项目{start + i}"), actor=users["district"], specialist=users["office"],
                 amount=(i + 1) * 1000 * WAN)

    def queries_of_a_quiet_run():
        raise_alerts(today=D(2026, 3, 1))  # opens what there is to open
        with CaptureQueriesContext(connection) as ctx:
            result = raise_alerts(today=D(2026, 3, 1))
        assert result["raised"] == 0
        return len(ctx.captured_queries)

    projects(2, 0)
    few = queries_of_a_quiet_run()
    projects(8, 2)
    assert queries_of_a_quiet_run() == few


def test_counts_and_the_task(signed_project, other_signed_project):
    result = raise_alerts_task.enqueue()  # the test settings run tasks immediately
    assert result.status == "SUCCESSFUL"
    counts = result.return_value
    assert counts["checked"] == 2 and counts["raised"] == 4 and counts["open"] == 4
    assert counts["raised_by_kind"] == {UNREGISTERED: 2, FUNDS: 0, IDLE: 2}
