"""The background side of browser uploads: a django-tasks task that runs one import job.
Run the worker with `python manage.py db_worker` (django_tasks_db)."""

from django_tasks import task

from apps.imports.models import ImportJob
from apps.imports.services import purge_import_files, run_import


@task()
def purge_import_files_task() -> dict:
    """Daily (settings.DAILY_JOBS): delete uploads past their retention period."""
    return {"purged": purge_import_files()}


@task()
def run_import_task(job_id: int) -> dict:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:  # deleted before the worker got to it
        return {"status": "missing"}
    run_import(job)
    return {"status": job.status, "rows_done": job.rows_done}
