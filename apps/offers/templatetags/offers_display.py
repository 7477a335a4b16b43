from django import template

from apps.offers.matching import area_text, number_text

register = template.Library()


@register.filter
def site_area(site) -> str:
    """Land in 亩 with its m², buildings in m²."""
    return area_text(site.area, site.kind)


@register.filter
def plain_number(value) -> str:
    return "—" if value in (None, "") else number_text(value)
