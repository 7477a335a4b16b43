"""The activity pages: the list, recording a visit, ticking off a next step — with the same four
kinds of visitor as every page (anonymous, read-only, another district, allowed)."""

import datetime

import pytest
from django.urls import reverse

from apps.activities.models import Activity
from apps.activities.services import activity_create
from apps.core.idempotency import new_submission_key

D = datetime.date


@pytest.fixture
def project(make_project, organisation):
    return make_project(name="骅远人工智能数据安全中心", organisation=organisation)


@pytest.fixture
def visit(users, project):
    return activity_create(actor=users["district"], project=project, date=D(2025, 11, 1), kind="talk",
                           summary="洽谈数据安全中心选址", next_step="报送选址方案", next_step_due=D(2025, 11, 20))


def as_user(client, user):
    client.force_login(user)
    return client


def visit_data(**overrides):
    data = {"kind": "visit", "date": "2025-11-02", "participants": "九龙坡区招商局", "counterparts": "骅远科技 张总",
            "summary": "介绍九龙坡区算力产业政策", "next_step": "", "next_step_due": "",
            "submission_key": new_submission_key()}
    return data | overrides


def test_anonymous_is_sent_to_login(client, visit):
    login = reverse("accounts:login")
    for response in [client.get(reverse("activities:list")), client.get(reverse("activities:create")),
                     client.post(reverse("activities:done", args=[visit.pk]))]:
        assert response.status_code == 302 and response.url.startswith(login)
    visit.refresh_from_db()
    assert not visit.next_step_done


def test_leader_reads_the_list_but_may_not_record_or_tick_off(client, users, visit, project):
    as_user(client, users["leader"])
    listing = client.get(reverse("activities:list"))
    assert listing.status_code == 200 and "洽谈数据安全中心选址" in listing.content.decode()
    assert "记录走访" not in listing.content.decode()
    create_url = reverse("activities:create") + f"?project={project.pk}"
    assert client.get(create_url).status_code == 403
    assert client.post(create_url, visit_data()).status_code == 403
    assert client.post(reverse("activities:done", args=[visit.pk])).status_code == 403
    visit.refresh_from_db()
    assert Activity.objects.count() == 1 and not visit.next_step_done


def test_another_district_neither_sees_nor_touches_the_activity(client, users, visit, project):
    as_user(client, users["district2"])
    listing = client.get(reverse("activities:list")).content.decode()
    assert "洽谈数据安全中心选址" not in listing
    create_url = reverse("activities:create") + f"?project={project.pk}"
    for response in [client.get(create_url), client.post(create_url, visit_data()),
                     client.post(reverse("activities:done", args=[visit.pk]))]:
        assert response.status_code == 404
        assert project.name not in response.content.decode()
    visit.refresh_from_db()
    assert Activity.objects.count() == 1 and not visit.next_step_done


def test_district_records_a_visit_on_its_project_and_sees_it_on_the_timeline(client, users, project):
    as_user(client, users["district"])
    create_url = reverse("activities:create") + f"?project={project.pk}"
    form = client.get(create_url)
    assert form.status_code == 200 and project.organisation.name in form.content.decode()
    response = client.post(create_url, visit_data(next_step="寄送政策汇编", next_step_due="2025-11-30"))
    assert response.status_code == 302 and response.url == reverse("projects:detail", args=[project.pk])
    activity = Activity.objects.get()
    assert activity.project == project and activity.organisation == project.organisation
    assert activity.unit.name == "九龙坡区" and activity.created_by == users["district"]
    detail = client.get(response.url).content.decode()
    assert "介绍九龙坡区算力产业政策" in detail and "寄送政策汇编" in detail


def test_the_same_visit_form_posted_twice_is_saved_once(client, users, project):
    as_user(client, users["district"])
    create_url = reverse("activities:create") + f"?project={project.pk}"
    data = visit_data()
    client.post(create_url, data)
    again = client.post(create_url, data, follow=True)
    assert Activity.objects.count() == 1
    assert "此表单已经提交过一次，没有重复保存。" in [str(m) for m in again.context["messages"]]


def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(client, users, organisation):
    as_user(client, users["district"])
    create_url = reverse("activities:create") + f"?organisation={organisation.pk}"
    response = client.post(create_url, visit_data(summary=""))
    assert response.context["form"].errors["summary"] == ["请填写洽谈内容与共识。"]
    response = client.post(create_url, visit_data(next_step_due="2025-11-30"))
    assert "下一步：填写了期限" in response.context["form"].errors["next_step"][0]
    response = client.post(create_url, visit_data(date="2099-01-01"))
    assert "不能填写将来的日期" in response.context["form"].errors["date"][0]
    assert Activity.objects.count() == 0


def test_a_visit_to_an_organisation_without_a_project(client, users, organisation):
    as_user(client, users["district"])
    response = client.post(reverse("activities:create") + f"?organisation={organisation.pk}", visit_data())
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.project is None and activity.organisation == organisation
    # Without a project or organisation in the link, the person picks the organisation.
    form = client.get(reverse("activities:create")).content.decode()
    assert 'name="organisation"' in form and organisation.name in form
    response = client.post(reverse("activities:create"), visit_data(organisation=organisation.pk))
    assert response.status_code == 302 and Activity.objects.count() == 2


def test_the_list_filters_by_kind_and_organisation_and_pages(client, users, organisation, project, make_project):
    for n in range(26):
        activity_create(actor=users["district"], organisation=organisation, date=D(2025, 10, 1), kind="visit",
                        summary=f"走访第{n}次")
    other = make_project(name="另一个项目")
    activity_create(actor=users["district"], project=other, date=D(2025, 10, 2), kind="talk", summary="另一家企业洽谈")
    as_user(client, users["district"])
    first = client.get(reverse("activities:list"))
    assert first.context["page"].paginator.count == 27 and len(first.context["page"].object_list) == 25
    talks = client.get(reverse("activities:list") + "?kind=talk")
    assert [a.summary for a in talks.context["page"].object_list] == ["另一家企业洽谈"]
    by_org = client.get(reverse("activities:list") + f"?organisation={organisation.pk}")
    assert by_org.context["page"].paginator.count == 26
    assert organisation.name in by_org.content.decode()


def test_ticking_off_a_next_step(client, users, visit):
    as_user(client, users["district"])
    response = client.post(reverse("activities:done", args=[visit.pk]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == reverse("core:home")
    visit.refresh_from_db()
    assert visit.next_step_done
    # From the home page's work list, htmx swaps in a badge instead of reloading.
    again = client.post(reverse("activities:done", args=[visit.pk]), HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and "已完成" in again.content.decode()
