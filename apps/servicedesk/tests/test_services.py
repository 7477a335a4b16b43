"""Raising, answering, handing over and finishing requests: due dates from the category, who may do
what, what is refused with which sentence, and who hears of it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.notifications.models import Notification
from apps.servicedesk.models import CategoryDeadline, ServiceRequest, ServiceRequestReply
from apps.servicedesk.services import (
    deadline_update,
    request_assign,
    request_change_status,
    request_create,
    request_reply,
)

from .factories import RAISED

D = datetime.date


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.mark.parametrize(("category", "days"), [
    ("land", 15), ("planning", 10), ("utilities", 7), ("talent", 10), ("finance", 15), ("policy", 7), ("other", 10),
])
def test_due_date_is_the_raising_day_plus_the_categorys_calendar_days(make_request, category, days):
    request = make_request(category=category)
    assert request.due_date == RAISED + datetime.timedelta(days=days)


def test_office_admin_changes_a_deadline_for_requests_raised_afterwards(users, make_request):
    before = make_request(category="utilities")
    deadline_update(actor=users["office_admin"], category="utilities", days=3)
    after = make_request(category="utilities")
    before.refresh_from_db()
    assert before.due_date == D(2025, 11, 10) and after.due_date == D(2025, 11, 6)
    assert AuditLog.objects.filter(model="servicedesk.categorydeadline", changes__days=[7, 3]).exists()


@pytest.mark.parametrize("role", ["office", "leader", "district_admin", "specialist"])
def test_only_an_office_admin_changes_deadlines(users, role):
    with pytest.raises(PermissionDenied):
        deadline_update(actor=users[role], category="land", days=30)
    assert CategoryDeadline.objects.get(category="land").days == 15


def test_deadline_must_be_a_sensible_number_of_days(users):
    with pytest.raises(DomainError, match="办理时限：请填写1至365之间的天数。"):
        deadline_update(actor=users["office_admin"], category="land", days=0)


def test_a_request_is_owned_by_the_projects_unit_and_specialist_and_the_specialist_hears_of_it(users, project):
    request = request_create(actor=users["district"], project=project, category="land", title="用地指标",
                             today=RAISED)
    assert request.owner_unit.name == "九龙坡区" and request.owner == users["specialist"]
    assert request.channel == "staff" and request.raised_by == users["district"] and request.status == "new"
    assert recipients("service_request.created") == {"t_specialist"}
    note = Notification.objects.get(kind="service_request.created")
    assert note.url == f"/requests/{request.pk}/" and note.project == project and "用地指标" in note.title
    assert AuditLog.objects.filter(model="servicedesk.servicerequest", object_id=str(request.pk),
                                   action="create").exists()


def test_a_specialist_raises_as_specialist_and_without_an_owner_the_units_leaders_are_told(users, make_project):
    project = make_project(name="无专员项目")
    request = request_create(actor=users["district"], project=project, category="policy", title="政策咨询",
                             today=RAISED)
    assert request.owner is None
    assert recipients("service_request.created") == {"t_district_admin"}
    specialist_project = make_project(name="专员项目", specialist=users["specialist"])
    raised = request_create(actor=users["specialist"], project=specialist_project, category="policy", title="政策",
                            today=RAISED)
    assert raised.channel == "specialist"


@pytest.mark.parametrize("role", ["leader", "district2", "liangjiang"])
def test_who_may_not_change_the_project_may_not_raise_a_request_on_it(users, project, role):
    with pytest.raises(PermissionDenied):
        request_create(actor=users[role], project=project, category="land", title="用地", today=RAISED)
    assert ServiceRequest.objects.count() == 0


def test_bad_input_is_refused_naming_the_field(users, project):
    with pytest.raises(DomainError, match="诉求标题：请填写。") as error:
        request_create(actor=users["district"], project=project, category="land", title="  ", today=RAISED)
    assert error.value.field == "title"
    with pytest.raises(DomainError, match="诉求类别：请选择") as error:
        request_create(actor=users["district"], project=project, category="transport", title="路", today=RAISED)
    assert error.value.field == "category"
    with pytest.raises(DomainError, match="承办人：.*不属于长寿区") as error:
        request_create(actor=users["office"], project=project, category="land", title="用地", today=RAISED,
                       owner_unit=project.unit.__class__.objects.get(name="长寿区"), owner=users["district"])
    assert error.value.field == "owner" and ServiceRequest.objects.count() == 0


def test_a_staff_reply_accepts_the_request_and_tells_who_raised_it(users, service_request):
    request_reply(actor=users["specialist"], request=service_request, body="已联系供电公司，明日现场勘察。")
    service_request.refresh_from_db()
    assert service_request.status == "in_progress" and service_request.version == 2
    assert recipients("service_request.replied") == {"t_district"}


def test_leader_and_other_district_may_not_reply(users, service_request):
    for role in ("leader", "district2"):
        with pytest.raises(PermissionDenied):
            request_reply(actor=users[role], request=service_request, body="看看")
    assert ServiceRequestReply.objects.count() == 0


def test_resolving_needs_a_result_and_closing_a_reason(users, service_request):
    with pytest.raises(DomainError, match="办理结果：办结前请填写答复或办理结果") as error:
        request_change_status(actor=users["district"], request=service_request, to_status="resolved")
    assert error.value.field == "note"
    with pytest.raises(DomainError, match="关闭理由：请写明关闭的原因"):
        request_change_status(actor=users["district"], request=service_request, to_status="closed")
    resolved = request_change_status(actor=users["district"], request=service_request, to_status="resolved",
                                     note="已完成增容报装，供电公司12月1日送电。")
    assert resolved.status == "resolved" and resolved.resolved_at is not None
    reply = resolved.replies.get()
    assert reply.status_to == "resolved" and "12月1日送电" in reply.body
    assert recipients("service_request.resolved") == {"t_specialist"}  # the raiser resolved it herself


def test_a_reply_already_given_is_enough_to_resolve(users, service_request):
    request_reply(actor=users["specialist"], request=service_request, body="已办妥。")
    service_request.refresh_from_db()
    resolved = request_change_status(actor=users["specialist"], request=service_request, to_status="resolved")
    assert resolved.status == "resolved"


def test_a_reopened_request_gets_a_fresh_due_date_and_starts_again_at_the_owner(users, service_request):
    request_change_status(actor=users["district"], request=service_request, to_status="resolved", note="已办结")
    service_request.refresh_from_db()
    ServiceRequest.objects.filter(pk=service_request.pk).update(escalation_level=2)
    service_request.refresh_from_db()
    with pytest.raises(DomainError, match="“已办结”的诉求不能改为“待受理”"):
        request_change_status(actor=users["district"], request=service_request, to_status="new")
    reopened = request_change_status(actor=users["district"], request=service_request, to_status="in_progress",
                                     note="企业反映仍未送电", today=D(2025, 12, 1))
    assert reopened.due_date == D(2025, 12, 8) and reopened.escalation_level == 0 and reopened.resolved_at is None


def test_a_stale_status_change_is_refused_and_changes_nothing(users, service_request):
    version = service_request.version
    request_change_status(actor=users["district"], request=service_request, to_status="in_progress",
                          version=version)
    with pytest.raises(ConflictError, match="该诉求已被他人修改") as error:
        request_change_status(actor=users["specialist"], request=service_request, to_status="closed",
                              note="重复提交", version=version)
    assert error.value.status == 409
    service_request.refresh_from_db()
    assert service_request.status == "in_progress" and service_request.version == version + 1
    assert not service_request.replies.exists()


def test_assigning_to_another_unit_makes_it_theirs(users, units, service_request):
    changed = request_assign(actor=users["district"], request=service_request, owner_unit=units["长寿区"],
                             version=service_request.version)
    assert changed.owner_unit == units["长寿区"] and changed.owner is None
    # 长寿区 never saw the 九龙坡区 project, but the request handed to it is its work now.
    assert ServiceRequest.objects.restrict(users["district2"], "change").filter(pk=changed.pk).exists()
    assert recipients("service_request.assigned") == set()  # 长寿区 has no admin among the fixtures
    changed = request_assign(actor=users["district2"], request=changed, owner_unit=units["长寿区"],
                             owner=users["district2"], version=changed.version)
    assert changed.owner == users["district2"]
    with pytest.raises(ConflictError):
        request_assign(actor=users["district2"], request=changed, owner_unit=units["长寿区"], owner=None, version=1)


def test_an_owner_must_belong_to_the_owner_unit_or_be_the_projects_specialist(users, units, service_request):
    with pytest.raises(DomainError, match="承办人：.*不属于九龙坡区") as error:
        request_assign(actor=users["district"], request=service_request, owner_unit=units["九龙坡区"],
                       owner=users["district2"])
    assert error.value.field == "owner"
    with pytest.raises(DomainError, match="承办人：.*不能承办诉求"):
        request_assign(actor=users["office"], request=service_request, owner_unit=units["驻京办"],
                       owner=users["leader"])
    ended = units["江北区"]
    with pytest.raises(DomainError, match="承办单位：江北区已撤销，请选择两江新区。"):
        request_assign(actor=users["office"], request=service_request, owner_unit=ended, today=D(2025, 12, 1))
