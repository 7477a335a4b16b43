from django.db import models
from django.utils.translation import gettext_lazy as _


class RelationKind(models.TextChoices):
    """What the related organisation is *to* the organisation: (长安汽车, X, 供应商) reads "X 是长安汽车的供应商"."""

    SUPPLIER = "supplier", _("供应商")
    CUSTOMER = "customer", _("客户")
    PARTNER = "partner", _("合作伙伴")
    PARENT = "parent", _("母公司")
    SUBSIDIARY = "subsidiary", _("子公司")
    INVESTOR = "investor", _("投资方")


# One fact, one row: "B 是 A 的客户" is stored as "A 是 B 的供应商", "B 是 A 的子公司" as "A 是 B 的母公司".
# The page shows each row from either side with the kind's inverse (INVERSE_LABEL).
CANONICAL = {
    RelationKind.CUSTOMER: RelationKind.SUPPLIER,
    RelationKind.SUBSIDIARY: RelationKind.PARENT,
}
SYMMETRIC = {RelationKind.PARTNER}
STORED_KINDS = [RelationKind.SUPPLIER, RelationKind.PARTNER, RelationKind.PARENT, RelationKind.INVESTOR]
# Seen from the related organisation's side: "A 是 B 的 …".
INVERSE_LABEL = {
    RelationKind.SUPPLIER: "客户",
    RelationKind.PARTNER: "合作伙伴",
    RelationKind.PARENT: "子公司",
    RelationKind.INVESTOR: "被投企业",
    RelationKind.CUSTOMER: "供应商",
    RelationKind.SUBSIDIARY: "母公司",
}
KIND_BY_LABEL = {str(label): value for value, label in RelationKind.choices} | {
    "一级供应商": RelationKind.SUPPLIER, "供货商": RelationKind.SUPPLIER, "采购方": RelationKind.CUSTOMER,
    "合作方": RelationKind.PARTNER, "伙伴": RelationKind.PARTNER, "控股股东": RelationKind.PARENT,
    "股东": RelationKind.INVESTOR, "投资人": RelationKind.INVESTOR, "投资机构": RelationKind.INVESTOR,
}


class Strength(models.IntegerChoices):
    WEAK = 1, _("弱")
    MEDIUM = 2, _("中")
    STRONG = 3, _("强")


STRENGTH_BY_LABEL = {"弱": 1, "中": 2, "强": 3, "1": 1, "2": 2, "3": 3, "一般": 1, "较强": 2, "紧密": 3}


class RelationSource(models.TextChoices):
    MANUAL = "manual", _("人工录入")
    IMPORT = "import", _("表格导入")
    NEWS = "news", _("新闻提取")


class TieChannel(models.TextChoices):
    SECONDED_CADRE = "seconded", _("在京挂职干部")
    ALUMNI = "alumni", _("校友会")
    CHAMBER = "chamber", _("商协会")
    THINK_TANK = "think_tank", _("智库")
    HOMETOWN = "hometown", _("同乡会")
    BUSINESS = "business", _("业务往来")
    OTHER = "other", _("其他")


class Warmth(models.IntegerChoices):
    COOL = 1, _("一般")
    WARM = 2, _("熟悉")
    CLOSE = 3, _("密切")
