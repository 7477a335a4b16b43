from django.db import models
from django.utils.translation import gettext_lazy as _


class TalentKind(models.TextChoices):
    ACADEMICIAN = "academician", _("院士")
    HIGH_LEVEL = "high_level", _("高层次人才")
    EXPERT = "expert", _("专家")
    TEAM = "team", _("团队")


class TalentStage(models.TextChoices):
    INTENTION = "intention", _("意向")
    NEGOTIATION = "negotiation", _("洽谈")
    SITE_VISIT = "site_visit", _("考察")
    SIGNED = "signed", _("签约")
    ARRIVED = "arrived", _("到岗/落地")
    SERVING = "serving", _("服务")
    PAUSED = "paused", _("暂缓")
    TERMINATED = "terminated", _("终止")


# The pipeline in order; 暂缓 and 终止 stand beside it.
PIPELINE = [
    TalentStage.INTENTION, TalentStage.NEGOTIATION, TalentStage.SITE_VISIT, TalentStage.SIGNED,
    TalentStage.ARRIVED, TalentStage.SERVING,
]
SIDE_STAGES = [TalentStage.PAUSED, TalentStage.TERMINATED]
INTRODUCED_STAGES = [TalentStage.SIGNED, TalentStage.ARRIVED, TalentStage.SERVING]
LANDED_STAGES = [TalentStage.ARRIVED, TalentStage.SERVING]


class IntroductionMode(models.TextChoices):
    FULL_TIME = "full_time", _("全职引进")
    PART_TIME = "part_time", _("柔性引进·兼职")
    CONSULTANT = "consultant", _("柔性引进·顾问")
    JOINT_LAB = "joint_lab", _("柔性引进·联合实验室")
    PROJECT = "project", _("柔性引进·项目合作")


# 柔性引进: the talent keeps their post in Beijing and serves Chongqing part of the time.
FLEXIBLE_MODES = [IntroductionMode.PART_TIME, IntroductionMode.CONSULTANT, IntroductionMode.JOINT_LAB,
                  IntroductionMode.PROJECT]


class ProjectLinkKind(models.TextChoices):
    BRINGS_PROJECT = "brings_project", _("以才引项目：人才带来该项目")
    BROUGHT_BY_PROJECT = "brought_by_project", _("以项目引才：随该项目引进")
