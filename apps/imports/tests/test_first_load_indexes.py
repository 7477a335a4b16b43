"""A large first load drops the library indexes no import lookup reads and builds them again after its
last row; whatever stops it half-way, the indexes come back (its own exit, the stale-job sweep, a
resume, `import_organisations --repair-indexes`)."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from apps.imports import services
from apps.imports.models import ImportJob, ImportStatus
from apps.imports.services import STALE_AFTER, import_job_resume, import_jobs_recover_stale, run_import
from apps.imports.tests.files import csv_bytes, make_job, sample_rows
from apps.organisations import bulk
from apps.organisations.models import Organisation
from apps.organisations.search import naive_ids, search_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(monkeypatch):
    """Every file counts as large (deferred postings, first-load indexes)."""
    monkeypatch.setattr(services, "DEFER_INDEX_ROWS", 0)


def watch_batches(monkeypatch, fail_at: int | None = None) -> list[list[str]]:
    """Record which deferrable indexes are missing while each batch is written; raise at batch
    `fail_at` as a crash would."""
    seen: list[list[str]] = []
    real = bulk.bulk_upsert

    def watched(rows, **kwargs):
        seen.append(bulk.missing_indexes())
        if fail_at is not None and len(seen) == fail_at:
            raise RuntimeError("进程被终止")
        return real(rows, **kwargs)

    monkeypatch.setattr(bulk, "bulk_upsert", watched)
    return seen


def all_deferrable() -> set[str]:
    return {name for name, _ in bulk.deferrable_indexes()}


def test_the_lookup_indexes_stay_and_the_others_are_deferrable():
    names = all_deferrable()
    assert names and "org_trade_name_region" not in names
    assert not any(n.startswith("organisations_organisation_name_") and not n.endswith("_like") for n in names)
    assert not bulk.missing_indexes()


def test_a_first_load_writes_without_the_deferrable_indexes_and_ends_with_all_of_them(users, large, monkeypatch):
    seen = watch_batches(monkeypatch)
    rows = sample_rows(9)

    job = run_import(make_job(users["office"], csv_bytes(rows)), batch_size=3)

    assert job.status == ImportStatus.DONE and job.created_count == 9
    assert len(seen) == 3 and all(set(missing) == all_deferrable() for missing in seen)
    assert bulk.missing_indexes() == []
    name = rows[4][0]
    assert Organisation.objects.get(name=name).pk in [h.organisation_id for h in search_ids(name)]
    assert search_ids(name[2:5]) == naive_ids(name[2:5])


def test_an_import_into_a_bigger_library_keeps_its_indexes(users, large, monkeypatch):
    run_import(make_job(users["office"], csv_bytes(sample_rows(9))), batch_size=5)
    seen = watch_batches(monkeypatch)

    job = run_import(make_job(users["office"], csv_bytes(sample_rows(4, offset=20))), batch_size=2)

    assert job.status == ImportStatus.DONE and job.created_count == 4
    assert seen == [[], []]


def test_a_small_file_keeps_the_indexes(users, monkeypatch):
    seen = watch_batches(monkeypatch)

    run_import(make_job(users["office"], csv_bytes(sample_rows(4))), batch_size=2)

    assert seen == [[], []]


def test_a_failed_first_load_puts_the_indexes_back_on_its_way_out(users, large, monkeypatch):
    watch_batches(monkeypatch, fail_at=2)
    job = make_job(users["office"], csv_bytes(sample_rows(9)))

    with pytest.raises(RuntimeError):
        run_import(job, batch_size=3)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.rows_done == 4
    assert bulk.missing_indexes() == []


def killed_after_dropping(users, monkeypatch) -> ImportJob:
    """A first load whose process died in its second batch: nothing ran on its way out (SIGKILL), so
    the job is still "running" and the indexes it dropped are missing."""
    watch_batches(monkeypatch, fail_at=2)
    monkeypatch.setattr(services, "_restore_indexes_quietly", lambda job: None)
    monkeypatch.setattr(services, "_fail", lambda *args, **kwargs: None)
    job = make_job(users["office"], csv_bytes(sample_rows(9)))
    with pytest.raises(RuntimeError):
        run_import(job, batch_size=3)
    monkeypatch.undo()
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and job.rows_done == 4
    assert set(bulk.missing_indexes()) == all_deferrable()
    return job


def test_the_stale_job_sweep_puts_back_the_indexes_of_a_killed_import(users, large, monkeypatch, settings):
    job = killed_after_dropping(users, monkeypatch)
    # Tasks queue in the database as in production, so the requeued job waits for a worker and the
    # indexes are the sweep's own doing.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1))

    assert import_jobs_recover_stale() == [job.pk]

    assert bulk.missing_indexes() == []
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and job.rows_done == 4


def test_the_sweep_leaves_a_live_first_load_alone(users, large, monkeypatch):
    job = killed_after_dropping(users, monkeypatch)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())  # its runner is alive after all

    assert import_jobs_recover_stale() == []

    assert set(bulk.missing_indexes()) == all_deferrable()


def test_resuming_a_killed_first_load_ends_with_every_row_and_index(users, large, monkeypatch):
    job = killed_after_dropping(users, monkeypatch)
    monkeypatch.setattr(services, "DEFER_INDEX_ROWS", 0)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
    job.refresh_from_db()

    import_job_resume(actor=users["office"], job=job)  # the test settings run the task inline

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 9 and Organisation.objects.count() == 9
    assert bulk.missing_indexes() == []


def test_the_command_repairs_the_indexes(users, large, monkeypatch, capsys):
    job = killed_after_dropping(users, monkeypatch)

    with pytest.raises(CommandError, match="有导入正在运行"):
        call_command("import_organisations", "--repair-indexes")
    assert bulk.missing_indexes()

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
    call_command("import_organisations", "--repair-indexes")

    assert bulk.missing_indexes() == []
    assert "已重建" in capsys.readouterr().out
    call_command("import_organisations", "--repair-indexes")
    assert "无需重建" in capsys.readouterr().out
