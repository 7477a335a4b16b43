"""`manage.py bench chains` on a small library: it generates what the database lacks (organisations,
projects, relations, placements on the mapped clusters), then prints one JSON line with the proposals'
and the gap analysis' percentiles; and the many-ids parameter the two selectors now use selects exactly
the rows a plain IN list selects."""

import io
import json

import pytest
from django.core.management import call_command

from bench import chains, relations

pytestmark = pytest.mark.django_db


def test_bench_chains_generates_what_is_missing_and_prints_one_json_line(db):
    from apps.chains.models import Placement
    from apps.projects.models import Project
    from apps.relations.models import Relation

    out, err = io.StringIO(), io.StringIO()
    call_command("bench", "chains", orgs=400, projects=300, runs=15, stdout=out, stderr=err)
    line = json.loads(out.getvalue().strip().splitlines()[-1])

    assert line["bench"] == "chains"
    assert line["orgs"] == 400 and line["relations"] == 1200 == Relation.objects.count()
    assert line["projects"] == 300 == Project.objects.count()
    assert line["placements"] == Placement.objects.count() > 0
    assert line["organisation_placements"] >= 24 and line["project_placements"] > 0
    assert line["samples"] == 15 and line["mean_proposals"] > 0  # landed firms do get proposals
    assert 0 < line["proposals_p50_ms"] <= line["proposals_p95_ms"] <= line["proposals_max_ms"]
    # Three mapped clusters, for the city and for 九龙坡区, ten runs each.
    assert line["clusters"] == 3 and line["gap_runs"] == 60
    assert 0 < line["gaps_p50_ms"] <= line["gaps_p95_ms"] <= line["gaps_max_ms"]
    # The page reads the gap summaries (each recomputed first, timed); computing afresh is timed beside it.
    assert line["gap_refreshes"] == 6 and line["gap_refresh_p95_ms"] > 0
    assert 0 < line["gaps_fresh_p50_ms"] <= line["gaps_fresh_p95_ms"]
    assert line["target_proposals_p95_ms"] == 50 and line["target_gaps_p95_ms"] == 500

    # A second run measures the same data: nothing generated again.
    again = io.StringIO()
    call_command("bench", "chains", orgs=400, projects=300, runs=5, stdout=again, stderr=io.StringIO())
    second = json.loads(again.getvalue().strip().splitlines()[-1])
    assert (second["relations"], second["placements"]) == (line["relations"], line["placements"])
    assert not any(key.startswith("generate_") for key in second)


def test_placements_sit_on_leaves_of_mapped_clusters_once_each_with_some_chain_leaders(db):
    from apps.chains.models import ChainLink, Placement

    relations.ensure_library(organisations=3000, landed=40, progress=lambda _t: None)
    relations.generate(relations=6000, progress=lambda _t: None)
    made = chains.generate(organisations=2000, progress=lambda _t: None)

    leaves = {pk for ids in chains.mapped_leaves().values() for pk in ids}
    assert len(leaves) > 30
    rows = list(Placement.objects.filter(organisation__isnull=False).values_list("organisation_id", "link_id",
                                                                                 "is_chain_leader"))
    assert len(rows) == made["organisation_placements"] >= 2000
    assert len({(o, link) for o, link, _l in rows}) == len(rows)  # one placement per organisation and link
    assert {link for _o, link, _l in rows} <= leaves
    assert 0 < made["leaders"] == sum(1 for *_x, leader in rows if leader) < len(rows) // 20
    clusters = set(ChainLink.objects.filter(pk__in={link for _o, link, _l in rows}).values_list("cluster_id", flat=True))
    assert len(clusters) == 3
    # Running it again adds no duplicate.
    chains.generate(organisations=2000, progress=lambda _t: None)
    pairs = list(Placement.objects.filter(organisation__isnull=False).values_list("organisation_id", "link_id"))
    assert len(set(pairs)) == len(pairs)


def test_many_ids_as_one_parameter_select_what_an_in_list_selects(db):
    from apps.core.sql import ids_in
    from apps.organisations.models import Organisation

    relations.ensure_library(organisations=1500, landed=0, progress=lambda _t: None)
    all_ids = sorted(Organisation.objects.values_list("id", flat=True))
    wanted = set(all_ids[::3]) | {max(all_ids) + 10}  # one id that is no organisation
    got = set(Organisation.objects.filter(ids_in(Organisation, "id", wanted)).values_list("id", flat=True))
    assert got == set(Organisation.objects.filter(pk__in=list(wanted)).values_list("id", flat=True))
    assert len(got) == len(all_ids[::3])
    assert not Organisation.objects.filter(ids_in(Organisation, "id", [])).exists()
