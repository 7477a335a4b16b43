"""Waiting for htmx the way a person does without thinking: until what they asked for is on the page and works."""

from playwright.sync_api import expect

_AWAIT_SETTLE = """target => { window.__htmxSettled = new Promise(resolve => document.body.addEventListener(
    'htmx:afterSettle', function settled(event) {
        if (event.detail.target && event.detail.target.id === target) {
            document.body.removeEventListener('htmx:afterSettle', settled);
            resolve(true);
        }
    })); }"""


def click_and_settle(page, locator, target_id: str) -> None:
    """Click something htmx answers into #target_id, and wait until htmx has swapped the answer in and settled it.
    Until then the new elements' own hx- attributes are not yet wired: a select changed in that moment fetches
    nothing. A person never acts that fast; a test does (it failed so, now and then, on a busy 2-core host)."""
    page.evaluate(_AWAIT_SETTLE, target_id)
    locator.click()
    page.evaluate("() => window.__htmxSettled")


def open_stage_form(page) -> None:
    """The project page offers the stage change; its form comes in place of the link (htmx), the select focused."""
    click_and_settle(page, page.get_by_role("link", name="填写阶段变更"), "stage-body")
    expect(page.get_by_label("新阶段")).to_be_focused()
