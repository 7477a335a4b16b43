from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.money import format_amount
from apps.fulfilment.choices import AlertKind
from apps.fulfilment.querysets import AlertQuerySet, FundsEntryQuerySet, ProjectChildQuerySet


class FundsEntry(models.Model):
    """到位资金: money of a signed project that has actually arrived, one dated entry at a time, counted
    against the signed amount. A mistaken entry is withdrawn (deleted_at), never erased."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="funds_entries",
                                verbose_name=_("项目"))
    date = models.DateField(_("到位日期"))
    amount = models.DecimalField(_("到位金额（元）"), max_digits=18, decimal_places=2)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    evidence = models.TextField(_("佐证"), blank=True, help_text=_("银行回单、验资报告、统计报表等"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("撤销人"))
    delete_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)

    objects = FundsEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["project", "date"], name="funds_entry_project_date_idx"),
                   # Funds in place in a period, over every project (the cockpit), from the index alone.
                   models.Index(fields=["date", "project", "amount"], condition=Q(deleted_at__isnull=True),
                                name="funds_entry_live_date_idx")]
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")

    def __str__(self) -> str:
        return f"{self.project} · {self.date} · {format_amount(self.amount)}"


class FundsPlanItem(models.Model):
    """One instalment of the plan by which the signed amount is to arrive: this much more by this date.
    Cumulative figures are computed (selectors), so changing one instalment never silently shifts others."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="funds_plan",
                                verbose_name=_("项目"))
    due_date = models.DateField(_("计划到位日期"))
    amount = models.DecimalField(_("本期计划金额（元）"), max_digits=18, decimal_places=2)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "due_date"], name="one_plan_item_per_project_date")]
        verbose_name = _("资金到位计划")
        verbose_name_plural = _("资金到位计划")

    def __str__(self) -> str:
        return f"{self.project} · {self.due_date} · {format_amount(self.amount)}"


class Alert(models.Model):
    """A condition the daily job (services.raise_alerts) found on a project. Open while the condition
    lasts; resolved, with the reason, the first day it no longer holds. History is kept."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="alerts",
                                verbose_name=_("项目"))
    kind = models.CharField(_("类型"), max_length=40, choices=AlertKind.choices)
    message = models.CharField(_("预警内容"), max_length=300)
    raised_on = models.DateField(_("预警日期"))
    resolved_on = models.DateField(_("解除日期"), null=True, blank=True)
    resolved_reason = models.CharField(_("解除原因"), max_length=300, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            # The daily job can run twice (a retry, a second worker): it finds the open alert and adds none.
            models.UniqueConstraint(fields=["project", "kind"], condition=Q(resolved_on__isnull=True),
                                    name="one_open_alert_per_project_kind"),
        ]
        indexes = [models.Index(fields=["resolved_on", "kind"], name="alert_open_kind_idx")]
        verbose_name = _("履约预警")
        verbose_name_plural = _("履约预警")

    def __str__(self) -> str:
        return f"{self.project}：{self.message}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
