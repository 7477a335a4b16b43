from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("创建")
    UPDATE = "update", _("修改")
    STAGE = "stage", _("阶段变更")
    ARCHIVE = "archive", _("归档")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    TOKEN = "token", _("签发令牌")
    EXPORT = "export", _("导出")
    DELETE = "delete", _("删除")


class AuditLog(models.Model):
    """Who changed what and when. Written only by services (audit.services.audit_record), in the
    same transaction as the change, so a change without its log line cannot be committed."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("操作人")
    )
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    model = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象ID"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "at"], name="audit_object_idx")]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"
