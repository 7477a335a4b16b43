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
