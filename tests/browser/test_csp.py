"""The Content-Security-Policy in a real browser (issue 10): every main page, the public event page and
the enterprise contact's page arrive with the policy, and Chromium refuses nothing on them — no inline
script or style, no eval — while the behaviour that used to be inline still works: the navbar search
by keyboard, an htmx picker that refills a select, a filter that applies on change, the hall screen's
poll. apps/core/tests/test_csp.py keeps the templates clean without a browser."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.chains.models import Cluster
from apps.events.models import Event
from apps.events.services import public_page_publish
from apps.intelligence.models import Article
from apps.organisations.models import Organisation
from apps.servicedesk.models import ServiceRequest
from apps.servicedesk.services import contact_link_create
from apps.talent.models import Talent
from apps.units.models import Unit

pytestmark = pytest.mark.browser

EVENT_TITLE = "重庆市与京津冀地区产业对接活动"
EXISTING = "北京信技源信息服务有限公司"  # in the demo data

# Every violation is both an event in the page and a console message; the event names the directive.
LISTEN = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.fixture
def watched(page):
    """The page, with every refusal recorded: console messages about the policy and page errors."""
    page.context.add_init_script(LISTEN)
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.on("pageerror", lambda error: refused.append(f"page error: {error}"))
    page.refused = refused
    return page


def _open(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    assert "unsafe" not in policy, url
    page.wait_for_load_state("networkidle")  # htmx loads (hx-trigger="load") and charts have run
    _assert_nothing_refused(page, url)


def _assert_nothing_refused(page, where: str) -> None:
    in_page = page.evaluate("window.__csp || []")
    assert (in_page, page.refused) == ([], []), where


def test_the_pages_run_under_the_policy_without_a_refusal(browser, watched, live, demo_data, log_in):
    page = watched
    office = User.objects.get(username="demo_office")
    event = Event.objects.get(title=EVENT_TITLE)
    project = event.signings.order_by("pk").first().project
    organisation = Organisation.objects.get(name=EXISTING)
    request = ServiceRequest.objects.order_by("pk").first()
    talent = Talent.objects.order_by("pk").first()
    article = Article.objects.order_by("pk").first()
    cluster = Cluster.objects.filter(links__isnull=False).order_by("pk").first()
    assert None not in (request, talent, article, cluster), "the demo data lacks a record to open"

    _open(page, f"{live}{reverse('accounts:login')}")
    log_in("demo_office")
    _assert_nothing_refused(page, "after logging in")
    for url in [
        reverse("core:home"),
        reverse("cockpit:index"),
        reverse("projects:list"),
        reverse("projects:detail", args=[project.pk]),
        reverse("organisations:list"),
        reverse("organisations:detail", args=[organisation.pk]),
        reverse("servicedesk:list"),
        reverse("servicedesk:detail", args=[request.pk]),
        reverse("talent:list"),
        reverse("talent:detail", args=[talent.pk]),
        reverse("events:list"),
        reverse("events:detail", args=[event.pk]),
        reverse("intelligence:detail", args=[article.pk]),
        reverse("chains:index"),
        reverse("chains:map", args=[cluster.pk]),
        reverse("chains:gaps", args=[cluster.pk]),
        reverse("offers:district", args=[Unit.objects.get(name="九龙坡区").pk]),
        reverse("fulfilment:index"),
        reverse("projects:arbitrations"),
        reverse("fairness:check"),
    ]:
        _open(page, f"{live}{url}")

    # Content drawn after load: a chart's tooltip (ECharts) and the fairness check's marked text.
    page.goto(f"{live}{reverse('cockpit:index')}")
    page.locator(".cockpit-chart").first.hover()
    page.wait_for_timeout(300)
    _assert_nothing_refused(page, "cockpit tooltip")
    page.goto(f"{live}{reverse('fairness:check')}")
    page.get_by_label("条款文字").fill("投资企业须在本地设立分支机构，并优先采购本地企业产品。")
    page.get_by_role("button", name="检查").click()
    page.wait_for_load_state()
    expect(page.locator(".fairness-text")).to_be_visible()
    expect(page.locator(".fairness-text")).to_have_css("white-space", "pre-wrap")  # from app.css now
    _assert_nothing_refused(page, "fairness result")

    # The hall screen stands alone and loads htmx itself; its poll sends the stamp without a js: value.
    _open(page, f"{live}{reverse('events:tally', args=[event.pk])}")
    with page.expect_response(lambda r: "/tally/live/" in r.url and "stamp=" in r.url, timeout=10_000) as poll:
        pass
    assert poll.value.status == 204  # nothing changed since the page was drawn
    _assert_nothing_refused(page, "tally poll")

    # The pages without the platform's layout: the public event page and the enterprise contact's page.
    public = public_page_publish(actor=office, event=event)
    issued = contact_link_create(actor=office, project=project, contact_name="张经理")
    outsider = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        phone = outsider.new_page()
        phone.context.add_init_script(LISTEN)
        phone.refused = []
        phone.on("console", lambda m: "Content Security Policy" in m.text and phone.refused.append(m.text))
        _open(phone, f"{live}{reverse('events:public', args=[public.token])}")
        expect(phone.get_by_role("heading", level=1)).to_have_text(EVENT_TITLE)
        expect(phone.locator("body")).to_have_css("background-color", "rgb(243, 245, 249)")  # app.css is in
        _open(phone, f"{live}{issued.path}")
        expect(phone.locator("main")).to_have_css("max-width", "832px")  # 52rem, from app.css
    finally:
        outsider.close()


def test_what_was_inline_still_works(watched, live, demo_data, log_in, monkeypatch):
    page = watched
    log_in("demo_office")

    # The navbar search (static/js/nav.js): htmx fills the suggestions, ↓ enters them, Esc closes them.
    box = page.get_by_label("搜索目标库")
    expect(page.locator("form.nav-search")).to_have_css("min-width", "128px")  # app.css: 8rem from 1200 px up
    box.press_sequentially("信技", delay=50)
    suggestions = page.locator("#nav-search-suggestions")
    expect(suggestions.get_by_role("link", name=EXISTING)).to_be_visible()
    expect(suggestions).to_have_css("width", "480px")  # min(30rem, 90vw), from app.css
    box.press("ArrowDown")
    expect(suggestions.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(suggestions.get_by_role("link")).to_have_count(0)
    expect(box).to_be_focused()
    _assert_nothing_refused(page, "nav search")

    # An htmx partial: the organisation picker refills its select with one beyond the short list.
    monkeypatch.setattr("apps.projects.forms.ORGANISATION_SHORTLIST", 3)
    oldest = Organisation.objects.filter(merged_into__isnull=True, is_archived=False).order_by("id").first()
    page.goto(f"{live}{reverse('offers:need_create')}")
    select = page.get_by_label("企业", exact=True)
    expect(select.locator(f'option[value="{oldest.pk}"]')).to_have_count(0)
    page.get_by_label("查找目标主体").fill(oldest.name)
    expect(select.locator(f'option[value="{oldest.pk}"]')).to_have_count(1)
    _assert_nothing_refused(page, "organisation picker")

    # The arbitration filter applies on change (data-autosubmit, was onchange=).
    page.goto(f"{live}{reverse('projects:arbitrations')}")
    page.get_by_label("状态").select_option(index=1)
    page.wait_for_url(re.compile(r"/projects/arbitrations/\?status=\w+"))
    _assert_nothing_refused(page, "arbitration filter")

    # The listening itself works: a style attribute set from a script is refused and recorded.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    expect(page.locator("body")).not_to_have_css("color", "rgb(255, 0, 0)")
    assert any("style-src" in v for v in page.evaluate("window.__csp"))
    assert any("Content Security Policy" in m for m in page.refused)
