"""The talent stage badge: every stage coloured as the list and the talent page show it, the label escaped."""

import pytest
from django.template import Context, Template

from apps.talent.choices import TalentStage

COLOURS = {
    "intention": "text-bg-light border", "negotiation": "text-bg-info", "site_visit": "text-bg-info",
    "signed": "text-bg-primary", "arrived": "text-bg-success", "serving": "text-bg-success",
    "paused": "text-bg-warning", "terminated": "text-bg-secondary",
}


@pytest.mark.parametrize("stage", TalentStage.values)
def test_every_stage_has_its_colour(stage):
    html = Template("{% load talent_display %}{% talent_stage_badge stage label %}").render(
        Context({"stage": stage, "label": TalentStage(stage).label}))
    assert html == f'<span class="badge {COLOURS[stage]}">{TalentStage(stage).label}</span>'


def test_the_label_is_escaped():
    html = Template("{% load talent_display %}{% talent_stage_badge 'signed' label %}").render(
        Context({"label": "<b>签约</b>"}))
    assert html == '<span class="badge text-bg-primary">&lt;b&gt;签约&lt;/b&gt;</span>'
