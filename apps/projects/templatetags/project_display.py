"""A project's district and stage badge, written in Python: they sit in every row of the project lists, where a
template include per cell cost more than the rest of the row (see docs/benchmarks.md "Under load")."""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

_STAGE_CLASSES = {
    "terminated": "text-bg-secondary",
    "paused": "text-bg-warning",
    "production": "text-bg-success",
    "construction": "text-bg-success",
    "registered": "text-bg-success",
    "signed": "text-bg-primary",
    "intention": "text-bg-info",
    "site_visit": "text-bg-info",
}


@register.simple_tag(takes_context=True)
def unit_name(context, unit, today=None):
    """{% unit_name project.unit %} → 两江新区, or 江北区（已并入两江新区） once the district has been merged away (as of
    the page's `today`, or the given one)."""
    if unit is None:
        return ""
    today = today or context.get("today")
    if unit.ended_on and isinstance(today, datetime.date) and unit.ended_on <= today and unit.successor_id:
        return format_html("{}{}", unit.name, _("（已并入%(successor)s）") % {"successor": unit.successor.name})
    return unit.name


@register.simple_tag
def stage_badge(stage, label):
    """{% stage_badge project.stage project.get_stage_display %}: the stage as a coloured badge."""
    return format_html('<span class="badge {}">{}</span>', _STAGE_CLASSES.get(stage, "text-bg-light border"), label)
