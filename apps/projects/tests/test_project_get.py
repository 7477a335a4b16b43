"""project_get reads the project, its organisation, cluster and people in one statement, and its units from the
process's kept unit table (units.selectors.unit_by_id): the same values as the ORM's eight-table join."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.chains.models import Cluster
from apps.projects.models import Project
from apps.projects.selectors import project_get
from apps.projects.services import project_update
from apps.units.models import Unit


def values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def orm_read(pk: int) -> Project:
    return Project.objects.select_related("organisation", "unit", "unit__successor", "source_unit", "cluster",
                                          "specialist", "specialist__unit", "created_by").get(pk=pk)


def assert_same_as_the_orm(project: Project) -> None:
    expected = orm_read(project.pk)
    assert values(project) == values(expected)
    for path in ("organisation", "unit", "unit.successor", "source_unit", "cluster", "specialist.unit"):
        got, want = project, expected
        for part in path.split("."):
            got, want = getattr(got, part), getattr(want, part)
        assert (got is None) == (want is None), path
        if want is not None:
            assert values(got) == values(want), path
    for person in ("specialist", "created_by"):
        assert getattr(project, person).display_name == getattr(expected, person).display_name


@pytest.fixture
def full_project(make_project, users, units):
    """A project of an ended unit (江北区, rolled into 两江新区), sourced by the office, with a cluster and a
    specialist of another unit: every relation the page shows is there."""
    project = make_project(unit_name="江北区", name="新凯精测", first_contact_date=datetime.date(2025, 3, 15),
                           specialist=users["specialist"])
    project_update(actor=users["office"], project=project, version=project.version,
                   cluster=Cluster.objects.order_by("id").first(), source_unit=users["office"].unit)
    return project


@pytest.mark.django_db
def test_inside_a_transaction_it_reads_what_the_orm_reads(full_project, users):
    assert_same_as_the_orm(project_get(actor=users["office"], pk=full_project.pk))


# serialized_rollback: see test_concurrency.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_one_statement_and_the_kept_units(full_project, users):
    project_get(actor=users["office"], pk=full_project.pk)  # the process keeps the units from here on
    with CaptureQueriesContext(connection) as queries:
        project = project_get(actor=users["office"], pk=full_project.pk)
        assert project.unit.successor.name == "两江新区"  # the roll-up the page names reads nothing either
        assert project.specialist.unit.name and project.source_unit.name
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert_same_as_the_orm(project)
    # Each reader is given its own copy of a unit.
    project.unit.name = "改了但没有保存"
    assert project_get(actor=users["office"], pk=full_project.pk).unit.name == "江北区"
    # A unit saved by this process shows at once.
    renamed = Unit.objects.get(pk=users["office"].unit_id)
    renamed.full_name = "重庆市人民政府驻北京办事处（更正）"
    renamed.save()
    assert project_get(actor=users["office"], pk=full_project.pk).source_unit.full_name == renamed.full_name
