"""The daily-job scheduler with the clock moved: a job runs once a day at or after its local time, a
second scheduler (or a restart) enqueues nothing more, a broken job is logged and skipped, and the
queue is the database — no Redis — with db_worker running what was queued."""

import datetime
import logging
import os
import signal
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import task

from apps.core.models import ScheduledRun
from apps.core.scheduler import DailyJob, due_jobs, run_job, tick

PROBE = "apps.core.tests.test_scheduler.probe_task"
CALLS: list[str] = []
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@task()
def probe_task() -> str:
    CALLS.append("probe")
    return "ok"


def not_a_task():
    return None


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime.datetime:
    """A moment in Beijing time (settings.TIME_ZONE), 2026."""
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute))


@pytest.fixture(autouse=True)
def jobs(settings):
    CALLS.clear()
    settings.DAILY_JOBS = [("probe", "06:00", PROBE)]
    return settings


def test_a_job_does_not_run_before_its_time(db):
    assert due_jobs(at(1, 5, 59)) == []
    assert tick(at(1, 5, 59)) == [] and CALLS == []
    [run] = tick(at(1, 6, 0))
    assert (run.job, run.day, run.task_path) == ("probe", datetime.date(2026, 3, 1), PROBE)
    assert run.task_result_id and CALLS == ["probe"]


def test_local_time_decides_the_day(db):
    # 23:30 UTC on 28 February is 07:30 on 1 March in Beijing: the job is due for 1 March.
    [run] = tick(datetime.datetime(2026, 2, 28, 23, 30, tzinfo=datetime.UTC))
    assert run.day == datetime.date(2026, 3, 1)


def test_once_per_day_however_often_it_ticks(db):
    assert len(tick(at(1, 6, 0))) == 1
    for moment in [at(1, 6, 0), at(1, 6, 1), at(1, 12, 0), at(1, 23, 59)]:
        assert tick(moment) == []
    assert CALLS == ["probe"] and ScheduledRun.objects.count() == 1


def test_a_second_scheduler_that_thought_the_job_was_due_enqueues_nothing(db):
    # Both read "not yet run" at 06:00; the first records it, the second meets the unique row.
    job = DailyJob("probe", datetime.time(6, 0), PROBE)
    assert run_job(job, at(1, 6, 0)) is not None
    assert run_job(job, at(1, 6, 0)) is None
    assert CALLS == ["probe"] and ScheduledRun.objects.count() == 1


# serialized_rollback: a transactional test empties the database afterwards; this restores the
# migrations' reference data for the tests after it (as apps/projects/tests/test_concurrency.py does).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_schedulers_enqueue_once():
    start = threading.Barrier(4)
    errors = []

    def scheduler():
        try:
            start.wait(timeout=10)
            tick(at(1, 6, 0))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert ScheduledRun.objects.count() == 1 and CALLS == ["probe"]


def test_the_next_day_runs_again(db):
    tick(at(1, 6, 0))
    assert tick(at(2, 5, 0)) == []
    assert [run.day for run in tick(at(2, 6, 30))] == [datetime.date(2026, 3, 2)]
    assert CALLS == ["probe", "probe"]


def test_a_job_missed_while_down_runs_later_that_day_but_earlier_days_are_not_backfilled(db):
    tick(at(1, 6, 0))
    # The scheduler was down from 1 March 07:00 until 4 March 22:00: 2 and 3 March are not made up.
    [run] = tick(at(4, 22, 0))
    assert run.day == datetime.date(2026, 3, 4)
    assert list(ScheduledRun.objects.order_by("day").values_list("day", flat=True)) == [
        datetime.date(2026, 3, 1), datetime.date(2026, 3, 4)]


def test_an_unimportable_job_is_logged_and_the_others_still_run(db, jobs, caplog):
    jobs.DAILY_JOBS = [
        ("servicedesk_escalation", "06:00", "apps.servicedesk.jobs_not_written_yet.escalate_overdue_task"),
        ("not_a_task", "06:00", "apps.core.tests.test_scheduler.not_a_task"),
        ("bad_time", "25:00", PROBE),
        ("probe", "06:00", PROBE),
    ]
    with caplog.at_level(logging.INFO, logger="apps.core.scheduler"):
        runs = tick(at(1, 6, 0))
    assert [run.job for run in runs] == ["probe"] and CALLS == ["probe"]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("apps.servicedesk.jobs_not_written_yet.escalate_overdue_task" in m for m in errors)
    assert any("not_a_task" in m for m in errors)
    assert any("25:00" in m for m in errors)
    assert ScheduledRun.objects.filter(job="servicedesk_escalation").count() == 0
    # Retried at the next tick (the module may have been deployed meanwhile) but not logged again today.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="apps.core.scheduler"):
        tick(at(1, 6, 1))
    assert not any("jobs_not_written_yet" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def test_the_configured_daily_jobs_resolve(db, settings):
    from django.conf import settings as live

    from config.settings import base

    jobs = {name: path for name, _, path in base.DAILY_JOBS}
    assert jobs["fulfilment_alerts"] == "apps.fulfilment.jobs.raise_alerts_task"
    settings.DAILY_JOBS = [job for job in base.DAILY_JOBS if job[0] == "fulfilment_alerts"]
    [run] = tick(at(1, 6, 0))
    assert run.task_path == "apps.fulfilment.jobs.raise_alerts_task" and live.DAILY_JOBS == settings.DAILY_JOBS


@override_settings(TASKS=DB_TASKS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # db_worker closes the connection
def test_with_the_database_backend_db_worker_runs_what_tick_queued():
    from django_tasks_db.models import DBTaskResult

    [run] = tick(at(1, 6, 0))
    queued = DBTaskResult.objects.get(id=run.task_result_id)
    assert queued.task_path == PROBE and queued.status == "READY" and CALLS == []
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=StringIO(), stderr=StringIO())
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and CALLS == ["probe"]


def test_run_scheduler_once(db, jobs):
    jobs.DAILY_JOBS = [("probe", "00:00", PROBE)]
    out = StringIO()
    call_command("run_scheduler", once=True, stdout=out)
    assert "已排入：probe" in out.getvalue() and CALLS == ["probe"]
    out = StringIO()
    call_command("run_scheduler", once=True, stdout=out)
    assert "已排入" not in out.getvalue() and CALLS == ["probe"]


def test_run_scheduler_stops_cleanly_on_sigterm(tmp_path):
    # A real process. No DATABASE_URL: the child must never touch a real database; its ticks fail on the
    # empty in-memory database, are logged, and the loop carries on until the signal.
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONUNBUFFERED": "1", "APP_VAR_DIR": str(tmp_path)}
    root = Path(__file__).resolve().parents[3]
    child = subprocess.Popen([sys.executable, "manage.py", "run_scheduler", "--interval", "30"], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "定时任务调度已启动" in child.stdout.readline()
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert "定时任务调度已停止" in out
