"""Fixtures of the cooperation tests: a think tank and a university in the library, a cooperation held
by the office and one held by 九龙坡区."""

import datetime

import pytest

SIGNED = datetime.date(2025, 3, 1)


@pytest.fixture
def think_tank(users):
    from apps.organisations.services import organisation_create

    return organisation_create(actor=users["office"], name="中国国际经济交流中心", kind="think_tank", region="北京市")


@pytest.fixture
def university(users):
    from apps.organisations.services import organisation_create

    return organisation_create(actor=users["office"], name="北京大学", kind="university", region="北京市海淀区")


@pytest.fixture
def values(units, users):
    def make(partner, **overrides):
        return {"partner": partner, "title": "战略合作框架协议", "agreement_no": "ZJB-2025-01",
                "signed_date": SIGNED, "start_date": SIGNED, "end_date": datetime.date(2027, 2, 28),
                "status": "active", "terms": "智库每年提供2份产业研究报告；驻京办提供调研对接。",
                "unit": units["驻京办"], "contact": users["office"], "partner_contact": "张明 办公室主任"} | overrides

    return make


@pytest.fixture
def cooperation(users, think_tank, values):
    from apps.thinktanks.services import cooperation_create

    return cooperation_create(actor=users["office"], values=values(think_tank))


@pytest.fixture
def district_cooperation(users, university, values, units):
    from apps.thinktanks.services import cooperation_create

    return cooperation_create(actor=users["district_admin"], values=values(
        university, title="九龙坡区合作协议", unit=units["九龙坡区"], contact=users["district_admin"]))
