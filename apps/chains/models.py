from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClusterTier(models.TextChoices):
    TRILLION = "trillion", _("万亿级主导产业集群")
    FIVE_HUNDRED_BILLION = "500b", _("五千亿级支柱产业集群")
    HUNDRED_BILLION = "100b", _("千亿级特色优势产业集群")
    NEW_STAR = "new_star", _("“新星”产业集群")


class Cluster(models.Model):
    """A cluster of the 33618 system. Data, not code: only 2 of the 18 新星 clusters are confirmed in
    public sources, so office admins add the rest as they are published."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    tier = models.CharField(_("层级"), max_length=10, choices=ClusterTier.choices)
    confirmed = models.BooleanField(_("已核实"), default=True, help_text=_("名单是否有公开文件佐证"))
    source_note = models.TextField(_("来源"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    # The public documents the cluster's chain map follows (shown with the map, kept in its versions).
    map_sources = models.JSONField(_("链图来源"), default=list, blank=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")

    def __str__(self) -> str:
        return self.name


class ChainLink(models.Model):
    """One link (环节) of a cluster's chain map: a tree per cluster, top-level links have no parent.
    Siblings are ordered upstream → downstream by `position`. Written only by chains.services, which
    records every change as a ChainMapVersion."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="links", verbose_name=_("产业集群"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级环节"),
    )
    name = models.CharField(_("名称"), max_length=60)
    position = models.PositiveIntegerField(_("顺序"), default=0, help_text=_("同级内从上游到下游"))
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    description = models.TextField(_("说明"), blank=True)
    source_note = models.CharField(_("来源"), max_length=300, blank=True)
    # 固链: a link the whole chain depends on (data security, key materials, base software).
    foundation = models.BooleanField(_("基础环节"), default=False)
    # 延链: a link added beyond the core map (a new downstream application, a new field).
    extension = models.BooleanField(_("延伸环节"), default=False)

    class Meta:
        ordering = ["cluster", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "parent", "name"], name="chainlink_unique_name"),
            models.UniqueConstraint(fields=["cluster", "name"], condition=models.Q(parent__isnull=True),
                                    name="chainlink_unique_top_name"),
        ]
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")

    def __str__(self) -> str:
        return self.name


class ChainMapVersion(models.Model):
    """A snapshot of a cluster's whole map after an edit, so any earlier state can be viewed and restored."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="map_versions",
                                verbose_name=_("产业集群"))
    number = models.PositiveIntegerField(_("版本号"))
    snapshot = models.JSONField(_("链图快照"), default=dict)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("修改人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["cluster", "-number"]
        constraints = [models.UniqueConstraint(fields=["cluster", "number"], name="chainmapversion_unique_number")]
        verbose_name = _("链图版本")
        verbose_name_plural = _("链图版本")

    def __str__(self) -> str:
        return f"{self.cluster} v{self.number}"


class PlacementMethod(models.TextChoices):
    MANUAL = "manual", _("人工标注")
    SUGGESTED = "suggested", _("采纳系统建议")


class Placement(models.Model):
    """An organisation or a project placed on a chain link (exactly one of the two)."""

    link = models.ForeignKey(ChainLink, on_delete=models.PROTECT, related_name="placements",
                             verbose_name=_("环节"))
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="chain_placements", verbose_name=_("目标主体"))
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="chain_placements", verbose_name=_("项目"))
    is_chain_leader = models.BooleanField(_("链主"), default=False)
    method = models.CharField(_("方式"), max_length=10, choices=PlacementMethod.choices,
                              default=PlacementMethod.MANUAL)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("标注人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["link", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(organisation__isnull=False, project__isnull=True)
                           | models.Q(organisation__isnull=True, project__isnull=False)),
                name="placement_one_subject",
            ),
            models.CheckConstraint(condition=models.Q(is_chain_leader=False) | models.Q(organisation__isnull=False),
                                   name="placement_leader_is_organisation"),
            models.UniqueConstraint(fields=["organisation", "link"], condition=models.Q(organisation__isnull=False),
                                    name="placement_unique_organisation"),
            models.UniqueConstraint(fields=["project", "link"], condition=models.Q(project__isnull=False),
                                    name="placement_unique_project"),
        ]
        verbose_name = _("链上标注")
        verbose_name_plural = _("链上标注")

    def __str__(self) -> str:
        return f"{self.subject} @ {self.link}"

    @property
    def subject(self):
        return self.organisation if self.organisation_id else self.project


class GapSummary(models.Model):
    """The gap analysis of one cluster for the whole city (no unit) or one unit, as a reader who sees every
    project there sees it: per link the counts, the first projects and the ranked candidates. Kept by the
    worker (chains.jobs) so that the gap page reads one row instead of the cluster's tens of thousands of
    placements (ADR 0012). A change to a placement, a placed organisation or a placed project marks the
    cluster's rows stale in the same transaction; a stale row is never shown, the page computes afresh."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="gap_summaries",
                                verbose_name=_("产业集群"))
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("区县"))
    # Raised with every change: a refresh stores its result only if nothing changed while it computed.
    generation = models.PositiveIntegerField(_("变更次数"), default=0)
    is_stale = models.BooleanField(_("待更新"), default=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    compute_ms = models.PositiveIntegerField(_("计算耗时（毫秒）"), default=0)
    rows = models.JSONField(_("各环节"), default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "unit"], condition=models.Q(unit__isnull=False),
                                    name="gapsummary_unique_unit"),
            models.UniqueConstraint(fields=["cluster"], condition=models.Q(unit__isnull=True),
                                    name="gapsummary_unique_city"),
        ]
        verbose_name = _("缺链分析汇总")
        verbose_name_plural = _("缺链分析汇总")

    def __str__(self) -> str:
        return f"{self.cluster} · {self.unit or '全市'}"
