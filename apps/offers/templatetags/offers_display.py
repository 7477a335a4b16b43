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


@register.filter
def site_price(site) -> str:
    """Land is priced as people say it, 35万元/亩; rents and sale prices per m² stay in 元."""
    from decimal import Decimal

    from apps.offers.choices import PriceUnit

    if site.price is None:
        return "—"
    if site.price_unit == PriceUnit.PER_MU and site.price >= 10000:
        wan = (Decimal(site.price) / 10000).normalize()
        return f"{wan:f}万元/亩"
    return f"{plain_number(site.price)} {site.get_price_unit_display()}"
