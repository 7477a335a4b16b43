"""The enumerations of a service request (诉求)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    LAND = "land", _("用地")
    PLANNING = "planning", _("规划与审批")
    UTILITIES = "utilities", _("水电气")
    TALENT = "talent", _("人才与住房")
    FINANCE = "finance", _("融资")
    POLICY = "policy", _("政策")
    OTHER = "other", _("其他")


# Calendar days from the day a request is raised to its due date, until an office admin changes them
# (CategoryDeadline). Seeded by migration 0002; a category without a row falls back to these.
DEFAULT_DEADLINE_DAYS = {
    Category.LAND: 15,
    Category.PLANNING: 10,
    Category.UTILITIES: 7,
    Category.TALENT: 10,
    Category.FINANCE: 15,
    Category.POLICY: 7,
    Category.OTHER: 10,
}


class Channel(models.TextChoices):
    STAFF = "staff", _("工作人员代为提出")
    SPECIALIST = "specialist", _("服务专员提出")
    CONTACT = "contact", _("企业联系人提出")


class Status(models.TextChoices):
    NEW = "new", _("待受理")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已关闭")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)

# Which status a request may move to from each status. Reopening a finished request is allowed: the
# enterprise says the problem is back, and the history stays on the same request.
TRANSITIONS = {
    Status.NEW: (Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED),
    Status.IN_PROGRESS: (Status.RESOLVED, Status.CLOSED),
    Status.RESOLVED: (Status.IN_PROGRESS,),
    Status.CLOSED: (Status.IN_PROGRESS,),
}


class EscalationLevel(models.IntegerChoices):
    OWNER = 0, _("承办人")
    UNIT_LEADER = 1, _("单位负责人")
    OFFICE = 2, _("驻京办")
