from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.projects.choices import Stage


class AlertKind(models.TextChoices):
    UNREGISTERED_AFTER_SIGNING = "unregistered_after_signing", _("签约未注册落地")
    FUNDS_BEHIND_PLAN = "funds_behind_plan", _("资金到位滞后")
    NO_ACTIVITY = "no_activity", _("长期无走访洽谈")


# After 签约: where funds in place are tracked and the signing/funds alerts apply.
POST_SIGNING_STAGES = [Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.PRODUCTION]
# Being worked on: a project here with no visit or talk for a long time has stalled. Not 线索 (not yet
# taken up; 首谈保护期 handles stale leads), not 投产 (done; after-care is the service desk's), not
# 暂缓/终止 (stopped on purpose).
ACTIVE_STAGES = [Stage.CONTACT, Stage.RECOMMENDED, Stage.SITE_VISIT, Stage.INTENTION, Stage.SIGNED,
                 Stage.REGISTERED, Stage.CONSTRUCTION]
