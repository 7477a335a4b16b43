"""Large imports defer their search postings to one sorted merge at the end. A stop half-way leaves
the committed records waiting to become searchable; resuming (or any later import) merges them."""

import pytest

from apps.imports import services
from apps.imports.models import ImportStatus
from apps.imports.services import run_import
from apps.imports.tests.files import csv_bytes, make_job, sample_rows
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
