"""招才引智 and 智库合作 in the cockpit (issue 9, item 6): the figures count the period's records, a district
sees its own, and each figure opens the talent list showing exactly those records."""

import datetime
import re

import pytest

from apps.talent.models import Talent

pytestmark = pytest.mark.django_db

PERIOD = "start=2025-01-01&end=2025-12-31"


@pytest.fixture
def talent(users, units):
    def make(name, unit, **fields):
        return Talent.objects.create(name=name, unit=units[unit], first_contact_date=datetime.date(2024, 6, 1),
                                     created_by=users["office"], **fields)

    return {
        "academician": make("甲院士", "九龙坡区", kind="academician", stage="arrived", mode="full_time",
                            signed_date=datetime.date(2025, 3, 1), arrived_date=datetime.date(2025, 5, 1)),
        "team": make("乙团队", "长寿区", kind="team", team_size=6, stage="signed", mode="joint_lab",
                     signed_date=datetime.date(2025, 9, 1)),
        "last_year": make("丙专家", "九龙坡区", kind="expert", stage="signed", mode="consulting",
                          signed_date=datetime.date(2024, 9, 1)),
        "talking": make("丁专家", "九龙坡区", kind="expert", stage="negotiation"),
    }


def _names(page: str) -> set[str]:
    return {name for name in ("甲院士", "乙团队", "丙专家", "丁专家") if name in page}


def test_the_office_sees_the_period_s_talent_with_full_time_and_flexible_apart(client, users, talent):
    client.force_login(users["office"])
    page = client.get(f"/cockpit/?{PERIOD}").content.decode()
    assert "本期引进人才（团队）2个" in page and "全职1、柔性引进1" in page and "到岗落地1个" in page
    href = re.search(r'<a href="([^"]+)" id="talent-introduced"', page).group(1).replace("&amp;", "&")
    listed = client.get(href).content.decode()
    assert _names(listed) == {"甲院士", "乙团队"}
    landed = re.search(r'<a href="([^"]+)" id="talent-landed"', page).group(1).replace("&amp;", "&")
    assert _names(client.get(landed).content.decode()) == {"甲院士"}


def test_a_district_counts_only_its_own_talent(client, users, talent):
    client.force_login(users["district"])
    page = client.get(f"/cockpit/?{PERIOD}").content.decode()
    assert "本期引进人才（团队）1个" in page
    href = re.search(r'<a href="([^"]+)" id="talent-introduced"', page).group(1).replace("&amp;", "&")
    assert _names(client.get(href).content.decode()) == {"甲院士"}


def test_think_tank_cooperations_are_counted_for_the_period(client, users, organisation):
    from apps.organisations.services import organisation_create
    from apps.thinktanks.models import Cooperation, CooperationActivity

    partner = organisation_create(actor=users["office"], name="北京某研究院", kind="think_tank", region="北京市")
    cooperation = Cooperation.objects.create(partner=partner, title="战略合作协议", status="active",
                                             signed_date=datetime.date(2025, 2, 1), start_date=datetime.date(2025, 2, 1),
                                             unit=users["office"].unit, created_by=users["office"])
    CooperationActivity.objects.create(cooperation=cooperation, date=datetime.date(2025, 4, 1), kind="salon",
                                       title="院士人才沙龙")
    client.force_login(users["office"])
    page = client.get(f"/cockpit/?{PERIOD}").content.decode()
    assert "合作智库与高校1家" in page and "联合活动1场" in page


def test_the_briefing_says_what_talent_the_period_brought(client, users, talent):
    import io

    from docx import Document

    client.force_login(users["office"])
    response = client.get(f"/cockpit/briefing.docx?{PERIOD}")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "招才引智方面，本期引进人才（团队）2个，其中全职1个、柔性引进1个；到岗落地1个。" in text
