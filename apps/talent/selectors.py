"""Reads about talent, always through restrict(actor, VIEW)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import VIEW
from apps.audit.models import AuditAction, AuditLog
from apps.chains.models import Cluster
from apps.projects.models import Project
from apps.talent.choices import (
    FLEXIBLE_MODES,
    PIPELINE,
    SIDE_STAGES,
    IntroductionMode,
    TalentKind,
    TalentStage,
)
from apps.talent.models import Talent
from apps.units.models import Unit
from apps.units.selectors import unit_rollup_ids

NONE = "none"  # "without a cluster"


def talent_list(*, actor, q: str = "", stage: str = "", kind: str = "", cluster_id: int | str | None = None,
                unit_id: int | None = None, specialist_id: int | None = None, project_id: int | None = None,
                include_archived: bool = False, signed_from=None, signed_to=None, arrived_from=None,
                arrived_to=None):
    """The talent the actor may see, newest change first. cluster_id may be NONE (no cluster). The date
    ranges (inclusive) are the cockpit's: its figures open this list with them."""
    qs = Talent.objects.restrict(actor, VIEW)
    for name, lookup, value in (("signed_date", "gte", signed_from), ("signed_date", "lte", signed_to),
                                ("arrived_date", "gte", arrived_from), ("arrived_date", "lte", arrived_to)):
        if value:
            qs = qs.filter(**{f"{name}__{lookup}": value})
    if not include_archived:
        qs = qs.filter(is_archived=False)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(title__contains=q) | Q(field__contains=q)
                       | Q(affiliation__name__contains=q))
    if stage:
        qs = qs.filter(stage=stage)
    if kind:
        qs = qs.filter(kind=kind)
    if cluster_id == NONE:
        qs = qs.filter(clusters__isnull=True)
    elif cluster_id:
        qs = qs.filter(pk__in=Talent.clusters.through.objects.filter(cluster_id=cluster_id).values("talent_id"))
    if unit_id:
        # "As of now": a current unit includes the ended units that rolled up into it.
        unit = Unit.objects.filter(pk=unit_id).first()
        qs = qs.filter(unit_id__in=unit_rollup_ids(unit)) if unit else qs.none()
    if specialist_id:
        qs = qs.filter(specialist_id=specialist_id)
    if project_id:
        qs = qs.filter(project_id=project_id)
    return (_with_project_visibility(qs, actor).select_related("affiliation", "unit", "specialist", "project")
            .prefetch_related("clusters").order_by("-updated_at", "-id"))


def _with_project_visibility(qs, actor):
    """`project_visible` on each row: whether the reader may see the linked project. Another unit's project is
    not named to a district (ADR 0002), on the page or in the API."""
    from django.db.models import Exists, OuterRef

    return qs.annotate(project_visible=Exists(Project.objects.restrict(actor, VIEW).filter(pk=OuterRef("project_id"))))


def talent_get(*, actor, pk: int, action: str = VIEW) -> Talent:
    """One talent record, or 404 if the actor may not see (or, with CHANGE, change) it."""
    return get_object_or_404(
        _with_project_visibility(Talent.objects.restrict(actor, action), actor).select_related(
            "affiliation", "unit", "source_unit", "specialist", "specialist__unit", "project", "project__unit",
            "created_by",
        ).prefetch_related("clusters"),
        pk=pk,
    )


def talent_stage_counts(*, actor, **filters) -> list[dict]:
    """Every stage with how many of the (filtered) visible, unarchived records stand in it."""
    filters.pop("stage", None)
    qs = talent_list(actor=actor, **filters)
    counts = dict(qs.order_by().values_list("stage").annotate(n=Count("id", distinct=True)))
    return [{"stage": str(s), "label": TalentStage(s).label, "count": counts.get(s, 0)}
            for s in [*PIPELINE, *SIDE_STAGES]]


def talent_history(*, talent: Talent, hide_projects: bool = False) -> list[dict]:
    """Stage moves, specialist changes and edits of one record, newest first. With hide_projects, a change of
    the linked project is shown without the projects' names (the reader may not see them)."""
    entries = []
    for change in talent.stage_changes.select_related("changed_by"):
        title = (f"{change.get_from_stage_display()} → {change.get_to_stage_display()}" if change.from_stage
                 else _("登记为“%(stage)s”") % {"stage": change.get_to_stage_display()})
        entries.append({"kind": "stage", "at": change.changed_at, "day": change.occurred_on, "title": title,
                        "actor": change.changed_by, "obj": change})
    for row in talent.specialist_assignments.select_related("specialist", "assigned_by"):
        title = (_("服务专员：%(name)s（卸任）") if row.ended_at else _("服务专员：%(name)s")) % {
            "name": row.specialist.display_name}
        entries.append({"kind": "specialist", "at": row.started_at, "day": None, "title": title,
                        "actor": row.assigned_by, "obj": row})
    labels = {f.name: str(f.verbose_name) for f in Talent._meta.get_fields() if hasattr(f, "verbose_name")}
    for log in AuditLog.objects.filter(model=talent._meta.label_lower, object_id=str(talent.pk),
                                       action=AuditAction.UPDATE).select_related("actor"):
        changes = {labels.get(k, k): ([_("其他单位的项目")] * 2 if k == "project" and hide_projects else v)
                   for k, v in log.changes.items()}
        entries.append({"kind": "edit", "at": log.at, "day": None, "title": _("修改信息"), "actor": log.actor,
                        "changes": changes, "obj": log})
    entries.sort(key=_happened, reverse=True)
    return entries


def _happened(entry: dict) -> tuple:
    """A move entered after the fact sorts on the day it happened (end of that day), before the time
    it was recorded; everything else on when it was recorded."""
    at = entry["at"]
    day = entry["day"]
    if day is not None and day != timezone.localdate(at):
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
    return (at, entry["at"], entry["obj"].pk)


@dataclass
class Breakdown:
    key: str
    label: str
    count: int


@dataclass
class TalentCounts:
    start: datetime.date | None
    end: datetime.date | None
    introduced: int = 0
    full_time: int = 0
    flexible: int = 0
    landed: int = 0
    by_kind: list[Breakdown] = field(default_factory=list)
    by_cluster: list[Breakdown] = field(default_factory=list)
    by_mode: list[Breakdown] = field(default_factory=list)
    landed_by_kind: list[Breakdown] = field(default_factory=list)


def talent_counts(*, actor, start: datetime.date | None = None, end: datetime.date | None = None,
                  unit_id: int | None = None, cluster_id: int | None = None) -> TalentCounts:
    """The figures of 招才引智 for the cockpit, over what the actor may see.

    - introduced: records that reached 签约 with a signing date in [start, end] (either end may be
      None, for "since ever" / "until now"). A record counts once it signed, also if it has since
      arrived, started serving, or paused or ended: the signing happened. Archived records (entered
      by mistake) never count.
    - full_time / flexible: the introduced split by mode (全职 versus 柔性引进); by_mode in detail.
    - by_kind: introduced per kind (院士, 高层次人才, 专家, 团队), every kind listed, zeros included.
    - by_cluster: introduced per 33618 cluster. A talent serving two clusters counts in both, so these
      rows may add up to more than `introduced`; those without a cluster are the row key NONE.
    - landed / landed_by_kind: records with an 到岗/落地 date in [start, end] (arrived or beyond).
    - unit_id narrows everything to one 承接区县 (with the ended units that rolled up into it);
      cluster_id to the talent serving one cluster.
    """
    base = talent_list(actor=actor, unit_id=unit_id, cluster_id=cluster_id).order_by()
    introduced = base.filter(signed_date__isnull=False)
    landed = base.filter(arrived_date__isnull=False)
    if start:
        introduced, landed = introduced.filter(signed_date__gte=start), landed.filter(arrived_date__gte=start)
    if end:
        introduced, landed = introduced.filter(signed_date__lte=end), landed.filter(arrived_date__lte=end)
    result = TalentCounts(start=start, end=end)
    per_kind = dict(introduced.values_list("kind").annotate(n=Count("id")))
    per_mode = dict(introduced.values_list("mode").annotate(n=Count("id")))
    landed_per_kind = dict(landed.values_list("kind").annotate(n=Count("id")))
    result.introduced = sum(per_kind.values())
    result.landed = sum(landed_per_kind.values())
    result.full_time = per_mode.get(IntroductionMode.FULL_TIME, 0)
    result.flexible = sum(per_mode.get(m, 0) for m in FLEXIBLE_MODES)
    result.by_kind = [Breakdown(k.value, str(k.label), per_kind.get(k.value, 0)) for k in TalentKind]
    result.landed_by_kind = [Breakdown(k.value, str(k.label), landed_per_kind.get(k.value, 0)) for k in TalentKind]
    result.by_mode = [Breakdown(m.value, str(m.label), per_mode.get(m.value, 0)) for m in IntroductionMode]
    through = Talent.clusters.through.objects.filter(talent__in=introduced.values("pk"))
    per_cluster = dict(through.order_by().values_list("cluster_id").annotate(n=Count("talent_id")))
    names = dict(Cluster.objects.filter(pk__in=per_cluster).values_list("pk", "name"))
    rows = [Breakdown(str(pk), names[pk], n) for pk, n in per_cluster.items()]
    rows.sort(key=lambda row: (-row.count, row.label))
    without = introduced.filter(clusters__isnull=True).count()
    if without:
        rows.append(Breakdown(NONE, _("未选择产业集群"), without))
    result.by_cluster = rows
    return result
