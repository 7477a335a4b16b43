"""An import whose worker died is queued again and resumed; a full disk ends an import cleanly.

The sweep's unit tests, a live-but-slow runner fenced off by its successor, and a real `db_worker`
process killed with SIGKILL half-way through a file and replaced by a new one."""

import datetime
import errno
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.audit.models import AuditLog
from apps.imports.models import ImportJob, ImportStatus
from apps.imports.services import (
    STALE_AFTER,
    import_job_cancel,
    import_job_requeue_stale,
    import_job_resume,
    import_jobs_recover_stale,
    import_jobs_stale,
    is_disk_full,
    run_import,
)
from apps.imports.tasks import run_import_task
from apps.imports.tests.files import csv_bytes, make_job, sample_rows
from apps.organisations import bulk
from apps.organisations.models import Organisation

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RUN_TASK = "apps.imports.tasks.run_import_task"
WATCH_TASK = "apps.imports.tasks.import_watch_task"


@pytest.fixture
def db_tasks(settings):
    """Tasks go to the database queue (as in production) instead of running inline."""
    settings.TASKS = DB_TASKS


def running_job(actor, *, rows=6, heartbeat_age=None, status=ImportStatus.RUNNING, rows_done=3):
    """A job as a worker leaves it mid-file: running, a checkpoint, a heartbeat of a given age."""
    job = make_job(actor, csv_bytes(sample_rows(rows)))
    heartbeat = None if heartbeat_age is None else timezone.now() - heartbeat_age
    ImportJob.objects.filter(pk=job.pk).update(status=status, rows_done=rows_done, heartbeat_at=heartbeat,
                                               runner="deadbeef", started_at=timezone.now())
    job.refresh_from_db()
    return job


def queued_runs(job) -> int:
    return DBTaskResult.objects.filter(task_path=RUN_TASK, args_kwargs__args=[job.pk]).count()


# --- the sweep -------------------------------------------------------------------------------------

def test_a_job_whose_heartbeat_stopped_is_queued_again_and_says_so(users, db_tasks, client):
    job = running_job(users["office"], heartbeat_age=STALE_AFTER + datetime.timedelta(seconds=1))

    assert import_jobs_recover_stale() == [job.pk]

    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and job.rows_done == 3 and job.runner == ""
    assert job.resumed_count == 1 and job.resumed_at is not None
    task = DBTaskResult.objects.get(task_path=RUN_TASK)
    assert task.args_kwargs["args"] == [job.pk] and str(task.id) == job.task_id
    assert DBTaskResult.objects.filter(task_path=WATCH_TASK, args_kwargs__args=[job.pk]).exists()
    note = AuditLog.objects.filter(object_id=str(job.pk), model="imports.importjob").latest("id").note
    assert "后台进程中断" in note and "从第3行之后继续" in note
    client.force_login(users["office"])
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "自动从中断处继续" in page and "共 1 次" in page


def test_a_fresh_heartbeat_is_left_alone(users, db_tasks):
    job = running_job(users["office"], heartbeat_age=STALE_AFTER - datetime.timedelta(seconds=30))

    assert import_jobs_recover_stale() == []

    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and job.runner == "deadbeef" and job.resumed_count == 0
    assert queued_runs(job) == 0
    # ...until it is older than the threshold
    assert import_jobs_recover_stale(now=timezone.now() + datetime.timedelta(seconds=31)) == [job.pk]


@pytest.mark.parametrize("status", [ImportStatus.DONE, ImportStatus.CANCELLED, ImportStatus.FAILED,
                                    ImportStatus.QUEUED])
def test_jobs_that_are_not_running_are_never_touched(users, db_tasks, status):
    job = running_job(users["office"], heartbeat_age=datetime.timedelta(days=2), status=status)

    assert import_jobs_recover_stale() == []

    fresh = ImportJob.objects.get(pk=job.pk)
    assert (fresh.status, fresh.resumed_count, fresh.runner) == (status, 0, "deadbeef")
    assert queued_runs(job) == 0


def test_a_job_running_since_before_heartbeats_existed_counts_as_stale(users, db_tasks):
    job = running_job(users["office"], heartbeat_age=None)

    assert import_jobs_recover_stale() == [job.pk]


def test_two_sweepers_that_both_saw_the_job_stale_queue_it_once(users, db_tasks):
    job = running_job(users["office"], heartbeat_age=datetime.timedelta(minutes=30))
    seen_by_first = import_jobs_stale().get()
    seen_by_second = import_jobs_stale().get()  # both read before either wrote

    assert import_job_requeue_stale(seen_by_first) is True
    assert import_job_requeue_stale(seen_by_second) is False
    assert import_jobs_recover_stale() == []  # a third, later: the job is queued, not running

    job.refresh_from_db()
    assert job.resumed_count == 1 and queued_runs(job) == 1


def test_a_runner_that_commits_after_the_sweeper_looked_keeps_its_job(users, db_tasks):
    """The sweeper read the heartbeat as stale; the runner (alive after all) committed a batch before the
    sweeper's update, moving heartbeat and checkpoint: the conditional update finds nothing to take."""
    job = make_job(users["office"], csv_bytes(sample_rows(9)))
    outcome = {}

    def sweep_with_a_stale_view(j):
        if j.rows_done == 0:  # the job as a sweeper read it, before the runner's first batch
            outcome["snapshot"] = ImportJob.objects.get(pk=j.pk)
        elif j.rows_done == 4:  # first batch committed, then the sweeper's update comes
            outcome["taken"] = import_job_requeue_stale(outcome.pop("snapshot"))

    run_import(job, batch_size=3, progress=sweep_with_a_stale_view)

    job.refresh_from_db()
    assert outcome == {"taken": False}
    assert job.status == ImportStatus.DONE and job.resumed_count == 0 and queued_runs(job) == 0
    assert Organisation.objects.count() == 9


def test_a_slow_runner_taken_for_dead_stops_and_its_successor_finishes_without_duplicates(users, db_tasks):
    """The worker was alive but silent past the threshold (a long pause): the sweep queues the job again.
    The old runner must stop at its next batch rather than write beside the new one."""
    rows = sample_rows(12)
    job = make_job(users["office"], csv_bytes(rows))
    swept = []

    def pause_then_sweep(j):
        if j.rows_done == 4 and not swept:
            swept.extend(import_jobs_recover_stale(now=timezone.now() + STALE_AFTER * 2))

    run_import(job, batch_size=3, progress=pause_then_sweep)

    job.refresh_from_db()
    assert swept == [job.pk]
    assert job.status == ImportStatus.QUEUED and job.rows_done == 4  # the old runner stopped after batch 1
    assert Organisation.objects.count() == 3

    run_import_task.call(job.pk)  # what the next worker does with the queued task

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.resumed_count == 1
    assert (job.created_count, job.updated_count, job.unchanged_count, job.failed_count) == (12, 0, 0, 0)
    assert sorted(Organisation.objects.values_list("credit_code", flat=True)) == sorted(r[1] for r in rows)


def test_a_job_finished_by_a_runner_thought_dead_is_not_run_again(users, db_tasks):
    job = make_job(users["office"], csv_bytes(sample_rows(3)))
    run_import(job)

    assert run_import_task.call(job.pk) == {"status": ImportStatus.DONE, "rows_done": 4}
    assert Organisation.objects.count() == 3


# --- a full disk -----------------------------------------------------------------------------------

def test_disk_full_errors_are_recognised_from_the_real_sources(tmp_path):
    with pytest.raises(OSError) as no_space, open("/dev/full", "wb") as full:
        full.write(b"x" * 8192)
        full.flush()
    assert no_space.value.errno == errno.ENOSPC and is_disk_full(no_space.value)

    db = sqlite3.connect(tmp_path / "tiny.sqlite3")
    db.execute("CREATE TABLE t (x TEXT)")
    db.execute("PRAGMA max_page_count = 3")  # as if the disk held three pages
    with pytest.raises(sqlite3.OperationalError) as sqlite_full:
        db.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100)
        db.commit()
    db.close()
    assert "full" in str(sqlite_full.value) and is_disk_full(sqlite_full.value)
    assert not is_disk_full(sqlite3.OperationalError("database is locked"))
    assert not is_disk_full(RuntimeError("磁盘已满"))  # a message alone proves nothing


def test_a_full_disk_mid_import_fails_the_job_clearly_keeps_whole_batches_and_resumes(users, client, monkeypatch):
    rows = sample_rows(10)
    real, calls = bulk.bulk_upsert, {"n": 0}

    def disk_fills_in_third_batch(batch, **kwargs):
        calls["n"] += 1
        result = real(batch, **kwargs)  # the batch's rows are written...
        if calls["n"] == 3:
            with open("/dev/full", "wb") as full:  # ...then the disk has no room for the rest
                full.write(b"\0" * 65536)
                full.flush()
        return result

    monkeypatch.setattr(bulk, "bulk_upsert", disk_fills_in_third_batch)
    monkeypatch.setattr("apps.imports.services.default_batch_size", lambda: 3)  # the worker's batches, smaller
    job = make_job(users["office"], csv_bytes(rows))

    run_import(job)  # no exception: the worker carries on with other tasks

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error_message == ("磁盘空间已满：导入在第7行之后停止，已提交的部分保留；"
                                 "腾出空间后可从中断处继续导入。")
    assert job.rows_done == 7 and job.created_count == 6
    assert Organisation.objects.count() == 6  # the third batch rolled back whole
    client.force_login(users["office"])
    page = client.get(reverse("imports:detail", args=[job.pk]))
    assert page.status_code == 200 and "磁盘空间已满" in page.content.decode()
    assert reverse("imports:resume", args=[job.pk]) in page.content.decode()

    # Space freed (the fourth call onwards writes normally); the page's button queues the job again, and
    # the worker (the tests' immediate task backend) resumes it.
    assert client.post(reverse("imports:resume", args=[job.pk])).status_code == 302

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.error_message == ""
    assert (job.created_count, job.failed_count, job.rows_done) == (10, 0, 11)
    assert sorted(Organisation.objects.values_list("credit_code", flat=True)) == sorted(r[1] for r in rows)


def test_only_a_stopped_job_can_be_resumed_and_only_by_who_may_change_it(users, client, db_tasks):
    failed = running_job(users["office"], heartbeat_age=None, status=ImportStatus.FAILED)
    done = running_job(users["office"], heartbeat_age=None, status=ImportStatus.DONE)
    resume = reverse("imports:resume", args=[failed.pk])

    client.force_login(users["district2"])  # not theirs: not found, nothing queued
    assert client.post(resume).status_code == 404
    client.force_login(users["leader"])  # read-only role
    assert client.post(resume).status_code == 403
    assert ImportJob.objects.get(pk=failed.pk).status == ImportStatus.FAILED and queued_runs(failed) == 0

    client.force_login(users["office"])
    page = client.post(reverse("imports:resume", args=[done.pk]), follow=True).content.decode()
    assert "只有失败或已取消的导入可以继续" in page and queued_runs(done) == 0
    page = client.post(resume, follow=True).content.decode()
    assert "将从第3行之后继续导入" in page
    assert ImportJob.objects.get(pk=failed.pk).status == ImportStatus.QUEUED and queued_runs(failed) == 1


def test_a_runner_still_alive_when_its_job_is_cancelled_and_resumed_stops_at_its_next_batch(users, db_tasks):
    job = make_job(users["office"], csv_bytes(sample_rows(12)))
    statuses = []

    def progress(current):
        statuses.append(ImportJob.objects.get(pk=current.pk).status)
        if current.rows_done == 4 and len(statuses) < 3:  # between two batches: cancelled, then resumed
            import_job_cancel(actor=users["office"], job=ImportJob.objects.get(pk=current.pk))
            import_job_resume(actor=users["office"], job=ImportJob.objects.get(pk=current.pk))

    run_import(job, batch_size=3, progress=progress)
    job.refresh_from_db()
    # The old runner wrote nothing more after the resume: the job waits in the queue at its checkpoint,
    # and no batch was committed while the page said 排队中.
    assert job.status == ImportStatus.QUEUED and job.rows_done == 4 and job.runner == ""
    assert Organisation.objects.count() == 3 and queued_runs(job) == 1


# --- a real worker process, killed -----------------------------------------------------------------

WORKER_ROWS = 30_000  # three batches on SQLite (10,000 a batch), six on PostgreSQL


def _worker_env(media: Path) -> dict:
    """The production settings pointed at this test run's database and media directory."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.base", SECRET_KEY="test-worker-not-secret",
               MEDIA_ROOT=str(media), DEBUG="0", PYTHONUNBUFFERED="1")
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db["NAME"])
    else:  # pytest-django's test database: test_<name>
        password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
                               f"{db['PORT'] or 5432}/{db['NAME']}")
    return env


def _start_worker(env, log: Path, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload", *extra],
        cwd=django_settings.BASE_DIR, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_import_is_replaced_and_every_row_lands_exactly_once(users, settings, tmp_path):
    media = tmp_path / "media"
    settings.TASKS = DB_TASKS
    settings.MEDIA_ROOT = media
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    rows = sample_rows(WORKER_ROWS)
    job = make_job(users["office"], csv_bytes(rows, encoding="gbk"), "orgs-gbk.csv")
    run_import_task.enqueue(job.pk)
    env, log = _worker_env(media), tmp_path / "worker.log"

    worker = _start_worker(env, log)
    try:
        deadline = time.monotonic() + 40  # a loaded machine: Django starting, the first batch
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.rows_done > 0 or job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
                break
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(5)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(5)

    job.refresh_from_db()
    killed_at = job.rows_done
    assert job.status == ImportStatus.RUNNING, log.read_text()
    assert 0 < killed_at < WORKER_ROWS + 1
    assert Organisation.objects.count() == job.created_count == killed_at - 1  # whole batches only
    assert import_jobs_recover_stale() == []  # the heartbeat is recent: not yet taken for dead

    assert import_jobs_recover_stale(now=timezone.now() + STALE_AFTER) == [job.pk]

    # A new worker; --batch: run what is ready (the resumed import), then exit.
    replacement = _start_worker(env, log, "--batch")
    try:
        replacement.wait(60)
    finally:
        if replacement.poll() is None:
            replacement.kill()
            replacement.wait(5)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, log.read_text()[-3000:]
    assert job.rows_done == WORKER_ROWS + 1 and job.resumed_count == 1
    assert (job.created_count, job.updated_count, job.unchanged_count, job.failed_count) == (WORKER_ROWS, 0, 0, 0)
    assert Organisation.objects.count() == WORKER_ROWS
    assert Organisation.objects.order_by().values("credit_code").distinct().count() == WORKER_ROWS
    assert not job.issues.exists()
