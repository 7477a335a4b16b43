"""Service requests (诉求) for a talent record — housing, a child's school place, a lab's fit-out — on the
same desk, deadlines, escalation, scoping and cockpit figure as a project's (apps.servicedesk)."""

import datetime
import json as json_module

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from apps.audit.models import AuditLog
from apps.cockpit.briefing import briefing_data
from apps.cockpit.selectors import StatsFilter, summary
from apps.core.errors import DomainError
from apps.core.testing import bearer
from apps.notifications.models import Notification
from apps.servicedesk.models import ServiceRequest
from apps.servicedesk.selectors import request_list, requests_for_my_work, talent_requests
from apps.servicedesk.services import escalate_overdue, request_assign, request_create
from apps.talent.services import talent_archive

D = datetime.date
RAISED = D(2025, 11, 3)
pytestmark = pytest.mark.django_db


@pytest.fixture
def academician(make_talent, users, clusters):
    return make_talent(name="梁振宇院士团队", kind="academician", specialist=users["specialist"],
                       clusters=[clusters["新一代电子信息制造业"]])


def raise_on(talent, actor, *, category="talent", title="人才公寓入住", today=RAISED):
    return request_create(actor=actor, talent=talent, category=category, title=title,
                          description="团队5人下月到岗，需人才公寓。", today=today)


def test_a_talent_request_goes_to_the_talents_unit_and_specialist_who_hears_of_it(academician, users):
    request = raise_on(academician, users["district"])
    assert request.talent == academician and request.project is None
    assert request.owner_unit == academician.unit and request.owner == users["specialist"]
    assert request.due_date == RAISED + datetime.timedelta(days=10)  # 人才与住房: 10 days
    told = Notification.objects.get(kind="service_request.created", recipient=users["specialist"])
    assert "人才：梁振宇院士团队" in told.body
    log = AuditLog.objects.get(model="servicedesk.servicerequest", object_id=str(request.pk))
    assert log.changes["talent"][1] == "梁振宇院士团队"


def test_a_request_belongs_to_a_project_or_a_talent_never_both_nor_neither(academician, make_project, users):
    project = make_project(name="骅远人工智能数据安全中心")
    for kwargs in ({"project": project, "talent": academician}, {}):
        with pytest.raises(DomainError, match="请选择其一"):
            request_create(actor=users["office"], category="talent", title="人才公寓", today=RAISED, **kwargs)
    assert not ServiceRequest.objects.exists()
    request = raise_on(academician, users["office"])
    # The database holds the rule too, for writes that bypass the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.filter(pk=request.pk).update(project=project)


def test_another_district_and_a_leader_may_not_raise_on_a_talent_record(academician, users):
    with pytest.raises(PermissionDenied, match="人才记录"):
        raise_on(academician, users["district2"])
    with pytest.raises(PermissionDenied):
        raise_on(academician, users["leader"])
    assert not ServiceRequest.objects.exists()


def test_a_talent_request_is_seen_as_its_talent_record_is_and_by_the_unit_it_is_handed_to(academician, users, units):
    request = raise_on(academician, users["district"])
    assert list(request_list(actor=users["district"])) == [request]
    assert list(request_list(actor=users["district2"])) == []
    request_assign(actor=users["office"], request=request, owner_unit=units["长寿区"])
    # 长寿区 now answers for it, though the talent record stays 九龙坡区's.
    assert list(request_list(actor=users["district2"])) == [request]


def test_lists_narrow_by_subject_unit_cluster_and_talent(academician, make_talent, make_project, users, units,
                                                          clusters):
    own = raise_on(academician, users["office"])
    other_talent = make_talent(name="长寿的专家", unit_name="长寿区")
    other = raise_on(other_talent, users["office"], title="子女入学")
    project = make_project(name="骅远人工智能数据安全中心")
    on_project = request_create(actor=users["office"], project=project, category="land", title="用地指标",
                                today=RAISED)
    office = users["office"]
    assert set(request_list(actor=office, subject="talent")) == {own, other}
    assert list(request_list(actor=office, subject="project")) == [on_project]
    assert set(request_list(actor=office, unit_id=units["九龙坡区"].pk)) == {own, on_project}
    assert list(request_list(actor=office, cluster_id=clusters["新一代电子信息制造业"].pk)) == [own]
    assert list(request_list(actor=office, talent_id=other_talent.pk)) == [other]
    assert list(request_list(actor=office, q="梁振宇")) == [own]


def test_an_archived_talent_records_requests_leave_the_lists_but_stay_on_its_page(academician, users):
    request = raise_on(academician, users["district"])
    talent_archive(actor=users["office"], talent=academician, reason="重复登记")
    assert list(request_list(actor=users["office"])) == []
    assert requests_for_my_work(users["specialist"], today=RAISED) == []
    assert [r.pk for r in talent_requests(users["office"], academician)] == [request.pk]


def test_a_late_talent_request_escalates_and_counts_in_the_cockpit_and_briefing(academician, users):
    request = raise_on(academician, users["district"])
    late_day = request.due_date + datetime.timedelta(days=2)
    assert escalate_overdue(today=late_day) == 1
    request.refresh_from_db()
    assert request.escalation_level == 1
    assert Notification.objects.filter(kind="service_request.escalated", recipient=users["district_admin"]).exists()
    f = StatsFilter(D(2025, 1, 1), late_day, unit_id=academician.unit_id)
    assert summary(actor=users["office"], f=f, today=late_day)["overdue_requests"]["count"] == 1
    rows = briefing_data(actor=users["office"], f=f, today=late_day)["lists"]["overdue_requests"]
    assert [(r["project"], r["days_overdue"]) for r in rows] == [("梁振宇院士团队（人才）", 2)]


def test_the_talent_page_lists_its_requests_and_raises_one(client, academician, users):
    client.force_login(users["district"])
    page = client.get(f"/talent/{academician.pk}/").content.decode()
    assert "人才诉求" in page and f"/requests/new/?talent={academician.pk}" in page
    form = client.get(f"/requests/new/?talent={academician.pk}")
    assert "梁振宇院士团队" in form.content.decode() and "人才服务专员" in form.content.decode()
    response = client.post(f"/requests/new/?talent={academician.pk}",
                           {"category": "talent", "title": "实验室装修审批", "description": "",
                            "submission_key": "k-talent-1"})
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/{request.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "所属人才" in detail and f'href="/talent/{academician.pk}/"' in detail
    assert "实验室装修审批" in client.get(f"/talent/{academician.pk}/").content.decode()
    listed = client.get(f"/requests/?talent={academician.pk}").content.decode()
    assert "实验室装修审批" in listed and "人才" in listed


def test_a_district_without_the_talent_record_sees_its_name_but_no_link(client, academician, users, units):
    request = raise_on(academician, users["office"])
    request_assign(actor=users["office"], request=request, owner_unit=units["长寿区"])
    client.force_login(users["district2"])
    detail = client.get(f"/requests/{request.pk}/").content.decode()
    assert "梁振宇院士团队" in detail and f'href="/talent/{academician.pk}/"' not in detail
    assert client.get(f"/requests/new/?talent={academician.pk}").status_code == 404


def test_the_api_raises_and_filters_talent_requests(client, academician, users, make_project):
    headers = bearer(client, users["district"])

    def post(payload):
        return client.post("/api/v1/service-requests", data=json_module.dumps(payload),
                           content_type="application/json", headers=headers)

    created = post({"talent_id": academician.pk, "category": "talent", "title": "人才公寓入住"})
    assert created.status_code == 201
    body = created.json()
    assert body["talent"]["id"] == academician.pk and body["project"] is None
    project = make_project(name="骅远人工智能数据安全中心")
    both = post({"talent_id": academician.pk, "project_id": project.pk, "category": "talent", "title": "x"})
    assert both.status_code == 400 and "请选择其一" in both.json()["detail"]
    assert ServiceRequest.objects.count() == 1
    listed = client.get("/api/v1/service-requests?subject=talent", headers=headers).json()
    assert [item["talent"]["name"] for item in listed["items"]] == ["梁振宇院士团队"]
