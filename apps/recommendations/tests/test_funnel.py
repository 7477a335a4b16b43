"""The article's numbers for a period, computed from the records: declined recommendations still count
as recommended, a firm recommended twice counts once, withdrawn and out-of-period ones do not, and the
outcomes are those known at the end of the period."""

from decimal import Decimal

import pytest
from django.http import Http404

from apps.activities.services import activity_create
from apps.core.errors import DomainError
from apps.projects.services import project_change_stage
from apps.recommendations.selectors import funnel
from apps.recommendations.services import (
    recommendation_accept,
    recommendation_decline,
    recommendation_withdraw,
    target_log_site_visit,
)

from .factories import D, target_of

OCTOBER = (D(2025, 10, 1), D(2025, 10, 31))


@pytest.fixture
def world(users, units, make_org, recommend):
    """Firms A–G recommended around October 2025, H–K visited; see each line for its story."""
    office, district, district2 = users["office"], users["district"], users["district2"]
    orgs = {key: make_org(f"漏斗{key}科技（北京）有限公司") for key in "ABCDEFGHIJK"}

    def intention(project, day, skip=""):
        project_change_stage(actor=district, project=project, to_stage="intention", skip_reason=skip, occurred_on=day,
                             values={"planned_investment": Decimal(100_000_000), "specialist": users["specialist"]})

    # A: to 九龙坡区 and 长寿区; 九龙坡区 accepts, visits, reaches 意向 in October; 长寿区 declines.
    a = recommend("九龙坡区", "长寿区", organisation=orgs["A"], date=D(2025, 10, 5))
    accepted = recommendation_accept(actor=district, target=target_of(a, "九龙坡区"), today=D(2025, 10, 8))
    recommendation_decline(actor=district2, target=target_of(a, "长寿区"), reason="用地不足", today=D(2025, 10, 9))
    target_log_site_visit(actor=district, target=accepted, date=D(2025, 10, 15), summary="考察园区")
    intention(accepted.project, D(2025, 10, 20))
    # B: declined by 长寿区, then recommended to it again in the period (still pending): one firm.
    b = recommend("长寿区", organisation=orgs["B"], date=D(2025, 10, 6))
    recommendation_decline(actor=district2, target=target_of(b, "长寿区"), reason="方向不符", today=D(2025, 10, 7))
    recommend("长寿区", organisation=orgs["B"], date=D(2025, 10, 20), reason="企业调整了产品线")
    # C: two separate recommendations to two districts, both pending: one firm.
    recommend("九龙坡区", organisation=orgs["C"], date=D(2025, 10, 10))
    recommend("两江新区", organisation=orgs["C"], date=D(2025, 10, 12))
    # D: withdrawn — as if never recommended.
    d = recommend("长寿区", organisation=orgs["D"], date=D(2025, 10, 11))
    recommendation_withdraw(actor=office, recommendation=d, reason="企业暂停投资计划")
    # E: recommended and accepted before the period.
    e = recommend("九龙坡区", organisation=orgs["E"], date=D(2025, 9, 20))
    recommendation_accept(actor=district, target=target_of(e, "九龙坡区"), today=D(2025, 9, 22))
    # F: recommended late in October, accepted and at 意向 only in November.
    f = recommend("九龙坡区", organisation=orgs["F"], date=D(2025, 10, 25))
    f_target = recommendation_accept(actor=district, target=target_of(f, "九龙坡区"), today=D(2025, 11, 3))
    intention(f_target.project, D(2025, 11, 10), skip="考察前已达成意向")
    # G: accepted in October, visited on site in November.
    g = recommend("九龙坡区", organisation=orgs["G"], date=D(2025, 10, 15))
    g_target = recommendation_accept(actor=district, target=target_of(g, "九龙坡区"), today=D(2025, 10, 16))
    target_log_site_visit(actor=district, target=g_target, date=D(2025, 11, 5), summary="考察园区")

    # The office's visits: A twice, B, H in October; a call on I (not a visit); J in September.
    for key, kind, day in [("A", "visit", D(2025, 10, 2)), ("A", "visit", D(2025, 10, 6)), ("B", "talk", D(2025, 10, 3)),
                           ("H", "meeting", D(2025, 10, 4)), ("I", "call", D(2025, 10, 5)),
                           ("J", "visit", D(2025, 9, 30))]:
        activity_create(actor=office, organisation=orgs[key], kind=kind, date=day, summary="走访")
    # 九龙坡区's own visit to K.
    activity_create(actor=district, organisation=orgs["K"], kind="visit", date=D(2025, 10, 10), summary="走访")
    return orgs


def ids_of(orgs, keys):
    return sorted(orgs[k].pk for k in keys)


def test_the_office_sees_the_articles_numbers_for_october(users, world):
    numbers = funnel(actor=users["office"], start=OCTOBER[0], end=OCTOBER[1])
    assert {k: numbers[k] for k in ["visited", "recommended", "accepted", "declined", "pending", "site_visited",
                                    "reached_intention_or_landed"]} == {
        "visited": 3, "recommended": 5, "accepted": 2, "declined": 2, "pending": 3, "site_visited": 1,
        "reached_intention_or_landed": 1,
    }
    ids = numbers["organisation_ids"]
    assert ids["visited"] == ids_of(world, "ABH")
    assert ids["recommended"] == ids_of(world, "ABCFG")
    assert ids["accepted"] == ids_of(world, "AG")
    assert ids["declined"] == ids_of(world, "AB")
    assert ids["pending"] == ids_of(world, "BCF")
    assert ids["site_visited"] == ids_of(world, "A")
    assert ids["reached_intention_or_landed"] == ids_of(world, "A")
    # The records behind them: A, B×2, C×2, F, G — seven recommendations, eight district targets.
    assert numbers["recommendation_count"] == 7 and numbers["target_count"] == 8


def test_a_longer_period_sees_the_later_outcomes(users, world):
    numbers = funnel(actor=users["leader"], start=D(2025, 9, 1), end=D(2025, 11, 30))
    assert numbers["visited"] == 4  # + J
    assert numbers["recommended"] == 6  # + E
    assert numbers["accepted"] == 4  # A, E, F, G
    assert numbers["site_visited"] == 2  # A, G
    assert numbers["reached_intention_or_landed"] == 2  # A, F
    assert numbers["organisation_ids"]["reached_intention_or_landed"] == ids_of(world, "AF")


def test_a_period_with_nothing_in_it_is_all_zeros(users, world):
    numbers = funnel(actor=users["office"], start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert [numbers[k] for k in ["visited", "recommended", "reached_intention_or_landed"]] == [0, 0, 0]


def test_a_district_counts_only_its_own_targets_and_visits(users, world, units):
    mine = funnel(actor=users["district"], start=OCTOBER[0], end=OCTOBER[1])
    assert mine["organisation_ids"]["recommended"] == ids_of(world, "ACFG")
    assert mine["declined"] == 0  # 长寿区's decline of A is not 九龙坡区's business
    assert mine["accepted"] == 2 and mine["reached_intention_or_landed"] == 1
    assert mine["organisation_ids"]["visited"] == ids_of(world, "K")
    # The office looking at 九龙坡区 sees the same.
    office_view = funnel(actor=users["office"], start=OCTOBER[0], end=OCTOBER[1], unit_id=units["九龙坡区"].pk)
    assert office_view["organisation_ids"] == mine["organisation_ids"]

    changshou = funnel(actor=users["district2"], start=OCTOBER[0], end=OCTOBER[1])
    assert changshou["organisation_ids"]["recommended"] == ids_of(world, "AB")
    assert changshou["declined"] == 2 and changshou["accepted"] == 0 and changshou["pending"] == 1
    assert changshou["visited"] == 0


def test_a_district_may_not_look_at_another_unit(users, units, world):
    with pytest.raises(Http404):
        funnel(actor=users["district"], start=OCTOBER[0], end=OCTOBER[1], unit_id=units["长寿区"].pk)


def test_start_after_end_is_refused(users):
    with pytest.raises(DomainError) as refused:
        funnel(actor=users["office"], start=D(2025, 11, 1), end=D(2025, 10, 1))
    assert refused.value.field == "start"
