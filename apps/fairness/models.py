"""A fair-competition flag: one sentence of some record's text that a person should look at under the
公平竞争审查条例. The record can be of any app (an offer, a policy, an agreement draft), hence the generic
target. Flags warn; they never stop the record from being saved."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.fairness.querysets import FairnessFlagQuerySet


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待审查")
    CLEARED = "cleared", _("已确认无问题")
    AMENDED = "amended", _("已修改")


class Severity(models.TextChoices):
    REVIEW = "需审查", _("需审查")
    HINT = "提示", _("提示")


class FairnessFlag(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("对象类型"))
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    target = GenericForeignKey("content_type", "object_id")
    # The unit the record belongs to, copied at refresh: a district sees the flags of its own records
    # without this app having to know every target model's permission rule.
    unit = models.ForeignKey("units.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("所属单位"))
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    field_name = models.CharField(_("字段"), max_length=100)
    rule_id = models.CharField(_("规则"), max_length=50)
    rule_name = models.CharField(_("规则名称"), max_length=100, blank=True)
    matched_text = models.CharField(_("命中文字"), max_length=200)
    sentence = models.TextField(_("所在句子"))
    match_offset = models.PositiveIntegerField(_("命中位置"), default=0)
    article = models.CharField(_("涉及条款"), max_length=50)
    explanation = models.TextField(_("说明"), blank=True)
    severity = models.CharField(_("程度"), max_length=10, choices=Severity.choices, default=Severity.REVIEW)
    status = models.CharField(_("状态"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审查人"))
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    review_note = models.TextField(_("审查意见"), blank=True)
    created_at = models.DateTimeField(_("提示时间"), auto_now_add=True)

    objects = FairnessFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("公平竞争审查提示")
        verbose_name_plural = _("公平竞争审查提示")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="fairness_flag_target"),
            models.Index(fields=["status", "unit"], name="fairness_flag_status_unit"),
        ]

    def __str__(self):
        return f"{self.target_repr}：{self.matched_text}（{self.article}）"

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN

    @property
    def sentence_parts(self) -> tuple[str, str, str]:
        """(before, matched, after) for highlighting; falls back to finding the text if the offset is stale."""
        at = self.match_offset
        if self.sentence[at:at + len(self.matched_text)] != self.matched_text:
            at = self.sentence.find(self.matched_text)
            if at < 0:
                return self.sentence, "", ""
        return self.sentence[:at], self.matched_text, self.sentence[at + len(self.matched_text):]
