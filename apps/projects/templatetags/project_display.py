"""A project's district and stage badge, and a whole row of the project list, written in Python: they sit in
every row of the project lists, where a template include per cell cost more than the rest of the row (see
docs/benchmarks.md "Under load"). project_list_row is the markup of the template it replaced, which
test_project_display renders beside it on the same rows."""

import datetime

from django import template
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from apps.core.choices import choice_label
from apps.core.html import format_row
from apps.core.money import format_amount
from apps.core.paths import record_path
from apps.core.templatetags.display import cndate
from apps.projects.models import Project

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
    return _unit_label(unit.name, unit.ended_on, unit.successor.name if unit.successor_id else None,
                       today or context.get("today"))


def _unit_label(name: str, ended_on, successor: str | None, today) -> str:
    if ended_on and isinstance(today, datetime.date) and ended_on <= today and successor is not None:
        return format_row("{}{}", name, _("（已并入%(successor)s）") % {"successor": successor})
    return name


@register.simple_tag
def stage_badge(stage, label):
    """{% stage_badge project.stage project.get_stage_display %}: the stage as a coloured badge."""
    return format_row('<span class="badge {}">{}</span>', _STAGE_CLASSES.get(stage, "text-bg-light border"), label)


@register.simple_tag(takes_context=True)
def project_list_row(context, row) -> str:
    """{% project_list_row row %}: one row of projects/list.html, from a selectors.ProjectListRow."""
    badges = []
    if row.is_sample:
        badges.append(format_row('<span class="badge badge-sample ms-1">{}</span>', _("示例")))
    if row.priority == "high":
        badges.append(format_row('<span class="badge text-bg-danger ms-1">{}</span>', _label("priority", row.priority)))
    organisation = row.organisation_name
    return format_row(
        '<tr> <td> <a href="{}">{}</a> {} <div class="d-md-none small text-muted">{}</div> </td> '
        '<td class="d-none d-md-table-cell">{}</td> <td>{}</td> <td>{}</td> <td class="text-end amount">{}</td> '
        '<td class="d-none d-lg-table-cell">{}</td> <td class="d-none d-lg-table-cell">{}</td> '
        '<td class="d-none d-md-table-cell">{}</td> <td class="d-none d-md-table-cell text-nowrap">{}</td> </tr>',
        record_path("projects:detail", row.pk), row.name, mark_safe(" ".join(badges)), organisation,
        organisation, _unit_label(row.unit_name, row.unit_ended_on, row.unit_successor_name, context.get("today")),
        stage_badge(row.stage, _label("stage", row.stage)),
        format_amount(row.planned_investment), row.cluster_name or "—",
        _label("chain_role", row.chain_role) or "—", row.specialist_name or "—",
        cndate(template_localtime(row.updated_at)),  # as {{ …|cndate }} does: the day in Beijing
    )


def _label(field_name: str, value: str) -> str:
    return choice_label(Project._meta.get_field(field_name), value)
