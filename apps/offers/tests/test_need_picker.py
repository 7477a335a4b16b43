"""The need form's organisation picker: a short list refilled by the library search, so a firm among a
million is found by typing, and the chosen id is still checked on save."""

import pytest
from django.urls import reverse

from apps.offers import services
from apps.offers.models import NeedProfile
from apps.organisations.models import Organisation
from apps.organisations.services import organisation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_list(monkeypatch):
    # One row stands in for the fifty the page shows, so "not on the first screen" needs two firms, not 51.
    monkeypatch.setattr("apps.projects.forms.ORGANISATION_SHORTLIST", 1)


@pytest.fixture
def older_and_newer(users):
    older = organisation_create(actor=users["office"], name="北京嘉岳环境科技有限公司")
    newer = organisation_create(actor=users["office"], name="北京骁联储能技术有限公司")
    return older, newer


def _need_data(clusters, organisation_id):
    return {"title": "储能电池组装", "organisation": organisation_id, "cluster": clusters["新能源及新型储能"].pk,
            "site_kind": "factory", "area_min": "8000", "area_max": "12000"}


def test_a_firm_beyond_the_short_list_is_found_by_searching_and_saved(client, users, clusters, short_list,
                                                                      older_and_newer):
    older, newer = older_and_newer
    client.force_login(users["office"])
    page = client.get(reverse("offers:need_create")).content.decode()
    options_url = reverse("projects:organisation_options")
    assert f'hx-get="{options_url}"' in page and 'name="organisation_q"' in page
    assert newer.name in page and older.name not in page

    options = client.get(options_url + "?organisation_q=嘉岳").content.decode()
    assert f'value="{older.pk}"' in options and newer.name not in options

    response = client.post(reverse("offers:need_create"), _need_data(clusters, older.pk))
    need = NeedProfile.objects.get()
    assert response["Location"] == reverse("offers:need_match", args=[need.pk])
    assert need.organisation == older


def test_the_edit_form_keeps_showing_the_chosen_firm_though_it_is_not_among_the_newest(
        client, users, clusters, short_list, older_and_newer):
    older, newer = older_and_newer
    need = services.need_create(actor=users["office"], values={
        "title": "储能电池组装", "organisation": older, "cluster": clusters["新能源及新型储能"]})
    client.force_login(users["office"])
    page = client.get(reverse("offers:need_edit", args=[need.pk])).content.decode()
    assert f'<option value="{older.pk}" selected>{older.name}</option>' in page


@pytest.mark.parametrize("forged", ["merged", "missing", "text"])
def test_an_id_outside_the_library_is_refused_on_the_field_and_nothing_is_saved(
        client, users, clusters, older_and_newer, forged):
    older, newer = older_and_newer
    Organisation.objects.filter(pk=older.pk).update(merged_into=newer)  # a merged duplicate is not choosable
    value = {"merged": older.pk, "missing": newer.pk + 1000, "text": "嘉岳"}[forged]
    client.force_login(users["office"])
    response = client.post(reverse("offers:need_create"), _need_data(clusters, value))
    assert response.status_code == 200
    assert "企业：所选的值不是可选项，请重新选择。" in response.content.decode()
    assert not NeedProfile.objects.exists()
