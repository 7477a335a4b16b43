"""Late requests escalate — owner → the owner unit's leaders the day after the due date → the office
ESCALATE_TO_OFFICE_AFTER_DAYS (3) days later — with the clock moved by parameter, never by sleeping."""

import datetime

import pytest
from django.utils import timezone

from apps.audit.models import AuditLog
from apps.notifications.models import Notification
from apps.servicedesk.escalation import escalation_state
from apps.servicedesk.jobs import escalate_overdue_task
from apps.servicedesk.services import escalate_overdue, request_change_status, request_create

D = datetime.date
DUE = D(2025, 11, 10)  # 水电气 raised on RAISED (11-03): 7 days


def days(n):
    return datetime.timedelta(days=n)


def escalated_to(request) -> set[str]:
    return set(Notification.objects.filter(kind="service_request.escalated", url=f"/requests/{request.pk}/")
               .values_list("recipient__username", flat=True))


def test_state_as_the_days_pass(service_request):
    assert service_request.due_date == DUE
    state = escalation_state(service_request, DUE - days(2))
    assert (state.level, state.overdue_days, state.days_left, state.label) == (0, 0, 2, "")
    assert escalation_state(service_request, DUE).days_left == 0
    state = escalation_state(service_request, DUE + days(1))
    assert (state.level, state.overdue_days) == (1, 1)
    assert state.label == "已逾期1天 · 已升级至单位负责人"
    assert escalation_state(service_request, DUE + days(3)).label == "已逾期3天 · 已升级至单位负责人"
    state = escalation_state(service_request, DUE + days(4))
    assert state.level == 2 and state.label == "已逾期4天 · 已升级至驻京办"


def test_the_page_state_does_not_wait_for_the_job(service_request):
    # Nothing has run: the stored level is still 0, the state already says where the request is.
    assert service_request.escalation_level == 0
    assert escalation_state(service_request, DUE + days(2)).label == "已逾期2天 · 已升级至单位负责人"


def test_a_finished_request_is_late_no_more(users, service_request):
    request_change_status(actor=users["district"], request=service_request, to_status="resolved", note="已送电")
    service_request.refresh_from_db()
    state = escalation_state(service_request, DUE + days(10))
    assert not state.is_overdue and state.label == ""


def test_nothing_escalates_on_the_due_date(service_request):
    assert escalate_overdue(today=DUE) == 0
    service_request.refresh_from_db()
    assert service_request.escalation_level == 0 and not escalated_to(service_request)


def test_the_day_after_the_due_date_the_unit_leaders_and_the_owner_are_told(service_request):
    now = timezone.make_aware(datetime.datetime(2025, 11, 11, 6, 5))
    assert escalate_overdue(today=DUE + days(1), now=now) == 1
    service_request.refresh_from_db()
    assert service_request.escalation_level == 1 and service_request.escalated_at == now
    assert escalated_to(service_request) == {"t_district_admin", "t_specialist"}
    note = Notification.objects.filter(kind="service_request.escalated").first()
    assert note.title == "诉求逾期1天，已升级至单位负责人：厂房用电增容报装"
    assert AuditLog.objects.filter(model="servicedesk.servicerequest", object_id=str(service_request.pk),
                                   changes__escalation_level=[0, 1], actor=None).exists()


def test_running_twice_the_same_day_does_nothing_more(service_request):
    assert escalate_overdue(today=DUE + days(1)) == 1
    count = Notification.objects.count()
    assert escalate_overdue(today=DUE + days(1)) == 0
    assert escalate_overdue(today=DUE + days(3)) == 0  # still with the leaders
    assert Notification.objects.count() == count


def test_three_days_later_still_open_it_goes_to_the_office(service_request):
    escalate_overdue(today=DUE + days(1))
    Notification.objects.all().delete()
    assert escalate_overdue(today=DUE + days(4)) == 1
    service_request.refresh_from_db()
    assert service_request.escalation_level == 2
    # The office's admins and staff; not its read-only leader, not the district again.
    assert escalated_to(service_request) == {"t_office_admin", "t_office", "t_specialist"}
    assert escalate_overdue(today=DUE + days(30)) == 0


def test_a_missed_day_is_caught_up_telling_both_levels(service_request):
    assert escalate_overdue(today=DUE + days(6)) == 1
    service_request.refresh_from_db()
    assert service_request.escalation_level == 2
    assert escalated_to(service_request) == {"t_district_admin", "t_office_admin", "t_office", "t_specialist"}


def test_the_office_delay_is_a_setting(settings, service_request):
    settings.ESCALATE_TO_OFFICE_AFTER_DAYS = 1
    assert escalation_state(service_request, DUE + days(2)).level == 2
    assert escalate_overdue(today=DUE + days(2)) == 1
    service_request.refresh_from_db()
    assert service_request.escalation_level == 2


def test_finished_requests_do_not_escalate(users, make_request):
    closed = make_request(title="重复提交")
    request_change_status(actor=users["district"], request=closed, to_status="closed", note="重复")
    resolved = make_request(title="已办")
    request_change_status(actor=users["district"], request=resolved, to_status="resolved", note="已办")
    assert escalate_overdue(today=DUE + days(10)) == 0
    assert not Notification.objects.filter(kind="service_request.escalated").exists()


def test_only_late_requests_escalate(users, project, make_request):
    late = make_request(category="policy")  # 7 days → due 11-10
    on_time = make_request(category="land")  # 15 days → due 11-18
    assert escalate_overdue(today=D(2025, 11, 12)) == 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.escalation_level, on_time.escalation_level) == (1, 0)


def test_the_daily_job_escalates_as_of_today(users, project):
    today = timezone.localdate()
    late = request_create(actor=users["district"], project=project, category="utilities", title="逾期诉求",
                          today=today - days(9))
    fresh = request_create(actor=users["district"], project=project, category="utilities", title="新诉求",
                           today=today)
    result = escalate_overdue_task.enqueue()
    assert result.return_value == 1
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert (late.escalation_level, fresh.escalation_level) == (1, 0)
    assert escalate_overdue_task.enqueue().return_value == 0


@pytest.mark.parametrize(("offset", "level"), [(-1, 0), (0, 0), (1, 1), (3, 1), (4, 2), (40, 2)])
def test_job_and_pages_agree_on_every_day(service_request, offset, level):
    today = DUE + days(offset)
    escalate_overdue(today=today)
    service_request.refresh_from_db()
    assert service_request.escalation_level == level == escalation_state(service_request, today).level
