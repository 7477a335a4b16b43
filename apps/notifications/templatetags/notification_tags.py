"""The navbar bell, for base.html: {% load notification_tags %}{% notification_bell %}."""

from django import template

from apps.notifications.selectors import failed_deliveries_count, unread_count

register = template.Library()


@register.inclusion_tag("notifications/partials/bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread": 0, "failed": 0}
    return {"unread": unread_count(user), "failed": failed_deliveries_count(user)}
