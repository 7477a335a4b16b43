"""The navbar bell, for base.html: {% load notification_tags %}{% notification_bell %} — the unread count, and for
robot admins this week's failed robot messages.

Written in Python rather than as an inclusion template: it is on every page, where its template cost about as much
as its count. test_bell compares it with the template it replaced."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.paths import fixed_path
from apps.notifications.selectors import failed_deliveries_count, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return bell_html(0, 0)
    return bell_html(unread_count(user), failed_deliveries_count(user))


def bell_html(unread: int, failed: int):
    label = _("通知")
    bell = format_html(
        '<a class="btn btn-sm btn-outline-light position-relative" href="{}" title="{}" aria-label="{}"> {}{} </a>',
        fixed_path("notifications:inbox"), label,
        ngettext("通知（%(n)s 条未读）", "通知（%(n)s 条未读）", unread) % {"n": unread} if unread else label, label,
        format_html(' <span class="badge rounded-pill text-bg-danger">{}</span>', unread) if unread else "",
    )
    if not failed:
        return bell
    return format_html(
        '{} <a class="btn btn-sm btn-warning" href="{}?status=failed" title="{}">{}</a>', bell,
        fixed_path("notifications:webhooks"), _("近 7 天群机器人消息发送失败"),
        ngettext("群消息失败 %(n)s", "群消息失败 %(n)s", failed) % {"n": failed},
    )
