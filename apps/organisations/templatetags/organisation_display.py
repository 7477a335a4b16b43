"""A row of the library's search results, written in Python: {% organisation_result_row row %}.

The results page lists 25 rows; as a template each row was some forty nodes (its link, four badges, the
aliases, five cells), about 2 ms of the page, more than the search that found them. The markup is the
template's: test_organisation_display renders the template this replaced and this tag on the same rows and
compares them. Every value goes through format_row (core.html: format_html, escaped the same way, without its
per-call lazy check); name_html, code_html and the aliases arrive already escaped and marked (views.highlight)."""

import functools

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.html import escape_value, format_row
from apps.core.paths import record_path

register = template.Library()


@functools.lru_cache(maxsize=8)
def _labels(language: str) -> dict:
    """The row's fixed words, translated once per language, not per row. The language is only the cache key:
    gettext reads the active one. (The kind and section names are get_FOO_display, per-language already:
    core.choices.)"""
    return {
        "match": _("匹配方式"),
        "aliases": _("简称/曾用名"),
        "flags": (("is_sample", "badge-sample", _("示例")), ("is_fortune500", "text-bg-info", _("世界500强")),
                  ("is_specialised", "text-bg-success", _("专精特新")), ("is_listed", "text-bg-secondary", _("上市企业"))),
    }


@register.simple_tag
def organisation_result_row(row) -> str:
    org = row["org"]
    labels = _labels(get_language())
    badges = []
    if row["match_label"]:
        badges.append(format_row(
            '<span class="badge text-bg-light border fw-normal match-class-{}" title="{}">{}</span>',
            row["match_class"], labels["match"], row["match_label"]))
    for attribute, css, label in labels["flags"]:
        if getattr(org, attribute):
            badges.append(format_row('<span class="badge {}">{}</span>', css, label))
    aliases = ""
    if row["aliases"]:
        aliases = format_row('<div class="small text-muted">{}：{}</div>', labels["aliases"],
                              mark_safe("、".join(map(escape_value, row["aliases"]))))
    kind = org.get_kind_display()
    region = format_row(" · {}", org.region) if org.region else ""
    return format_row(
        '<tr> <td> <a href="{}" class="fw-semibold">{}</a> {} {} '
        '<div class="small text-muted d-md-none">{}{}</div> </td> '
        '<td class="d-none d-md-table-cell">{}</td> '
        '<td class="d-none d-lg-table-cell">{}</td> '
        '<td class="d-none d-lg-table-cell">{}</td> '
        '<td class="d-none d-md-table-cell font-monospace small">{}</td> </tr>',
        record_path("organisations:detail", org.pk), row["name_html"], mark_safe(" ".join(badges)), aliases,
        kind, region, kind, org.get_industry_section_display() or "—", org.region or "—", row["code_html"] or "—",
    )
