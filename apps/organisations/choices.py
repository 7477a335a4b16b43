from django.db import models


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    CENTRAL_SOE = "central_soe", "央企"
    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    ASSOCIATION = "association", "商协会"
    THINK_TANK = "think_tank", "智库"
    FUND = "fund", "基金"


class OrgSize(models.TextChoices):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class AliasKind(models.TextChoices):
    SHORT = "short", "简称"
    FORMER = "former", "曾用名"


# GB/T 4754-2017 门类 (reference/gbt4754-sections.json).
class IndustrySection(models.TextChoices):
    A = "A", "A 农、林、牧、渔业"
    B = "B", "B 采矿业"
    C = "C", "C 制造业"
    D = "D", "D 电力、热力、燃气及水生产和供应业"
    E = "E", "E 建筑业"
    F = "F", "F 批发和零售业"
    G = "G", "G 交通运输、仓储和邮政业"
    H = "H", "H 住宿和餐饮业"
    I = "I", "I 信息传输、软件和信息技术服务业"  # noqa: E741
    J = "J", "J 金融业"
    K = "K", "K 房地产业"
    L = "L", "L 租赁和商务服务业"
    M = "M", "M 科学研究和技术服务业"
    N = "N", "N 水利、环境和公共设施管理业"
    O = "O", "O 居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "P 教育"
    Q = "Q", "Q 卫生和社会工作"
    R = "R", "R 文化、体育和娱乐业"
    S = "S", "S 公共管理、社会保障和社会组织"
    T = "T", "T 国际组织"


class PersonKind(models.TextChoices):
    CONTACT = "contact", "联系人"
    EXPERT = "expert", "专家"
    ACADEMICIAN = "academician", "院士"
    TALENT = "talent", "高层次人才"
