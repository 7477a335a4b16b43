"""The outcome form's project select: a short list refilled by a search over every project the person may
see, and the chosen id checked again on save — a project the person may not see is neither offered nor
accepted."""

import pytest
from django.urls import reverse

from apps.thinktanks.models import CooperationOutcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_list(monkeypatch):
    # One row stands in for the fifty the page shows, so "not on the first screen" needs two projects.
    monkeypatch.setattr("apps.projects.forms.PROJECT_SHORTLIST", 1)


def _options_url(cooperation, **params):
    from urllib.parse import urlencode

    return reverse("thinktanks:outcome_project_options", args=[cooperation.pk]) + "?" + urlencode(params)


def test_a_project_beyond_the_short_list_is_found_by_searching_and_saved(client, users, cooperation, make_project,
                                                                        short_list):
    older = make_project(name="固态电池中试线")
    newer = make_project(name="智能座舱研发中心")
    client.force_login(users["office"])
    page = client.get(reverse("thinktanks:outcome_add", args=[cooperation.pk])).content.decode()
    assert f'hx-get="{reverse("thinktanks:outcome_project_options", args=[cooperation.pk])}"' in page
    assert newer.name in page and older.name not in page

    options = client.get(_options_url(cooperation, project_q="固态")).content.decode()
    assert f'<option value="{older.pk}">固态电池中试线（九龙坡区）</option>' in options and newer.name not in options
    # the organisation's name finds its project too
    assert older.name in client.get(_options_url(cooperation, project_q=older.organisation.name)).content.decode()

    response = client.post(reverse("thinktanks:outcome_add", args=[cooperation.pk]),
                           {"kind": "project", "date": "2025-06-01", "project": older.pk})
    assert response.status_code == 302
    assert CooperationOutcome.objects.get().project == older


def test_searching_keeps_the_chosen_project_on_the_list_and_chosen(client, users, cooperation, make_project,
                                                                   short_list):
    chosen = make_project(name="固态电池中试线")
    client.force_login(users["office"])
    options = client.get(_options_url(cooperation, project_q="座舱", project=chosen.pk)).content.decode()
    assert f'<option value="{chosen.pk}" selected>' in options


def test_nothing_found_says_so(client, users, cooperation, make_project):
    make_project(name="固态电池中试线")
    client.force_login(users["office"])
    options = client.get(_options_url(cooperation, project_q="不存在的项目")).content.decode()
    assert "没有找到您可查看的项目，请换个关键词" in options


def test_another_districts_project_is_neither_offered_nor_accepted(client, users, district_cooperation,
                                                                   make_project):
    own = make_project(name="九龙坡热管理项目", actor=users["district_admin"])
    other = make_project(name="长寿新材料项目", actor=users["district2"], unit_name="长寿区")
    client.force_login(users["district_admin"])
    options = client.get(_options_url(district_cooperation, project_q="项目")).content.decode()
    assert own.name in options and other.name not in options
    assert other.name not in client.get(_options_url(district_cooperation, project=other.pk)).content.decode()

    response = client.post(reverse("thinktanks:outcome_add", args=[district_cooperation.pk]),
                           {"kind": "project", "date": "2025-06-01", "project": other.pk})
    assert response.status_code == 200
    assert "带来的项目：所选的值不是可选项，请重新选择。" in response.content.decode()
    assert not CooperationOutcome.objects.exists()


def test_an_archived_project_is_not_offered(client, users, cooperation, make_project):
    from apps.projects.models import Project

    archived = make_project(name="已归档的旧项目")
    Project.objects.filter(pk=archived.pk).update(is_archived=True)
    client.force_login(users["office"])
    assert archived.name not in client.get(_options_url(cooperation, project_q="旧项目")).content.decode()


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("district2", 403), ("leader", 403)])
def test_only_those_who_may_add_an_outcome_search_through_it(client, users, cooperation, make_project, role, status):
    make_project(name="固态电池中试线")
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(_options_url(cooperation, project_q="固态"))
    assert response.status_code == status
    assert "固态电池中试线" not in response.content.decode()


def test_the_partner_select_offers_a_shortlist_and_the_search_finds_partners_of_the_right_kinds(client, users,
                                                                                                monkeypatch):
    from apps.organisations.models import Organisation
    from apps.organisations.services import organisation_create

    monkeypatch.setattr("apps.thinktanks.forms.PARTNER_SHORTLIST", 1)
    old = organisation_create(actor=users["office"], name="重庆大学", kind="university")
    organisation_create(actor=users["office"], name="重庆市科学技术研究院", kind="institute")
    firm = organisation_create(actor=users["office"], name="重庆大学城科技有限公司", kind="enterprise")
    client.force_login(users["office"])
    page = client.get(reverse("thinktanks:create")).content.decode()
    assert "重庆市科学技术研究院" in page and "重庆大学</option>" not in page  # newest partner only
    body = client.get(reverse("thinktanks:partner_options"), {"partner_q": "重庆大学"}).content.decode()
    assert "重庆大学</option>" in body and firm.name not in body  # an enterprise is no partner
    # The partner beyond the shortlist validates when posted, and stays chosen on a refused form.
    response = client.post(reverse("thinktanks:create"), {"partner": old.pk, "title": ""})
    assert f'<option value="{old.pk}" selected>重庆大学</option>' in response.content.decode()
    assert Organisation.objects.filter(pk=old.pk).exists()


def test_the_partner_search_finds_a_partner_behind_many_enterprises_with_the_same_words(client, users, monkeypatch):
    from apps.organisations.services import organisation_create

    monkeypatch.setattr("apps.thinktanks.forms.PARTNER_SHORTLIST", 2)
    institute = organisation_create(actor=users["office"], name="长江经济研究院", kind="institute")
    for n in range(12):
        organisation_create(actor=users["office"], name=f"经济研究{n}所", kind="enterprise")
    client.force_login(users["office"])
    body = client.get(reverse("thinktanks:partner_options"), {"partner_q": "经济研究"}).content.decode()
    assert institute.name in body and "经济研究0所" not in body
