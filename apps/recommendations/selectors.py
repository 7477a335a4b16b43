"""Reads of 推荐考察, always through restrict(); and the funnel — the article's three numbers
("拜访…94家，推荐236家企业赴渝实地考察，其中50余家已达成合作意向或实现落地") computed from the records.

The funnel for a period [start, end] (both days included) — every number counts distinct organisations:

- visited (拜访): organisations with an activity of kind 走访拜访, 洽谈 or 会议座谈 dated in the period by
  the office (the article's visits are the office's); with a unit, by that unit (and the units that rolled
  up into it).
- recommended (推荐赴渝考察): organisations with a recommendation dated in the period that still has at
  least one target not withdrawn. A declined recommendation still counts — the office did recommend it;
  an organisation recommended twice (to several districts, or again after a decline) counts once; a
  withdrawn one counts as never made.
- Of those, as known at the end of the period (answers by their 答复日期, visits by their date, stages by
  their 发生日期 — so a past period reads the same later):
  - accepted / declined: with a target accepted / declined. An organisation recommended to two districts,
    one accepting and one declining, is in both.
  - pending: with a target not answered by the end of the period.
  - site_visited: with a site visit logged on a target.
  - reached_intention_or_landed (已达成合作意向或实现落地): whose project taken up through a target
    reached 意向/协议 or any later stage of the pipeline (签约、注册落地、开工、投产) by the end of the
    period, even if it was paused or terminated later.

Scope: the office and leaders count every unit (or the one asked for); a district counts only its own
targets and its own visits — never another district's answers."""

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES
from apps.accounts.permissions import VIEW, actor_scope
from apps.activities.models import Activity, ActivityKind
from apps.projects.choices import PIPELINE, Stage
from apps.projects.models import StageChange
from apps.recommendations.models import Recommendation, RecommendationTarget, TargetStatus
from apps.units.models import Unit
from apps.units.selectors import unit_office, unit_rollup_ids

VISIT_KINDS = [ActivityKind.VISIT, ActivityKind.TALK, ActivityKind.MEETING]
INTENTION_OR_LATER = [str(stage) for stage in PIPELINE[PIPELINE.index(Stage.INTENTION):]]
FUNNEL_KEYS = ["visited", "recommended", "accepted", "declined", "pending", "site_visited",
               "reached_intention_or_landed"]


def visible_targets(*, actor):
    return (RecommendationTarget.objects.restrict(actor, VIEW)
            .select_related("unit", "project", "site_visit", "decided_by")
            .order_by("unit__sort_order", "unit__code", "id"))


def recommendation_list(*, actor, status: str = "", organisation_id: int | None = None,
                        unit_id: int | None = None):
    """Recommendations the actor may see, newest first, each with ``shown_targets``: the units' parts the
    actor may see (a district: only its own)."""
    targets = visible_targets(actor=actor)
    qs = Recommendation.objects.restrict(actor, VIEW).select_related("organisation", "project", "recommended_by",
                                                                      "from_unit")
    if status:
        qs = qs.filter(pk__in=targets.filter(status=status).values("recommendation_id"))
    if unit_id:
        qs = qs.filter(pk__in=targets.filter(unit_id=unit_id).values("recommendation_id"))
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.prefetch_related(Prefetch("targets", queryset=targets, to_attr="shown_targets")).order_by("-date", "-id")


def recommendation_get(*, actor, pk: int) -> Recommendation:
    return get_object_or_404(recommendation_list(actor=actor), pk=pk)


def target_get(*, actor, pk: int) -> RecommendationTarget:
    return get_object_or_404(
        visible_targets(actor=actor).select_related("recommendation__organisation", "recommendation__recommended_by"),
        pk=pk,
    )


def may_recommend(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and scope.role in OFFICE_ROLES


def may_answer(actor, target: RecommendationTarget) -> bool:
    return RecommendationTarget.objects.restrict(actor, "change").filter(pk=target.pk).exists()


def recommendations_waiting(*, actor):
    """For "my work": a district's targets awaiting its answer (oldest first); for office staff, the
    targets of their own recommendations that are still unanswered. Nobody else waits on anything."""
    scope = actor_scope(actor)
    qs = (RecommendationTarget.objects.filter(status=TargetStatus.PENDING)
          .select_related("recommendation__organisation", "recommendation__recommended_by", "unit")
          .order_by("recommendation__date", "id"))
    if scope.user_id is None or scope.read_only:
        return qs.none()
    if scope.role in DISTRICT_ROLES:
        return qs.filter(unit_id__in=scope.unit_ids)
    if scope.role in OFFICE_ROLES:
        return qs.filter(recommendation__recommended_by_id=scope.user_id)
    return qs.none()


def _funnel_units(actor, unit_id: int | None) -> set[int] | None:
    """The units counted: None for every unit (the office and leaders, unless they pick one); a district
    only ever counts its own (another unit asked for is a 404, as anywhere else)."""
    scope = actor_scope(actor)
    unit = get_object_or_404(Unit, pk=unit_id) if unit_id else None
    if scope.all_units:
        return unit_rollup_ids(unit) if unit else None
    if unit is None:
        return set(scope.unit_ids)
    if unit.pk not in scope.unit_ids:
        raise Http404
    return unit_rollup_ids(unit) & set(scope.unit_ids)


def _organisations(qs, field: str = "recommendation__organisation_id") -> list[int]:
    # Unordered: the ids are sorted here, and the targets' default order would join the units and sort
    # every row first.
    return sorted(set(qs.order_by().values_list(field, flat=True).distinct()))


def funnel(*, actor, start: datetime.date, end: datetime.date, unit_id: int | None = None) -> dict:
    """The funnel for [start, end]; see the module docstring for each number. Returns the numbers, the
    organisation ids behind each (``organisation_ids``) and how many recommendation records and district
    targets they came from (duplicates counted once in the numbers, every time in these two)."""
    from apps.core.errors import DomainError

    if start > end:
        raise DomainError("开始日期：不能晚于结束日期。", field="start")
    unit_ids = _funnel_units(actor, unit_id)
    targets = (RecommendationTarget.objects.restrict(actor, VIEW)
               .filter(recommendation__date__gte=start, recommendation__date__lte=end)
               .exclude(status=TargetStatus.WITHDRAWN))
    if unit_ids is not None:
        targets = targets.filter(unit_id__in=unit_ids)
    visits = Activity.objects.restrict(actor, VIEW).filter(
        kind__in=VISIT_KINDS, date__gte=start, date__lte=end,
        unit_id__in=unit_ids if unit_ids is not None else [unit_office().pk],
    )
    # One read of the period's targets: the sets and the two counts follow from their rows.
    rows = list(targets.order_by().values_list("recommendation__organisation_id", "recommendation_id", "status",
                                               "decided_on", "site_visit__date", "project_id"))
    # The targets' projects that moved to 意向/协议 or beyond by the end (one stage change both far enough
    # and early enough). Asked of the stage changes of those projects: joined the other way round,
    # SQLite reads every target ever made.
    reached = set(StageChange.objects.filter(
        project_id__in=targets.order_by().values("project_id"), to_stage__in=INTENTION_OR_LATER,
        occurred_on__lte=end).order_by().values_list("project_id", flat=True).distinct())

    def organisations(test) -> list[int]:
        return sorted({org for org, _, status, decided_on, visited_on, project_id in rows
                       if test(status, decided_on, visited_on, project_id)})

    def answered_by_end(wanted):
        return lambda status, decided_on, *_: status == wanted and decided_on is not None and decided_on <= end

    ids = {
        "visited": _organisations(visits, "organisation_id"),
        "recommended": organisations(lambda *_: True),
        "accepted": organisations(answered_by_end(TargetStatus.ACCEPTED)),
        "declined": organisations(answered_by_end(TargetStatus.DECLINED)),
        # Not answered by the end of the period: still pending, or answered only after it.
        "pending": organisations(lambda status, decided_on, *_: status == TargetStatus.PENDING
                                 or (decided_on is not None and decided_on > end)),
        "site_visited": organisations(lambda _s, _d, visited_on, _p: visited_on is not None and visited_on <= end),
        "reached_intention_or_landed": organisations(lambda *row: row[3] in reached),
    }
    return {
        "start": start,
        "end": end,
        "unit_id": unit_id,
        **{key: len(ids[key]) for key in FUNNEL_KEYS},
        "recommendation_count": len({recommendation_id for _, recommendation_id, *_ in rows}),
        "target_count": len(rows),
        "organisation_ids": ids,
    }


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """今年以来: the way such figures are reported."""
    return datetime.date(today.year, 1, 1), today
