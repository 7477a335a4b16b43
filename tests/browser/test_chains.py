"""Issue 8 in a real browser, from the demo: 九龙坡区 opens the 33618 clusters, the connected-vehicle map
and its gap analysis; the tree is coloured by status beside the table, and a click on a link in the tree
opens that link's lists, where the missing battery-cell link names its candidate targets."""

import os
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def chain_demo(demo_data):
    from apps.accounts.models import User
    from apps.chains import demo
    from apps.core.demo import DEMO_USERNAMES

    if not demo.ChainLink.objects.filter(placements__isnull=False).exists():  # unless the loader already ran it
        demo.load({u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)})


def test_a_district_reads_its_gaps_and_opens_a_missing_link_from_the_tree(page, live, chain_demo, log_in):
    page.emulate_media(reduced_motion="reduce")
    log_in("demo_district")
    page.goto(f"{live}/chains/")
    expect(page.locator("#tier-trillion")).to_contain_text("智能网联新能源汽车")
    page.get_by_role("link", name="智能网联新能源汽车").click()
    expect(page.locator("#chain-map")).to_contain_text("正极材料")
    page.get_by_label("区县", exact=True).select_option(label="九龙坡区")
    page.get_by_role("button", name="缺链分析").click()
    page.wait_for_url(re.compile(r"/gaps/\?unit=\d+"))
    expect(page.locator("h1")).to_contain_text("九龙坡区")
    expect(page.locator('#gap-table tr[data-link="新能源乘用车"] .badge').first).to_have_text("强")
    expect(page.locator('#gap-table tr[data-link="驱动电机与电控"] .badge').first).to_have_text("弱")
    expect(page.locator('#gap-table tr[data-link="动力电池电芯"] .badge').first).to_have_text("缺失")
    expect(page.locator("#project-roles")).to_contain_text("固链")

    tree = page.locator("#chain-tree")
    expect(tree).to_have_attribute("data-ready", "1")
    if os.environ.get("CHAINS_SCREENSHOT"):  # to look at the page while working on it
        page.screenshot(path=os.environ["CHAINS_SCREENSHOT"], full_page=True)
    node = tree.locator("svg text", has_text="动力电池电芯")
    node.scroll_into_view_if_needed()
    node.click()
    page.wait_for_url(re.compile(r"/chains/links/\d+/\?unit=\d+"))
    expect(page.locator("#link-status")).to_have_text("缺失")
    expect(page.locator("#candidates")).to_contain_text("京能动力电池科技(北京)有限公司(示例)")
    expect(page.locator("#candidates")).to_contain_text("世界500强")
