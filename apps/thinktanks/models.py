"""智库合作: the office's cooperation agreements with think tanks, universities and institutes, what was
done under each (reports, salons, consultations) and what each brought (projects, talent, introductions).

"与10家高端智库建立合作" is then a list whose rows carry their terms, dates and results, and every
figure the cockpit or a briefing quotes is counted from these rows (selectors.cooperation_summary).

已到期 is not stored: an agreement in force whose end date has passed is expired by the calendar, so
the stored status never goes stale (Cooperation.display_status, selectors.with_status_filter)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.choices import OrgKind
from apps.thinktanks.querysets import ActivityQuerySet, CooperationQuerySet, OutcomeQuerySet

# Who a cooperation is with. A 商协会 or a firm is worked with through projects and relations, not here.
PARTNER_KINDS = [OrgKind.THINK_TANK, OrgKind.UNIVERSITY, OrgKind.INSTITUTE]


class CooperationStatus(models.TextChoices):
    """Every status a reader sees; EXPIRED is derived, the other three are stored."""

    NEGOTIATING = "negotiating", _("洽谈中")
    ACTIVE = "active", _("合作中")
    EXPIRED = "expired", _("已到期")
    TERMINATED = "terminated", _("已终止")


STORED_STATUSES = [CooperationStatus.NEGOTIATING, CooperationStatus.ACTIVE, CooperationStatus.TERMINATED]


class ActivityKind(models.TextChoices):
    REPORT = "report", _("报告")
    SALON = "salon", _("沙龙")
    CONSULTATION = "consultation", _("咨询")
    RESEARCH = "research", _("调研")
    LECTURE = "lecture", _("讲座")
    OTHER = "other", _("其他")


class OutcomeKind(models.TextChoices):
    PROJECT = "project", _("项目")
    TALENT = "talent", _("人才")
    INTRODUCTION = "introduction", _("引荐")
    REPORT = "report", _("报告成果")
    OTHER = "other", _("其他")


class Cooperation(models.Model):
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                related_name="think_tank_cooperations", verbose_name=_("合作机构"))
    title = models.CharField(_("协议名称"), max_length=200)
    agreement_no = models.CharField(_("协议编号"), max_length=60, blank=True)
    signed_date = models.DateField(_("签订日期"), null=True, blank=True, db_index=True)
    start_date = models.DateField(_("合作开始日期"), null=True, blank=True)
    # Null: open-ended (长期合作), in force until terminated.
    end_date = models.DateField(_("合作结束日期"), null=True, blank=True, help_text=_("长期合作不填"))
    terms = models.TextField(_("合作内容"), blank=True, help_text=_("双方各自承担的事项，如：智库每年提供2份产业研究报告；驻京办提供调研对接。"))
    status = models.CharField(_("状态"), max_length=20, choices=[(s.value, s.label) for s in STORED_STATUSES],
                              default=CooperationStatus.ACTIVE)
    contact = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("我方联系人"))
    # The unit whose people keep the relationship up (usually 驻京办); its admins and staff change it.
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="think_tank_cooperations",
                             verbose_name=_("负责单位"))
    partner_contact = models.CharField(_("对方联系人"), max_length=100, blank=True,
                                       help_text=_("姓名及职务，如：张明 办公室主任"))
    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = CooperationQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")), name="cooperation_end_after_start"),
        ]
        verbose_name = _("智库合作")
        verbose_name_plural = _("智库合作")

    def __str__(self) -> str:
        return f"{self.partner.name} · {self.title}"

    def display_status_on(self, day: datetime.date) -> str:
        if self.status == CooperationStatus.ACTIVE and self.end_date is not None and self.end_date < day:
            return CooperationStatus.EXPIRED
        return self.status

    @property
    def display_status(self) -> str:
        return self.display_status_on(timezone.localdate())

    @property
    def display_status_label(self) -> str:
        return CooperationStatus(self.display_status).label


class CooperationActivity(models.Model):
    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="activities",
                                    verbose_name=_("智库合作"))
    date = models.DateField(_("活动日期"), db_index=True)
    kind = models.CharField(_("活动形式"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.SALON)
    title = models.CharField(_("活动名称"), max_length=200)
    summary = models.TextField(_("活动内容"), blank=True)
    participant_count = models.PositiveIntegerField(_("参加人数"), null=True, blank=True)
    # The platform's own record when the activity was also one of its events (an 院士人才沙龙 held by the office).
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("关联活动"))
    output_title = models.CharField(_("形成成果"), max_length=200, blank=True,
                                    help_text=_("报告、建议等成果文件的标题"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["cooperation", "-date", "-id"]
        verbose_name = _("合作活动")
        verbose_name_plural = _("合作活动")

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class CooperationOutcome(models.Model):
    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="outcomes",
                                    verbose_name=_("智库合作"))
    kind = models.CharField(_("成果类型"), max_length=20, choices=OutcomeKind.choices)
    date = models.DateField(_("日期"), db_index=True)
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("带来的项目"))
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("引荐的主体"))
    talent = models.ForeignKey("talent.Talent", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("带来的人才"))
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["cooperation", "-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="project") | Q(project__isnull=False),
                                   name="cooperation_outcome_project_has_project"),
        ]
        verbose_name = _("合作成果")
        verbose_name_plural = _("合作成果")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
