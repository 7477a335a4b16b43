"""The gap summaries (ADR 0012): what the page reads when one is current, and when it must not."""

import pytest

from apps.chains import jobs, selectors, services
from apps.chains.models import GapSummary
from apps.chains.selectors import MISSING, WEAK
from apps.chains.tests.test_gaps import CELLS, MOTORS, _row
from apps.chains.tests.test_gaps import jiulongpo as jiulongpo_fixture
from apps.projects.choices import Stage
from apps.projects.models import Project

jiulongpo = jiulongpo_fixture  # the same fixture, under its name

pytestmark = pytest.mark.django_db


def _figures(report):
    return [(r.node.link.id, r.status, r.firm_count, r.leader_count, r.project_count,
             [c.organisation.pk for c in r.candidates], [c.reason for c in r.candidates],
             sorted(p.pk for p in r.projects) if r.is_leaf else None) for r in report.rows]  # a summary keeps leaves' projects


@pytest.mark.parametrize("unit_name", ["九龙坡区", None])
def test_a_current_summary_gives_the_office_the_same_figures_as_computing_afresh(users, units, car, jiulongpo,
                                                                                 unit_name):
    unit = units[unit_name] if unit_name else None
    fresh = selectors.compute_gaps(cluster=car, unit=unit, visible=Project.objects.all())
    result = jobs.refresh_gaps(everything=True)
    assert result["refreshed"] == GapSummary.objects.count() > 1
    report = selectors.gap_analysis(actor=users["office"], cluster=car, unit=unit)
    assert report.computed_at is not None  # read from the summary
    assert _figures(report) == _figures(fresh)


def test_a_summary_is_read_in_a_few_queries(users, units, car, jiulongpo, django_assert_max_num_queries):
    jobs.refresh_gaps(everything=True)
    office = users["office"]
    selectors.gap_analysis(actor=office, cluster=car, unit=units["九龙坡区"])  # the scope is cached on the user
    with django_assert_max_num_queries(5):
        report = selectors.gap_analysis(actor=office, cluster=car, unit=units["九龙坡区"])
    assert report.computed_at is not None


def test_a_new_placement_makes_it_stale_the_page_computes_afresh_and_the_worker_catches_up(
        users, units, car, links, jiulongpo, make_org, django_capture_on_commit_callbacks):
    jobs.refresh_gaps(everything=True)
    local = make_org(name="九龙电芯有限公司", region="重庆市九龙坡区")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.placement_create(actor=users["office"], link=links[CELLS], organisation=local)
    assert GapSummary.objects.filter(cluster=car, is_stale=True).count() == GapSummary.objects.filter(cluster=car).count()
    report = selectors.gap_analysis(actor=users["office"], cluster=car, unit=units["九龙坡区"])
    assert report.computed_at is None and _row(report, CELLS).status == WEAK  # never the stale figures
    # After the commit the worker's task runs (the test settings run tasks at once) and the summary is current.
    for callback in callbacks:
        callback()
    assert not GapSummary.objects.filter(cluster=car, is_stale=True).exists()
    report = selectors.gap_analysis(actor=users["office"], cluster=car, unit=units["九龙坡区"])
    assert report.computed_at is not None and _row(report, CELLS).status == WEAK


def test_a_placed_project_ending_or_a_placed_firm_moving_makes_it_stale(users, units, car, jiulongpo):
    from apps.organisations.services import organisation_update
    from apps.projects.services import project_change_stage

    jobs.refresh_gaps(everything=True)
    motor = jiulongpo["motor"]
    project_change_stage(actor=users["office"], project=motor, to_stage=Stage.TERMINATED, expected_stage=motor.stage,
                         note="企业放弃")
    assert GapSummary.objects.filter(cluster=car, is_stale=False).count() == 0
    report = selectors.gap_analysis(actor=users["office"], cluster=car, unit=units["九龙坡区"])
    assert _row(report, MOTORS).status == MISSING

    jobs.refresh_gaps()
    small = jiulongpo["small"]
    organisation_update(actor=users["office"], organisation=small, region="重庆市九龙坡区",
                        version=small.version)
    assert GapSummary.objects.filter(cluster=car, is_stale=False).count() == 0
    report = selectors.gap_analysis(actor=users["office"], cluster=car, unit=units["九龙坡区"])
    assert _row(report, CELLS).status == WEAK


def test_a_district_looking_at_another_district_never_gets_the_summary(users, units, car, jiulongpo):
    """The summary counts every project; 长寿区 may not see 九龙坡区's, so its view is computed for it."""
    jobs.refresh_gaps(everything=True)
    mine = selectors.gap_analysis(actor=users["district"], cluster=car, unit=units["九龙坡区"])
    assert mine.computed_at is not None  # its own unit: it sees every project counted
    other = selectors.gap_analysis(actor=users["district2"], cluster=car, unit=units["九龙坡区"])
    assert other.computed_at is None
    assert _row(other, MOTORS).projects == [] and _row(mine, MOTORS).project_count == 1


def test_a_refresh_raced_by_a_change_is_not_stored(users, units, car, jiulongpo):
    jobs.ensure_summaries()
    summary = GapSummary.objects.select_related("cluster", "unit").get(cluster=car, unit=units["九龙坡区"])
    jobs.mark_stale([car.pk])  # a change lands while the refresh computes
    assert jobs.refresh_summary(summary) is False
    summary.refresh_from_db()
    assert summary.is_stale and summary.computed_at is None


def test_the_gap_page_says_when_the_summary_was_computed(client, users, units, car, jiulongpo):
    client.force_login(users["office"])
    page = client.get(f"/chains/{car.pk}/gaps/?unit={units['九龙坡区'].pk}").content.decode()
    assert 'id="gap-computed"' not in page
    jobs.refresh_gaps(everything=True)
    page = client.get(f"/chains/{car.pk}/gaps/?unit={units['九龙坡区'].pk}").content.decode()
    assert 'id="gap-computed"' in page and "汇总于" in page
