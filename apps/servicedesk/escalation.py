"""When a late request escalates, as a pure function of its due date and today — so every page can say
"已逾期3天 · 已升级至单位负责人" even before the daily job (services.escalate_overdue) has run, and the
job and the pages can never disagree.

A request not finished by its due date goes to the owner unit's leaders the next day (level 1) and,
ESCALATE_TO_OFFICE_AFTER_DAYS days after that, to the office (level 2)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from apps.servicedesk.choices import OPEN_STATUSES, EscalationLevel


def office_after_days() -> int:
    return int(getattr(settings, "ESCALATE_TO_OFFICE_AFTER_DAYS", 3))


def level_due(due_date: datetime.date, today: datetime.date) -> int:
    """The level a request still open on ``today`` should have reached."""
    overdue = (today - due_date).days
    if overdue <= 0:
        return EscalationLevel.OWNER
    if overdue >= 1 + office_after_days():
        return EscalationLevel.OFFICE
    return EscalationLevel.UNIT_LEADER


def office_cutoff(today: datetime.date) -> datetime.date:
    """Open requests due before this date have reached the office (level 2) by ``today``."""
    return today - datetime.timedelta(days=office_after_days())


@dataclass(frozen=True)
class EscalationState:
    level: int
    overdue_days: int
    days_left: int | None  # open and not yet late: days until the due date (0 = due today)

    @property
    def is_overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def level_label(self) -> str:
        return str(EscalationLevel(self.level).label)

    @property
    def label(self) -> str:
        """"已逾期3天 · 已升级至单位负责人"; empty when nothing is late."""
        if not self.is_overdue:
            return ""
        text = _("已逾期%(days)s天") % {"days": self.overdue_days}
        if self.level > EscalationLevel.OWNER:
            text += " · " + _("已升级至%(level)s") % {"level": self.level_label}
        return text

    @property
    def css(self) -> str:
        return {EscalationLevel.OFFICE: "danger", EscalationLevel.UNIT_LEADER: "warning"}.get(self.level, "secondary")

    def __str__(self) -> str:
        return self.label


def escalation_state(request, today: datetime.date) -> EscalationState:
    """``request``'s lateness on ``today``. A finished request is late no more; it keeps the level it
    had reached (the record of how it went)."""
    if request.status not in OPEN_STATUSES:
        return EscalationState(level=request.escalation_level, overdue_days=0, days_left=None)
    overdue = (today - request.due_date).days
    level = max(request.escalation_level, level_due(request.due_date, today))
    if overdue > 0:
        return EscalationState(level=level, overdue_days=overdue, days_left=None)
    return EscalationState(level=level, overdue_days=0, days_left=-overdue)
