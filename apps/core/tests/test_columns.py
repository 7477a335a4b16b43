"""core.columns: a list reads the columns it names, joins only the relations they pass through, and reads a
column left out with a query of its own (never a wrong value)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.columns import USER_NAME, joined, showing, user_name
from apps.projects.models import Project


def _select_list(qs) -> str:
    return str(qs.query).split(" FROM ")[0]


def test_showing_selects_the_named_columns_and_joins_what_they_pass_through():
    qs = showing(Project.objects.all(), "name", "unit__successor__name", *user_name("specialist"))
    select = _select_list(qs)
    assert '"projects_project"."name"' in select and '"projects_project"."description"' not in select
    assert '"accounts_user"."last_name"' in select and '"accounts_user"."password"' not in select
    sql = str(qs.query)
    assert sql.count(" JOIN ") == 3  # unit, its successor, the specialist; not the organisation or cluster


def test_showing_without_relations_joins_nothing():
    # select_related() with no names would join every relation: showing() must not fall into it.
    assert " JOIN " not in str(showing(Project.objects.select_related("organisation"), "name", "stage").query)


def test_joined_keeps_every_own_column_and_names_only_of_users():
    select = _select_list(joined(Project.objects.all(), {"created_by": USER_NAME, "unit": None}))
    for field in Project._meta.concrete_fields:
        assert f'"projects_project"."{field.column}"' in select
    assert '"units_unit"."full_name"' in select and '"accounts_user"."password"' not in select


def test_a_path_that_is_not_a_forward_relation_is_refused():
    with pytest.raises(ValueError):
        showing(Project.objects.all(), "stage_changes__note")


def test_a_column_left_out_is_read_on_demand(make_project, users):
    make_project(name="按需读取", description="说明在此")
    project = showing(Project.objects.filter(name="按需读取"), "name").get()
    with CaptureQueriesContext(connection) as extra:
        assert project.description == "说明在此"
    assert len(extra.captured_queries) == 1
