"""The library search in a real browser: two characters in the navbar box bring up marked suggestions
that open the organisation; typing the name of one already in the library on the create form warns
"同一主体" before anything is saved."""

import re

import pytest
from playwright.sync_api import expect

from apps.organisations.models import Organisation

pytestmark = pytest.mark.browser

EXISTING = "北京信技源信息服务有限公司"  # in the demo data


def test_navbar_suggestions_open_the_organisation(page, live, demo_data, log_in):
    org = Organisation.objects.get(name=EXISTING)
    log_in("demo_district")

    box = page.get_by_label("搜索目标库")
    expect(box).to_have_attribute("placeholder", "搜索企业、简称、字号、信用代码")
    box.press_sequentially("信技", delay=50)

    suggestions = page.locator("#nav-search-suggestions")
    suggestion = suggestions.get_by_role("link", name=EXISTING)
    expect(suggestion).to_be_visible()
    expect(suggestion.locator("mark").first).to_have_text("信技")
    page.screenshot(path="/tmp/shuangzhao-suggest.png")

    # By keyboard: ↓ from the box reaches the first suggestion, Enter opens it.
    box.press("ArrowDown")
    expect(suggestions.get_by_role("link").first).to_be_focused()
    suggestion.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/organisations/{org.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(EXISTING)


def test_navbar_search_without_suggestions_lists_ranked_results(page, live, demo_data, log_in):
    log_in("demo_district")

    page.get_by_label("搜索目标库").fill("信技源")
    page.get_by_label("搜索目标库").press("Enter")

    page.wait_for_url(re.compile(r"/organisations/\?q="))
    expect(page.locator("#result-count")).to_contain_text("共")
    expect(page.get_by_role("link", name=EXISTING)).to_be_visible()
    expect(page.get_by_label("搜索目标库")).to_have_value("信技源")


def test_create_form_warns_of_the_same_organisation_under_another_suffix(page, live, demo_data, log_in):
    log_in("demo_district")
    page.goto(f"{live}/organisations/new/")

    page.get_by_label(re.compile(r"^名称")).press_sequentially("北京信技源信息服务有限责任公司", delay=20)

    panel = page.locator("#match-panel")
    expect(panel).to_contain_text("同一主体")
    expect(panel.get_by_role("link", name=EXISTING)).to_be_visible()
    checkbox = panel.get_by_label("我已核对，确认不是同一主体")
    expect(checkbox).not_to_be_checked()
    page.screenshot(path="/tmp/shuangzhao-match-panel.png", full_page=True)

    # Saving anyway is refused, naming the record already there.
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    expect(page.locator(".invalid-feedback").first).to_contain_text(f"目标库中已有“{EXISTING}”")
    assert not Organisation.objects.filter(name="北京信技源信息服务有限责任公司").exists()
