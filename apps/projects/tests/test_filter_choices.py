"""The project list's district and cluster selects come from options kept per process and language for seconds
(projects.filters.FILTER_CHOICES, core.reference): the same options as read fresh, not read again on the next
page, forgotten when a unit or cluster is saved here, and never read for the API, which shows no select."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.chains.models import Cluster
from apps.projects.filters import FILTER_CHOICES, ProjectFilterForm
from apps.units.models import Unit


def _reference_reads(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # The options' reads: every unit column in list order (not the successor map, not the user's own unit by id),
    # and the clusters.
    return [q["sql"] for q in captured
            if 'FROM "units_unit"' in q["sql"] and '"full_name"' in q["sql"] and "ORDER BY" in q["sql"]
            or 'FROM "chains_cluster"' in q["sql"]]


def test_the_options_are_those_read_fresh_in_each_language(units):
    for language in ("zh-hans", "en"):
        with translation.override(language):
            kept = ProjectFilterForm({"unit": str(Unit.objects.get(name="九龙坡区").pk)})
            fresh = ProjectFilterForm({"unit": str(Unit.objects.get(name="九龙坡区").pk)})
            for name in ("unit", "cluster"):
                field = fresh.fields[name]
                field.choices = list(field.iterator(field))  # read now, from the database
                assert str(kept[name]) == str(fresh[name])
                assert str(kept[name]).count("<option") > 3
    assert "（已并入两江新区）" in str(ProjectFilterForm()["unit"])


# Transactional: inside a transaction (as an ordinary test runs) nothing is kept, since it may roll back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_next_page_does_not_read_them_again_and_a_saved_unit_shows_at_once(client, users):
    client.force_login(users["office"])
    url = reverse("projects:list")
    assert _reference_reads(client, url)  # the first page reads them
    assert _reference_reads(client, url) == []
    unit = Unit.objects.get(name="长寿区")
    unit.name = "长寿区（改）"
    unit.save()
    Cluster.objects.create(name="新设产业集群", tier="six")
    body = client.get(url).content.decode()
    assert "长寿区（改）" in body and "新设产业集群" in body


def test_a_chosen_value_is_still_checked_against_the_database(units):
    FILTER_CHOICES.forget()
    str(ProjectFilterForm()["unit"])  # options kept
    gone = Unit.objects.create(code="999999", name="临时区", full_name="临时区", kind="district")
    Unit.objects.filter(pk=gone.pk).delete()  # a delete another process made: no signal here
    form = ProjectFilterForm({"unit": str(gone.pk)})
    assert form.selector_kwargs()["unit_id"] is None  # dropped, as any stale value


def test_the_api_validates_with_the_form_without_reading_the_options(units, django_assert_num_queries):
    FILTER_CHOICES.forget()
    chosen = str(Unit.objects.get(name="九龙坡区").pk)
    with django_assert_num_queries(1):  # the chosen district, nothing else
        ProjectFilterForm({"unit": chosen}).checked_selector_kwargs()
