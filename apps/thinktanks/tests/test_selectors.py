"""The list's counts and filters, what an outcome shows of a project, and the summary's figures."""

import datetime
from decimal import Decimal

import pytest

from apps.projects.models import Project
from apps.thinktanks import selectors, services

pytestmark = pytest.mark.django_db
D = datetime.date
YI = Decimal(100_000_000)


def _activity(actor, cooperation, date, kind="salon", count=None):
    return services.activity_add(actor=actor, cooperation=cooperation, values={
        "date": date, "kind": kind, "title": f"{kind}{date}", "participant_count": count})


def _outcome(actor, cooperation, kind, date, **fields):
    return services.outcome_add(actor=actor, cooperation=cooperation,
                                values={"kind": kind, "date": date, "note": fields.pop("note", "说明")} | fields)


def test_the_list_counts_activities_and_outcomes_by_kind(users, cooperation, district_cooperation, make_project):
    office = users["office"]
    for day in (1, 2, 3):
        _activity(office, cooperation, D(2025, 5, day))
    _outcome(office, cooperation, "project", D(2025, 6, 1), project=make_project(name="甲项目"))
    _outcome(office, cooperation, "project", D(2025, 6, 2), project=make_project(name="乙项目"))
    _outcome(office, cooperation, "talent", D(2025, 6, 3), note="李博士")
    rows = {row.pk: row for row in selectors.cooperation_list(actor=users["leader"])}
    row = rows[cooperation.pk]
    assert (row.activity_count, row.outcome_count, row.project_count, row.talent_count, row.introduction_count) == \
        (3, 3, 2, 1, 0)
    other = rows[district_cooperation.pk]
    assert (other.activity_count, other.outcome_count) == (0, 0)


def test_the_list_filters_by_shown_status_text_and_partner_kind(users, cooperation, district_cooperation):
    today = D(2027, 6, 1)  # the office's agreement ended on 2027-02-28; 九龙坡区's too (same dates)
    services.cooperation_update(actor=users["office"], cooperation=district_cooperation, values={"end_date": None})

    def names(**filters):
        return {row.partner.name for row in selectors.cooperation_list(actor=users["district2"], today=today,
                                                                        **filters)}

    assert names(status="expired") == {"中国国际经济交流中心"}
    assert names(status="active") == {"北京大学"}
    assert names(status="negotiating") == set()
    assert names(partner_kind="university") == {"北京大学"}
    assert names(q="九龙坡") == {"北京大学"}
    assert names(q="调研对接") == {"中国国际经济交流中心", "北京大学"}


def test_an_outcomes_project_is_shown_only_to_who_may_see_it(users, district_cooperation, make_project):
    project = make_project(name="九龙坡智库项目", actor=users["district"])
    _outcome(users["district_admin"], district_cooperation, "project", D(2025, 6, 1), project=project)
    [seen] = selectors.cooperation_outcomes(actor=users["office"], cooperation=district_cooperation)
    assert seen.shown_project == project and not seen.project_hidden
    [hidden] = selectors.cooperation_outcomes(actor=users["district2"], cooperation=district_cooperation)
    assert hidden.shown_project is None and hidden.project_hidden


def test_the_summary_counts_what_its_docstring_says(users, think_tank, university, values, make_project, units):
    office = users["office"]
    in_force = services.cooperation_create(actor=office, values=values(
        think_tank, signed_date=D(2024, 1, 1), start_date=D(2024, 1, 1), end_date=None))
    # Ended before the period: not in force, but its activity in the period... has none.
    services.cooperation_create(actor=office, values=values(
        university, signed_date=D(2022, 1, 1), start_date=D(2022, 1, 1), end_date=D(2024, 12, 31)))
    # Same partner twice counts once; a negotiation never counts.
    services.cooperation_create(actor=office, values=values(think_tank, title="第二份协议"))
    services.cooperation_create(actor=office, values=values(
        university, status="negotiating", signed_date=None, start_date=None, end_date=None))
    for date, kind, count in [(D(2024, 12, 31), "salon", 50), (D(2025, 1, 1), "salon", 40),
                              (D(2025, 6, 1), "report", None), (D(2025, 12, 31), "salon", 20),
                              (D(2026, 1, 1), "salon", 99)]:
        _activity(office, in_force, date, kind, count)
    signed = make_project(name="已签约项目")
    Project.objects.filter(pk=signed.pk).update(signed_amount=5 * YI)
    unsigned = make_project(name="未签约项目")
    changshou = make_project(name="长寿区项目", unit_name="长寿区", actor=users["district2"])
    Project.objects.filter(pk=changshou.pk).update(signed_amount=2 * YI)
    _outcome(office, in_force, "project", D(2025, 3, 1), project=signed)
    _outcome(office, in_force, "project", D(2025, 4, 1), project=unsigned)
    _outcome(office, in_force, "project", D(2025, 5, 1), project=changshou)
    _outcome(office, in_force, "project", D(2024, 5, 1), project=make_project(name="期外项目"))
    _outcome(office, in_force, "talent", D(2025, 5, 1), note="王教授")
    _outcome(office, in_force, "introduction", D(2025, 5, 2), note="引荐2家企业")
    _outcome(office, in_force, "introduction", D(2025, 5, 3), note="引荐1家企业")

    summary = selectors.cooperation_summary(actor=users["leader"], start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert summary.partners_in_force == 1  # 北京大学's agreement ended 2024-12-31; its other is only 洽谈中
    assert summary.activities == 3 and summary.activities_by_kind["salon"] == 2
    assert summary.activities_by_kind["report"] == 1 and summary.participants == 60
    assert summary.outcomes_by_kind["project"] == 3
    assert (summary.talent, summary.introductions) == (1, 2)
    assert summary.projects == 3 and summary.projects_signed_amount == 7 * YI
    assert summary.projects_without_amount == 1 and summary.projects_hidden == 0

    # 九龙坡区 reads the same cooperations, but not 长寿区's project: counted as hidden, not summed.
    mine = selectors.cooperation_summary(actor=users["district"], start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert mine.outcomes_by_kind["project"] == 3
    assert (mine.projects, mine.projects_signed_amount, mine.projects_hidden) == (2, 5 * YI, 1)

    earlier = selectors.cooperation_summary(actor=users["leader"], start=D(2024, 6, 1), end=D(2024, 12, 31))
    assert earlier.partners_in_force == 2 and earlier.activities == 1


def test_a_terminated_agreement_counts_until_its_termination(users, think_tank, values):
    services.cooperation_create(actor=users["office"], values=values(
        think_tank, status="terminated", end_date=D(2025, 6, 30)))
    before = selectors.cooperation_summary(actor=users["office"], start=D(2025, 6, 1), end=D(2025, 6, 30))
    after = selectors.cooperation_summary(actor=users["office"], start=D(2025, 7, 1), end=D(2025, 7, 31))
    assert (before.partners_in_force, after.partners_in_force) == (1, 0)


def test_nobody_signed_out_reads_anything(cooperation):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.cooperation_list(actor=AnonymousUser()).exists()
    assert selectors.cooperation_summary(actor=AnonymousUser()).partners_in_force == 0
