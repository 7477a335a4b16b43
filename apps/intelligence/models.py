"""Articles read by the office and the records they fed (issue 7).

An Article keeps the cleaned text and what the engine extracted from it at the time (spans
included), so the review page never re-extracts and a later engine change cannot shift the
highlights of an article already reviewed. An ArticleLink records one click on one candidate: the
record it created or linked. One click, once: (article, item_key) is unique."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.intelligence.querysets import ArticleLinkQuerySet, ArticleQuerySet


class Article(models.Model):
    title = models.CharField(_("标题"), max_length=300, blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("如：重庆日报"))
    url = models.URLField(_("原文链接"), max_length=500, blank=True)
    published = models.DateField(_("发布日期"), null=True, blank=True)
    # The cleaned text the stored spans point into (the engine's Extraction.text).
    text = models.TextField(_("正文"))
    original_file = models.FileField(_("原始文件"), upload_to="articles/%Y/%m/", blank=True)
    extraction = models.JSONField(_("抽取结果"), default=dict)
    content_hash = models.CharField(_("正文摘要（SHA-256）"), max_length=64)
    unit = models.ForeignKey("units.Unit", null=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("登记单位"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same article pasted twice by one unit opens the first one.
            models.UniqueConstraint(fields=["unit", "content_hash"], name="one_article_per_unit_text"),
        ]
        verbose_name = _("情报文章")
        verbose_name_plural = _("情报文章")

    def __str__(self) -> str:
        return self.title or self.text[:30]

    @property
    def candidate_count(self) -> int:
        """Organisations, projects and events the engine proposed (what a person may click on)."""
        data = self.extraction or {}
        return sum(len(data.get(key) or []) for key in ("org_details", "projects", "events"))


class LinkAction(models.TextChoices):
    CREATED = "created", _("新建")
    LINKED = "linked", _("关联")


class ArticleLink(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links", verbose_name=_("文章"))
    # Which candidate: "org:0", "project:2", "event:0", "signing:2" (the index into the stored extraction).
    item_key = models.CharField(_("候选条目"), max_length=30)
    action = models.CharField(_("操作"), max_length=10, choices=LinkAction.choices)
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("目标主体"))
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("项目"))
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("活动"))
    signing = models.ForeignKey("events.Signing", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("签约"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("操作人"))
    created_at = models.DateTimeField(_("操作时间"), auto_now_add=True)

    objects = ArticleLinkQuerySet.as_manager()

    class Meta:
        ordering = ["article", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "item_key"], name="one_link_per_article_item"),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(project__isnull=False) | Q(event__isnull=False)
                | Q(signing__isnull=False),
                name="article_link_has_target",
            ),
        ]
        verbose_name = _("情报关联")
        verbose_name_plural = _("情报关联")

    def __str__(self) -> str:
        return f"{self.article} · {self.item_key}"

    @property
    def target(self):
        return self.organisation or self.project or self.event or self.signing
