"""The fulfilment daily job. settings.DAILY_JOBS names it; apps.core.scheduler enqueues it once a day
and `manage.py db_worker` runs it."""

from django_tasks import task

from apps.fulfilment.services import raise_alerts


@task()
def raise_alerts_task() -> dict:
    return raise_alerts()
