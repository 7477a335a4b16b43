from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    OFFICE = "office", _("驻京办")
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    AUTONOMOUS_COUNTY = "autonomous_county", _("自治县")
    ZONE = "zone", _("功能区")


class Unit(models.Model):
    """A unit that does the work: the office or a district/county/functional zone of Chongqing.

    Units are effective-dated. A unit that ended (江北区 and 渝北区 on 2025-11-06) keeps its records —
    a record dated before keeps the unit it had — and names its successor, into which anything that
    reports "as of now" rolls it up (selectors.unit_current / unit_rollup_ids)."""

    code = models.CharField(_("代码"), max_length=20, unique=True, help_text=_("区县为GB/T 2260代码；驻京办、功能区为内部代码"))
    gb_code = models.CharField(_("GB/T 2260代码"), max_length=6, blank=True)
    name = models.CharField(_("名称"), max_length=50)
    full_name = models.CharField(_("全称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    valid_from = models.DateField(_("设立日期"), null=True, blank=True)
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True, help_text=_("自该日起不再存在（当日及以后不能再使用）"))
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors", verbose_name=_("承继单位")
    )
    note = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    @property
    def is_office(self) -> bool:
        return self.kind == UnitKind.OFFICE

    def is_active_on(self, day) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.ended_on and day >= self.ended_on)
