"""A part of a page that htmx updates, when the server refuses the request or the network drops it: the reader is
told why in the page's corner (static/js/nav.js, #htmx-error in templates/base.html), the part stays as it was, and
the notice goes when the same part next succeeds. Before, such a click did nothing visible at all."""

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.units.models import Unit

pytestmark = pytest.mark.browser


@pytest.fixture
def inbox(page, live, log_in):
    """Signed in with two unread messages, on the inbox: (first, second)."""
    user = User.objects.create_user(username="htmx_reader", password="pw-for-tests-1", role="office_staff",
                                    unit=Unit.objects.get(name="驻京办"))
    first = Notification.objects.create(recipient=user, kind="test", title="第一条：项目阶段已更新")
    second = Notification.objects.create(recipient=user, kind="test", title="第二条：服务请求已逾期")
    log_in("htmx_reader", "pw-for-tests-1")
    page.goto(f"{live}/notifications/")
    return first, second


def _row(page, notification):
    return page.locator(f"#notification-{notification.pk}")


def _drop(page, notification):
    """The network drops whatever 标为已读 of this message sends."""
    page.route(f"**/notifications/{notification.pk}/read/", lambda route: route.abort("internetdisconnected"))


def test_a_refused_click_says_why_and_changes_nothing(page, inbox):
    first, second = inbox
    notice = page.locator("#htmx-error")
    expect(notice).to_be_hidden()

    # Meanwhile the message is gone (deleted with its project, say): the server answers 404.
    Notification.objects.filter(pk=first.pk).delete()
    _row(page, first).get_by_role("button", name="标为已读").click()
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("记录不存在，或您无权查看")  # templates/404.html's own sentence
    expect(_row(page, first)).to_contain_text("未读")  # the row was not replaced by the error page

    # Closing it hides it; a later success of another part leaves it hidden.
    notice.get_by_role("button", name="关闭").click()
    expect(notice).to_be_hidden()
    _row(page, second).get_by_role("button", name="标为已读").click()
    expect(_row(page, second)).not_to_contain_text("未读")
    expect(notice).to_be_hidden()
    assert Notification.objects.get(pk=second.pk).read_at is not None


def test_a_dropped_connection_says_so_and_the_notice_goes_when_the_part_succeeds(page, inbox):
    first, _second = inbox
    notice = page.locator("#htmx-error")

    _drop(page, first)
    button = _row(page, first).get_by_role("button", name="标为已读")
    button.click()
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("网络连接中断")
    assert Notification.objects.get(pk=first.pk).read_at is None

    # The network is back: the same button succeeds, and the notice goes by itself.
    page.unroute(f"**/notifications/{first.pk}/read/")
    button.click()
    expect(_row(page, first)).not_to_contain_text("未读")
    expect(notice).to_be_hidden()
    assert Notification.objects.get(pk=first.pk).read_at is not None


def test_in_english_the_general_notice_is_english(page, inbox):
    first, _second = inbox
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    notice = page.locator("#htmx-error")
    _drop(page, first)
    page.locator(f"#notification-{first.pk} button[type=submit]").click()
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("network")
