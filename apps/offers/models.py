"""区县资源: what each district offers an enterprise — parks, land and buildings, policies, talent and
market resources — and the office's need profiles that are matched against them (matching.py).

Every offer belongs to one unit and is changed only by that unit's admin/staff (querysets.py); it is
retired rather than deleted, so a recommendation that cited it can still be read."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.offers.choices import MU, ParkKind, PriceUnit, ResourceKind, SiteKind, SiteStatus
from apps.offers.querysets import NeedProfileQuerySet, OfferQuerySet


class Offer(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区县"))
    retired_at = models.DateTimeField(_("下架时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)

    objects = OfferQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        # Offers are shown on their district's page (the fair-competition queue links here).
        from django.urls import reverse

        return reverse("offers:district", args=[self.unit_id])

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Park(Offer):
    name = models.CharField(_("园区名称"), max_length=100)
    kind = models.CharField(_("园区类型"), max_length=20, choices=ParkKind.choices, default=ParkKind.INDUSTRIAL)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    clusters = models.ManyToManyField("chains.Cluster", blank=True, related_name="+", verbose_name=_("主导产业集群"))
    leading_industries = models.TextField(_("主导产业"), blank=True, help_text=_("如：新能源汽车零部件、电池包、热管理系统"))
    description = models.TextField(_("园区简介"), blank=True)

    class Meta:
        ordering = ["unit__sort_order", "name", "id"]
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def __str__(self) -> str:
        return self.name


class Site(Offer):
    """A plot of industrial land or a building (标准厂房, 写字楼, 研发楼) on offer."""

    park = models.ForeignKey(Park, null=True, blank=True, on_delete=models.SET_NULL, related_name="sites",
                             verbose_name=_("所在园区"))
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：B区3号标准厂房、西彭组团C-12地块"))
    kind = models.CharField(_("载体类型"), max_length=20, choices=SiteKind.choices)
    area = models.DecimalField(_("面积（平方米）"), max_digits=12, decimal_places=2)
    price = models.DecimalField(_("价格"), max_digits=12, decimal_places=2, null=True, blank=True)
    price_unit = models.CharField(_("价格单位"), max_length=20, choices=PriceUnit.choices, blank=True)
    power_kva = models.PositiveIntegerField(_("供电容量（千伏安）"), null=True, blank=True)
    water_tpd = models.DecimalField(_("供水能力（吨/日）"), max_digits=10, decimal_places=1, null=True, blank=True)
    ready_date = models.DateField(_("可交付日期"), null=True, blank=True, help_text=_("已可交付的留空"))
    status = models.CharField(_("状态"), max_length=20, choices=SiteStatus.choices, default=SiteStatus.AVAILABLE)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["unit__sort_order", "kind", "-area", "id"]
        verbose_name = _("载体")
        verbose_name_plural = _("载体")

    def __str__(self) -> str:
        return self.name

    @property
    def area_mu(self) -> Decimal:
        return (self.area / MU).quantize(Decimal("0.1"))


class Policy(Offer):
    title = models.CharField(_("政策名称"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True, help_text=_("如：九龙坡府发〔2024〕12号"))
    summary = models.TextField(_("政策要点"))
    conditions = models.TextField(_("适用条件"), blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("长期有效的留空"))
    clusters = models.ManyToManyField("chains.Cluster", blank=True, related_name="+", verbose_name=_("适用产业集群"),
                                      help_text=_("不选则为普惠政策，适用于所有产业"))

    class Meta:
        ordering = ["unit__sort_order", "-valid_from", "id"]
        verbose_name = _("政策")
        verbose_name_plural = _("政策")

    def __str__(self) -> str:
        return self.title

    def in_force_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Resource(Offer):
    kind = models.CharField(_("资源类型"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["unit__sort_order", "kind", "id"]
        verbose_name = _("人才与市场资源")
        verbose_name_plural = _("人才与市场资源")

    def __str__(self) -> str:
        return self.title


class NeedProfile(models.Model):
    """What an enterprise needs from a district, as the office understood it: matched against every
    district's offers (matching.rank)."""

    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("企业"))
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("关联项目"))
    title = models.CharField(_("需求名称"), max_length=200)
    cluster = models.ForeignKey("chains.Cluster", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("产业集群"))
    chain_link = models.ForeignKey("chains.ChainLink", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("产业链环节"))
    site_kind = models.CharField(_("所需载体"), max_length=20, choices=SiteKind.choices, blank=True)
    area_min = models.DecimalField(_("面积下限（平方米）"), max_digits=12, decimal_places=2, null=True, blank=True)
    area_max = models.DecimalField(_("面积上限（平方米）"), max_digits=12, decimal_places=2, null=True, blank=True)
    power_kva = models.PositiveIntegerField(_("用电需求（千伏安）"), null=True, blank=True)
    water_tpd = models.DecimalField(_("用水需求（吨/日）"), max_digits=10, decimal_places=1, null=True, blank=True)
    needs_talent = models.TextField(_("人才需求"), blank=True)
    needs_market = models.TextField(_("市场需求"), blank=True)
    needed_by = models.DateField(_("需要日期"), null=True, blank=True, help_text=_("最晚何时需要交付载体"))
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_sample = models.BooleanField(_("示例数据"), default=False, editable=False)

    objects = NeedProfileQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("企业需求")
        verbose_name_plural = _("企业需求")

    def __str__(self) -> str:
        return self.title
