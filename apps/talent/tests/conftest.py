"""Fixtures of the talent tests: a factory that registers talent through the service."""

import datetime

import pytest

D = datetime.date
SIGNED_ON = D(2025, 9, 1)


@pytest.fixture
def clusters(db):
    from apps.chains.models import Cluster

    return {c.name: c for c in Cluster.objects.all()}


@pytest.fixture
def make_talent(users, units):
    from apps.talent.services import talent_create

    counter = {"n": 0}

    def make(*, actor=None, unit_name: str = "九龙坡区", **fields):
        counter["n"] += 1
        fields.setdefault("name", f"测试人才{counter['n']:03d}")
        fields.setdefault("first_contact_date", D(2025, 6, 1))
        return talent_create(actor=actor or users["office"], unit=units[unit_name], **fields)

    return make


@pytest.fixture
def signed_talent(make_talent, users):
    """A talent moved step by step to 签约 (full-time, signed 2025-09-01)."""
    from apps.talent.services import talent_move_stage

    def make(mode="full_time", signed=SIGNED_ON, **fields):
        fields.setdefault("first_contact_date", signed - datetime.timedelta(days=90))
        talent = make_talent(**fields)
        for stage, day in [("negotiation", signed - datetime.timedelta(days=60)),
                           ("site_visit", signed - datetime.timedelta(days=30))]:
            talent_move_stage(actor=users["office"], talent=talent, to_stage=stage, occurred_on=day)
        talent_move_stage(actor=users["office"], talent=talent, to_stage="signed", occurred_on=signed,
                          values={"mode": mode, "signed_date": signed})
        talent.refresh_from_db()
        return talent

    return make
