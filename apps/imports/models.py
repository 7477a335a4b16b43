from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.permissions import CHANGE, VIEW, actor_scope


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportJobQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        """An import's file and report hold whatever the uploader put in them: the uploader sees
        their own jobs, office admins see every job (they answer for the library)."""
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action not in (VIEW, CHANGE) or (action == CHANGE and scope.read_only):
            return self.none()
        if getattr(actor, "is_superuser", False) or scope.role == Role.OFFICE_ADMIN:
            return self.all()
        return self.filter(Q(created_by_id=scope.user_id))


class ImportJob(models.Model):
    """One uploaded file of organisations and how far its import got.

    `rows_done` is the checkpoint: the last source row (as numbered in the file, header = 1) whose
    batch is committed, saved in the same transaction as the batch and its issues. A job that stopped
    half-way is resumed by running it again: rows up to the checkpoint are skipped.

    `heartbeat_at` and `runner` are the running import's lease: the runner stamps the heartbeat with
    every batch, and a job still "running" whose heartbeat is older than services.STALE_AFTER lost its
    process (killed, out of memory, machine restarted); import_jobs_recover_stale queues it again.
    Each run claims the job with a fresh `runner` token and commits a batch only while the token is
    still its own, so a process that was only slow, not dead, stops instead of writing beside its
    successor."""

    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    format = models.CharField(_("格式"), max_length=10, blank=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    dry_run = models.BooleanField(_("仅试运行（不写入）"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    # The file's last row number: estimated from the file size when the job starts, exact at the end.
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已处理到第几行"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变化"), default=0)
    failed_count = models.PositiveIntegerField(_("未导入"), default=0)
    warning_count = models.PositiveIntegerField(_("提醒"), default=0)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    error_message = models.TextField(_("错误信息"), blank=True)
    task_id = models.CharField(_("后台任务编号"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    runner = models.CharField(_("执行进程标识"), max_length=32, blank=True)
    resumed_count = models.PositiveSmallIntegerField(_("中断后自动恢复次数"), default=0)
    resumed_at = models.DateTimeField(_("最近自动恢复时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("导入人"))
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("所属单位"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_resumable(self) -> bool:
        """Stopped before its end with its file still kept: it can continue after the checkpoint."""
        return self.status in (ImportStatus.FAILED, ImportStatus.CANCELLED) and bool(self.file)

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))


class ImportIssue(models.Model):
    """A row that was not imported (or was, with something worth a look), with the reason."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    line = models.PositiveIntegerField(_("行号"))
    column = models.CharField(_("列"), max_length=50, blank=True)
    message = models.CharField(_("原因"), max_length=500)
    value = models.CharField(_("原始值"), max_length=250, blank=True)
    is_warning = models.BooleanField(_("仅提醒"), default=False)

    class Meta:
        ordering = ["line", "id"]
        indexes = [models.Index(fields=["job", "line"], name="import_issue_job_line")]
        verbose_name = _("导入问题")
        verbose_name_plural = _("导入问题")

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"
