"""Template filters for the way Chinese official documents write amounts and dates."""

from decimal import Decimal

from django import template
from django.utils import formats

from apps.core.money import format_amount

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
    return formats.date_format(value, "DATE_FORMAT")


@register.filter(expects_localtime=True)  # stored in UTC; shown in Beijing time like {{ value|date }}
def cndatetime(value):
    if not value:
        return "—"
    return formats.date_format(value, "DATETIME_FORMAT")
