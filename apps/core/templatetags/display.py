"""Template filters for the way Chinese official documents write amounts and dates."""

import datetime
import functools
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from apps.core.html import escape_value
from apps.core.money import format_amount
from apps.core.paths import fixed_path

register = template.Library()


@register.filter
def amount(value):
    """{{ project.planned_investment|amount }} → 5亿元"""
    return format_amount(value)


@register.filter
def exact_yuan(value):
    """{{ total|exact_yuan }} → 2,705,000,000.00: to the fen with thousands separators, as a ledger prints
    it (Django's zh-hans number format has no grouping, so floatformat:"2g" would not)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter(expects_localtime=True)  # a datetime near midnight UTC is the next day in Beijing
def cndate(value):
    """2025年11月1日 in Chinese, Nov. 1, 2025 in English — from Django's locale formats."""
    if not value:
        return "—"
    # A list prints a date on every row, and Django's date formatting (a parse of the format for every call)
    # cost about 25 µs each: the same day is formatted once per language. DATE_FORMAT has no time in it.
    day = value.date() if isinstance(value, datetime.datetime) else value
    return _date_text(day, get_language())


@functools.lru_cache(maxsize=4096)
def _date_text(day: datetime.date, language: str) -> str:
    return formats.date_format(day, "DATE_FORMAT")  # in the active language, which is part of the key


@register.filter(expects_localtime=True)  # stored in UTC; shown in Beijing time like {{ value|date }}
def cndatetime(value):
    if not value:
        return "—"
    return formats.date_format(value, "DATETIME_FORMAT")


@register.simple_tag
def select_options(bound_field):
    """{% select_options filters.kind %}: the <option>s of a filter's <select>, the current value selected — the
    markup of {% for value, label in form.fields.kind.choices %}<option value="{{ value }}"{% if form.kind.value ==
    value %} selected{% endif %}>{{ label }}</option>{% endfor %}, which cost about 0.5 ms for the library's 21
    industry sections (three template nodes an option); apps/core/tests/test_select_options.py compares the two."""
    current = bound_field.value()
    return mark_safe("".join(  # every value and label escaped
        f'<option value="{escape_value(value)}"{" selected" if current == value else ""}>{escape_value(label)}</option>'
        for value, label in bound_field.field.choices))


@register.simple_tag
def fixed_url(name):
    """{% fixed_url 'core:home' %}: {% url %} for a route without arguments, reversed once per process (the menu
    bar links seven on every page, at about 15 µs a reverse)."""
    return fixed_path(name)


@register.simple_tag
def form_field(field, wide=False, required=False):
    """{% form_field form.name wide=True required=True %}: one form field in the house layout — its label (a red
    * when the field is required, or when the caller says required=True because the service, not the form,
    insists), the widget, its errors and help text; a checkbox as a form-check; wide=True takes the whole row.

    This was the template partials/field.html, included some 160 times across the forms; as an include it cost
    about 0.2 ms a field (a page's form of five fields was a quarter of the page's template time). The markup is
    the partial's: test_form_field renders both for every field of every form in the product."""
    if field.is_hidden:
        return str(field)
    errors = format_html_join("", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in field.errors))
    help_text = format_html('<div class="form-text">{}</div>', field.help_text) if field.help_text else ""
    if field.widget_type == "checkbox":
        body = format_html('<div class="form-check"> {} <label class="form-check-label" for="{}">{}</label> </div>',
                           field, field.id_for_label, field.label)
    else:
        star = '<span class="text-danger ms-1" aria-hidden="true">*</span>' if field.field.required or required else ""
        body = format_html('<label class="form-label" for="{}">{}{}</label> {}', field.id_for_label, field.label,
                           mark_safe(star), field)
    return format_html('<div class="mb-3 {}"> {} {} {} </div>', "col-12" if wide else "col-12 col-md-6", body, errors,
                       help_text)
