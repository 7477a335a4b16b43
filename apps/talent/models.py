from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.talent.choices import IntroductionMode, ProjectLinkKind, TalentKind, TalentStage
from apps.talent.querysets import TalentQuerySet


class Talent(models.Model):
    """招才引智: an academician, a high-level talent, an expert or a team that a unit is bringing to
    Chongqing. Its stage moves only through services.talent_move_stage, which writes a
    TalentStageChange for every move — the same discipline as projects (ADR 0004)."""

    name = models.CharField(_("姓名或团队名称"), max_length=100)
    kind = models.CharField(_("人才类别"), max_length=20, choices=TalentKind.choices, default=TalentKind.EXPERT)
    team_size = models.PositiveIntegerField(_("团队人数"), null=True, blank=True)
    title = models.CharField(_("职称与荣誉"), max_length=200, blank=True, help_text=_("如：中国工程院院士、国家杰出青年科学基金获得者"))
    affiliation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="talent",
        verbose_name=_("所在单位"),
    )
    field = models.CharField(_("研究领域"), max_length=200, blank=True)
    clusters = models.ManyToManyField("chains.Cluster", blank=True, related_name="talent",
                                      verbose_name=_("33618产业集群"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="talent", verbose_name=_("承接区县"))
    # The salons, seminars and visits they took part in (an 院士人才沙龙's participants are people, not firms).
    events = models.ManyToManyField("events.Event", blank=True, related_name="talent", verbose_name=_("参加的活动"))
    source_unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="sourced_talent",
        verbose_name=_("线索来源单位"),
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="specialist_talent",
        verbose_name=_("服务专员"),
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=TalentStage.choices, default=TalentStage.INTENTION,
                             db_index=True)
    paused_from = models.CharField(_("暂缓前阶段"), max_length=20, choices=TalentStage.choices, blank=True)
    first_contact_date = models.DateField(_("首次接触日期"))
    # Stage-gated facts (see stages.STAGE_REQUIREMENTS).
    mode = models.CharField(_("引进方式"), max_length=20, choices=IntroductionMode.choices, blank=True)
    signed_date = models.DateField(_("签约日期"), null=True, blank=True)
    arrived_date = models.DateField(_("到岗/落地日期"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="talent",
        verbose_name=_("关联项目"),
    )
    link_kind = models.CharField(_("关联方式"), max_length=20, choices=ProjectLinkKind.choices, blank=True)
    description = models.TextField(_("简介"), blank=True)
    stage_changed_at = models.DateTimeField(_("阶段变更时间"), null=True, blank=True)

    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)
    is_archived = models.BooleanField(_("已归档"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = TalentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "stage"], name="talent_unit_stage_idx"),
            # The cockpit's 引进 and 落地 figures for a period: a range of days, not the whole table.
            models.Index(fields=["signed_date"], condition=models.Q(signed_date__isnull=False),
                         name="talent_signed_date_idx"),
            models.Index(fields=["arrived_date"], condition=models.Q(arrived_date__isnull=False),
                         name="talent_arrived_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(project__isnull=True, link_kind="")
                                   | (models.Q(project__isnull=False) & ~models.Q(link_kind="")),
                                   name="talent_project_link_complete"),
        ]
        verbose_name = _("人才")
        verbose_name_plural = _("人才")

    def __str__(self) -> str:
        return self.name

    @property
    def is_flexible(self) -> bool:
        return bool(self.mode) and self.mode != IntroductionMode.FULL_TIME


class TalentStageChange(models.Model):
    """One move of a talent's stage: who, when, from, to, why, with what evidence."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="stage_changes",
                               verbose_name=_("人才"))
    from_stage = models.CharField(_("原阶段"), max_length=20, choices=TalentStage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=20, choices=TalentStage.choices)
    # When it happened, as distinct from changed_at, when it was recorded.
    occurred_on = models.DateField(_("发生日期"), default=timezone.localdate)
    changed_at = models.DateTimeField(_("变更时间"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("变更人")
    )
    note = models.TextField(_("说明"), blank=True)
    skip_reason = models.TextField(_("跨阶段理由"), blank=True)
    evidence = models.TextField(_("佐证"), blank=True, help_text=_("聘用合同、协议编号、到岗报到材料等"))

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("人才阶段变更")
        verbose_name_plural = _("人才阶段变更")

    def __str__(self) -> str:
        return f"{self.talent}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"


class TalentSpecialistAssignment(models.Model):
    """一对一服务专员 of a talent, over time; kept in step with Talent.specialist by the services."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="specialist_assignments",
                               verbose_name=_("人才"))
    specialist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("服务专员"))
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("指派人"))
    note = models.TextField(_("交接说明"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["talent"], condition=models.Q(ended_at__isnull=True),
                                    name="one_current_talent_specialist"),
        ]
        verbose_name = _("人才服务专员任职")
        verbose_name_plural = _("人才服务专员任职")

    def __str__(self) -> str:
        return f"{self.talent} · {self.specialist}"
