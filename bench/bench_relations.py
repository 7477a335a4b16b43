"""Time `relations.selectors.proposals_for` for random landed firms and `chains.selectors.gap_analysis` for
the mapped clusters, and print ONE JSON line (p50/p95 in ms).

`manage.py bench chains` calls ``bench_chains`` after generating what the database lacks (bench/relations.py,
bench/projects.py, bench/chains.py); ``bench_relations`` alone also runs on its own:

    DJANGO_SETTINGS_MODULE=config.settings.base DATABASE_URL=postgres://…/shuangzhao_bench \\
        .venv/bin/python -m bench.bench_relations --organisations 1000000 --relations 3000000

Targets (issue 8): proposals p95 ≤ 50 ms and gap analysis of a cluster p95 ≤ 500 ms at 1,000,000
organisations and 3,000,000 relations.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 2)


def _bench_actor():
    from apps.accounts.models import Role, User
    from apps.units.models import Unit

    user = User.objects.filter(username="bench_relations").first()
    if user is None:
        user = User.objects.create_user(username="bench_relations", password=None, role=Role.OFFICE_STAFF,
                                        unit=Unit.objects.get(code="BJ-OFFICE"))
    return user


def _fresh_actor():
    """A new user object per call, as each request loads its own: the permission scope it caches
    (accounts.permissions.actor_scope) is computed inside the timed call."""
    from apps.accounts.models import User

    pk = _bench_actor().pk
    return lambda: User.objects.select_related("unit").get(pk=pk)


def bench_relations(*, stdout=None, samples: int = 300, seed: int = 7, warmup: int = 20) -> dict:
    """p50/p95/max of proposals_for(office actor, landed firm) over `samples` random landed firms."""
    from django.db import connection

    from apps.organisations.models import Organisation
    from apps.projects.models import Project
    from apps.relations.models import Relation
    from apps.relations.selectors import LANDED_STAGES, proposals_for

    rnd = random.Random(seed)
    actor = _bench_actor()
    firm_ids = list(Project.objects.filter(stage__in=LANDED_STAGES, is_archived=False)
                    .values_list("organisation_id", flat=True).distinct())
    if not firm_ids:
        raise SystemExit("没有落地企业：请先生成项目（bench cockpit）或运行 --organisations。")
    picks = [rnd.choice(firm_ids) for _ in range(samples + warmup)]
    firms = Organisation.objects.in_bulk(set(picks))
    timings, sizes = [], []
    for index, pk in enumerate(picks):
        started = time.perf_counter()
        proposals = proposals_for(actor, firms[pk])
        elapsed = (time.perf_counter() - started) * 1000
        if index >= warmup:
            timings.append(elapsed)
            sizes.append(len(proposals))
    result = {
        "bench": "relations_proposals", "db": connection.vendor,
        "organisations": Organisation.objects.count(), "relations": Relation.objects.count(),
        "landed_firms": len(firm_ids), "samples": samples,
        "p50_ms": _pct(timings, 50), "p95_ms": _pct(timings, 95), "max_ms": round(max(timings), 2),
        "mean_proposals": round(sum(sizes) / len(sizes), 1), "target_p95_ms": 50,
        "load_1m": round(os.getloadavg()[0], 2),
    }
    out = stdout or sys.stdout
    out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return result


def bench_chains(*, stdout=None, samples: int = 300, gap_runs: int = 10, seed: int = 7, warmup: int = 20,
                 extra: dict | None = None) -> dict:
    """Proposals for `samples` random landed firms, and the gap analysis of every mapped cluster for the
    whole city and for 九龙坡区, `gap_runs` times each; an office user loaded afresh for every call."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from apps.chains.jobs import refresh_summary
    from apps.chains.models import Cluster, GapSummary, Placement
    from apps.chains.selectors import compute_gaps, gap_analysis
    from apps.organisations.models import Organisation
    from apps.projects.models import Project
    from apps.relations.models import Relation
    from apps.relations.selectors import LANDED_STAGES, proposals_for
    from apps.units.models import Unit

    rnd = random.Random(seed)
    actor = _fresh_actor()
    firm_ids = sorted(set(Project.objects.filter(stage__in=LANDED_STAGES, is_archived=False)
                          .values_list("organisation_id", flat=True)))
    if not firm_ids:
        raise SystemExit("没有落地企业：请先生成项目。")
    picks = [rnd.choice(firm_ids) for _ in range(samples + warmup)]
    firms = {}
    ids = sorted(set(picks))
    for start in range(0, len(ids), 500):
        firms.update(Organisation.objects.in_bulk(ids[start:start + 500]))
    proposal_times, sizes = [], []
    for index, pk in enumerate(picks):
        user = actor()
        started = time.perf_counter()
        proposals = proposals_for(user, firms[pk])
        elapsed = (time.perf_counter() - started) * 1000
        if index >= warmup:
            proposal_times.append(elapsed)
            sizes.append(len(proposals))
    with CaptureQueriesContext(connection) as proposal_queries:
        proposals_for(actor(), firms[picks[-1]])
    # The hardest firms: the 50 landed ones with the most relations recorded from their side (a 链主 with
    # hundreds of suppliers), five times each.
    hubs = list(Relation.objects.filter(organisation_id__in=Project.objects.filter(
        stage__in=LANDED_STAGES, is_archived=False).values("organisation_id"))
        .values("organisation_id").annotate(n=Count("id")).order_by("-n", "organisation_id")
        .values_list("organisation_id", flat=True)[:50])
    hub_orgs = Organisation.objects.in_bulk(hubs)
    hub_times = []
    for pk in hubs * 5:
        user = actor()
        started = time.perf_counter()
        proposals_for(user, hub_orgs[pk])
        hub_times.append((time.perf_counter() - started) * 1000)

    clusters = list(Cluster.objects.filter(links__isnull=False).distinct().order_by("sort_order", "id"))
    units = [None, Unit.objects.filter(name="九龙坡区").first()]
    # The page's path: the gap summaries (ADR 0012) recomputed first, as the worker does after a change
    # (each timed), then read by the page. And the path without a current summary (just after a change, or
    # a district looking at another): computed afresh, fewer runs.
    refresh_times = []
    summaries = []
    for cluster in clusters:
        for unit in units:
            summary, _ = GapSummary.objects.get_or_create(cluster=cluster, unit=unit)
            summaries.append(summary)
    for summary in summaries:
        started = time.perf_counter()
        refresh_summary(GapSummary.objects.select_related("cluster", "unit").get(pk=summary.pk))
        refresh_times.append((time.perf_counter() - started) * 1000)
    gap_times = {"city": [], "district": []}
    fresh_times = {"city": [], "district": []}
    for cluster in clusters:
        for unit in units:
            gap_analysis(actor=actor(), cluster=cluster, unit=unit)  # warm
            for _ in range(gap_runs):
                user = actor()
                started = time.perf_counter()
                report = gap_analysis(actor=user, cluster=cluster, unit=unit)
                gap_times["district" if unit else "city"].append((time.perf_counter() - started) * 1000)
                assert report.computed_at is not None, "the summary was not used"
            for _ in range(max(1, gap_runs // 3)):
                user = actor()
                started = time.perf_counter()
                compute_gaps(cluster=cluster, unit=unit, visible=Project.objects.restrict(user, "view"))
                fresh_times["district" if unit else "city"].append((time.perf_counter() - started) * 1000)
    every_gap = gap_times["city"] + gap_times["district"]
    every_fresh = fresh_times["city"] + fresh_times["district"]
    gap_queries = 0
    if clusters:
        with CaptureQueriesContext(connection) as captured:
            gap_analysis(actor=actor(), cluster=clusters[0], unit=None)
        gap_queries = len(captured)
    result = {
        "bench": "chains", "db": connection.vendor,
        "orgs": Organisation.objects.count(), "relations": Relation.objects.count(),
        "placements": Placement.objects.count(),
        "organisation_placements": Placement.objects.filter(organisation__isnull=False).count(),
        "project_placements": Placement.objects.filter(project__isnull=False).count(),
        "projects": Project.objects.count(), "landed_firms": len(firm_ids),
        "samples": samples, "proposals_p50_ms": _pct(proposal_times, 50),
        "proposals_p95_ms": _pct(proposal_times, 95), "proposals_max_ms": round(max(proposal_times), 2),
        "mean_proposals": round(sum(sizes) / len(sizes), 1), "proposals_queries": len(proposal_queries),
        "hub_firms": len(hubs), "proposals_hubs_p50_ms": _pct(hub_times, 50),
        "proposals_hubs_p95_ms": _pct(hub_times, 95),
        "clusters": len(clusters), "gap_runs": len(every_gap),
        "gaps_p50_ms": _pct(every_gap, 50), "gaps_p95_ms": _pct(every_gap, 95),
        "gaps_max_ms": round(max(every_gap), 2) if every_gap else 0.0,
        "gaps_city_p95_ms": _pct(gap_times["city"], 95), "gaps_district_p95_ms": _pct(gap_times["district"], 95),
        "gaps_queries": gap_queries,
        "gaps_fresh_p50_ms": _pct(every_fresh, 50), "gaps_fresh_p95_ms": _pct(every_fresh, 95),
        "gaps_fresh_city_p95_ms": _pct(fresh_times["city"], 95),
        "gaps_fresh_district_p95_ms": _pct(fresh_times["district"], 95),
        "gap_refresh_p95_ms": _pct(refresh_times, 95), "gap_refreshes": len(refresh_times),
        "target_proposals_p95_ms": 50, "target_gaps_p95_ms": 500,
        "load_1m": round(os.getloadavg()[0], 2), **(extra or {}),
    }
    out = stdout or sys.stdout
    out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=0, help="top the library up to this many (bare)")
    parser.add_argument("--landed", type=int, default=3000)
    parser.add_argument("--relations", type=int, default=0, help="generate this many relations first")
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from bench import relations

    if args.organisations:
        print(json.dumps(relations.ensure_library(organisations=args.organisations, landed=args.landed)),
              file=sys.stderr)
    if args.relations:
        print(json.dumps(relations.generate(relations=args.relations)), file=sys.stderr)
    bench_relations(samples=args.samples)


if __name__ == "__main__":
    main()
