from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """A create form carries a one-time key; the first post creates, a repeat (double click, back
    button, flaky network) finds the key taken and is sent to what the first post created."""

    key = models.CharField(_("提交标识"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("提交人"))
    object_url = models.CharField(_("结果地址"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单提交")
        verbose_name_plural = _("表单提交")

    def __str__(self) -> str:
        return self.key


class ScheduledRun(models.Model):
    """One day's run of one daily job (settings.DAILY_JOBS), written by core.scheduler.tick when it
    enqueues the task. The (job, day) constraint is the lock: a second scheduler, or the same one after
    a restart, finds the row taken and enqueues nothing."""

    job = models.CharField(_("任务"), max_length=100)
    day = models.DateField(_("日期"))
    task_path = models.CharField(_("任务路径"), max_length=200, blank=True)
    enqueued_at = models.DateTimeField(_("排入队列时间"))
    task_result_id = models.CharField(_("任务结果ID"), max_length=64, blank=True)

    class Meta:
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="one_scheduled_run_per_job_and_day")]
        verbose_name = _("定时任务运行")
        verbose_name_plural = _("定时任务运行")

    def __str__(self) -> str:
        return f"{self.job} · {self.day}"
