"""Two people of one district accepting the same recommendation at the same instant (a double click on
two screens): one wins, the other is told it was already answered; one project, one stage change. Real
threads with their own connections, committed transactions — SQLite queues the writers, PostgreSQL the
row lock on the target."""

import threading

import pytest
from django.db import close_old_connections, connection

from apps.core.errors import DomainError
from apps.projects.models import Project, StageChange
from apps.recommendations.models import RecommendationTarget, TargetStatus
from apps.recommendations.services import recommendation_accept, recommendation_create, recommendation_decline


def at_once(calls: dict) -> dict:
    barrier = threading.Barrier(len(calls))
    outcomes: dict = {}

    def run(name, fn):
        try:
            barrier.wait(timeout=10)
            fn()
            outcomes[name] = "won"
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_double_accept_and_accept_against_decline(users, units, organisation):
    recommendation = recommendation_create(actor=users["office"], organisation=organisation,
                                           units=[units["九龙坡区"]], reason="企业有意向")
    target = recommendation.targets.get()
    outcomes = at_once({
        "staff": lambda: recommendation_accept(actor=users["district"], target=target),
        "admin": lambda: recommendation_accept(actor=users["district_admin"], target=target),
        "decliner": lambda: recommendation_decline(actor=users["district_admin"], target=target, reason="不合适"),
    })
    won = [who for who, outcome in outcomes.items() if outcome == "won"]
    assert len(won) == 1, outcomes
    for who, outcome in outcomes.items():
        if who not in won:
            assert isinstance(outcome, DomainError) and outcome.code == "already_decided", outcomes
    target = RecommendationTarget.objects.get(pk=target.pk)
    if won[0] == "decliner":
        assert target.status == TargetStatus.DECLINED and not Project.objects.exists()
    else:
        assert target.status == TargetStatus.ACCEPTED
        assert Project.objects.count() == 1
        assert StageChange.objects.filter(to_stage="recommended").count() == 1
