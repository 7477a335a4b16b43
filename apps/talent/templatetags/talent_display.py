"""A talent's stage as a coloured badge, written in Python: it sits in every row of the talent list, where a
template include per row cost more than the rest of the row (as the projects' did, project_display)."""

from django import template
from django.utils.html import format_html

register = template.Library()

_STAGE_CLASSES = {
    "terminated": "text-bg-secondary",
    "paused": "text-bg-warning",
    "arrived": "text-bg-success",
    "serving": "text-bg-success",
    "signed": "text-bg-primary",
    "site_visit": "text-bg-info",
    "negotiation": "text-bg-info",
}


@register.simple_tag
def talent_stage_badge(stage, label):
    """{% talent_stage_badge talent.stage talent.get_stage_display %}"""
    return format_html('<span class="badge {}">{}</span>', _STAGE_CLASSES.get(stage, "text-bg-light border"), label)
