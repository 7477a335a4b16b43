"""The live-project count the database keeps (apps/projects/live_count.py) is the real count after every kind
of write: the services, queryset updates, bulk inserts, deletes, a flush, and writers at the same moment.
Runs on SQLite and on PostgreSQL (the triggers differ)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.organisations.services import organisation_create
from apps.projects import live_count
from apps.projects.models import Project
from apps.projects.services import project_archive, project_create
from apps.projects.tests.test_concurrency import WON, at_once


def real() -> int:
    return Project.objects.filter(is_archived=False).count()


def kept() -> int:
    return live_count.live_project_count()


@pytest.mark.django_db
def test_the_services_keep_it(users, make_project):
    assert kept() == real() == 0
    made = [make_project() for _ in range(3)]
    assert kept() == 3
    project_archive(actor=users["office"], project=made[0], reason="重复录入")
    assert kept() == real() == 2
    # An edit that does not archive leaves the number alone (and on PostgreSQL never writes its row).
    Project.objects.filter(pk=made[1].pk).update(name="改名后的项目")
    made[2].save()
    assert kept() == real() == 2


# Each step: ("bulk", rows to insert, how many of them archived) or ("archive"/"unarchive"/"delete", which ids).
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("bulk"), st.integers(0, 6), st.integers(0, 6)),
        st.tuples(st.sampled_from(["archive", "unarchive", "delete", "touch"]), st.lists(st.integers(0, 30), max_size=8)),
    ),
    min_size=1, max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_any_sequence_of_writes_keeps_it(users, units, organisation, steps):
    """Hypothesis writes projects every way the ORM can — a bulk insert (one statement, many rows, some of
    them archived), queryset updates either way, deletes — and the number must be the real count after each."""
    for step in steps:
        ids = list(Project.objects.order_by("id").values_list("id", flat=True))
        if step[0] == "bulk":
            rows, archived = step[1], min(step[2], step[1])
            Project.objects.bulk_create([
                Project(name=f"批量项目{i}", organisation=organisation, unit=units["九龙坡区"],
                        first_contact_date=datetime.date(2025, 10, 1), is_archived=i < archived)
                for i in range(rows)
            ])
        else:
            chosen = [ids[i % len(ids)] for i in step[1]] if ids else []
            qs = Project.objects.filter(pk__in=chosen)
            if step[0] == "archive":
                qs.update(is_archived=True)
            elif step[0] == "unarchive":
                qs.update(is_archived=False)
            elif step[0] == "delete":
                qs.delete()
            else:
                qs.update(priority="high")
        assert kept() == real(), step


@pytest.mark.django_db
def test_a_flush_sets_it_to_nothing(make_project):
    """Django's flush (tests, `manage.py flush`): TRUNCATE on PostgreSQL, DELETE on SQLite."""
    for _ in range(2):
        make_project()
    if connection.vendor == "postgresql":
        # PostgreSQL refuses to truncate a table with deferred checks pending in the transaction (this test's).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    tables = [Project._meta.db_table]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    connection.ops.execute_sql_flush(statements)
    assert kept() == real() == 0


@pytest.mark.django_db
def test_a_missing_trigger_is_put_back_after_migrate(users, make_project):
    """SQLite drops a table's triggers when a migration rebuilds the table; post_migrate's ensure() puts them
    back and recounts."""
    make_project()
    assert live_count.missing_triggers(connection) == []
    assert live_count.ensure() is False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER projects_live_count_insert ON {live_count.PROJECTS}")
        else:
            cursor.execute("DROP TRIGGER projects_live_count_insert")
    assert live_count.missing_triggers(connection) == ["projects_live_count_insert"]
    make_project()
    assert kept() == 1 and real() == 2  # the gap a missing trigger makes
    assert live_count.ensure() is True
    assert live_count.missing_triggers(connection) == []
    assert kept() == real() == 2
    make_project()
    assert kept() == real() == 3


@pytest.mark.django_db
def test_recount_reports_and_fixes_a_wrong_number(make_project):
    make_project()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {live_count.TABLE} SET live = 41")
    with pytest.raises(CommandError, match="记录为 41.*实有 1"):
        call_command("recount_projects", stdout=io.StringIO())
    out = io.StringIO()
    call_command("recount_projects", "--fix", stdout=out)
    assert "已改为 1" in out.getvalue()
    assert kept() == 1
    out = io.StringIO()
    call_command("recount_projects", stdout=out)
    assert "一致" in out.getvalue()


@pytest.mark.django_db
def test_the_list_page_total_follows_the_records(client, users, make_project):
    made = [make_project() for _ in range(4)]
    project_archive(actor=users["office"], project=made[0], reason="重复录入")
    client.force_login(users["office"])
    assert client.get("/projects/").context["page"].paginator.count == 3
    Project.objects.filter(pk=made[0].pk).update(is_archived=False)
    assert client.get("/projects/").context["page"].paginator.count == 4


# serialized_rollback: see test_concurrency.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_writers_at_the_same_moment_are_all_counted(users, units):
    """Four districts register projects and the office archives one at the same instant, each in its own
    committed transaction: none of their changes to the number is lost."""
    orgs = [organisation_create(actor=users["office"], name=f"并发测试{i}科技有限公司") for i in range(5)]
    first = project_create(actor=users["office"], organisation=orgs[4], unit=units["九龙坡区"], name="先有的项目")
    before = kept()
    calls = {
        f"create{i}": (lambda i=i: project_create(actor=users["office"], organisation=orgs[i], unit=units["长寿区"],
                                                  name=f"同时登记{i}") and WON)
        for i in range(4)
    }
    calls["archive"] = lambda: project_archive(actor=users["office"], project=first, reason="重复录入") and WON
    outcomes = at_once(calls)
    assert set(outcomes.values()) == {WON}, outcomes
    assert kept() == real() == before + 3
