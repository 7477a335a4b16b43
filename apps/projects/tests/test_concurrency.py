"""Two people doing the same thing at the same instant: one wins, the other is told why. Real threads,
each with its own database connection, released together by a barrier; committed transactions. Runs on
SQLite (IMMEDIATE transactions queue the writers) and on PostgreSQL (row locks queue them)."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.utils import timezone

from apps.core.errors import ConflictError, DomainError
from apps.core.testing import bearer
from apps.organisations.merge import organisation_merge
from apps.organisations.models import Organisation, OrganisationMerge
from apps.organisations.services import organisation_create
from apps.projects.claims import arbitration_decide, arbitration_request
from apps.projects.models import ArbitrationStatus, ClaimArbitration, Project
from apps.projects.services import project_create

WON = "won"


def at_once(calls: dict) -> dict:
    """Run each callable in its own thread, all released at the same moment; return what each did:
    WON, the refusal's message, or the repr of any other exception (so the assertion shows it)."""
    barrier = threading.Barrier(len(calls))
    outcomes: dict = {}

    def run(name, fn):
        try:
            barrier.wait(timeout=10)
            result = fn()
            outcomes[name] = result if result is not None else WON
        except DomainError as exc:
            outcomes[name] = exc
        except Exception as exc:  # surfaced in the caller's assertion
            outcomes[name] = repr(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return outcomes


# serialized_rollback: a transactional test empties the database afterwards; restoring the migrations'
# reference data (units, clusters) keeps every transactional test, in any order, on the same footing.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_districts_claim_one_enterprise_at_once(users, units, organisation):
    outcomes = at_once({
        who: (lambda who=who, unit=unit: project_create(actor=users[who], organisation=organisation,
                                                        unit=units[unit], name=f"{unit}项目") and WON)
        for who, unit in [("district", "九龙坡区"), ("district2", "长寿区")]
    })
    assert sorted(v == WON for v in outcomes.values()) == [False, True], outcomes
    refusal = next(v for v in outcomes.values() if v != WON)
    assert isinstance(refusal, ConflictError) and refusal.code == "claimed", outcomes
    winner_unit = Project.objects.get(organisation=organisation).unit.name
    assert winner_unit in refusal.message and "首谈保护期至" in refusal.message
    assert Project.objects.filter(organisation=organisation).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_districts_claim_at_once_over_the_api(users, units, organisation):
    """The same race through HTTP: one 201, one 409 naming the winner and the end date as fields."""
    headers = {who: bearer(Client(), users[who]) for who in ("district", "district2")}

    def post(who, unit):
        response = Client().post("/api/v1/projects", {"organisation_id": organisation.pk, "unit_id": units[unit].pk,
                                                      "name": f"{unit}项目"},
                                 content_type="application/json", headers=headers[who])
        return response.status_code, response.json()

    outcomes = at_once({"district": lambda: post("district", "九龙坡区"),
                        "district2": lambda: post("district2", "长寿区")})
    assert sorted(status for status, _ in outcomes.values()) == [201, 409], outcomes
    refusal = next(body for status, body in outcomes.values() if status == 409)
    winner = Project.objects.get(organisation=organisation)
    assert refusal["code"] == "claimed" and refusal["holder_unit"] == winner.unit.name
    assert refusal["protected_until"] == winner.protected_until.isoformat()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_office_staff_decide_one_arbitration_at_once(users, units, organisation, make_project):
    held = make_project(organisation=organisation, unit_name="九龙坡区")
    arbitration = arbitration_request(actor=users["district2"], organisation=organisation, unit=units["长寿区"],
                                      reason="首次接触在先")
    outcomes = at_once({
        "grant": lambda: arbitration_decide(actor=users["office"], arbitration=arbitration, decision="granted",
                                            note="同意") and WON,
        "reject": lambda: arbitration_decide(actor=users["office_admin"], arbitration=arbitration,
                                             decision="rejected", note="不同意") and WON,
    })
    assert sorted(v == WON for v in outcomes.values()) == [False, True], outcomes
    loser = next(k for k, v in outcomes.items() if v != WON)
    assert isinstance(outcomes[loser], ConflictError) and "不能再次处理" in outcomes[loser].message
    arbitration.refresh_from_db()
    held.refresh_from_db()
    expected = ArbitrationStatus.REJECTED if loser == "grant" else ArbitrationStatus.GRANTED
    assert arbitration.status == expected
    # The holder's protection matches the decision that won, and nothing else.
    assert (held.protected_until < timezone.localdate()) == (expected == ArbitrationStatus.GRANTED)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_district_files_one_arbitration_from_two_desks(users, units, organisation, make_project, make_user):
    make_project(organisation=organisation, unit_name="九龙坡区")
    colleague = make_user("t_district2b", "district_staff", "长寿区")
    outcomes = at_once({
        who: (lambda actor=actor: arbitration_request(actor=actor, organisation=organisation, unit=units["长寿区"],
                                                      reason="首次接触在先") and WON)
        for who, actor in [("a", users["district2"]), ("b", colleague)]
    })
    assert sorted(v == WON for v in outcomes.values()) == [False, True], outcomes
    assert ClaimArbitration.objects.filter(status=ArbitrationStatus.PENDING).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_merge_a_into_b_and_b_into_a_at_once(users, organisation, make_user):
    other_admin = make_user("t_office_admin2", "office_admin", "驻京办")
    a = organisation
    b = organisation_create(actor=users["office"], name="骅远科技有限公司")
    outcomes = at_once({
        "a_into_b": lambda: organisation_merge(actor=users["office_admin"], survivor=b, merged=a) and WON,
        "b_into_a": lambda: organisation_merge(actor=other_admin, survivor=a, merged=b) and WON,
    })
    assert sorted(v == WON for v in outcomes.values()) == [False, True], outcomes
    loser = next(v for v in outcomes.values() if v != WON)
    assert isinstance(loser, DomainError) and "已合并到" in loser.message, outcomes
    a.refresh_from_db()
    b.refresh_from_db()
    assert [a.merged_into_id, b.merged_into_id].count(None) == 1  # no cycle
    assert OrganisationMerge.objects.count() == 1
    survivor = Organisation.objects.get(merged_into__isnull=True, pk__in=[a.pk, b.pk])
    assert OrganisationMerge.objects.get().survivor == survivor
