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

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")

    def __str__(self) -> str:
        return self.name
