from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "创建"
    UPDATE = "update", "修改"
    STAGE = "stage", "阶段变更"
    ARCHIVE = "archive", "归档"
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    TOKEN = "token", "签发令牌"


class AuditLog(models.Model):
    """Who changed what and when. Written only by services (audit.services.audit_record), in the
    same transaction as the change, so a change without its log line cannot be committed."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="操作人"
    )
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices)
    model = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象ID", max_length=40, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "at"], name="audit_object_idx")]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"
