import datetime

import pytest

from apps.chains import selectors, services
from apps.chains.selectors import MISSING, STRONG, WEAK
from apps.projects.choices import Stage

pytestmark = pytest.mark.django_db

CARS = "下游/整车制造/新能源乘用车"
MOTORS = "上游/电池与电驱/驱动电机与电控"
CELLS = "上游/电池与电驱/动力电池电芯"


@pytest.fixture
def jiulongpo(units, users, links, make_org, make_project):
    """九龙坡区: three local carmakers, one of them 链主 (strong); one motor firm through a project
    (weak); battery cells missing, with two Beijing targets as candidates."""
    office = users["office"]
    for i in range(3):
        org = make_org(name=f"九龙整车{i}有限公司", region="重庆市九龙坡区")
        services.placement_create(actor=office, link=links[CARS], organisation=org, is_chain_leader=i == 0)
    motor = make_project(unit_name="九龙坡区", organisation=make_org(name="京电机有限公司"))
    services.placement_create(actor=office, link=links[MOTORS], project=motor)
    big = make_org(name="京能电芯有限公司", is_fortune500=True)
    small = make_org(name="小电芯有限公司")
    services.placement_create(actor=office, link=links[CELLS], organisation=small)
    services.placement_create(actor=office, link=links[CELLS], organisation=big, is_chain_leader=True)
    return {"motor": motor, "big": big, "small": small}


def _row(report, path):
    return next(r for r in report.rows if services.link_path(r.node.link) == path)


def test_links_are_strong_weak_or_missing_for_a_district(users, units, car, jiulongpo):
    report = selectors.gap_analysis(actor=users["district"], cluster=car, unit=units["九龙坡区"])
    assert _row(report, CARS).status == STRONG
    assert len(_row(report, CARS).leaders) == 1
    assert _row(report, MOTORS).status == WEAK
    assert [p.name for p in _row(report, MOTORS).projects] == [jiulongpo["motor"].name]
    assert _row(report, CELLS).status == MISSING
    # A parent counts its subtree: 电池与电驱 has the motor firm.
    assert len(_row(report, "上游/电池与电驱").firms) == 1
    counts = report.counts()
    assert counts[STRONG] == 1 and counts[WEAK] == 1 and counts[MISSING] == 21


def test_missing_links_list_library_candidates_ranked_by_fit_with_reasons(users, units, car, jiulongpo):
    report = selectors.gap_analysis(actor=users["district"], cluster=car, unit=units["九龙坡区"])
    candidates = _row(report, CELLS).candidates
    assert [c.organisation.name for c in candidates] == ["京能电芯有限公司", "小电芯有限公司"]
    assert "是此环节的链主" in candidates[0].reason and "世界500强" in candidates[0].reason
    assert "可补上缺失环节" in candidates[1].reason
    # An organisation the district already works with is no longer a candidate.
    from apps.projects.services import project_create

    project_create(actor=users["district"], organisation=jiulongpo["small"], unit=units["九龙坡区"],
                   name="小电芯项目", first_contact_date=datetime.date(2025, 10, 1))
    report = selectors.gap_analysis(actor=users["district"], cluster=car, unit=units["九龙坡区"])
    assert [c.organisation.name for c in _row(report, CELLS).candidates] == ["京能电芯有限公司"]
    # …and its live project makes it present on the link.
    assert _row(report, CELLS).status == WEAK


def test_another_district_sees_neither_the_projects_nor_the_local_firms_of_jiulongpo(users, units, car, jiulongpo):
    report = selectors.gap_analysis(actor=users["district2"], cluster=car, unit=units["长寿区"])
    assert _row(report, CARS).status == MISSING
    assert _row(report, MOTORS).projects == []
    # Without a unit, a district still sees only its own projects (restrict) but the city's local firms.
    report = selectors.gap_analysis(actor=users["district2"], cluster=car)
    assert _row(report, MOTORS).projects == []
    assert _row(report, CARS).status == STRONG


def test_terminated_projects_do_not_count(users, units, car, jiulongpo):
    from apps.projects.services import project_change_stage

    motor = jiulongpo["motor"]
    project_change_stage(actor=users["office"], project=motor, to_stage=Stage.TERMINATED, expected_stage=motor.stage,
                         note="企业放弃")
    report = selectors.gap_analysis(actor=users["office"], cluster=car, unit=units["九龙坡区"])
    assert _row(report, MOTORS).status == MISSING


def test_an_ended_unit_rolls_up_into_its_successor(users, units, car, links, make_org, make_project):
    assert units["江北区"].successor_id == units["两江新区"].pk
    project = make_project(unit_name="江北区", organisation=make_org(name="江北电机有限公司"))
    services.placement_create(actor=users["office"], link=links[MOTORS], project=project)
    report = selectors.gap_analysis(actor=users["office"], cluster=car, unit=units["两江新区"])
    assert [p.name for p in _row(report, MOTORS).projects] == [project.name]


def test_the_gap_analysis_costs_a_fixed_number_of_queries(users, units, car, links, make_org, make_project,
                                                          django_assert_max_num_queries):
    office = users["office"]
    office_scope = selectors.gap_analysis(actor=office, cluster=car, unit=units["九龙坡区"])  # warm the scope
    assert office_scope.rows

    def run():
        with django_assert_max_num_queries(8):
            selectors.gap_analysis(actor=office, cluster=car, unit=units["九龙坡区"])

    run()
    for i, path in enumerate([CARS, MOTORS, CELLS] * 4):
        org = make_org(name=f"多企业{i}有限公司", region="重庆市九龙坡区" if i % 2 else "北京市")
        services.placement_create(actor=office, link=links[path], organisation=org, is_chain_leader=i < 3)
        services.placement_create(actor=office, link=links[path], project=make_project(unit_name="九龙坡区"))
    run()
