"""Relations for the 以商招商 benchmark: ``generate`` writes N relations over the organisations already in
the library (``bench import``), in bulk (COPY on PostgreSQL, executemany on SQLite, via
organisations.search.copy_rows), bypassing the services: 3,000,000 relation_create calls would take hours.

The graph is shaped like real supply chains: the firms with landed projects (and a few thousand other
"chain leaders") are hubs with tens to a few hundred relations each; the rest of the relations join random
pairs. Kinds and strengths are drawn from one random.Random(seed), so a seed gives the same rows on SQLite
and PostgreSQL. Pairs are unique per (organisation, related, kind) as the table requires, never a self-pair.

``ensure_library`` exists only so that this benchmark can run on an empty database: it adds bare
organisations (no search postings) and landed projects when the library has fewer than asked.
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections.abc import Callable

KINDS = ["supplier", "supplier", "supplier", "partner", "partner", "parent", "investor"]
STRENGTHS = [1, 1, 2, 2, 2, 3]
CHUNK = 50_000


def _say(progress, text):
    (progress or (lambda t: print(t, file=sys.stderr)))(text)


def ensure_library(*, organisations: int, landed: int, seed: int = 1, progress: Callable | None = None) -> dict:
    """Top the library up to `organisations` bare records and `landed` organisations with a project at
    注册落地 (九龙坡区 and others), for a database that has none yet."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.organisations.models import Organisation
    from apps.projects.models import Project
    from apps.relations.selectors import LANDED_STAGES
    from apps.units.models import Unit

    rnd = random.Random(seed)
    have = Organisation.objects.count()
    now = timezone.now()
    made = 0
    while have + made < organisations:
        batch = min(CHUNK, organisations - have - made)
        with transaction.atomic():
            Organisation.objects.bulk_create([
                Organisation(name=f"基准关系企业{have + made + i:07d}有限公司", created_at=now, updated_at=now,
                             search_text="")
                for i in range(batch)], batch_size=5000)
        made += batch
        _say(progress, f"organisations: {have + made:,}")
    have_landed = Project.objects.filter(stage__in=LANDED_STAGES).values("organisation").distinct().count()
    units = list(Unit.objects.filter(ended_on__isnull=True).exclude(code="BJ-OFFICE").values_list("id", flat=True))
    if have_landed < landed:
        with connection.cursor() as cursor:
            cursor.execute("SELECT MIN(id), MAX(id) FROM organisations_organisation")
            low, high = cursor.fetchone()
        ids = sorted({rnd.randint(low, high) for _ in range((landed - have_landed) * 2)})[: landed - have_landed]
        day = datetime.date(2024, 1, 1)
        Project.objects.bulk_create([
            Project(name=f"基准落地项目{pk}", organisation_id=pk, unit_id=rnd.choice(units), stage=rnd.choice(LANDED_STAGES),
                    first_contact_date=day, registered_date=day, stage_changed_at=now)
            for pk in ids], batch_size=5000)
        _say(progress, f"landed projects: +{len(ids):,}")
    if made:
        # The planner's statistics for the rows just written: without them PostgreSQL takes
        # `merged_into IS NULL` for rare and ANDs the whole library's entries of that index into small lookups.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE organisations_organisation" if connection.vendor == "postgresql" else "ANALYZE")
    return {"organisations": Organisation.objects.count(),
            "landed": Project.objects.filter(stage__in=LANDED_STAGES).values("organisation").distinct().count()}


def generate(*, relations: int, seed: int = 1, progress: Callable | None = None) -> dict:
    """Write `relations` relations (in addition to those present); returns the count written and seconds."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.organisations.search import copy_rows
    from apps.projects.models import Project
    from apps.relations.models import Relation
    from apps.relations.selectors import LANDED_STAGES

    started = time.perf_counter()
    rnd = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM organisations_organisation")
        low, high = cursor.fetchone()
    if low is None or high - low < 10:
        raise ValueError("目标库中主体太少：请先运行 bench import 或 ensure_library。")
    hubs = list(Project.objects.filter(stage__in=LANDED_STAGES).values_list("organisation_id", flat=True).distinct())
    hubs += [rnd.randint(low, high) for _ in range(max(1000, (high - low) // 500))]
    seen = set(Relation.objects.values_list("organisation_id", "related_id", "kind").iterator())
    now = timezone.now().isoformat() if connection.vendor == "sqlite" else timezone.now()
    columns = ("organisation_id", "related_id", "kind", "strength", "source", "evidence", "created_at")
    written = 0
    hub_share = 0.4  # of the relations touch a hub: 1,200,000 of 3,000,000 over ~3,000 hubs ≈ 400 each

    def rows(count):
        nonlocal written
        out = []
        while len(out) < count:
            if rnd.random() < hub_share:
                a = rnd.choice(hubs)
                b = rnd.randint(low, high)
                if rnd.random() < 0.5:
                    a, b = b, a
            else:
                a, b = rnd.randint(low, high), rnd.randint(low, high)
            kind = rnd.choice(KINDS)
            if a == b or (a, b, kind) in seen or (kind == "partner" and (b, a, kind) in seen):
                continue
            seen.add((a, b, kind))
            out.append((a, b, kind, rnd.choice(STRENGTHS), "import", "", now))
        written += len(out)
        return out

    # Rows pointing at an id that is not an organisation (gaps after deletions) would break the FK: keep
    # the ids that exist. On a generated library the ids are contiguous, so this filters nothing.
    existing = _existing_ids(low, high)
    while written < relations:
        batch = [r for r in rows(min(CHUNK, relations - written)) if r[0] in existing and r[1] in existing]
        with transaction.atomic():
            copy_rows(Relation._meta.db_table, columns, batch)
        _say(progress, f"relations: {written:,}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Relation._meta.db_table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"relations": written, "seconds": round(time.perf_counter() - started, 1)}


def _existing_ids(low: int, high: int):
    from apps.organisations.models import Organisation

    if Organisation.objects.count() == high - low + 1:
        return range(low, high + 1)
    return set(Organisation.objects.values_list("id", flat=True).iterator())
