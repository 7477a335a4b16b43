"""Daily jobs without cron and without Redis (ADR 0008).

settings.DAILY_JOBS lists (name, "HH:MM", dotted path of a django-tasks task taking no arguments).
`manage.py run_scheduler` calls tick() every few seconds; tick enqueues each job whose local time has
passed today and that has no ScheduledRun for today. The worker (`manage.py db_worker`) runs it.

- The ScheduledRun row and the queued task are written in one transaction: either both exist or
  neither, so a crash between them cannot lose a day's run or record a run that was never queued.
- The (job, day) unique constraint decides who enqueues: a second scheduler, or this one restarted,
  gets an IntegrityError and leaves the job alone.
- A job missed while the scheduler was down runs at the first tick later the same day. Earlier days
  are not backfilled: the daily jobs look at "today" (alerts for the state of things now), and
  running yesterday's check today would only repeat today's.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from apps.core.models import ScheduledRun

log = logging.getLogger(__name__)

# (path, day) pairs already reported as unimportable: a broken path is logged once a day per
# process, not at every tick.
_reported_failures: set[tuple[str, datetime.date]] = set()


@dataclass(frozen=True)
class DailyJob:
    name: str
    at: datetime.time
    path: str


def daily_jobs() -> list[DailyJob]:
    """settings.DAILY_JOBS, parsed. An entry with an unreadable time is logged and left out."""
    jobs = []
    for entry in getattr(settings, "DAILY_JOBS", []):
        try:
            name, at, path = entry
            hour, minute = (int(part) for part in str(at).split(":"))
            jobs.append(DailyJob(str(name), datetime.time(hour, minute), str(path)))
        except (TypeError, ValueError):
            log.error("DAILY_JOBS: cannot read %r; expected (name, \"HH:MM\", dotted.path)", entry)
    return jobs


def due_jobs(now: datetime.datetime | None = None) -> list[DailyJob]:
    """The jobs whose time has passed today (local time) and that have not been enqueued today."""
    local = timezone.localtime(now or timezone.now())
    jobs = [job for job in daily_jobs() if local.time() >= job.at]
    if not jobs:
        return []
    done = set(ScheduledRun.objects.filter(day=local.date(), job__in=[job.name for job in jobs])
               .values_list("job", flat=True))
    return [job for job in jobs if job.name not in done]


def _load_task(job: DailyJob, day: datetime.date) -> Task | None:
    try:
        task = import_string(job.path)
        if not isinstance(task, Task):
            raise TypeError(f"{job.path} is a {type(task).__name__}, not a django-tasks task (@task())")
    except Exception:
        # One broken job (a module another team has not written yet, a renamed function) must not
        # stop the others.
        level = logging.DEBUG if (job.path, day) in _reported_failures else logging.ERROR
        _reported_failures.add((job.path, day))
        log.log(level, "daily job %s: cannot import %s; skipped, will retry at the next tick", job.name,
                job.path, exc_info=level == logging.ERROR)
        return None
    return task


def run_job(job: DailyJob, now: datetime.datetime) -> ScheduledRun | None:
    """Record today's run of ``job`` and enqueue its task, in one transaction. None if the task cannot
    be loaded or enqueued (logged; the next tick tries again) or if another scheduler got there first."""
    day = timezone.localdate(now)
    task = _load_task(job, day)
    if task is None:
        return None
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job.name, day=day, task_path=job.path, enqueued_at=now)
            result = task.enqueue()
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id"])
    except IntegrityError:
        log.info("daily job %s for %s: already enqueued by another scheduler", job.name, day)
        return None
    except Exception:
        # Nothing was recorded (the transaction rolled back), so the next tick tries again.
        log.exception("daily job %s: enqueueing %s failed; will retry at the next tick", job.name, job.path)
        return None
    log.info("daily job %s for %s enqueued (task result %s)", job.name, day, run.task_result_id)
    return run


def tick(now: datetime.datetime | None = None) -> list[ScheduledRun]:
    """Enqueue every due job once for today; return the runs this call enqueued."""
    now = now or timezone.now()
    return [run for run in (run_job(job, now) for job in due_jobs(now)) if run is not None]
