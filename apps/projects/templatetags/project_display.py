"""A project's district and stage badge, and a whole row of the project list, written in Python: they sit in
every row of the project lists, where a template include per cell cost more than the rest of the row (see
docs/benchmarks.md "Under load"). project_list_row is the markup of the template it replaced, which
test_project_display renders beside it on the same rows."""

import datetime

from django import template
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from apps.core.html import format_row
from apps.core.money import format_amount
from apps.core.paths import record_path
from apps.core.templatetags.display import cndate

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
        return format_row("{}{}", unit.name, _("（已并入%(successor)s）") % {"successor": unit.successor.name})
    return unit.name


@register.simple_tag
def stage_badge(stage, label):
    """{% stage_badge project.stage project.get_stage_display %}: the stage as a coloured badge."""
    return format_row('<span class="badge {}">{}</span>', _STAGE_CLASSES.get(stage, "text-bg-light border"), label)


@register.simple_tag(takes_context=True)
def project_list_row(context, project) -> str:
    """{% project_list_row project %}: one row of projects/list.html (the columns views.PROJECT_LIST_ROW reads)."""
    badges = []
    if project.is_sample:
        badges.append(format_row('<span class="badge badge-sample ms-1">{}</span>', _("示例")))
    if project.priority == "high":
        badges.append(format_row('<span class="badge text-bg-danger ms-1">{}</span>', project.get_priority_display()))
    organisation = project.organisation.name
    specialist = project.specialist.display_name if project.specialist_id else ""
    return format_row(
        '<tr> <td> <a href="{}">{}</a> {} <div class="d-md-none small text-muted">{}</div> </td> '
        '<td class="d-none d-md-table-cell">{}</td> <td>{}</td> <td>{}</td> <td class="text-end amount">{}</td> '
        '<td class="d-none d-lg-table-cell">{}</td> <td class="d-none d-lg-table-cell">{}</td> '
        '<td class="d-none d-md-table-cell">{}</td> <td class="d-none d-md-table-cell text-nowrap">{}</td> </tr>',
        record_path("projects:detail", project.pk), project.name, mark_safe(" ".join(badges)), organisation,
        organisation, unit_name(context, project.unit), stage_badge(project.stage, project.get_stage_display()),
        format_amount(project.planned_investment), (project.cluster.name if project.cluster_id else "") or "—",
        project.get_chain_role_display() or "—", specialist or "—",
        cndate(template_localtime(project.updated_at)),  # as {{ …|cndate }} does: the day in Beijing
    )
