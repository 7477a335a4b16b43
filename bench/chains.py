"""Placements for the industry-chain benchmark (`manage.py bench chains`): ``generate`` puts organisations
of the library and a share of the bench projects on the links of the mapped clusters (those with a
chain map: the three 万亿级 ones ship with theirs), in bulk (COPY on PostgreSQL, executemany on SQLite,
via organisations.search.copy_rows), bypassing chains.services as bench/relations.py does.

The shape follows what the office would record: most placed organisations sit on one leaf link, some on
two; about one in a hundred is a 链主 there; the landed firms of 以商招商 (the relation hubs) and a share
of their partners are placed, so chain fit counts in the proposals; projects that carry one of the mapped
clusters are placed on a leaf of it (about half of them). Everything is drawn from one
random.Random(seed) in one order, so a seed gives the same rows on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

CHUNK = 20_000
LEADER_SHARE = 0.01
SECOND_LINK_SHARE = 0.15
SUGGESTED_SHARE = 0.3
PROJECT_SHARE = 0.5
PARTNERS_PER_HUB = 8


def _say(progress, text):
    (progress or (lambda t: print(t, file=sys.stderr)))(text)


def mapped_leaves() -> dict[int, list[int]]:
    """{cluster id: its leaf link ids} for the clusters that have a chain map."""
    from apps.chains.models import ChainLink

    links = list(ChainLink.objects.order_by("cluster_id", "position", "id").values_list("id", "cluster_id", "parent_id"))
    parents = {parent for _pk, _cluster, parent in links if parent}
    leaves: dict[int, list[int]] = {}
    for pk, cluster_id, _parent in links:
        if pk not in parents:
            leaves.setdefault(cluster_id, []).append(pk)
    return leaves


def generate(*, organisations: int = 60_000, seed: int = 1, progress: Callable | None = None) -> dict:
    """Place `organisations` organisations (hubs and their partners first) and about half of the projects
    of the mapped clusters; returns the counts written and the seconds taken. Adds to what is there,
    skipping pairs already placed."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.chains.models import Placement
    from apps.organisations.search import copy_rows
    from apps.projects.models import Project
    from apps.relations.models import Relation
    from apps.relations.selectors import LANDED_STAGES

    started = time.perf_counter()
    rnd = random.Random(seed)
    leaves = mapped_leaves()
    if not leaves:
        raise ValueError("没有链图：请先加载产业链图（迁移 chains 0004）。")
    cluster_ids = sorted(leaves)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM organisations_organisation")
        low, high = cursor.fetchone()
    if low is None:
        raise ValueError("目标库中没有主体：请先运行 bench import 或 bench.relations.ensure_library。")

    # Whom to place: the landed firms, some of their partners, then organisations drawn at random.
    hubs = sorted(set(Project.objects.filter(stage__in=LANDED_STAGES, is_archived=False)
                      .values_list("organisation_id", flat=True)))
    rnd.shuffle(hubs)
    chosen: dict[int, None] = {}
    for hub in hubs[: organisations // 4]:
        chosen[hub] = None
        partners = list(Relation.objects.filter(organisation_id=hub).order_by("related_id")
                        .values_list("related_id", flat=True)[:PARTNERS_PER_HUB])
        for partner in partners:
            if rnd.random() < 0.5:
                chosen[partner] = None
        if len(chosen) >= organisations // 2:
            break
    existing = _existing_ids(low, high)
    tries = 0
    while len(chosen) < organisations and tries < organisations * 20:
        tries += 1
        pk = rnd.randint(low, high)
        if pk in existing:
            chosen[pk] = None

    now = timezone.now().isoformat() if connection.vendor == "sqlite" else timezone.now()
    seen = set(Placement.objects.filter(organisation__isnull=False).values_list("organisation_id", "link_id"))
    columns = ("link_id", "organisation_id", "project_id", "is_chain_leader", "method", "reason", "at")
    rows, org_rows, leaders = [], 0, 0
    for pk in chosen:
        cluster = rnd.choice(cluster_ids)
        links = rnd.sample(leaves[cluster], 2 if rnd.random() < SECOND_LINK_SHARE and len(leaves[cluster]) > 1 else 1)
        for link in links:
            if (pk, link) in seen:
                continue
            seen.add((pk, link))
            leader = rnd.random() < LEADER_SHARE
            suggested = rnd.random() < SUGGESTED_SHARE
            rows.append((link, pk, None, leader, "suggested" if suggested else "manual",
                         "基准：按经营范围建议" if suggested else "", now))
            leaders += leader
            org_rows += 1
    placed_projects = set(Placement.objects.filter(project__isnull=False).values_list("project_id", flat=True))
    project_rows = 0
    for pk, cluster in (Project.objects.filter(cluster_id__in=cluster_ids).order_by("id")
                        .values_list("id", "cluster_id").iterator(chunk_size=10_000)):
        if pk in placed_projects or rnd.random() >= PROJECT_SHARE:
            continue
        rows.append((rnd.choice(leaves[cluster]), None, pk, False, "manual", "", now))
        project_rows += 1
    for start in range(0, len(rows), CHUNK):
        with transaction.atomic():
            copy_rows(Placement._meta.db_table, columns, rows[start:start + CHUNK])
        _say(progress, f"placements: {min(start + CHUNK, len(rows)):,} / {len(rows):,}")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Placement._meta.db_table}" if connection.vendor == "postgresql" else "ANALYZE")
    return {"organisation_placements": org_rows, "project_placements": project_rows, "leaders": leaders,
            "seconds": round(time.perf_counter() - started, 1)}


def _existing_ids(low: int, high: int):
    from apps.organisations.models import Organisation

    if Organisation.objects.count() == high - low + 1:
        return range(low, high + 1)
    return set(Organisation.objects.values_list("id", flat=True).iterator())
