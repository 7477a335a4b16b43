"""以商招商 in the cockpit — 带动一串: the projects landed firms brought, per firm, each row opening exactly
those projects in the project list."""

import datetime

import pytest
from django.urls import reverse

from apps.cockpit.selectors import StatsFilter, summary
from apps.cockpit.tests.conftest import PERIOD, TODAY
from apps.core.testing import bearer
from apps.projects.models import Project

F = StatsFilter(*PERIOD)


@pytest.fixture
def referred(users, year, make_project):
    """P1 (九龙坡区) brings two partners in 2025, one of which signs later in the year; P2 (长寿区) one in
    2025 and one in 2024 (outside the period)."""
    from apps.relations.models import Referral

    def refer(landed, name, on):
        project = make_project(name=f"{name}项目", unit_name=landed.unit.name, first_contact_date=on)
        referral = Referral.objects.create(project=project, referring_organisation=landed.organisation,
                                           referring_unit=landed.unit, landed_project=landed, relation_label="供应商")
        # credited_at is set on creation; the fixture dates it in the year it is about.
        Referral.objects.filter(pk=referral.pk).update(
            credited_at=datetime.datetime(on.year, on.month, on.day, 10, tzinfo=datetime.UTC))
        return referral

    a = refer(year["P1"], "甲配套", datetime.date(2025, 12, 12))
    refer(year["P1"], "乙配套", datetime.date(2025, 12, 20))
    refer(year["P2"], "丙物流", datetime.date(2025, 8, 1))
    refer(year["P2"], "丁包装", datetime.date(2024, 8, 1))
    Project.objects.filter(pk=a.project_id).update(signed_date=datetime.date(2025, 12, 28),
                                                   signed_amount=300_000_000, agreement_type="contract")
    return year


def test_each_landed_firm_counts_the_projects_it_brought_in_the_period(users, referred):
    rows = summary(actor=users["office"], f=F, today=TODAY)["by_referrer"]
    assert [(r["label"], r["count"], r["signed"], r["amount"]) for r in rows] == [
        (referred["P1"].organisation.name, 2, 1, 300_000_000), (referred["P2"].organisation.name, 1, 0, 0)]
    assert rows[0]["note"] == "其中已签约1个"


def test_a_row_opens_exactly_its_projects_in_the_list_and_the_api(client, users, referred):
    rows = summary(actor=users["office"], f=F, today=TODAY)["by_referrer"]
    client.force_login(users["office"])
    page = client.get(reverse("cockpit:index"), {"start": "2025-01-01", "end": "2025-12-31"})
    row = next(r for r in page.context["data"]["by_referrer"] if r["count"] == 2)
    listed = client.get(row["url"])
    names = sorted(p.name for p in listed.context["page"].object_list)
    assert names == ["乙配套项目", "甲配套项目"]
    assert f"引荐企业：{referred['P1'].organisation.name}" in listed.content.decode()
    body = client.get("/api/v1/projects", {**rows[0]["params"]}, headers=bearer(client, users["office"])).json()
    assert sorted(p["name"] for p in body["items"]) == names


def test_a_district_sees_only_its_own_referrals(users, referred):
    rows = summary(actor=users["district2"], f=F, today=TODAY)["by_referrer"]
    assert [r["label"] for r in rows] == [referred["P2"].organisation.name]


def test_the_briefing_says_it_and_has_a_sheet_for_it(users, referred):
    import io

    from openpyxl import load_workbook

    from apps.cockpit.briefing import briefing_data, briefing_sentences, briefing_xlsx

    sentences = briefing_sentences(briefing_data(actor=users["office"], f=F, today=TODAY))
    p1 = referred["P1"].organisation.name
    assert (f"以商招商方面，本期2家已落地企业引荐带来项目3个，其中已签约1个、签约金额3亿元；{p1}带来2个，最多。"
            in sentences)
    book = load_workbook(io.BytesIO(briefing_xlsx(actor=users["office"], f=F, today=TODAY)))
    rows = list(book["以商招商"].iter_rows(values_only=True))
    assert rows[1][:3] == (p1, 2, 1) and rows[1][4] == "3亿元"
