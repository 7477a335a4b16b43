"""Reads about projects, always through restrict() (or, for one project by its id, project_may_view, which
answers as restrict() does)."""

import functools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from apps.accounts.models import User
from apps.accounts.permissions import VIEW, actor_scope
from apps.activities.models import Activity
from apps.audit.models import AuditAction, AuditLog
from apps.core.columns import USER_NAME, joined, showing
from apps.core.statements import CompiledRead
from apps.projects.choices import CLAIMING_STAGES, PIPELINE, SIDE_STAGES, Stage
from apps.projects.live_count import live_project_count
from apps.projects.models import Project, SpecialistAssignment, StageChange
from apps.projects.querysets import project_may_view
from apps.units.models import Unit
from apps.units.selectors import unit_by_id, unit_rollup_ids, unit_rollup_note

# Date ranges the list can be narrowed to, by the field they read: what the cockpit's figures click
# through to (apps/cockpit/selectors.py gives each figure these parameters).
DATE_RANGES = {"signed": "signed_date", "registered": "registered_date", "production": "production_date"}
# Ranges over the stage history rather than a column: "reached 意向/协议 between …", the funnel's step
# (a project that moved on since still counts, as it did reach the stage then).
REACHED_RANGES = {"intention": Stage.INTENTION}
NONE = "none"  # "without a cluster / chain role / source unit"


def project_list(*, actor, q: str = "", stage: str = "", unit_id: int | None = None,
                 cluster_id: int | str | None = None, chain_role: str = "", specialist_id: int | None = None,
                 mine: bool = False, include_archived: bool = False, organisation_id: int | None = None,
                 source_unit_id: int | str | None = None, dates: dict | None = None,
                 referred_by_id: int | None = None):
    """dates: {"signed": (from, to), "registered": (from, to), "production": (from, to), "intention": …,
    "referred": … (when a 以商招商 referral was credited)}, either end
    may be None; cluster_id / chain_role / source_unit_id may be NONE for projects without one."""
    qs = Project.objects.restrict(actor, VIEW)
    if not include_archived:
        qs = qs.filter(is_archived=False)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(organisation__name__contains=q))
    if stage:
        qs = qs.filter(stage=stage)
    if unit_id:
        # "As of now": a current unit includes the ended units that rolled up into it.
        unit = Unit.objects.filter(pk=unit_id).first()
        qs = qs.filter(unit_id__in=unit_rollup_ids(unit)) if unit else qs.none()
    if cluster_id == NONE:
        qs = qs.filter(cluster__isnull=True)
    elif cluster_id:
        qs = qs.filter(cluster_id=cluster_id)
    if chain_role == NONE:
        qs = qs.filter(chain_role="")
    elif chain_role:
        qs = qs.filter(chain_role=chain_role)
    if source_unit_id == NONE:
        qs = qs.filter(source_unit__isnull=True)
    elif source_unit_id:
        qs = qs.filter(source_unit_id=source_unit_id)
    # 以商招商: the projects a landed firm brought (apps.relations.Referral, reached through its reverse
    # name so that this lower app imports nothing from it), and when the referral was credited.
    if referred_by_id:
        qs = qs.filter(referral__referring_organisation_id=referred_by_id)
    for key, (start, end) in (dates or {}).items():
        if key == "referred":
            if start:
                qs = qs.filter(referral__credited_at__date__gte=start)
            if end:
                qs = qs.filter(referral__credited_at__date__lte=end)
            continue
        if key in REACHED_RANGES:
            changes = StageChange.objects.filter(to_stage=REACHED_RANGES[key])
            if start:
                changes = changes.filter(occurred_on__gte=start)
            if end:
                changes = changes.filter(occurred_on__lte=end)
            qs = qs.filter(pk__in=changes.values("project_id"))
            continue
        column = DATE_RANGES[key]
        if start:
            qs = qs.filter(**{f"{column}__gte": start})
        if end:
            qs = qs.filter(**{f"{column}__lte": end})
    if specialist_id:
        qs = qs.filter(specialist_id=specialist_id)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if mine:
        qs = qs.filter(Q(specialist=actor) | Q(created_by=actor))
    return qs.select_related("organisation", "unit", "unit__successor", "cluster", "specialist").order_by(
        "-updated_at", "-id"
    )


class ProjectListRow(NamedTuple):
    """One row of the project list (projects/list.html, {% project_list_row %}), as plain values.

    Read as model instances — a deferred Project and five joined models a row, through select_related and
    only() — 25 rows took longer to build than the query took to compile and run together (3.6 ms against 2.2 ms
    here, docs/benchmarks.md "Ninth round"). The columns are named after the paths they are read from."""

    pk: int
    name: str
    is_sample: bool
    priority: str
    stage: str
    planned_investment: Decimal | None
    chain_role: str
    updated_at: datetime
    organisation_name: str
    unit_name: str
    unit_ended_on: date | None
    unit_successor_name: str | None
    cluster_name: str | None
    specialist_username: str | None
    specialist_last_name: str | None
    specialist_first_name: str | None

    @property
    def specialist_name(self) -> str:
        """User.display_name of the specialist, or "" without one."""
        if self.specialist_username is None:
            return ""
        return User.name_from(self.specialist_username, self.specialist_first_name, self.specialist_last_name)


PROJECT_LIST_COLUMNS = ("pk", "name", "is_sample", "priority", "stage", "planned_investment", "chain_role",
                        "updated_at", "organisation__name", "unit__name", "unit__ended_on", "unit__successor__name",
                        "cluster__name", "specialist__username", "specialist__last_name", "specialist__first_name")


def project_list_rows(qs):
    """project_list's queryset (filtered, scoped, ordered) as the list's columns: slice it, then make each
    tuple a ProjectListRow (project_list_page)."""
    return qs.values_list(*PROJECT_LIST_COLUMNS)


def project_list_page(paginator, number):
    """The page of project_list_rows the number asks for (Paginator.get_page: a bad number is the first or last
    page), its rows as ProjectListRows."""
    page = paginator.get_page(number)
    page.object_list = [ProjectListRow._make(values) for values in page.object_list]
    return page


# What the organisation page shows of each of the organisation's projects, at most 50 of them.
ORGANISATION_PAGE_PROJECT = ("name", "stage", "unit__name", "planned_investment", "protected_until")
# For a reader who sees every unit's projects, restrict(VIEW) adds no condition: the organisation page reads its
# live projects by the organisation's id alone, compiled once per process (core.statements). Anyone else's go
# through project_list and their scope. test_organisation_page_reads compares the two for every role.
def _organisation_page_projects(qs):
    return showing(qs, *ORGANISATION_PAGE_PROJECT)[:50]


_ORGANISATION_PROJECTS = CompiledRead(Project, lambda organisation_id: _organisation_page_projects(
    Project.objects.filter(is_archived=False, organisation_id=organisation_id).order_by("-updated_at", "-id")),
    kinds=(int,), name="organisation page: its projects (every unit's reader)")


def organisation_projects(*, actor, organisation_id: int) -> list[Project]:
    """project_list(actor=actor, organisation_id=…) as the organisation page shows it: the 50 changed last."""
    if actor_scope(actor).all_units:
        return _ORGANISATION_PROJECTS(organisation_id)
    return list(_organisation_page_projects(project_list(actor=actor, organisation_id=organisation_id)))


def project_list_total(*, actor, **filters) -> int | None:
    """How many projects project_list(actor=actor, **filters) holds, when that is known without counting them
    one by one: the unfiltered list of someone who sees every unit's projects holds every live project, and the
    database keeps that number (apps/projects/live_count.py; counting them was 7–27 ms at 200,000 projects on
    PostgreSQL). None when the filters or the actor's scope narrow the list."""
    if any(filters.values()) or not actor_scope(actor).all_units:
        return None
    return live_project_count()


def project_unit_filter_note(unit_id) -> str:
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    return unit_rollup_note(unit) if unit else ""


# What a project's page reads with the project: the organisation and cluster whole, of the people their names
# (and the specialist's unit, shown beside them). Units are reference data kept per process (units.selectors):
# joined, they were five of the eight tables and most of the columns this statement converted on every view.
_PROJECT_JOINED = {"organisation": None, "cluster": None, "specialist": (*USER_NAME, "unit"), "created_by": USER_NAME}


# To see a project, the project by its id, then project_may_view on the row: the read is compiled once per process
# (core.statements) — building and compiling this five-table query was most of its millisecond on every view.
_PROJECT = CompiledRead(Project, lambda pk: joined(Project.objects.filter(pk=pk), _PROJECT_JOINED), kinds=(int,),
                        name="project page: the project")


def project_get(*, actor, pk: int, action: str = VIEW) -> Project:
    if action == VIEW and type(pk) is int:
        found = _PROJECT(pk)
        # Not there and not theirs to see are the same 404, as through restrict().
        if not found or not project_may_view(actor, found[0]):
            raise Http404("记录不存在或您无权查看。")
        project = found[0]
    else:
        project = get_object_or_404(joined(Project.objects.restrict(actor, action), _PROJECT_JOINED), pk=pk)
    project.unit = unit_by_id(project.unit_id)
    project.source_unit = unit_by_id(project.source_unit_id)
    if project.specialist is not None and project.specialist.unit_id is not None:
        project.specialist.unit = unit_by_id(project.specialist.unit_id)
    return project


def project_board(*, actor, per_column: int = 30, **filters):
    """Columns of the board: every stage with its count and its most recently moved projects."""
    qs = project_list(actor=actor, **filters)
    counts = dict(qs.order_by().values_list("stage").annotate(n=Count("id")))
    columns = []
    for stage in [*PIPELINE, *SIDE_STAGES]:
        items = list(qs.filter(stage=stage).order_by("-stage_changed_at", "-id")[:per_column])
        columns.append({"stage": stage, "label": Stage(stage).label, "count": counts.get(stage, 0), "items": items})
    return columns


@dataclass
class TimelineEntry:
    at: datetime | date
    kind: str  # "stage", "activity", "edit", "create"
    title: str
    actor: object
    detail: str = ""
    changes: dict | None = None
    obj: object = None
    recorded_at: datetime | None = None  # when it was entered, if different from when it happened

    @property
    def sort_key(self):
        at = self.at
        if not isinstance(at, datetime):
            at = timezone.make_aware(datetime(at.year, at.month, at.day, 23, 59))
        return (at, self.recorded_at or at)


# The timeline's four reads, by project alone: whoever sees the project sees all of them, and the page has read
# the project for its reader. Compiled once per process (core.statements): building them was most of their cost.
# Who did each: their names only (core.columns), not their whole account rows.
_STAGE_CHANGES = CompiledRead(StageChange, lambda project_id: joined(
    StageChange.objects.filter(project_id=project_id), {"changed_by": USER_NAME}), kinds=(int,),
    name="timeline: stage changes")
_ACTIVITIES = CompiledRead(Activity, lambda project_id: joined(
    Activity.objects.filter(project_id=project_id), {"created_by": USER_NAME}), kinds=(int,),
    name="timeline: activities")
# Who served as 服务专员 and who assigned them: names only (the handover page adds the specialist's unit).
_ASSIGNMENT_NAMES = {"specialist": (*USER_NAME, "unit"), "assigned_by": USER_NAME}
_SPECIALISTS = CompiledRead(SpecialistAssignment, lambda project_id: joined(
    SpecialistAssignment.objects.filter(project_id=project_id), _ASSIGNMENT_NAMES), kinds=(int,),
    name="timeline: specialists")
_EDITS = CompiledRead(AuditLog, lambda object_id: joined(
    AuditLog.objects.filter(model=Project._meta.label_lower, object_id=object_id, action=AuditAction.UPDATE),
    {"actor": USER_NAME}), kinds=(str,), name="timeline: edits")


def project_timeline(*, project: Project) -> list[TimelineEntry]:
    """Stage changes, activities and edits of one project, newest first."""
    entries: list[TimelineEntry] = []
    for change in _STAGE_CHANGES(project.pk):
        title = (f"{change.get_from_stage_display()} → {change.get_to_stage_display()}" if change.from_stage
                 else f"登记为“{change.get_to_stage_display()}”")
        detail = "；".join(x for x in [change.note, change.skip_reason and f"跨阶段理由：{change.skip_reason}",
                                        change.evidence and f"佐证：{change.evidence}"] if x)
        # Entered on the day it happened: the exact time orders it among that day's edits.
        happened = (change.changed_at if change.occurred_on == timezone.localdate(change.changed_at)
                    else change.occurred_on)
        entries.append(TimelineEntry(happened, "stage", title, change.changed_by, detail, obj=change,
                                     recorded_at=change.changed_at))
    for act in _ACTIVITIES(project.pk):
        entries.append(TimelineEntry(act.date, "activity", act.get_kind_display(), act.created_by, act.summary, obj=act,
                                     recorded_at=act.created_at))
    for row in _SPECIALISTS(project.pk):
        title = f"服务专员：{row.specialist.display_name}" + ("（卸任）" if row.ended_at else "")
        entries.append(TimelineEntry(row.started_at, "specialist", title, row.assigned_by, row.note, obj=row))
    field_labels = _field_labels(get_language())
    for log in _EDITS(str(project.pk)):
        changes = {field_labels.get(k, k): v for k, v in log.changes.items()}
        entries.append(TimelineEntry(log.at, "edit", "修改信息", log.actor, changes=changes, obj=log))
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries


@functools.lru_cache(maxsize=8)
def _field_labels(language: str) -> dict[str, str]:
    """The project's field names as the edit entries show them, translated once per language (the language is
    only the cache key: str() translates into the active one)."""
    return {field.name: str(field.verbose_name) for field in Project._meta.fields}


def specialist_history(*, project: Project):
    """Who served the project as 服务专员, newest first (SpecialistAssignment), each with their unit: the handover
    page names it. The timeline reads the same rows without the units (_SPECIALISTS)."""
    return joined(project.specialist_assignments.all(), {**_ASSIGNMENT_NAMES, "specialist__unit": None})


def organisation_claims(*, actor, organisation) -> list[dict]:
    """Of other units' live projects on this organisation, only who holds it and until when."""
    if actor_scope(actor).all_units:
        return []  # whoever sees every unit's projects sees these in the project list instead
    visible = Project.objects.restrict(actor, VIEW).values("id")
    today = timezone.localdate()
    rows = (
        Project.objects.filter(organisation=organisation, stage__in=CLAIMING_STAGES, is_archived=False,
                               protected_until__gte=today)
        .exclude(id__in=visible)
        .select_related("unit")
        .order_by("protected_until")
    )
    return [{"unit": p.unit.name, "protected_until": p.protected_until} for p in rows]


def my_projects(*, actor, limit: int = 20):
    return project_list(actor=actor, mine=True).exclude(stage=Stage.TERMINATED)[:limit]


def stage_counts(*, actor) -> dict[str, int]:
    qs = Project.objects.restrict(actor, VIEW).filter(is_archived=False)
    return dict(qs.order_by().values_list("stage").annotate(n=Count("id")))
