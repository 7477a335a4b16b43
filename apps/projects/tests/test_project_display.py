"""The district name and stage badge tags (apps/projects/templatetags/project_display.py) in the lists."""

import datetime

from django.template import Context, Template

from apps.units.models import Unit


def _render(text, **context):
    return Template("{% load project_display %}" + text).render(Context(context))


def test_a_merged_district_names_its_successor_from_the_day_it_ended(db):
    successor = Unit(pk=999, name="两江新区")
    ended = Unit(name="江北区", ended_on=datetime.date(2025, 11, 6), successor=successor)
    assert _render("{% unit_name unit %}", unit=ended, today=datetime.date(2025, 11, 6)) == "江北区（已并入两江新区）"
    assert _render("{% unit_name unit %}", unit=ended, today=datetime.date(2025, 11, 5)) == "江北区"
    # No date on the page: the name alone, as the include did.
    assert _render("{% unit_name unit %}", unit=ended) == "江北区"
    assert _render("{% unit_name unit day %}", unit=ended, day=datetime.date(2026, 1, 1)) == "江北区（已并入两江新区）"
    assert _render("{% unit_name unit %}", unit=None) == ""


def test_names_and_labels_are_escaped_and_stages_coloured():
    assert _render("{% unit_name unit %}", unit=Unit(name="<b>区</b>")) == "&lt;b&gt;区&lt;/b&gt;"
    assert _render("{% stage_badge 'signed' label %}", label="签约<") == \
        '<span class="badge text-bg-primary">签约&lt;</span>'
    assert _render("{% stage_badge 'clue' '线索' %}") == '<span class="badge text-bg-light border">线索</span>'
