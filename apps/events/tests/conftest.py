"""Fixtures of the event tests: an event run by the office, and a signed-ready project factory."""

import datetime
from decimal import Decimal

import pytest

EVENT_DAY = datetime.date(2025, 11, 1)
YI = Decimal("100000000")


@pytest.fixture
def event(users, units):
    from apps.events.services import event_create

    return event_create(actor=users["office"], values={
        "title": "重庆市与京津冀地区产业对接活动", "kind": "matchmaking", "date": EVENT_DAY, "city": "北京",
        "venue": "北京国际饭店", "unit": units["驻京办"], "hosts": "主办：重庆市人民政府",
        "attendee_count": 400, "attendee_count_is_floor": True, "summary": "18个重点项目集中签约。",
        "agenda": "14:00 领导致辞\n14:30 集中签约",
    })


@pytest.fixture
def ready_project(make_project, users):
    """A project at 意向/协议 with a specialist: a framework signing can move it to 签约."""
    from apps.projects.choices import Stage
    from apps.projects.services import project_change_stage

    def make(*, unit_name="九龙坡区", actor=None, **fields):
        actor = actor or users["office"]
        fields.setdefault("first_contact_date", datetime.date(2025, 6, 1))
        project = make_project(actor=actor, unit_name=unit_name, planned_investment=5 * YI, **fields)
        project_change_stage(actor=actor, project=project, to_stage=Stage.INTENTION, skip_reason="测试：直接达成意向",
                             values={"specialist": users["specialist"]}, occurred_on=datetime.date(2025, 9, 1))
        project.refresh_from_db()
        return project

    return make


@pytest.fixture
def sign(users, event):
    """sign(project, amount_yi=5, ...) → Signing at the fixture event (framework agreement)."""
    from apps.events.services import signing_create

    def make(project, amount_yi=5, *, actor=None, event_=event, agreement_type="framework", advance_stage=False,
             **values):
        amount = None if amount_yi is None else Decimal(str(amount_yi)) * YI
        return signing_create(actor=actor or users["office"], project=project, event=event_,
                              values={"agreement_type": agreement_type, "amount": amount, **values},
                              advance_stage=advance_stage)

    return make
