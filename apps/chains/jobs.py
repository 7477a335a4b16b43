"""Keeping the gap summaries (models.GapSummary, ADR 0012) current. A change marks its cluster's summaries
stale inside its own transaction (signals.py) and enqueues refresh_gaps_task after commit; the worker
recomputes the stale ones. The daily job recomputes every summary, which also catches changes made in bulk
without signals (imports, merges, the benchmark generators)."""

import time

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from apps.chains.models import ChainLink, GapSummary, Placement
from apps.projects.models import Project
from apps.units.selectors import unit_list


def mark_stale(cluster_ids) -> int:
    """Mark the summaries of these clusters stale (in the caller's transaction) and, once it commits, ask
    the worker to recompute them. Returns the number of summaries marked."""
    cluster_ids = {pk for pk in cluster_ids if pk}
    if not cluster_ids:
        return 0
    marked = GapSummary.objects.filter(cluster_id__in=cluster_ids).update(is_stale=True, generation=F("generation") + 1)
    if marked:
        transaction.on_commit(_enqueue_refresh)
    return marked


def _enqueue_refresh() -> None:
    refresh_gaps_task.enqueue()


def ensure_summaries(cluster_ids=None) -> int:
    """Create the (stale) summaries of every mapped cluster — or of these — for the whole city and each
    current district and county. Returns how many were created."""
    mapped = set(ChainLink.objects.values_list("cluster_id", flat=True).distinct())
    if cluster_ids is not None:
        mapped &= set(cluster_ids)
    units = [None, *unit_list(include_office=False)]
    have = set(GapSummary.objects.filter(cluster_id__in=mapped).values_list("cluster_id", "unit_id"))
    missing = [GapSummary(cluster_id=cluster_id, unit=unit) for cluster_id in sorted(mapped) for unit in units
               if (cluster_id, unit.pk if unit else None) not in have]
    GapSummary.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def refresh_summary(summary: GapSummary) -> bool:
    """Recompute one summary over every project (a summary is shown only to readers who see them all).
    Stored only if nothing changed meanwhile (the generation is unchanged); True if stored."""
    from apps.chains.selectors import compute_gaps, summary_rows

    generation = summary.generation
    started = time.perf_counter()
    report = compute_gaps(cluster=summary.cluster, unit=summary.unit, visible=Project.objects.all())
    rows = summary_rows(report)
    elapsed = round((time.perf_counter() - started) * 1000)
    return bool(GapSummary.objects.filter(pk=summary.pk, generation=generation).update(
        rows=rows, is_stale=False, computed_at=timezone.now(), compute_ms=elapsed))


def refresh_gaps(*, everything: bool = False) -> dict:
    """Recompute the stale summaries (all of them with everything=True, after creating any missing)."""
    if everything:
        ensure_summaries()
        GapSummary.objects.update(is_stale=True, generation=F("generation") + 1)
    done = skipped = 0
    started = time.perf_counter()
    for summary in GapSummary.objects.filter(is_stale=True).select_related("cluster", "unit").order_by("id"):
        if refresh_summary(summary):
            done += 1
        else:
            skipped += 1  # changed while computing: still stale, and that change enqueued another refresh
    return {"refreshed": done, "changed_meanwhile": skipped, "seconds": round(time.perf_counter() - started, 1)}


@task()
def refresh_gaps_task() -> dict:
    return refresh_gaps()


@task()
def refresh_all_gaps_task() -> dict:
    return refresh_gaps(everything=True)


def mark_stale_where_placed(*, organisation_id=None, project_id=None) -> int:
    """mark_stale for the clusters where this organisation or project is placed, in one UPDATE (it runs on
    every save of a project or an organisation, most of which are placed nowhere)."""
    q = Q(pk__in=[])
    if organisation_id:
        q |= Q(organisation_id=organisation_id)
    if project_id:
        q |= Q(project_id=project_id)
    marked = GapSummary.objects.filter(cluster_id__in=Placement.objects.filter(q).values("link__cluster_id")).update(
        is_stale=True, generation=F("generation") + 1)
    if marked:
        transaction.on_commit(_enqueue_refresh)
    return marked
