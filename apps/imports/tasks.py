"""The background side of browser uploads: a django-tasks task that runs one import job, and the watch
that recovers it when the worker running it dies. Run the worker with `python manage.py db_worker`
(django_tasks_db)."""

import datetime

from django.utils import timezone
from django_tasks import task

from apps.imports.models import ACTIVE_STATUSES, ImportJob, ImportStatus
from apps.imports.services import import_jobs_recover_stale, purge_import_files, run_import

# How often a queued or running import is checked on while it lasts (import_watch_task).
WATCH_EVERY = datetime.timedelta(minutes=1)


@task()
def purge_import_files_task() -> dict:
    """Daily (settings.DAILY_JOBS): delete uploads past their retention period."""
    return {"purged": purge_import_files()}


@task()
def run_import_task(job_id: int) -> dict:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:  # deleted before the worker got to it
        return {"status": "missing"}
    if job.status == ImportStatus.DONE:
        # Queued again by the stale-job sweep while a runner thought dead was in fact finishing it.
        return {"status": job.status, "rows_done": job.rows_done}
    run_import(job)
    return {"status": job.status, "rows_done": job.rows_done}


@task()
def recover_stale_imports_task() -> dict:
    """Queue again the imports whose worker died (services.import_jobs_recover_stale). Meant for
    settings.DAILY_JOBS as a backstop; the frequent check is import_watch_task."""
    return {"requeued": import_jobs_recover_stale()}


# Above the default priority (0): a worker that starts after its predecessor was killed runs the
# pending watch first, so the sweep happens when a worker starts, without patching db_worker.
@task(priority=10)
def import_watch_task(job_id: int) -> dict:
    """While an import is queued or running, sweep for stale imports every WATCH_EVERY. The watch
    lives in the task queue beside the import, so it survives the worker: the worker that replaces a
    killed one runs it (once its time is due), and if the heartbeat has stopped the job is queued
    again. The chain ends when its job does."""
    requeued = import_jobs_recover_stale()
    active = ImportJob.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).exists()
    if active and job_id not in requeued:  # a requeued job got a fresh watch from the sweep
        import_watch_enqueue(job_id)
    return {"requeued": requeued, "watching": active}


def import_watch_enqueue(job_id: int) -> None:
    """Start (or continue) the watch of one import. Only on a backend that can defer a task (the
    database backend in production); the immediate backend of the tests runs tasks inline, where
    there is no worker to lose."""
    if not import_watch_task.get_backend().supports_defer:
        return
    import_watch_task.using(run_after=timezone.now() + WATCH_EVERY).enqueue(job_id)
