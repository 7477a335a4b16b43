"""The staff pages: the list with its filters and late rows marked by level, the detail page's forms,
raising a request from a project, the deadlines page — and the selectors the lead's pages use."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.core.idempotency import new_submission_key
from apps.servicedesk.models import CategoryDeadline, ServiceRequest
from apps.servicedesk.selectors import overdue_count, project_requests, requests_for_my_work
from apps.servicedesk.services import escalate_overdue, request_change_status

D = datetime.date


def ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def three(make_request):
    """Due in a week; two days late (with the leaders); six days late (with the office). 水电气 = 7 days."""
    return {
        "fresh": make_request(title="新诉求", today=ago(0)),
        "late": make_request(title="两天逾期", today=ago(9)),
        "very_late": make_request(title="六天逾期", today=ago(13)),
    }


def test_the_list_marks_late_rows_with_their_level_even_before_the_job_runs(client, users, three):
    client.force_login(users["district"])
    response = client.get(reverse("servicedesk:list"))
    body = response.content.decode()
    assert "已逾期2天 · 已升级至单位负责人" in body and "已逾期6天 · 已升级至驻京办" in body
    rows = [r.title for r in response.context["page"].object_list]
    assert rows == ["六天逾期", "两天逾期", "新诉求"]
    assert f'<tr class="table-danger" id="request-{three["very_late"].pk}">' in body
    assert f'<tr class="table-warning" id="request-{three["late"].pk}">' in body
    assert f'<tr class="" id="request-{three["fresh"].pk}">' in body


def test_the_list_filters(client, users, three):
    request_change_status(actor=users["district"], request=three["fresh"], to_status="closed", note="重复")
    client.force_login(users["district"])

    def titles(**params):
        return [r.title for r in client.get(reverse("servicedesk:list"), params).context["page"].object_list]

    assert titles(overdue="1") == ["六天逾期", "两天逾期"]
    assert titles(status="closed") == ["新诉求"]
    assert titles(category="land") == []
    assert titles(q="六天") == ["六天逾期"]
    assert len(titles(mine="1")) == 3
    client.force_login(users["district_admin"])
    assert titles(mine="1") == []


def test_the_detail_says_how_late_and_to_whom(client, users, three):
    client.force_login(users["leader"])
    body = client.get(reverse("servicedesk:detail", args=[three["late"].pk])).content.decode()
    assert "已逾期2天 · 已升级至单位负责人" in body and 'id="escalation"' in body
    escalate_overdue()
    body = client.get(reverse("servicedesk:detail", args=[three["very_late"].pk])).content.decode()
    assert "已逾期6天 · 已升级至驻京办" in body


def test_raising_a_request_from_a_project(client, users, project):
    client.force_login(users["district"])
    url = reverse("servicedesk:create") + f"?project={project.pk}"
    form = client.get(url)
    assert form.status_code == 200 and project.name in form.content.decode()
    data = {"category": "finance", "title": "流动资金贷款对接", "description": "", "submission_key": new_submission_key()}
    response = client.post(url, data)
    created = ServiceRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("servicedesk:detail", args=[created.pk])
    assert created.due_date == timezone.localdate() + datetime.timedelta(days=15)
    again = client.post(url, data, follow=True)
    assert ServiceRequest.objects.count() == 1
    assert "此表单已经提交过一次，没有重复保存。" in [str(m) for m in again.context["messages"]]


def test_the_new_request_form_without_a_project_sends_the_person_to_pick_one(client, users):
    client.force_login(users["district"])
    response = client.get(reverse("servicedesk:create"))
    assert response.status_code == 302 and response.url == reverse("projects:list")


def test_the_create_form_refuses_missing_fields_in_chinese(client, users, project):
    client.force_login(users["district"])
    response = client.post(reverse("servicedesk:create") + f"?project={project.pk}",
                           {"category": "", "title": "", "submission_key": new_submission_key()})
    errors = response.context["form"].errors
    assert errors["category"] == ["请选择诉求类别。"] and errors["title"] == ["请填写诉求标题。"]
    assert ServiceRequest.objects.count() == 0


def test_two_people_changing_the_status_the_second_is_told_to_refresh(client, users, service_request):
    url = reverse("servicedesk:status", args=[service_request.pk])
    client.force_login(users["district"])
    assert client.post(url, {"to_status": "in_progress", "note": "", "version": 1}).status_code == 302
    client.force_login(users["specialist"])
    response = client.post(url, {"to_status": "closed", "note": "企业撤回", "version": 1})
    assert response.status_code == 200
    assert "该诉求已被他人修改，您的操作没有保存。请刷新页面查看最新内容后再操作。" in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.status == "in_progress" and service_request.version == 2


def test_the_status_form_puts_a_missing_result_next_to_the_note(client, users, service_request):
    client.force_login(users["district"])
    response = client.post(reverse("servicedesk:status", args=[service_request.pk]),
                           {"to_status": "resolved", "note": "", "version": 1})
    assert response.context["status_form"].errors["note"][0].startswith("办理结果：办结前请填写答复或办理结果")


def test_office_admin_edits_a_deadline_on_the_page(client, users):
    client.force_login(users["office_admin"])
    response = client.post(reverse("servicedesk:deadlines"), {"category": "land", "days": "20"}, follow=True)
    assert CategoryDeadline.objects.get(category="land").days == 20
    assert "“用地”的办理时限已改为20天" in response.content.decode()
    bad = client.post(reverse("servicedesk:deadlines"), {"category": "land", "days": "0"})
    assert "办理时限（天）：至少1天。" in bad.content.decode()
    client.force_login(users["office"])
    page = client.get(reverse("servicedesk:deadlines")).content.decode()
    assert "20" in page and 'name="days"' not in page


# --- Selectors for the lead's pages ------------------------------------------------------------------

def test_my_work_owner_sees_their_open_requests_late_first(users, three):
    work = requests_for_my_work(users["specialist"])
    assert [r.title for r in work] == ["六天逾期", "两天逾期", "新诉求"]
    assert work[0].escalation.label == "已逾期6天 · 已升级至驻京办"
    assert overdue_count(users["specialist"]) == 2


def test_my_work_unit_leader_sees_the_units_late_ones(users, three):
    assert [r.title for r in requests_for_my_work(users["district_admin"])] == ["六天逾期", "两天逾期"]
    assert overdue_count(users["district_admin"]) == 2
    # A colleague who owns nothing has nothing to do here.
    assert requests_for_my_work(users["district"]) == [] and overdue_count(users["district"]) == 0


def test_my_work_office_sees_what_reached_the_office(users, three):
    for role in ("office", "office_admin"):
        assert [r.title for r in requests_for_my_work(users[role])] == ["六天逾期"]
        assert overdue_count(users[role]) == 1
    assert requests_for_my_work(users["leader"]) == []
    assert requests_for_my_work(users["district2"]) == []


def test_my_work_leaves_out_an_archived_projects_requests_as_the_list_does(users, three, make_project, make_request):
    from apps.projects.services import project_archive

    duplicate = make_project(name="重复登记的项目", specialist=users["specialist"])
    make_request(project=duplicate, title="重复项目的诉求", today=ago(13))
    assert overdue_count(users["specialist"]) == 3
    project_archive(actor=users["office"], project=duplicate, reason="重复登记")
    assert [r.title for r in requests_for_my_work(users["specialist"])] == ["六天逾期", "两天逾期", "新诉求"]
    assert overdue_count(users["specialist"]) == 2
    assert [r.title for r in requests_for_my_work(users["office"])] == ["六天逾期"]


def test_my_work_with_the_clock_moved(users, make_request):
    request = make_request(title="用电", today=D(2025, 11, 3))  # due 11-10
    assert overdue_count(users["office"], today=D(2025, 11, 13)) == 0
    assert [r.pk for r in requests_for_my_work(users["office"], today=D(2025, 11, 14))] == [request.pk]
    request_change_status(actor=users["district"], request=request, to_status="resolved", note="已办")
    assert requests_for_my_work(users["office"], today=D(2025, 11, 14)) == []
    assert requests_for_my_work(users["specialist"], today=D(2025, 11, 14)) == []


def test_an_unassigned_request_is_the_unit_leaders_to_hand_out(users, make_project):
    from apps.servicedesk.services import request_create

    project = make_project(name="无专员项目")
    request = request_create(actor=users["district"], project=project, category="land", title="用地")
    assert [r.pk for r in requests_for_my_work(users["district_admin"])] == [request.pk]
    assert overdue_count(users["district_admin"]) == 0


def test_the_project_partial_lists_the_projects_requests_with_their_lateness(users, project, three, other_project,
                                                                             make_request):
    make_request(project=other_project, actor=users["district2"], title="长寿区的诉求")
    requests = project_requests(users["district"], project)
    assert [r.title for r in requests] == ["六天逾期", "两天逾期", "新诉求"]
    assert project_requests(users["district2"], project) == []
    request = RequestFactory().get("/")
    request.user = users["district"]
    html = render_to_string("servicedesk/partials/project_requests.html",
                            {"project": project, "requests": requests, "may_change": True}, request=request)
    assert "已逾期6天 · 已升级至驻京办" in html and "长寿区的诉求" not in html
    assert reverse("servicedesk:create") + f"?project={project.pk}" in html
    read_only = render_to_string("servicedesk/partials/project_requests.html",
                                 {"project": project, "requests": requests}, request=request)
    assert "登记诉求" not in read_only


def test_read_for_the_project_page_they_are_what_the_restriction_admits(users, project, three, make_request):
    """visible=True (the project page, which has read the project for this reader) reads by project alone: for
    every reader who sees the project that is the same list, in the same order, as through restrict()."""
    make_request(project=project, actor=users["office"], title="驻京办登记的诉求")
    from apps.projects.models import Project

    for user in users.values():
        if not Project.objects.restrict(user, "view").filter(pk=project.pk).exists():
            continue
        assert [r.pk for r in project_requests(user, project, visible=True)] == \
            [r.pk for r in project_requests(user, project)], user.username


def test_the_list_filters_by_the_projects_unit_with_the_units_it_absorbed_and_by_cluster(
        client, users, units, make_project, make_request):
    from apps.chains.models import Cluster

    cluster = Cluster.objects.order_by("sort_order", "id").first()
    old = make_project(name="新凯精测项目", unit_name="江北区", cluster=cluster, first_contact_date=D(2025, 11, 1))
    make_request(project=old, title="江北区项目的诉求", actor=users["office"])
    make_request(title="九龙坡区项目的诉求")
    client.force_login(users["office"])

    def titles(**params):
        response = client.get(reverse("servicedesk:list"), params)
        return sorted(r.title for r in response.context["page"].object_list), response.content.decode()

    rows, html = titles(unit=units["两江新区"].pk)
    assert rows == ["江北区项目的诉求"]
    assert "承接区县：两江新区，含原江北区、原渝北区（2025年11月6日撤销，并入两江新区）" in html
    assert f'<option value="{units["两江新区"].pk}" selected>' in html  # 筛选 again keeps it
    rows, html = titles(cluster=cluster.pk)
    assert rows == ["江北区项目的诉求"] and f"产业集群：{cluster.name}" in html
    assert titles(unit=units["长寿区"].pk)[0] == []
    # A stale or hand-edited value is dropped, not turned into an empty list.
    assert titles(unit="abc", cluster="999999")[0] == ["九龙坡区项目的诉求", "江北区项目的诉求"]
    assert "筛选范围" not in titles()[1]


def test_an_archived_projects_requests_leave_the_list_and_stay_on_its_page(client, users, project, make_request):
    from apps.projects.services import project_archive

    make_request(title="重复登记项目的诉求", today=ago(30))
    project_archive(actor=users["office"], project=project, reason="重复登记")
    client.force_login(users["office"])
    assert client.get(reverse("servicedesk:list"), {"overdue": "1"}).context["page"].paginator.count == 0
    on_project = client.get(reverse("servicedesk:list"), {"project": project.pk}).context["page"].object_list
    assert [r.title for r in on_project] == ["重复登记项目的诉求"]
    assert [r.title for r in project_requests(users["office"], project)] == ["重复登记项目的诉求"]


def test_the_list_is_a_bounded_number_of_queries(client, users, make_request, django_assert_max_num_queries):
    for n in range(12):
        make_request(title=f"诉求{n}", today=ago(n))
    client.force_login(users["district"])
    with django_assert_max_num_queries(9):
        client.get(reverse("servicedesk:list"))


def test_the_demo_requests(users, units, make_project):
    from apps.servicedesk.demo import load

    projects = [make_project(name=f"演示项目{n}", specialist=users["specialist"]) for n in range(3)]
    accounts = {"demo_district": users["district"], "demo_office": users["office"]}
    late, done, fresh = load(accounts, projects, timezone.localdate())
    assert late.escalation_level == 1 and late.escalation.label == "已逾期2天 · 已升级至单位负责人"
    assert done.status == "resolved" and fresh.channel == "contact" and fresh.status == "new"
    assert all(r.is_sample for r in (late, done, fresh))
