"""Notifications: the one entry point other apps call when something happened that people must hear
of. notify() writes in-app inbox rows in the caller's transaction (so they vanish with a rollback) and
hands work-group webhooks to the background after commit. Also: reading one's inbox, and the unit
admins' settings of their work-group robots (ADR 0007)."""

import datetime
import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.permissions import CHANGE, actor_scope, require
from apps.accounts.sessions import UNREAD_WITH_SESSION
from apps.audit.services import AuditAction, audit_record, diff
from apps.core.errors import DomainError
from apps.core.text import zh
from apps.notifications import delivery as webhooks
from apps.notifications.models import (
    DeliveryStatus,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookPlatform,
)
from apps.notifications.platforms import absolute_link, build_message, validate_secret, validate_webhook_url
from apps.notifications.querysets import may_manage_webhooks
from apps.units.models import Unit

logger = logging.getLogger(__name__)


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
    if units:
        _queue_webhooks(kind=kind, title=title, body=body, url=url, units=units)
    return created


def _queue_webhooks(*, kind: str, title: str, body: str, url: str, units: Iterable) -> list[WebhookDelivery]:
    """Pending rows now, in the caller's transaction — a rolled-back event sends nothing — and the
    sending after commit. The savepoint keeps a failure here (a bad unit id, a database hiccup) from
    breaking the caller's transaction: the event matters more than its announcement."""
    try:
        with transaction.atomic():
            endpoints = list(WebhookEndpoint.objects.filter(unit_id__in=_current_unit_ids(units), is_active=True)
                             .order_by("id"))
            link = absolute_link(url)
            now = timezone.now()
            deliveries = [
                WebhookDelivery.objects.create(
                    endpoint=endpoint, kind=kind, title=" ".join(title.split())[:200], next_attempt_at=now,
                    payload=build_message(endpoint.platform, title=title, body=body, link=link))
                for endpoint in endpoints
            ]
    except Exception:
        logger.exception("notify(%s): webhook deliveries not queued", kind)
        return []
    for row in deliveries:
        transaction.on_commit(partial(webhooks.enqueue, row.pk), robust=True)
    return deliveries


def _current_unit_ids(units: Iterable) -> set[int]:
    """A record of an ended unit (江北区) is now worked by its successor (两江新区): its group hears of it."""
    from apps.units.selectors import unit_current

    ids = {getattr(unit, "pk", unit) for unit in units if unit is not None}
    return {unit_current(unit).pk for unit in Unit.objects.filter(pk__in=ids).select_related("successor")}


# --- the inbox ---------------------------------------------------------------------------------------

@transaction.atomic
def notification_mark_read(*, actor, notification: Notification,
                           now: datetime.datetime | None = None) -> Notification:
    own = Notification.objects.restrict(actor, CHANGE).filter(pk=notification.pk)
    require(own.exists(), "只能标记自己的通知。")
    own.filter(read_at__isnull=True).update(read_at=now or timezone.now())
    _forget_unread(actor)
    return own.get()


def _forget_unread(actor) -> None:
    # The count the session's statement brought (apps.accounts.sessions) is from before this change.
    if getattr(actor, UNREAD_WITH_SESSION, None) is not None:
        delattr(actor, UNREAD_WITH_SESSION)


@transaction.atomic
def notification_mark_all_read(*, actor, now: datetime.datetime | None = None) -> int:
    """Returns how many were unread."""
    count = Notification.objects.restrict(actor, CHANGE).filter(read_at__isnull=True).update(
        read_at=now or timezone.now())
    _forget_unread(actor)
    return count


# --- work-group robots -------------------------------------------------------------------------------

ENDPOINT_FIELDS = ["unit", "platform", "name", "url", "secret", "is_active"]


def _audit_view(values: dict) -> dict:
    """What the audit log may keep of an endpoint: the address masked, the secret only as set / not set."""
    from apps.notifications.models import mask_url

    shown = dict(values)
    if "url" in shown:
        shown["url"] = mask_url(shown["url"])
    if "secret" in shown:
        shown["secret"] = "已设置" if shown["secret"] else "未设置"
    if isinstance(shown.get("unit"), Unit):
        shown["unit"] = shown["unit"].name
    return shown


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("名称：请填写，如“九龙坡区招商工作群”。", field="name")
    if len(name) > 100:
        raise DomainError("名称：不能超过 100 个字。", field="name")
    return name


def _check_unique_url(*, unit: Unit, url: str, exclude_pk: int | None = None) -> None:
    same = WebhookEndpoint.objects.filter(unit=unit, url=url).exclude(pk=exclude_pk).first()
    if same is not None:
        raise DomainError(f"Webhook 地址：{unit.name}已设置过这个机器人（“{same.name}”）。", field="url")


@transaction.atomic
def webhook_endpoint_create(*, actor, unit: Unit, platform: str, name: str, url: str, secret: str = "",
                            is_active: bool = True, today: datetime.date | None = None) -> WebhookEndpoint:
    require(may_manage_webhooks(actor), "您的角色不能设置群机器人。")
    scope = actor_scope(actor)
    if unit is None:
        raise DomainError("单位：请选择群机器人所属的单位。", field="unit")
    require(actor.is_superuser or scope.role == Role.OFFICE_ADMIN or unit.pk in scope.unit_ids,
            "您只能为本单位设置群机器人。")
    if not unit.is_active_on(today or timezone.localdate()):
        raise DomainError(f"单位：{unit.name}已撤销，请为承继单位设置群机器人。", field="unit")
    if platform not in WebhookPlatform.values:
        raise DomainError("平台：请选择企业微信、钉钉或飞书。", field="platform")
    name = _clean_name(name)
    url = validate_webhook_url(platform, url)
    secret = validate_secret(platform, secret)
    _check_unique_url(unit=unit, url=url)
    endpoint = WebhookEndpoint.objects.create(unit=unit, platform=platform, name=name, url=url, secret=secret,
                                              is_active=is_active, created_by=actor)
    values = {field: getattr(endpoint, field) for field in ENDPOINT_FIELDS}
    audit_record(actor=actor, instance=endpoint, action=AuditAction.CREATE, changes=diff({}, _audit_view(values)))
    return endpoint


@transaction.atomic
def webhook_endpoint_update(*, actor, endpoint: WebhookEndpoint, name: str, is_active: bool, url: str = "",
                            secret: str = "", clear_secret: bool = False) -> WebhookEndpoint:
    """An empty ``url`` or ``secret`` keeps the stored one (the page never shows them in full to be
    re-submitted). The platform cannot change: queued messages are already in its format — add a new
    robot instead."""
    locked = WebhookEndpoint.objects.restrict(actor, CHANGE).select_for_update().filter(pk=endpoint.pk).first()
    require(locked is not None, "您没有修改该群机器人的权限。")
    before = {field: getattr(locked, field) for field in ENDPOINT_FIELDS}
    locked.name = _clean_name(name)
    if (url or "").strip():
        locked.url = validate_webhook_url(locked.platform, url)
        _check_unique_url(unit=locked.unit, url=locked.url, exclude_pk=locked.pk)
    if clear_secret:
        locked.secret = ""
    elif (secret or "").strip():
        locked.secret = validate_secret(locked.platform, secret)
    locked.is_active = bool(is_active)
    locked.save()
    after = {field: getattr(locked, field) for field in ENDPOINT_FIELDS}
    changes = diff(_audit_view(before), _audit_view(after))
    if locked.url != before["url"] and "url" not in changes:  # same mask, different robot
        changes["url"] = ["（已更换）", "（已更换）"]
    if locked.secret != before["secret"] and "secret" not in changes:
        changes["secret"] = ["已设置", "已更换"]
    if changes:
        audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE, changes=changes)
    return locked


def webhook_endpoint_send_test(*, actor, endpoint: WebhookEndpoint,
                               now: datetime.datetime | None = None) -> WebhookDelivery:
    """Send a test message now and return the delivery with its outcome, for the page to show at once.

    Not one transaction, on purpose: the delivery row commits first, then the request goes out with no
    transaction open (as in the worker), and its outcome is recorded on the row either way."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = WebhookEndpoint.objects.restrict(actor, CHANGE).select_related("unit").filter(pk=endpoint.pk).first()
        require(locked is not None, "您没有为该群机器人发送测试消息的权限。")
        if not locked.is_active:
            raise DomainError("启用：该群机器人已停用，请先启用再发送测试消息。", field="is_active")
        when = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
        title = f"测试消息：{locked.name}"
        body = (f"这是{settings.SITE_TITLE}发给“{locked.name}”的测试消息，由{actor.display_name}于{when}发送。"
                f"群里收到即表示{locked.unit.name}的群机器人设置正确。")
        row = WebhookDelivery.objects.create(
            endpoint=locked, kind=webhooks.TEST_KIND, title=title, next_attempt_at=now,
            payload=build_message(locked.platform, title=title, body=body, link=absolute_link("/notifications/webhooks/")))
    return webhooks.deliver(row, now=now) or row


@transaction.atomic
def webhook_delivery_retry(*, actor, delivery: WebhookDelivery,
                           now: datetime.datetime | None = None) -> WebhookDelivery:
    """Give a failed message a fresh round of attempts (after the admin fixed the robot's settings)."""
    now = now or timezone.now()
    locked = (WebhookDelivery.objects.restrict(actor, CHANGE).select_for_update()
              .select_related("endpoint").filter(pk=delivery.pk).first())
    require(locked is not None, "您没有重新发送该消息的权限。")
    if locked.status != DeliveryStatus.FAILED:
        raise DomainError(f"状态：该消息{zh(locked.get_status_display())}，只有发送失败的消息可以重新发送。", field="status")
    if not locked.endpoint.is_active:
        raise DomainError("启用：该群机器人已停用，请先启用再重新发送。", field="is_active")
    locked.status, locked.attempts, locked.next_attempt_at = DeliveryStatus.PENDING, 0, now
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes={"status": [DeliveryStatus.FAILED.value, DeliveryStatus.PENDING.value]}, note="重新发送")
    transaction.on_commit(partial(webhooks.enqueue, locked.pk), robust=True)
    return locked
