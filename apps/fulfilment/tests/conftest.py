"""Signed projects for the fulfilment tests. A project is signed through the real stage service, so the
tests meet the same records the pages produce."""

import datetime
from decimal import Decimal

import pytest

from apps.projects.services import project_change_stage

D = datetime.date
YI = Decimal(100_000_000)
WAN = Decimal(10_000)
SIGNED_ON = D(2025, 11, 1)
CREDIT_CODE = "91110000600037341L"


def sign(project, *, actor, specialist, signed_date=SIGNED_ON, amount=5 * YI):
    project_change_stage(
        actor=actor, project=project, to_stage="signed", skip_reason="集中签约，前期对接在线下完成",
        occurred_on=signed_date,
        values={"planned_investment": amount, "specialist": specialist, "signed_date": signed_date,
                "agreement_type": "contract", "signed_amount": amount},
    )
    project.refresh_from_db()
    return project


def register(project, *, actor, registered_date):
    project_change_stage(actor=actor, project=project, to_stage="registered", occurred_on=registered_date,
                         values={"registered_entity": "骅远（重庆）科技有限公司", "registered_credit_code": CREDIT_CODE,
                                 "registered_date": registered_date})
    project.refresh_from_db()
    return project


@pytest.fixture
def signed_project(make_project, users):
    """骅远, 九龙坡区, 5亿元 signed on 2025-11-01; its specialist is the office's t_office."""
    project = make_project(name="骅远人工智能数据安全中心项目", unit_name="九龙坡区")
    return sign(project, actor=users["district"], specialist=users["office"])


@pytest.fixture
def other_signed_project(make_project, users):
    """长寿区, 18亿元, signed the same day; its specialist is 长寿区's t_district2."""
    project = make_project(name="分布式温室气体利用项目", unit_name="长寿区", actor=users["district2"])
    return sign(project, actor=users["district2"], specialist=users["district2"], amount=18 * YI)
