from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# 1亩 = 10000/15 m²: land is priced and talked about in 亩, buildings in m².
MU = Decimal("666.67")


class ParkKind(models.TextChoices):
    ECONOMIC = "economic", _("经开区")
    HIGH_TECH = "high_tech", _("高新区")
    DEVELOPMENT = "development", _("开发区")
    INDUSTRIAL = "industrial", _("产业园")
    BONDED = "bonded", _("综合保税区")
    INCUBATOR = "incubator", _("孵化园/楼宇")
    OTHER = "other", _("其他")


class SiteKind(models.TextChoices):
    LAND = "land", _("工业用地")
    FACTORY = "factory", _("标准厂房")
    OFFICE = "office", _("写字楼")
    RND = "rnd", _("研发楼")


class PriceUnit(models.TextChoices):
    PER_MU = "per_mu", _("元/亩")
    PER_M2_MONTH = "per_m2_month", _("元/m²·月")
    PER_M2 = "per_m2", _("元/m²（售价）")


# Which price units make sense for which kind of site: land is sold by the 亩, buildings rented or sold by the m².
PRICE_UNITS_FOR = {
    SiteKind.LAND: {PriceUnit.PER_MU},
    SiteKind.FACTORY: {PriceUnit.PER_M2_MONTH, PriceUnit.PER_M2},
    SiteKind.OFFICE: {PriceUnit.PER_M2_MONTH, PriceUnit.PER_M2},
    SiteKind.RND: {PriceUnit.PER_M2_MONTH, PriceUnit.PER_M2},
}


class SiteStatus(models.TextChoices):
    AVAILABLE = "available", _("可用")
    RESERVED = "reserved", _("已预留")
    LANDED = "landed", _("已落地")


class ResourceKind(models.TextChoices):
    TALENT = "talent", _("人才")
    MARKET = "market", _("市场")
    FINANCE = "finance", _("金融")
    OTHER = "other", _("其他")
