"""推荐考察: the office recommends an organisation (or an existing project) to one or more districts;
each district answers, and an accepted recommendation leads to a project, a site visit and an outcome.

A Recommendation is what the office did (one organisation, one reason, one date); a
RecommendationTarget is one district's part of it (its answer, the project it took up, the site visit).
The funnel numbers (selectors.funnel) are computed from these rows and the projects' stage history —
never typed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.recommendations.querysets import RecommendationQuerySet, RecommendationTargetQuerySet


class TargetStatus(models.TextChoices):
    PENDING = "pending", _("待答复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")
    WITHDRAWN = "withdrawn", _("已撤回")


# A target in one of these states still stands: recommending the same organisation to that unit again
# is a duplicate. After a decline or a withdrawal the office may recommend it again (see services).
OPEN_STATUSES = (TargetStatus.PENDING, TargetStatus.ACCEPTED)


class Recommendation(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="recommendations",
        verbose_name=_("推荐企业"),
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations",
        verbose_name=_("关联项目"), help_text=_("推荐已登记的项目时填写"),
    )
    reason = models.TextField(_("推荐理由"))
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("推荐人")
    )
    from_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("推荐单位"))
    date = models.DateField(_("推荐日期"), default=timezone.localdate, db_index=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("推荐考察")
        verbose_name_plural = _("推荐考察")

    def __str__(self) -> str:
        return f"{self.date} 推荐 {self.organisation}"


class RecommendationTarget(models.Model):
    """One district's part of a recommendation: its answer and what came of it."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="targets",
                                       verbose_name=_("推荐"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="recommendation_targets",
                             verbose_name=_("推荐区县"))
    status = models.CharField(_("状态"), max_length=20, choices=TargetStatus.choices, default=TargetStatus.PENDING,
                              db_index=True)
    decision_reason = models.TextField(_("答复意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("答复人"),
    )
    # When it was recorded, and the day it counts for (a decision entered a day late still belongs to its
    # day) — the same split as StageChange.changed_at / occurred_on. The funnel reads decided_on.
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    decided_on = models.DateField(_("答复日期"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="recommendation_targets",
        verbose_name=_("承接项目"),
    )
    site_visit = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("实地考察记录"),
    )

    objects = RecommendationTargetQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation", "unit__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "unit"], name="one_target_per_unit"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="rec_target_unit_status_idx")]
        verbose_name = _("推荐区县")
        verbose_name_plural = _("推荐区县")

    def __str__(self) -> str:
        return f"{self.recommendation} → {self.unit}"
