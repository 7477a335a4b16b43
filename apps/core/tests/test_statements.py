"""core.statements.CompiledRead: a read compiled once runs as its queryset would — the same SQL, the same
parameters, the same rows — for every CompiledRead the app defines, whatever values it is given. And
read_model_row: a written-out statement's row is the instance the ORM would give."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from apps.core.statements import CompiledRead, read_model_row
from apps.core.testing import field_values

D = datetime.date


def _all_reads() -> list[CompiledRead]:
    assert get_resolver().url_patterns  # imports every view, and with them every selector module
    return list(CompiledRead.registry)


def _row(instance, read: CompiledRead) -> dict:
    """A row's own columns, and those of each row select_related joined to it (as the builder names them)."""
    out = field_values(instance)
    query = read.build(*read.stand_ins()).query
    for path in _paths(query.select_related):
        related = instance
        for part in path.split("__"):
            related = getattr(related, part) if related is not None else None
        out[path] = None if related is None else {k: v for k, v in vars(related).items() if not k.startswith("_")}
    return out


def _paths(tree, prefix=""):
    if not isinstance(tree, dict):
        return []
    out = []
    for name, below in tree.items():
        out.append(prefix + name)
        out.extend(_paths(below, prefix + name + "__"))
    return out


def _samples(kind):
    return [1, 2, 10**12] if kind is int else ["1", "42", "文本"]


def test_there_are_compiled_reads_and_each_names_what_it_reads():
    reads = _all_reads()
    assert len(reads) >= 4
    assert len({read.name for read in reads}) == len(reads)


@pytest.mark.django_db
def test_each_compiled_read_runs_its_querysets_sql_with_the_values_it_is_given():
    for read in _all_reads():
        for sample in _samples(read.kinds[0]):
            values = [sample if kind is read.kinds[0] else _samples(kind)[0] for kind in read.kinds]
            with CaptureQueriesContext(connection) as compiled:
                read(*values)
            # What ran is what Django runs for the queryset (the logged SQL has the values written in).
            with CaptureQueriesContext(connection) as orm:
                list(read.build(*values))
            assert len(compiled) == 1 and compiled[0]["sql"] == orm[0]["sql"], read.name


@pytest.fixture
def project_with_history(users, make_project):
    from apps.activities.services import activity_create
    from apps.fulfilment.choices import AlertKind
    from apps.fulfilment.models import Alert
    from apps.fulfilment.services import funds_entry_add, funds_plan_set
    from apps.fulfilment.tests.conftest import sign
    from apps.organisations.models import Organisation, OrganisationAlias, Person
    from apps.projects.models import Project
    from apps.projects.services import project_hand_over, project_update
    from apps.servicedesk.services import request_create

    project = make_project(name="编译语句项目", specialist=users["specialist"])
    for i in range(3):
        activity_create(actor=users["office"], date=D(2025, 12, 1 + i), summary=f"第{i}次走访", project=project,
                        next_step=f"第{i}步", next_step_due=D(2026, 1, 1 + i))
        project_update(actor=users["office"], project=Project.objects.get(pk=project.pk), description=f"说明{i}",
                       planned_investment=Decimal(100_000_000 + i))
        project_hand_over(actor=users["office"], project=Project.objects.get(pk=project.pk),
                          specialist=[users["district"], users["specialist"]][i % 2], note=f"交接{i}")
    project = sign(Project.objects.get(pk=project.pk), actor=users["office"], specialist=users["specialist"])
    funds_plan_set(actor=users["office"], project=project, items=[
        {"due_date": D(2026, 3, 31), "amount": Decimal(100_000_000), "note": "一期"},
        {"due_date": D(2026, 12, 31), "amount": Decimal(400_000_000), "note": "二期"}])
    for i in range(2):
        funds_entry_add(actor=users["office"], project=Project.objects.get(pk=project.pk), date=D(2026, 1, 1 + i),
                        amount=Decimal(10_000_000), note=f"第{i}笔")
    for i in range(2):
        request_create(actor=users["office"], project=Project.objects.get(pk=project.pk), category="land",
                       title=f"用地诉求{i}", owner=users["district"])
    Alert.objects.create(project=project, kind=AlertKind.choices[0][0], message="测试提醒", raised_on=D(2026, 2, 1))
    for name, kind in (("编译简称", "short"), ("编译曾用名有限公司", "former")):
        OrganisationAlias.objects.create(organisation_id=project.organisation_id, name=name, kind=kind)
    Organisation.objects.create(name="编译分公司", parent_id=project.organisation_id)
    Person.objects.create(name="编译联系人", organisation_id=project.organisation_id, title="总经理")
    return project


@pytest.mark.django_db
def test_the_rows_are_the_querysets_rows_field_for_field_with_their_joined_names(project_with_history, make_project):
    other = make_project(name="另一个项目")
    for read in _all_reads():
        for project in (project_with_history, other):
            compiled = read(*_for_project(read, project))
            orm = list(read.build(*_for_project(read, project)))
            assert [_row(row, read) for row in compiled] == [_row(row, read) for row in orm], read.name
    # Every read found rows of the project with a history: the comparison above compared something.
    assert all(read(*_for_project(read, project_with_history)) for read in _all_reads())


def _for_project(read: CompiledRead, project) -> tuple:
    # The app's reads take the project's id, its id as the audit log stores it, or the model and that id; the
    # organisation page's (its people, projects and activities too) take its organisation's id.
    if read.name.startswith("organisation page"):
        return (project.organisation_id,)
    return {(int,): (project.pk,), (str,): (str(project.pk),),
            (str, str): (project._meta.label_lower, str(project.pk))}[read.kinds]


# serialized_rollback: see projects/tests/test_concurrency.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_read_compiled_in_one_thread_runs_on_another_threads_connection(project_with_history):
    read = next(read for read in _all_reads() if read.kinds == (int,))
    here = read(project_with_history.pk)  # compiled (if not yet) on this thread's connection
    there, errors = [], []

    def other_thread():
        from django.db import connections

        try:
            there.extend(read(project_with_history.pk))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert errors == []
    assert [field_values(row) for row in there] == [field_values(row) for row in here]


@pytest.mark.django_db
def test_a_builder_whose_sql_would_change_with_its_values_is_refused():
    from apps.projects.models import StageChange

    inlined = CompiledRead(StageChange, lambda pk: StageChange.objects.all()[: abs(pk) % 7 + 1], kinds=(int,),
                           name="test: inlined")
    unused = CompiledRead(StageChange, lambda pk: StageChange.objects.filter(project_id=1), kinds=(int,),
                          name="test: unused")
    typed = CompiledRead(StageChange, lambda pk: StageChange.objects.filter(project_id=pk), kinds=(int,),
                         name="test: typed")
    prefetching = CompiledRead(StageChange, lambda pk: StageChange.objects.filter(project_id=pk).prefetch_related(
        "changed_by"), kinds=(int,), name="test: prefetching")
    values = CompiledRead(StageChange, lambda pk: StageChange.objects.filter(project_id=pk).values("id"),
                          kinds=(int,), name="test: values")
    try:
        for read in (inlined, unused):
            with pytest.raises(ImproperlyConfigured):
                read(5)
        for wrong in (None, True, "5", 5.0):
            with pytest.raises(TypeError):
                typed(wrong)
        with pytest.raises(TypeError):
            typed(1, 2)
        with pytest.raises(ImproperlyConfigured):
            CompiledRead(StageChange, lambda day: StageChange.objects.filter(occurred_on=day), kinds=(datetime.date,))
        # Rows are model instances: what a prefetch or values() would add is refused, not silently dropped.
        for read in (prefetching, values):
            with pytest.raises(ImproperlyConfigured):
                read(5)
    finally:
        for read in (inlined, unused, typed, prefetching, values):
            CompiledRead.registry.remove(read)


def _project_columns_sql(project_model, where: str, extra: str = "") -> str:
    from django.db import connection as db

    quote = db.ops.quote_name
    columns = ", ".join(f"p.{quote(field.column)}" for field in project_model._meta.concrete_fields)
    return f"SELECT {columns}{extra} FROM {quote(project_model._meta.db_table)} p WHERE {where}"


@pytest.mark.django_db
def test_a_model_row_read_by_hand_is_the_orms_row_field_for_field(project_with_history):
    # A project has every kind of column the converters treat differently on the two databases: booleans,
    # dates, moments, decimals, JSON, nullable keys.
    from apps.projects.models import Project

    sql = _project_columns_sql(Project, "p.id = %s", ", 7 AS seven, 'x' AS ex")
    instance, extras = read_model_row(Project, sql, [project_with_history.pk], extra=2)
    orm = Project.objects.get(pk=project_with_history.pk)
    assert field_values(instance) == field_values(orm)
    # Equal is not enough: SQLite gives a boolean as 1, which equals True; the converters make it True.
    assert {name: type(value) for name, value in field_values(instance).items()} == {
        name: type(value) for name, value in field_values(orm).items()}
    assert tuple(extras) == (7, "x")
    # Loaded from the database, as the ORM's are: saving it updates the row, it does not insert another.
    assert instance._state.adding is False and instance._state.db == orm._state.db


@pytest.mark.django_db
def test_a_model_row_read_by_hand_none_when_no_row_and_refused_when_its_columns_do_not_fit(project_with_history):
    from apps.projects.models import Project

    assert read_model_row(Project, _project_columns_sql(Project, "p.id = %s"), [-1]) is None
    with pytest.raises(ImproperlyConfigured):  # an extra column not declared would shift every field
        read_model_row(Project, _project_columns_sql(Project, "p.id = %s", ", 1 AS one"), [project_with_history.pk])
