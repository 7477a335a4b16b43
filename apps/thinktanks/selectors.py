"""Reads of cooperations, always through restrict(actor, VIEW)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.permissions import CHANGE, VIEW
from apps.projects.models import Project
from apps.thinktanks.models import (
    PARTNER_KINDS,
    ActivityKind,
    Cooperation,
    CooperationActivity,
    CooperationOutcome,
    CooperationStatus,
    OutcomeKind,
)


def status_q(status: str, today: datetime.date) -> Q:
    """The shown status as a filter: 合作中 is stored 合作中 and not yet past its end date; 已到期 is
    stored 合作中 and past it."""
    not_ended = Q(end_date__isnull=True) | Q(end_date__gte=today)
    if status == CooperationStatus.ACTIVE:
        return Q(status=CooperationStatus.ACTIVE) & not_ended
    if status == CooperationStatus.EXPIRED:
        return Q(status=CooperationStatus.ACTIVE, end_date__lt=today)
    return Q(status=status)


def cooperation_list(*, actor, q: str = "", status: str = "", partner_kind: str = "",
                     today: datetime.date | None = None) -> QuerySet:
    """Visible cooperations with, on each row, `activity_count`, `outcome_count` and one
    `<kind>_count` per outcome kind (project_count, talent_count, introduction_count, report_count,
    other_count)."""
    today = today or timezone.localdate()
    rows = Cooperation.objects.restrict(actor, VIEW).select_related("partner", "unit", "contact")
    text = (q or "").strip()
    if text:
        rows = rows.filter(Q(partner__name__icontains=text) | Q(title__icontains=text)
                           | Q(agreement_no__icontains=text) | Q(terms__icontains=text))
    if status in CooperationStatus.values:
        rows = rows.filter(status_q(status, today))
    if partner_kind in PARTNER_KINDS:
        rows = rows.filter(partner__kind=partner_kind)
    outcome_counts = {f"{kind}_count": Count("outcomes", filter=Q(outcomes__kind=kind), distinct=True)
                      for kind in OutcomeKind.values}
    # Meta.ordering does not apply to a grouped query: ordered here, agreements not yet signed last.
    return rows.annotate(activity_count=Count("activities", distinct=True),
                         outcome_count=Count("outcomes", distinct=True), **outcome_counts) \
        .order_by(F("signed_date").desc(nulls_last=True), "-id")


def cooperation_get(*, actor, pk: int) -> Cooperation:
    return get_object_or_404(Cooperation.objects.restrict(actor, VIEW).select_related("partner", "unit", "contact"),
                             pk=pk)


def may_change_cooperation(actor, cooperation: Cooperation) -> bool:
    return Cooperation.objects.restrict(actor, CHANGE).filter(pk=cooperation.pk).exists()


def cooperation_activities(*, actor, cooperation: Cooperation) -> list[CooperationActivity]:
    """The timeline, newest first."""
    return list(CooperationActivity.objects.restrict(actor, VIEW).filter(cooperation=cooperation)
                .select_related("event").order_by("-date", "-id"))


def cooperation_outcomes(*, actor, cooperation: Cooperation) -> list[CooperationOutcome]:
    """Outcomes, newest first. Each carries `shown_project`: its project if the reader may see that
    project, else None with `project_hidden` True (the reader learns a project came of it, not which)."""
    rows = list(CooperationOutcome.objects.restrict(actor, VIEW).filter(cooperation=cooperation)
                .select_related("project", "project__unit", "organisation", "talent").order_by("-date", "-id"))
    project_ids = {row.project_id for row in rows if row.project_id}
    talent_ids = {row.talent_id for row in rows if row.talent_id}
    if talent_ids:
        from apps.talent.models import Talent

        seen = set(Talent.objects.restrict(actor, VIEW).filter(pk__in=talent_ids).values_list("pk", flat=True))
    else:
        seen = set()
    visible = set(Project.objects.restrict(actor, VIEW).filter(pk__in=project_ids).values_list("pk", flat=True)) \
        if project_ids else set()
    for row in rows:
        row.shown_project = row.project if row.project_id in visible else None
        row.project_hidden = bool(row.project_id) and row.project_id not in visible
        row.shown_talent = row.talent if row.talent_id in seen else None  # another unit's talent: not named
    return rows


@dataclass
class CooperationSummary:
    start: datetime.date | None
    end: datetime.date | None
    partners_in_force: int = 0
    activities: int = 0
    activities_by_kind: dict = field(default_factory=dict)
    participants: int = 0
    outcomes_by_kind: dict = field(default_factory=dict)
    projects: int = 0
    projects_signed_amount: Decimal = Decimal("0")
    projects_without_amount: int = 0
    projects_hidden: int = 0

    @property
    def talent(self) -> int:
        return self.outcomes_by_kind.get(OutcomeKind.TALENT, 0)

    @property
    def introductions(self) -> int:
        return self.outcomes_by_kind.get(OutcomeKind.INTRODUCTION, 0)


def cooperation_summary(*, actor, start: datetime.date | None = None, end: datetime.date | None = None,
                        today: datetime.date | None = None) -> CooperationSummary:
    """The cooperation figures for a period [start, end] (both inclusive; None leaves that side open).

    - partners_in_force: distinct partner organisations with at least one agreement that was in force
      at some day of the period: stored 合作中 or 已终止 (洽谈中 never counts), begun (start date, else
      signed date) on or before `end`, and not ended (end date, which for 已终止 is the termination
      date) before `start`. An agreement past its end date counts for the periods it covered.
    - activities: activities dated in the period; activities_by_kind splits them by kind (报告, 沙龙 …);
      participants adds their participant counts (activities without a count add nothing).
    - outcomes_by_kind: outcomes dated in the period, by kind (项目, 人才, 引荐, 报告成果, 其他);
      `talent` and `introductions` read from it.
    - projects: distinct projects recorded as 项目 outcomes in the period that the reader may see;
      projects_signed_amount sums their signed amounts (yuan, exact), projects_without_amount counts
      those with no signed amount (not yet signed, or undisclosed) — they add nothing to the sum rather
      than a guess; projects_hidden counts 项目 outcomes whose project the reader may not see, which are
      in outcomes_by_kind but in neither the project count nor the amount.
    """
    today = today or timezone.localdate()
    summary = CooperationSummary(start=start, end=end)
    cooperations = Cooperation.objects.restrict(actor, VIEW)

    in_force = cooperations.filter(status__in=[CooperationStatus.ACTIVE, CooperationStatus.TERMINATED]) \
        .exclude(start_date__isnull=True, signed_date__isnull=True)
    if end is not None:
        in_force = in_force.filter(Q(start_date__lte=end) | Q(start_date__isnull=True, signed_date__lte=end))
    if start is not None:
        in_force = in_force.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    in_force = in_force.exclude(status=CooperationStatus.TERMINATED, end_date__isnull=True)
    summary.partners_in_force = in_force.values("partner_id").distinct().count()

    def dated(qs):
        if start is not None:
            qs = qs.filter(date__gte=start)
        if end is not None:
            qs = qs.filter(date__lte=end)
        return qs

    activities = dated(CooperationActivity.objects.restrict(actor, VIEW))
    by_kind = {row["kind"]: row["n"] for row in activities.values("kind").annotate(n=Count("id")).order_by()}
    summary.activities_by_kind = {kind: by_kind.get(kind, 0) for kind in ActivityKind.values}
    summary.activities = sum(by_kind.values())
    summary.participants = sum(activities.exclude(participant_count__isnull=True)
                               .values_list("participant_count", flat=True))

    outcomes = dated(CooperationOutcome.objects.restrict(actor, VIEW))
    by_kind = {row["kind"]: row["n"] for row in outcomes.values("kind").annotate(n=Count("id")).order_by()}
    summary.outcomes_by_kind = {kind: by_kind.get(kind, 0) for kind in OutcomeKind.values}

    project_ids = set(outcomes.filter(kind=OutcomeKind.PROJECT).values_list("project_id", flat=True))
    visible = list(Project.objects.restrict(actor, VIEW).filter(pk__in=project_ids)
                   .values_list("pk", "signed_amount"))
    summary.projects = len(visible)
    summary.projects_signed_amount = sum((amount for _, amount in visible if amount is not None), Decimal("0"))
    summary.projects_without_amount = sum(1 for _, amount in visible if amount is None)
    visible_ids = {pk for pk, _ in visible}
    summary.projects_hidden = outcomes.filter(kind=OutcomeKind.PROJECT).exclude(project_id__in=visible_ids).count()
    return summary
