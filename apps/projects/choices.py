from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    LEAD = "lead", _("线索")
    CONTACT = "contact", _("接洽")
    RECOMMENDED = "recommended", _("推荐考察")
    SITE_VISIT = "site_visit", _("实地考察")
    INTENTION = "intention", _("意向/协议")
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册落地")
    CONSTRUCTION = "construction", _("开工")
    PRODUCTION = "production", _("投产")
    PAUSED = "paused", _("暂缓")
    TERMINATED = "terminated", _("终止")


# The pipeline in order; 暂缓 and 终止 stand beside it.
PIPELINE = [
    Stage.LEAD, Stage.CONTACT, Stage.RECOMMENDED, Stage.SITE_VISIT, Stage.INTENTION,
    Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.PRODUCTION,
]
SIDE_STAGES = [Stage.PAUSED, Stage.TERMINATED]
# A project in these stages still holds its organisation against other units (首谈负责制).
CLAIMING_STAGES = set(PIPELINE)


class ChainRole(models.TextChoices):
    STRENGTHEN = "strengthen", _("强链")
    CONSOLIDATE = "consolidate", _("固链")
    FILL = "fill", _("补链")
    EXTEND = "extend", _("延链")


class AgreementType(models.TextChoices):
    INTENTION = "intention", _("意向协议")
    FRAMEWORK = "framework", _("框架协议")
    CONTRACT = "contract", _("正式合同")


class Priority(models.TextChoices):
    HIGH = "high", _("重大")
    NORMAL = "normal", _("一般")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("普通")
    CONFIDENTIAL = "confidential", _("保密")
