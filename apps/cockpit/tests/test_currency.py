"""A project signed in dollars in the conftest year: the cockpit, its API and the briefing count its yuan
in every amount and state the rate it was converted at (ADR 0011)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from apps.cockpit.briefing import briefing_docx, briefing_xlsx
from apps.cockpit.selectors import StatsFilter, summary
from apps.cockpit.tests.conftest import PERIOD, TODAY, YI, D, intention
from apps.core.money import Foreign
from apps.core.testing import bearer

F = StatsFilter(*PERIOD)
RATE_TEXT = "金额以人民币计；其中1个项目以美元签约（共1亿美元），按1美元=7.1元折算。"


@pytest.fixture
def dollar_year(users, year, make_project):
    """The conftest year plus P8 (长寿区): a contract for 1亿美元 at 7.1 at the 12-05 ceremony."""
    from apps.events.services import signing_create

    p8 = intention(make_project(name="P8美元项目", unit_name="长寿区", first_contact_date=D(2025, 3, 1)),
                   users["office"], D(2025, 9, 1))
    signing_create(actor=users["office"], project=p8, event=year["ceremony"], advance_stage=True,
                   values={"agreement_type": "contract", "amount": Foreign(YI, "USD"), "exchange_rate": "7.1",
                           "date": D(2025, 12, 5)})
    return year | {"P8": p8}


def test_the_figures_count_the_yuan_and_carry_the_rate(users, dollar_year):
    data = summary(actor=users["office"], f=F, today=TODAY)
    # test_selectors' 30亿元 for P1, P2, P3, P5 plus P8's 7.1亿元.
    assert (data["signed"]["count"], data["signed"]["amount"]) == (5, Decimal("37.1") * YI)
    assert (data["signed_to_date"]["count"], data["signed_to_date"]["amount"]) == (6, Decimal("38.1") * YI)
    assert data["signed"]["rates_text"] == data["signed_to_date"]["rates_text"] == RATE_TEXT
    assert data["signed"]["rates"] == [{"currency": "USD", "rate": "7.1", "count": 1,
                                        "original_amount": "100000000.00",
                                        "text": "1个项目以美元签约（共1亿美元），按1美元=7.1元折算"}]
    assert data["landed"]["rates"] == [] and data["landed"]["rates_text"] == ""
    assert data["signings"]["rates_text"] == RATE_TEXT
    by_unit = {row["label"]: row["amount"] for row in data["by_unit"]}
    assert by_unit["长寿区"] == (18 + 4 + Decimal("7.1")) * YI


def test_a_yuan_only_period_says_nothing_about_rates(users, year):
    data = summary(actor=users["office"], f=F, today=TODAY)
    assert data["signed"]["rates"] == [] and data["signed_to_date"]["rates_text"] == ""


def test_page_api_and_briefing_state_the_same_rate(client, users, dollar_year):
    client.force_login(users["office"])
    html = client.get(reverse("cockpit:index"), {"start": "2025-01-01", "end": "2025-12-31"}).content.decode()
    assert "37.1亿元" in html and 'id="kpi-rates"' in html and RATE_TEXT in html

    body = client.get("/api/v1/stats/summary", {"start": "2025-01-01", "end": "2025-12-31"},
                      headers=bearer(client, users["office"])).json()
    assert body["signed"]["amount_yuan"] == "3710000000.00" and body["signed"]["rates_text"] == RATE_TEXT
    assert body["signed_to_date"]["rates"][0]["rate"] == "7.1"

    document = Document(io.BytesIO(briefing_docx(actor=users["office"], f=F, today=TODAY)))
    paragraphs = [p.text for p in document.paragraphs]
    assert any(text.startswith("注：金额为签约金额") and text.endswith(RATE_TEXT) for text in paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "7.1亿元（1亿美元，按1美元=7.1元折算）" in cells

    book = load_workbook(io.BytesIO(briefing_xlsx(actor=users["office"], f=F, today=TODAY)))
    overview = [row for row in book["总体情况"].iter_rows(values_only=True) if row[0] == "本期新签约项目"]
    assert overview[0][3] == "37.1亿元" and RATE_TEXT in overview[0][4]
    signed = [row for row in book["签约项目"].iter_rows(values_only=True) if row[1] == "P8美元项目"]
    assert signed[0][9] == "7.1亿元（1亿美元，按1美元=7.1元折算）"
