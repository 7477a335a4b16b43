"""The pages: who may open and post what (404 / 403 / redirect to sign in), what the list and the
detail show, the forms' Chinese errors, and the workbook."""

import datetime
import io

import pytest
from django.urls import reverse

from apps.thinktanks import services
from apps.thinktanks.models import Cooperation, CooperationActivity, CooperationOutcome

pytestmark = pytest.mark.django_db

ROLES = ["office_admin", "office", "leader", "district", "district_admin", "district2", "specialist", "liangjiang",
         "anonymous"]
OFFICE = {"office_admin", "office"}


def _client(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_person_reads_the_list_and_the_detail(client, users, cooperation, role):
    _client(client, users, role)
    for url in (reverse("thinktanks:list"), reverse("thinktanks:detail", args=[cooperation.pk]),
                reverse("thinktanks:export")):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "login" in response["Location"]
        else:
            assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_offices_forms(client, users, cooperation, role):
    _client(client, users, role)
    for name in ("edit", "activity_add", "outcome_add"):
        response = client.get(reverse(f"thinktanks:{name}", args=[cooperation.pk]))
        if role == "anonymous":
            assert response.status_code == 302
        elif role in OFFICE:
            assert response.status_code == 200
        else:
            assert response.status_code == 403
            assert "只有驻京办或负责该合作的单位" in response.content.decode()


@pytest.mark.parametrize("role", ["district", "district_admin", "leader", "specialist", "anonymous"])
def test_a_refused_post_changes_nothing(client, users, cooperation, role):
    activity = services.activity_add(actor=users["office"], cooperation=cooperation, values={
        "date": datetime.date(2025, 5, 1), "kind": "salon", "title": "院士人才沙龙"})
    _client(client, users, role)
    posts = [
        (reverse("thinktanks:edit", args=[cooperation.pk]), {"title": "被改了", "version": cooperation.version}),
        (reverse("thinktanks:activity_add", args=[cooperation.pk]),
         {"date": "2025-06-01", "kind": "salon", "title": "偷加的沙龙"}),
        (reverse("thinktanks:activity_remove", args=[cooperation.pk, activity.pk]), {}),
        (reverse("thinktanks:outcome_add", args=[cooperation.pk]),
         {"kind": "talent", "date": "2025-06-01", "note": "某人"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == (302 if role == "anonymous" else 403)
    cooperation.refresh_from_db()
    assert cooperation.title == "战略合作框架协议"
    assert list(CooperationActivity.objects.values_list("title", flat=True)) == ["院士人才沙龙"]
    assert not CooperationOutcome.objects.exists()


def test_the_holding_district_edits_its_own_and_another_district_may_not(client, users, district_cooperation):
    url = reverse("thinktanks:activity_add", args=[district_cooperation.pk])
    client.force_login(users["district2"])
    assert client.get(url).status_code == 403
    client.force_login(users["district"])
    response = client.post(url, {"date": "2025-06-01", "kind": "salon", "title": "数字经济沙龙",
                                 "participant_count": "30"})
    assert response.status_code == 302
    assert district_cooperation.activities.get().title == "数字经济沙龙"


def test_an_unknown_cooperation_is_404(client, users):
    client.force_login(users["office"])
    assert client.get(reverse("thinktanks:detail", args=[999])).status_code == 404
    assert client.get(reverse("thinktanks:edit", args=[999])).status_code == 404


def test_the_create_page_is_refused_to_leaders_and_specialists(client, users):
    for role in ("leader", "specialist"):
        client.force_login(users[role])
        assert client.get(reverse("thinktanks:create")).status_code == 403
    client.force_login(users["district"])
    assert client.get(reverse("thinktanks:create")).status_code == 200


def test_registering_a_cooperation_through_the_form(client, users, think_tank, units):
    client.force_login(users["office"])
    form = client.get(reverse("thinktanks:create")).context["form"]
    response = client.post(reverse("thinktanks:create"), {
        "partner": think_tank.pk, "title": "战略合作框架协议", "status": "active", "signed_date": "2025-03-01",
        "end_date": "2027-02-28", "unit": units["驻京办"].pk, "contact": users["office"].pk,
        "terms": "每年2份报告", "submission_key": form.initial["submission_key"]})
    cooperation = Cooperation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("thinktanks:detail", args=[cooperation.pk])
    page = client.get(response["Location"]).content.decode()
    assert "中国国际经济交流中心" in page and "每年2份报告" in page and "2027年2月28日" in page


def test_the_form_shows_end_before_start_next_to_the_field_and_writes_nothing(client, users, think_tank, units):
    client.force_login(users["office"])
    response = client.post(reverse("thinktanks:create"), {
        "partner": think_tank.pk, "title": "协议", "status": "active", "signed_date": "2025-03-01",
        "start_date": "2025-03-01", "end_date": "2024-01-01", "unit": units["驻京办"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["合作结束日期：不能早于合作开始日期（未填开始日期时为签订日期）。"]
    assert not Cooperation.objects.exists()


def test_an_outcome_of_kind_project_without_a_project_is_explained(client, users, cooperation):
    client.force_login(users["office"])
    response = client.post(reverse("thinktanks:outcome_add", args=[cooperation.pk]),
                           {"kind": "project", "date": "2025-06-01"})
    assert response.status_code == 200
    assert "带来的项目：成果类型为“项目”时请选择项目。" in response.content.decode()
    assert not CooperationOutcome.objects.exists()


def test_an_outcome_through_the_form_links_the_project(client, users, cooperation, make_project):
    project = make_project(name="智库推荐项目")
    client.force_login(users["office"])
    response = client.post(reverse("thinktanks:outcome_add", args=[cooperation.pk]),
                           {"kind": "project", "date": "2025-06-01", "project": project.pk, "note": "推荐落地"})
    assert response.status_code == 302
    page = client.get(reverse("thinktanks:detail", args=[cooperation.pk])).content.decode()
    assert reverse("projects:detail", args=[project.pk]) in page


def test_another_district_sees_that_a_project_came_of_it_not_which(client, users, district_cooperation,
                                                                    make_project):
    project = make_project(name="九龙坡保密项目", actor=users["district"])
    services.outcome_add(actor=users["district"], cooperation=district_cooperation,
                         values={"kind": "project", "date": datetime.date(2025, 6, 1), "project": project})
    client.force_login(users["district2"])
    page = client.get(reverse("thinktanks:detail", args=[district_cooperation.pk])).content.decode()
    assert "九龙坡保密项目" not in page and "其他单位的项目" in page


def test_the_list_is_a_table_of_partners_with_dates_status_and_counts(client, users, cooperation,
                                                                      district_cooperation):
    for day in (1, 2):
        services.activity_add(actor=users["office"], cooperation=cooperation, values={
            "date": datetime.date(2025, 5, day), "kind": "salon", "title": f"沙龙{day}"})
    services.outcome_add(actor=users["office"], cooperation=cooperation,
                         values={"kind": "talent", "date": datetime.date(2025, 6, 1), "note": "李博士"})
    client.force_login(users["leader"])
    response = client.get(reverse("thinktanks:list"))
    page = response.content.decode()
    assert "中国国际经济交流中心" in page and "北京大学" in page and "2025年3月1日" in page and "合作中" in page
    row = page[page.index("中国国际经济交流中心"):]
    row = row[:row.index("</tr>")]
    cells = [c.split(">")[-1] for c in row.split("</td>")][-6:-1]
    assert cells == ["2", "0", "1", "0", "0"]  # activities, projects, talent, introductions, other
    assert "登记合作" not in page  # a leader registers nothing


def test_the_list_filters_by_status(client, users, cooperation, think_tank, values):
    services.cooperation_create(actor=users["office"], values=values(
        think_tank, title="意向书", status="negotiating", signed_date=None, start_date=None, end_date=None))
    client.force_login(users["office"])
    page = client.get(reverse("thinktanks:list"), {"status": "negotiating"}).content.decode()
    assert "意向书" in page and "战略合作框架协议" not in page


def test_the_workbook_lists_the_cooperations_with_formulas_neutralised(client, users, think_tank, values):
    from openpyxl import load_workbook

    services.cooperation_create(actor=users["office"], values=values(think_tank, title="=HYPERLINK(\"x\")"))
    client.force_login(users["district"])
    response = client.get(reverse("thinktanks:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "合作机构" and rows[1][0] == "中国国际经济交流中心"
    assert rows[1][2] == "'=HYPERLINK(\"x\")"
    assert rows[1][4] == "2025年3月1日" and rows[1][7] == "合作中"


def test_removing_an_activity_from_the_page(client, users, cooperation):
    activity = services.activity_add(actor=users["office"], cooperation=cooperation, values={
        "date": datetime.date(2025, 5, 1), "kind": "report", "title": "报告会"})
    client.force_login(users["office_admin"])
    response = client.post(reverse("thinktanks:activity_remove", args=[cooperation.pk, activity.pk]))
    assert response.status_code == 302 and not CooperationActivity.objects.exists()


def test_the_list_costs_the_same_queries_however_many_rows(client, users, cooperation, think_tank, values):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["office"])
    client.get(reverse("thinktanks:list"))  # warm the session and the scope
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("thinktanks:list"))
    for n in range(6):
        more = services.cooperation_create(actor=users["office"], values=values(think_tank, title=f"协议{n}"))
        services.activity_add(actor=users["office"], cooperation=more, values={
            "date": datetime.date(2025, 5, 1), "kind": "salon", "title": "沙龙"})
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("thinktanks:list"))
    assert response.content.decode().count("协议") >= 7
    assert len(many.captured_queries) == len(few.captured_queries)
