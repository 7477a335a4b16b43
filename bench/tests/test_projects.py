"""The cockpit benchmark's projects (bench/projects.py): histories a person could have entered through the
services (dates forward, every move recorded, the stage-gated facts on the record), signings that agree
with their events and stages, and a cockpit that counts them."""

import datetime
import io
import json
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command

from apps.core.codes import validate_uscc
from bench import projects as gen

D = datetime.date
TODAY = D(2026, 6, 1)
N = 300
PIPELINE = gen.PIPELINE
DATE_OF = {"signed": "signed_date", "registered": "registered_date", "construction": "construction_start_date",
           "production": "production_date"}


@pytest.fixture
def library(db):
    from apps.organisations.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(name=f"测试{i:04d}科技有限公司", trade_name=f"测试{i:04d}") for i in range(N + 100))


@pytest.fixture
def generated(library):
    return gen.generate(projects=N, seed=5, today=TODAY)


def histories():
    from apps.projects.models import StageChange

    out = defaultdict(list)
    for change in StageChange.objects.order_by("occurred_on", "id"):
        out[change.project_id].append(change)
    return out


def test_every_history_runs_forward_to_the_projects_stage(generated):
    from apps.projects.models import Project
    from apps.units.models import Unit

    units = {u.pk: u for u in Unit.objects.all()}
    history = histories()
    projects = list(Project.objects.all())
    assert len(projects) == N
    for p in projects:
        moves = history[p.pk]
        assert (moves[0].from_stage, moves[0].to_stage, moves[0].occurred_on) == ("", "lead", p.first_contact_date)
        for before, after in zip(moves, moves[1:], strict=False):
            assert after.from_stage == before.to_stage, p.pk
            assert after.occurred_on > before.occurred_on, p.pk
            if after.to_stage in PIPELINE and before.to_stage in PIPELINE:
                jump = PIPELINE.index(after.to_stage) - PIPELINE.index(before.to_stage)
                assert jump >= 1 and (jump == 1 or after.skip_reason), p.pk
        assert moves[-1].to_stage == p.stage and moves[-1].occurred_on <= TODAY
        entered = {m.to_stage: m.occurred_on for m in moves}
        reached = [m.to_stage for m in moves if m.to_stage in PIPELINE]
        assert p.paused_from == (reached[-1] if "paused" in entered else "")
        for stage, field in DATE_OF.items():
            assert getattr(p, field) == entered.get(stage), (p.pk, stage)
        facts = [d for d in (p.first_contact_date, p.signed_date, p.registered_date, p.construction_start_date,
                             p.production_date) if d]
        assert facts == sorted(set(facts)), p.pk  # first contact < signed < registered < construction < production
        if "intention" in entered:
            assert p.specialist_id and p.planned_investment, p.pk
        if "signed" in entered:
            assert p.agreement_type in ("framework", "contract"), p.pk
        if "registered" in entered:
            assert validate_uscc(p.registered_credit_code) == p.registered_credit_code and p.registered_entity
        unit = units[p.unit_id]
        assert unit.kind != "office" and unit.is_active_on(p.first_contact_date), p.pk


def test_signings_fall_on_their_events_and_move_the_stage_that_day(generated):
    from apps.events.models import Signing
    from apps.projects.models import Project

    projects = {p.pk: p for p in Project.objects.all()}
    history = histories()
    active = Signing.objects.filter(status="active").select_related("event").order_by("date", "id")
    first_binding = {}
    for s in active:
        assert s.date <= TODAY
        if s.event_id:
            assert s.date == s.event.date
        entered = {m.to_stage: m.occurred_on for m in history[s.project_id]}
        if s.agreement_type == "intention":
            assert s.date == entered["intention"]
        else:
            first_binding.setdefault(s.project_id, s)
    assert first_binding
    for pk, s in first_binding.items():
        p = projects[pk]
        assert (s.date, s.agreement_type) == (p.signed_date, p.agreement_type)
        if s.amount is not None:
            assert s.amount == p.signed_amount
    pairs = Counter((s.event_id, s.project_id) for s in active if s.event_id)
    assert max(pairs.values()) == 1


def test_the_mix_a_cockpit_has_to_show(generated):
    from apps.events.models import Signing
    from apps.fulfilment.models import Alert, FundsEntry
    from apps.projects.models import Project
    from apps.recommendations.models import RecommendationTarget
    from apps.servicedesk.models import ServiceRequest
    from apps.units.models import Unit

    office = Unit.objects.get(code="BJ-OFFICE")
    stages = Counter(Project.objects.values_list("stage", flat=True))
    assert set(stages) == {*PIPELINE, "paused", "terminated"}
    assert 0.25 < Project.objects.filter(source_unit=office).count() / N < 0.45
    assert Project.objects.filter(cluster__isnull=False).count() > N * 0.7
    assert Project.objects.filter(signed_date__isnull=False, signed_amount__isnull=True).exists()
    assert Signing.objects.filter(event__isnull=False).exists() and Signing.objects.filter(event__isnull=True).exists()
    assert Signing.objects.filter(status="active", amount__isnull=True).exists()
    assert ServiceRequest.objects.filter(status__in=["new", "in_progress"], due_date__lt=TODAY).exists()
    assert Alert.objects.filter(resolved_on__isnull=True).exists()
    for entry in FundsEntry.objects.select_related("project"):
        assert entry.project.signed_date < entry.date <= TODAY
    accepted = RecommendationTarget.objects.filter(status="accepted").select_related("project", "recommendation")
    assert accepted
    for target in accepted:
        moved = target.project.stage_changes.get(to_stage="recommended").occurred_on
        assert target.project.source_unit_id == office.pk and target.decided_on == moved
        assert target.recommendation.date <= target.decided_on


def test_the_same_seed_gives_the_same_rows():
    units = [gen.UnitRow(1, "BJ-OFFICE", "", "office", None, None),
             gen.UnitRow(2, "500107", "500107", "district", None, None),
             gen.UnitRow(3, "500105", "500105", "district", D(2025, 11, 6), 4),
             gen.UnitRow(4, "500157", "500157", "district", None, None)]
    world = gen.World(units=units, office_id=1, cluster_ids=[1, 2, 3],
                      organisations=[(i, f"字号{i}") for i in range(1, 201)], other_organisation_ids=[500, 501],
                      office_users=[1], staff={2: [2], 3: [3], 4: [4]}, specialists={2: [5]})

    def rows(seed):
        chunks = gen.Generator(world, seed=seed, today=TODAY, projects=200).chunks()
        return [sorted(chunk.tables.items()) for chunk in chunks]

    assert rows(3) == rows(3)
    assert rows(3) != rows(4)


def test_bench_cockpit_generates_once_and_prints_one_json_line(library):
    from apps.accounts.models import User
    from apps.cockpit.selectors import StatsFilter, summary
    from apps.organisations.models import Organisation
    from apps.projects.models import Project

    def bench(*args):
        out = io.StringIO()
        call_command("bench", "cockpit", "--projects", str(N), "--runs", "3", *args, stdout=out, stderr=io.StringIO())
        return json.loads(out.getvalue().strip().splitlines()[-1])

    first = bench()
    assert first["projects"] == N and "generate_seconds" in first
    assert 0 < first["p50_ms"] <= first["p95_ms"] and first["runs"] == 3
    again = bench()
    assert again["projects"] == N and "generate_seconds" not in again
    assert bench("--reset-projects")["projects"] == N

    office = User.objects.get(username="bench_office_staff")
    f = StatsFilter(start=D(2025, 1, 1), end=D(2025, 12, 31))
    figures = summary(actor=office, f=f, today=D(2026, 1, 1))
    live = Project.objects.filter(is_archived=False)
    assert sum(row["count"] for row in figures["stages"]) == live.count()
    assert figures["signed"]["count"] == live.filter(signed_date__year=2025).count()

    gen.delete_projects()  # what `bench import --reset` does before emptying the library
    assert not Project.objects.exists()
    Organisation.objects.all().delete()
