"""Reads of the inbox and of the work-group robots, always through restrict()."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.permissions import CHANGE, VIEW, actor_scope
from apps.accounts.sessions import UNREAD_WITH_SESSION
from apps.notifications.models import DeliveryStatus, Notification, WebhookDelivery, WebhookEndpoint
from apps.notifications.querysets import may_view_webhooks

# The navbar badge counts failures of the last week: an old failure the admin has looked at should not
# shout for ever, and a fresh one is what needs attention.
FAILED_BADGE_WINDOW = datetime.timedelta(days=7)


def notification_list(*, actor, unread_only: bool = False):
    """Unread first, newest first within each."""
    qs = Notification.objects.restrict(actor, VIEW).select_related("project")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return qs.alias(unread=unread).order_by("-unread", "-created_at", "-id")


def notification_get(*, actor, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.restrict(actor, VIEW), pk=pk)


def unread_count(actor) -> int:
    """For the navbar bell on every page: how many of the actor's notifications are unread. restrict(VIEW) admits
    exactly the recipient's own; the statement is written out because the ORM spent about 250 µs building this
    count and the database 15 µs answering it, on every page (test_selectors checks it against restrict()).

    On a page the count usually came with the session, in the same statement as the user (apps.accounts.sessions):
    then there is nothing to ask."""
    counted = getattr(actor, UNREAD_WITH_SESSION, None)
    if counted is not None:
        return counted
    user_id = actor_scope(actor).user_id
    if user_id is None:
        return 0
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE recipient_id = %s AND read_at IS NULL", [user_id])
        return cursor.fetchone()[0]


def webhook_endpoint_list(*, actor):
    """The robots the actor may see, each with its failure count and last success (one query)."""
    return (WebhookEndpoint.objects.restrict(actor, VIEW).select_related("unit", "created_by")
            .annotate(failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
                      pending_count=Count("deliveries", filter=Q(deliveries__status__in=[
                          DeliveryStatus.PENDING, DeliveryStatus.SENDING])),
                      last_sent_at=Max("deliveries__sent_at")))


def webhook_endpoint_get(*, actor, pk: int, action: str = VIEW) -> WebhookEndpoint:
    """404 when the robot is outside what the actor may see; 403 when seen but not changeable."""
    endpoint = get_object_or_404(WebhookEndpoint.objects.restrict(actor, VIEW).select_related("unit"), pk=pk)
    if action == CHANGE and not WebhookEndpoint.objects.restrict(actor, CHANGE).filter(pk=pk).exists():
        raise PermissionDenied("您只能查看该群机器人，不能修改。")
    return endpoint


def webhook_delivery_list(*, actor, endpoint_id: int | None = None, status: str = ""):
    qs = WebhookDelivery.objects.restrict(actor, VIEW).select_related("endpoint", "endpoint__unit")
    if endpoint_id:
        qs = qs.filter(endpoint_id=endpoint_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def webhook_delivery_get(*, actor, pk: int, action: str = VIEW) -> WebhookDelivery:
    delivery = get_object_or_404(WebhookDelivery.objects.restrict(actor, VIEW).select_related("endpoint"), pk=pk)
    if action == CHANGE and not WebhookDelivery.objects.restrict(actor, CHANGE).filter(pk=pk).exists():
        raise PermissionDenied("您只能查看群机器人的发送记录，不能重新发送。")
    return delivery


def failed_deliveries_count(actor, *, now: datetime.datetime | None = None) -> int:
    """For an admin badge: this week's failed messages of the robots the actor may see (0 for roles
    that may not see robots at all)."""
    if not may_view_webhooks(actor):
        return 0
    since = (now or timezone.now()) - FAILED_BADGE_WINDOW
    return WebhookDelivery.objects.restrict(actor, VIEW).filter(
        status=DeliveryStatus.FAILED, last_attempt_at__gte=since, endpoint__is_active=True).count()
