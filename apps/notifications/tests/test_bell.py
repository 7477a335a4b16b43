"""The navbar bell: its markup is the template's it replaced (kept here verbatim), and its unread count is what
restrict(VIEW) admits, unread."""

import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from apps.notifications.models import Notification
from apps.notifications.selectors import unread_count
from apps.notifications.templatetags.notification_tags import bell_html

# notifications/partials/bell.html before the tag, unchanged.
TEMPLATE = """{% load i18n %}
<a class="btn btn-sm btn-outline-light position-relative" href="{% url 'notifications:inbox' %}"
   title="{% translate '通知' %}" aria-label="{% if unread %}{% blocktranslate count n=unread %}通知（{{ n }} 条未读）{% plural %}通知（{{ n }} 条未读）{% endblocktranslate %}{% else %}{% translate '通知' %}{% endif %}">
  {% translate '通知' %}{% if unread %} <span class="badge rounded-pill text-bg-danger">{{ unread }}</span>{% endif %}
</a>
{% if failed %}<a class="btn btn-sm btn-warning" href="{% url 'notifications:webhooks' %}?status=failed"
   title="{% translate '近 7 天群机器人消息发送失败' %}">{% blocktranslate count n=failed %}群消息失败 {{ n }}{% plural %}群消息失败 {{ n }}{% endblocktranslate %}</a>{% endif %}
"""


def _collapsed(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("unread", "failed"), [(0, 0), (1, 0), (12, 0), (0, 3), (2, 1), (1234, 0)])
def test_the_bell_writes_what_its_template_wrote(language, unread, failed):
    with translation.override(language):
        before = Template(TEMPLATE).render(Context({"unread": unread, "failed": failed}))
        after = bell_html(unread, failed)
    assert _collapsed(after) == _collapsed(before)
    if unread:
        assert f'text-bg-danger">{unread}</span>' in after
    assert ("?status=failed" in after) == bool(failed)


def test_the_count_is_the_actors_own_unread_notifications(users):
    def notify(user, n, read=False):
        for i in range(n):
            Notification.objects.create(recipient=user, title=f"通知{i}", read_at=timezone.now() if read else None)

    notify(users["office"], 3)
    notify(users["office"], 2, read=True)
    notify(users["district"], 4)
    for user in users.values():
        expected = Notification.objects.restrict(user, "view").filter(read_at__isnull=True).count()
        assert unread_count(user) == expected
    assert unread_count(users["office"]) == 3 and unread_count(users["district"]) == 4
    assert unread_count(users["leader"]) == 0


def _notify(user, n, read=False):
    for i in range(n):
        Notification.objects.create(recipient=user, title=f"通知{i}", read_at=timezone.now() if read else None)


def test_the_count_read_with_the_session_is_the_selectors_and_a_page_asks_nothing_more(client, users):
    """apps.accounts.sessions counts the unread notifications in the session's own statement; the bell shows
    that number, which is what unread_count would have counted, and the page runs no count of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _notify(users["district"], 4)
    _notify(users["district"], 2, read=True)
    _notify(users["office"], 7)
    client.force_login(users["district"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/projects/")
    assert response.status_code == 200
    assert 'aria-label="通知（4 条未读）"' in response.content.decode()
    assert not [q for q in queries if "notifications_notification" in q["sql"] and "accounts_session" not in q["sql"]]
    user = response.wsgi_request.user
    assert unread_count(user) == 4
    del user.unread_notifications_with_session  # as a service that changes them does: asked afresh
    assert unread_count(user) == Notification.objects.restrict(user, "view").filter(read_at__isnull=True).count()


def test_marking_read_is_shown_at_once_and_not_from_the_sessions_count(client, users):
    from apps.notifications.services import notification_mark_all_read, notification_mark_read

    _notify(users["district"], 3)
    client.force_login(users["district"])
    assert 'aria-label="通知（3 条未读）"' in client.get("/projects/").content.decode()
    first = Notification.objects.filter(recipient=users["district"]).first()
    # Opening a message marks it read and moves on: the next page counts two.
    response = client.get(f"/notifications/{first.pk}/open/", follow=True)
    assert response.status_code == 200
    assert 'aria-label="通知（2 条未读）"' in response.content.decode()
    # In one request: the count came with the session, then the service changed it; the bell is not stale.
    request_user = client.get("/projects/").wsgi_request.user
    assert unread_count(request_user) == 2
    notification_mark_read(actor=request_user, notification=Notification.objects.filter(
        recipient=users["district"], read_at__isnull=True).first())
    assert unread_count(request_user) == 1
    notification_mark_all_read(actor=request_user)
    assert unread_count(request_user) == 0
