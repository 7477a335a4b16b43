from django.db import models


class Stage(models.TextChoices):
    LEAD = "lead", "线索"
    CONTACT = "contact", "接洽"
    RECOMMENDED = "recommended", "推荐考察"
    SITE_VISIT = "site_visit", "实地考察"
    INTENTION = "intention", "意向/协议"
    SIGNED = "signed", "签约"
    REGISTERED = "registered", "注册落地"
    CONSTRUCTION = "construction", "开工"
    PRODUCTION = "production", "投产"
    PAUSED = "paused", "暂缓"
    TERMINATED = "terminated", "终止"


# The pipeline in order; 暂缓 and 终止 stand beside it.
PIPELINE = [
    Stage.LEAD, Stage.CONTACT, Stage.RECOMMENDED, Stage.SITE_VISIT, Stage.INTENTION,
    Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.PRODUCTION,
]
SIDE_STAGES = [Stage.PAUSED, Stage.TERMINATED]
# A project in these stages still holds its organisation against other units (首谈负责制).
CLAIMING_STAGES = set(PIPELINE)


class ChainRole(models.TextChoices):
    STRENGTHEN = "strengthen", "强链"
    CONSOLIDATE = "consolidate", "固链"
    FILL = "fill", "补链"
    EXTEND = "extend", "延链"


class AgreementType(models.TextChoices):
    INTENTION = "intention", "意向协议"
    FRAMEWORK = "framework", "框架协议"
    CONTRACT = "contract", "正式合同"


class Priority(models.TextChoices):
    HIGH = "high", "重大"
    NORMAL = "normal", "一般"


class Confidentiality(models.TextChoices):
    NORMAL = "normal", "普通"
    CONFIDENTIAL = "confidential", "保密"
