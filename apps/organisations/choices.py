from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    CENTRAL_SOE = "central_soe", _("央企")
    UNIVERSITY = "university", _("高校")
    INSTITUTE = "institute", _("科研院所")
    ASSOCIATION = "association", _("商协会")
    THINK_TANK = "think_tank", _("智库")
    FUND = "fund", _("基金")


class OrgSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class AliasKind(models.TextChoices):
    SHORT = "short", _("简称")
    FORMER = "former", _("曾用名")


# GB/T 4754-2017 门类 (reference/gbt4754-sections.json).
class IndustrySection(models.TextChoices):
    A = "A", _("A 农、林、牧、渔业")
    B = "B", _("B 采矿业")
    C = "C", _("C 制造业")
    D = "D", _("D 电力、热力、燃气及水生产和供应业")
    E = "E", _("E 建筑业")
    F = "F", _("F 批发和零售业")
    G = "G", _("G 交通运输、仓储和邮政业")
    H = "H", _("H 住宿和餐饮业")
    I = "I", _("I 信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("J 金融业")
    K = "K", _("K 房地产业")
    L = "L", _("L 租赁和商务服务业")
    M = "M", _("M 科学研究和技术服务业")
    N = "N", _("N 水利、环境和公共设施管理业")
    O = "O", _("O 居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("P 教育")
    Q = "Q", _("Q 卫生和社会工作")
    R = "R", _("R 文化、体育和娱乐业")
    S = "S", _("S 公共管理、社会保障和社会组织")
    T = "T", _("T 国际组织")


class PersonKind(models.TextChoices):
    CONTACT = "contact", _("联系人")
    EXPERT = "expert", _("专家")
    ACADEMICIAN = "academician", _("院士")
    TALENT = "talent", _("高层次人才")
