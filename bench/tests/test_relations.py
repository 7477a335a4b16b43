"""The relations generator and the proposals benchmark on a small library: unique pairs, no self-pair,
landed hubs with relations, and one JSON line with the percentiles."""

import io
import json

import pytest

from bench import bench_relations, relations

pytestmark = pytest.mark.django_db


def test_generator_writes_unique_relations_and_the_bench_prints_one_json_line(db):
    from apps.relations.models import Relation

    library = relations.ensure_library(organisations=400, landed=15, progress=lambda _t: None)
    assert library["organisations"] >= 400 and library["landed"] >= 15
    result = relations.generate(relations=3000, progress=lambda _t: None)
    assert result["relations"] == 3000 == Relation.objects.count()
    rows = list(Relation.objects.values_list("organisation_id", "related_id", "kind"))
    assert len(set(rows)) == len(rows) and all(a != b for a, b, _k in rows)

    out = io.StringIO()
    measured = bench_relations.bench_relations(stdout=out, samples=20, warmup=2)
    line = json.loads(out.getvalue().strip().splitlines()[-1])
    assert line == measured and line["samples"] == 20 and line["relations"] == 3000
    assert line["mean_proposals"] > 0  # the landed hubs do get proposals
    assert 0 < line["p50_ms"] <= line["p95_ms"] <= line["max_ms"]
