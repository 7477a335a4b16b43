"""Two districts registering the same enterprise at the same instant: one wins, the other is told
why. Real threads, real connections, committed transactions."""

import threading

import pytest
from django.db import close_old_connections, connection

from apps.core.errors import ConflictError
from apps.projects.models import Project
from apps.projects.services import project_create


# serialized_rollback: a transactional test empties the database afterwards; restoring the migrations'
# reference data (units, clusters) keeps every transactional test, in any order, on the same footing.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_districts_claim_one_enterprise_at_once(users, units, organisation):
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def claim(who: str, unit_name: str):
        try:
            barrier.wait(timeout=5)
            project_create(actor=users[who], organisation=organisation, unit=units[unit_name], name=f"{unit_name}项目")
            outcomes[who] = "won"
        except ConflictError as exc:
            outcomes[who] = exc.message
        except Exception as exc:  # surfaced in the assertion below
            outcomes[who] = repr(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=claim, args=a) for a in [("district", "九龙坡区"), ("district2", "长寿区")]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(v == "won" for v in outcomes.values()) == [False, True], outcomes
    loser_message = next(v for v in outcomes.values() if v != "won")
    winner_unit = Project.objects.get(organisation=organisation).unit.name
    assert winner_unit in loser_message and "首谈保护期至" in loser_message
    assert Project.objects.filter(organisation=organisation).count() == 1
