"""Large imports defer their search postings to one sorted merge at the end. A stop half-way leaves
the committed records waiting to become searchable; resuming (or any later import) merges them."""

import pytest
from django.db import connection

from apps.imports import services
from apps.imports.models import ImportStatus
from apps.imports.services import run_import
from apps.imports.tests.files import csv_bytes, library, make_job, sample_rows
from apps.organisations import bulk
from apps.organisations.models import Organisation
from apps.organisations.search import has_pending, naive_ids, search_ids

pytestmark = pytest.mark.django_db


def searchable(name: str) -> bool:
    org = Organisation.objects.get(name=name)
    return org.pk in [h.organisation_id for h in search_ids(name)]


def test_a_deferred_import_is_searchable_when_it_ends(users, monkeypatch):
    monkeypatch.setattr(services, "DEFER_INDEX_ROWS", 0)
    rows = sample_rows(8)

    job = run_import(make_job(users["office"], csv_bytes(rows)), batch_size=3)

    assert job.status == ImportStatus.DONE and job.created_count == 8
    assert not has_pending()
    assert all(searchable(row[0]) for row in rows)
    assert search_ids(rows[0][0][2:6]) == naive_ids(rows[0][0][2:6])


def test_a_stopped_deferred_import_becomes_searchable_on_resume(users, monkeypatch):
    monkeypatch.setattr(services, "DEFER_INDEX_ROWS", 0)
    rows = sample_rows(9)
    real, calls = bulk.bulk_upsert, {"n": 0}

    def failing_once(batch, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("进程被终止")
        return real(batch, **kwargs)

    monkeypatch.setattr(bulk, "bulk_upsert", failing_once)
    job = make_job(users["office"], csv_bytes(rows))
    with pytest.raises(RuntimeError):
        run_import(job, batch_size=3)

    # Six records committed, their postings still waiting: they exist but search does not see them yet.
    assert Organisation.objects.count() == 6 and has_pending()
    assert not searchable(rows[0][0])

    run_import(job, batch_size=3)

    assert not has_pending()
    assert all(searchable(row[0]) for row in rows)


def test_a_repeat_far_down_a_huge_file_is_still_reported(users, monkeypatch):
    # Past SEEN_LIMIT rows the importer forgets earlier lines; the repeat is then recognised in the
    # library as a record this very import created.
    monkeypatch.setattr(services, "SEEN_LIMIT", 0)
    rows = sample_rows(5)
    job = run_import(make_job(users["office"], csv_bytes([*rows, rows[1]])), batch_size=2)

    assert (job.created_count, job.failed_count) == (5, 1)
    issue = job.issues.get()
    assert issue.line == 7 and "与文件中前面的一行重复" in issue.message and rows[1][0] in issue.message
    assert Organisation.objects.count() == 5


def test_a_deferred_parallel_import_builds_the_library_and_index_a_plain_one_does(users, monkeypatch):
    """Large files clean part of each batch in a second process and park their postings, packed one
    row per organisation, until the end; small files do neither. Same file, same result — names
    with quotes and backslashes included, which the packing has to escape."""
    from apps.organisations.search import KEY_TABLE, postings_for

    rows = sample_rows(12)
    rows[2][0] = '北京"引号"信息技术有限公司'
    rows[5][0] = "北京反斜\\杠信息技术有限公司"

    def imported():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT key, name_len, organisation_id FROM {KEY_TABLE}")
            index = set(cursor.fetchall())
        wanted = {p for org in Organisation.objects.all() for p in postings_for(org.pk, org.search_text)}
        assert index == wanted
        return library(), {q: [Organisation.objects.get(pk=h.organisation_id).name for h in search_ids(q)]
                           for q in ("信息", '"引号"', "反斜\\杠", "北京骅远")}

    run_import(make_job(users["office"], csv_bytes(rows)), batch_size=5)
    plain = imported()
    Organisation.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {KEY_TABLE}")
    monkeypatch.setattr(services, "DEFER_INDEX_ROWS", 0)

    job = run_import(make_job(users["office"], csv_bytes(rows)), batch_size=5)

    assert job.status == ImportStatus.DONE and job.created_count == 12 and not has_pending()
    assert imported() == plain
    assert plain[1]['"引号"'] == ['北京"引号"信息技术有限公司']


def test_the_share_of_cleaning_moves_to_whichever_process_waits():
    share = services._Share()
    for _ in range(20):
        share.adjust(waited=0.5)  # this process waited for the worker: it takes more of the work
    assert share.own == services._Share.MAX
    for _ in range(20):
        share.adjust(waited=0.0)
    assert share.own == 0.0


def test_however_a_batch_is_split_between_the_processes_every_row_is_committed_once_in_file_order(
        users, monkeypatch):
    """The worker cleans the head of each batch, this process the tail, in shares that change from
    batch to batch (nothing, half, odd fractions): records, their order of creation, the reported
    lines and repeats must be those of a plain one-process import of the same file."""
    rows = sample_rows(23)
    rows[4][1] = "不是代码"  # refused
    rows[9] = list(rows[3])  # a repeat of an earlier row
    rows[16][2] = "外星企业"  # refused (a choice cell: cleaned through the cached _choice)
    rows[20][2] = "外星企业"  # the same refused value again: refused again, not served from a cache
    data = csv_bytes(rows)

    def outcome(job):
        assert job.status == ImportStatus.DONE
        created = [org.name for org in Organisation.objects.order_by("pk")]
        issues = [(i.line, i.column, i.message) for i in job.issues.order_by("line", "pk")]
        return (job.created_count, job.failed_count), created, issues, library()

    monkeypatch.setattr(services, "PARALLEL_PREPARE", False)
    plain = outcome(run_import(make_job(users["office"], data), batch_size=4))
    Organisation.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM organisations_searchkey")

    shares = iter([0.0, 0.5, 0.37, 1 / 3, 0.05, 0.5, 0.0, 0.25] * 4)

    class Shifting(services._Share):
        def adjust(self, *, waited: float) -> None:
            self.own = next(shares)

    monkeypatch.setattr(services, "PARALLEL_PREPARE", True)
    monkeypatch.setattr(services, "DEFER_INDEX_ROWS", 0)
    monkeypatch.setattr(services, "_Share", Shifting)
    parallel = outcome(run_import(make_job(users["office"], data), batch_size=4))

    assert parallel == plain
    assert plain[0] == (19, 4) and [line for line, _, _ in plain[2]] == [6, 11, 18, 22]
    assert plain[1] == [row[0] for n, row in enumerate(rows) if n not in (4, 9, 16, 20)]
