"""Time `relations.selectors.proposals_for` for random landed firms and print ONE JSON line (p50/p95 in ms).

The lead hooks ``bench_relations(stdout=…)`` into `manage.py bench chains`; until then it runs on its own:

    DJANGO_SETTINGS_MODULE=config.settings.base DATABASE_URL=postgres://…/shuangzhao_bench \\
        .venv/bin/python -m bench.bench_relations --organisations 1000000 --relations 3000000

Target (issue 8): p95 ≤ 50 ms at 1,000,000 organisations and 3,000,000 relations.
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
