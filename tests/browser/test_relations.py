"""以商招商 in a real browser, from the demo: 九龙坡区's landed sample firm lists its related firms as
proposals with their reasons; one click turns the first into a 九龙坡区 lead, which then leaves the list
and shows up in 带动一串."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def relations_demo(demo_data):
    from apps.relations import demo

    return demo.landed_demo_project()  # load_demo ran apps.relations.demo.load


def test_a_proposal_becomes_a_lead_with_one_click(page, live, relations_demo, log_in):
    firm = relations_demo.organisation
    log_in("demo_district")
    page.goto(f"{live}/relations/landed/")
    card = page.locator("section.landed-firm", has_text=firm.name)
    expect(card).to_contain_text("的供应商（关系强）")
    proposals = card.locator("li.proposal")
    expect(proposals).to_have_count(4)
    first = proposals.first.locator("a").first.inner_text()
    proposals.first.get_by_role("button", name="转为九龙坡区线索").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    expect(page.locator("main")).to_contain_text(first)

    page.goto(f"{live}/relations/landed/")
    card = page.locator("section.landed-firm", has_text=firm.name)
    expect(card.locator("li.proposal")).to_have_count(3)
    page.goto(f"{live}/relations/referrals/")
    expect(page.locator("#referral-stats")).to_contain_text(firm.name)
    expect(page.locator("#referral-totals")).to_contain_text("共带来项目2个")
