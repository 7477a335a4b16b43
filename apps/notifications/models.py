from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.notifications.querysets import (
    NotificationQuerySet,
    WebhookDeliveryQuerySet,
    WebhookEndpointQuerySet,
)


class Notification(models.Model):
    """One message in one person's in-app inbox (站内通知). Written by services.notify only."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("接收人"))
    kind = models.CharField(_("类型"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="notifications", verbose_name=_("相关项目"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class WebhookPlatform(models.TextChoices):
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")
    FEISHU = "feishu", _("飞书")


class WebhookEndpoint(models.Model):
    """A unit's work-group robot (企业微信/钉钉/飞书 群机器人) that hears of the unit's events.

    The URL itself carries the robot's credential (key=/access_token=/hook id) and ``secret`` is the
    signing key, so neither is ever shown in full after saving (see ``masked_url``)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="webhook_endpoints",
                             verbose_name=_("单位"))
    platform = models.CharField(_("平台"), max_length=20, choices=WebhookPlatform.choices)
    name = models.CharField(_("名称"), max_length=100)
    url = models.CharField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("设置人"))
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "unit__code", "name", "id"]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)


def mask_url(url: str) -> str:
    """The address with its credential shortened to the first and last four characters, enough to tell
    two robots apart without handing out a working address (in the page, the audit log, the API)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    tail = parts.path.rsplit("/", 1)
    if parts.query:
        shown = "&".join(_mask_pair(pair) for pair in parts.query.split("&"))
        return f"{parts.scheme}://{parts.netloc}{parts.path}?{shown}"
    if len(tail) == 2 and len(tail[1]) > 12:  # 飞书: the hook id is the last path segment
        return f"{parts.scheme}://{parts.netloc}{tail[0]}/{_mask(tail[1])}"
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _mask_pair(pair: str) -> str:
    name, _sep, value = pair.partition("=")
    return f"{name}={_mask(value)}" if value else name


def _mask(value: str) -> str:
    return value if len(value) <= 8 else f"{value[:4]}…{value[-4:]}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("失败")


class WebhookDelivery(models.Model):
    """One message to one robot. Created (pending) in the transaction of the event it reports, sent by the
    worker after commit; every attempt's outcome is kept here — the admins' view of what reached the group."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("群机器人"))
    kind = models.CharField(_("类型"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    payload = models.JSONField(_("消息体"))
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最后尝试时间"), null=True, blank=True)
    last_error = models.CharField(_("最后错误"), max_length=500, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("最后响应码"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送成功时间"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["endpoint", "status"], name="webhook_delivery_status_idx"),
        ]
        verbose_name = _("群机器人消息")
        verbose_name_plural = _("群机器人消息")

    def __str__(self) -> str:
        return f"{self.endpoint} · {self.title}"
