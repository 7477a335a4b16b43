"""The daily job (settings.DAILY_JOBS → manage.py run_scheduler): escalate the late requests."""

from django_tasks import task

from apps.servicedesk.services import escalate_overdue


@task()
def escalate_overdue_task() -> int:
    """How many requests went up a level today; running it twice a day does nothing more."""
    return escalate_overdue()
