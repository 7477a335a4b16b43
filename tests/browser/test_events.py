"""Issue 5 in a real browser, from the demo: the 2025-11-01 event shows its 18 signings and 239.5亿元;
one button makes the poster, whose QR code (decoded from the PNG the page shows) opens the public page
in a phone-sized browser with no login; the hall screen's tally picks up a signing entered meanwhile."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.events.models import Event
from apps.events.services import signing_create
from apps.organisations.services import organisation_create
from apps.projects.services import project_create
from apps.units.models import Unit

pytestmark = pytest.mark.browser

EVENT_TITLE = "重庆市与京津冀地区产业对接活动"


def test_event_poster_qr_opens_the_public_page_on_a_phone(browser, page, live, demo_data, log_in):
    log_in("demo_office")
    page.goto(f"{live}/events/")
    page.get_by_role("link", name=EVENT_TITLE).click()
    page.wait_for_url(re.compile(r"/events/\d+/$"))
    expect(page.locator("#total-count")).to_contain_text("18")
    expect(page.locator("#total-amount")).to_have_text("239.5亿元")
    expect(page.locator("#signing-table tbody tr")).to_have_count(18)

    page.locator("#make-poster").click()
    page.wait_for_url(re.compile(r"/events/\d+/poster/$"))
    poster = page.locator("#poster-portrait")
    expect(poster).to_be_visible()
    # The image the person sees, fetched with their session, then read as a phone camera would.
    src = poster.get_attribute("src")
    png = page.request.get(f"{live}{src}").body()
    image = Image.open(io.BytesIO(png))
    assert image.size == (750, 1334)
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1
    public_url = codes[0].text
    assert re.fullmatch(rf"{re.escape(live)}/p/[\w-]{{20,}}/", public_url)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, device_scale_factor=2)
    try:
        mobile = phone.new_page()
        response = mobile.goto(public_url)
        assert response.status == 200
        expect(mobile.get_by_role("heading", level=1)).to_have_text(EVENT_TITLE)
        expect(mobile.locator("[data-field=totals]")).to_contain_text("18")
        expect(mobile.get_by_text("239.5亿元").first).to_be_visible()
        expect(mobile.get_by_text("400余人")).to_be_visible()
        # A phone page, not the platform: no navigation, no login form, nothing wider than the screen.
        assert mobile.locator("#mainnav").count() == 0
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        phone.close()


def test_the_hall_screen_tally_updates_as_a_signing_is_entered(browser, page, live, demo_data, log_in):
    log_in("demo_office")
    event = Event.objects.get(title=EVENT_TITLE)
    page.goto(f"{live}/events/{event.pk}/tally/")
    expect(page.locator("#tally-count")).to_have_text("18")
    expect(page.locator("#tally-amount")).to_have_text("239.5亿元")

    office = User.objects.get(username="demo_office")
    org = organisation_create(actor=office, name="大屏测试科技（北京）有限公司")
    project = project_create(actor=office, organisation=org, unit=Unit.objects.get(name="九龙坡区"),
                             name="大屏测试签约项目", first_contact_date=datetime.date(2025, 9, 1))
    signing_create(actor=office, project=project, event=event, advance_stage=False,
                   values={"agreement_type": "framework", "amount": Decimal("5") * 10**8})

    # No reload: the screen polls and redraws on its own.
    expect(page.locator("#tally-count")).to_have_text("19", timeout=15_000)
    expect(page.locator("#tally-amount")).to_have_text("244.5亿元")
    expect(page.locator("#tally-latest")).to_contain_text("大屏测试签约项目")
