"""The worker side of work-group robot messages (`manage.py db_worker`). Thin: delivery.py does the work."""

from django_tasks import task

from apps.notifications import delivery as webhooks
from apps.notifications.models import DeliveryStatus


@task()
def deliver_webhook(delivery_id: int) -> dict:
    """One attempt; on a failure that may still be retried, the next attempt is queued for its time."""
    row = webhooks.deliver(delivery_id)
    if row is None:  # not due, already sent, or taken by another worker
        return {"status": "skipped"}
    if row.status == DeliveryStatus.PENDING and row.next_attempt_at is not None:
        webhooks.enqueue(row.pk, run_after=row.next_attempt_at)
    return {"status": row.status, "attempts": row.attempts}


@task()
def retry_webhooks() -> dict:
    """The sweep: sends whatever is due and was not sent by its own task (see delivery.retry_due).
    Run it from the scheduler (settings.DAILY_JOBS) or cron."""
    return webhooks.retry_due()
