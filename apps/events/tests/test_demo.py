"""The demo's event is the article's: 18 projects, 239.5亿元 disclosed, 400余人, a public page ready for
the poster — every figure from the signings the demo enters through the services."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from apps.events.models import Event, PublicPage
from apps.events.selectors import event_totals, public_event_facts
from apps.projects.choices import Stage

pytestmark = pytest.mark.django_db


def test_the_demo_event_has_the_articles_figures(settings):
    settings.DEMO = True
    call_command("load_demo", stdout=io.StringIO())
    event = Event.objects.get(title="重庆市与京津冀地区产业对接活动")
    totals = event_totals(event)
    assert totals.count == 18
    assert totals.amount == Decimal("239.5") * 10**8
    assert totals.amount_text == "239.5亿元"
    assert totals.undisclosed == 1  # 弘海微创: the article gives no amount, none is invented
    signings = list(event.signings.active().select_related("project"))
    assert sorted(s.order for s in signings) == list(range(1, 19))
    named = {s.project.name for s in signings if not s.is_sample}
    assert named == {"新凯精测(重庆)智造科技有限公司", "骅远人工智能数据安全中心项目", "分布式温室气体利用项目",
                     "弘海微创医疗器械全国总部项目"}
    assert all("示例" in s.project.name for s in signings if s.is_sample)
    # The sample signings moved their projects to their stage through the stage rules.
    assert all(s.project.stage in (Stage.SIGNED, Stage.INTENTION, Stage.REGISTERED) for s in signings if s.is_sample)
    assert sum(s.project.stage == Stage.REGISTERED for s in signings if s.is_sample) == 8
    page = PublicPage.objects.get(event=event, withdrawn_at__isnull=True)
    facts = public_event_facts(page)
    assert facts["totals"]["amount"] == "239.5亿元" and facts["attendees"] == "400余人"
    assert len(facts["signings"]) == 18
