"""Fixtures of the recommendation tests: a factory for organisations no unit holds, and one for
recommendations made by the office."""

import datetime

import pytest

DEFAULT_DATE = datetime.date(2025, 10, 5)


@pytest.fixture
def make_org(users):
    from apps.organisations.services import organisation_create

    counter = {"n": 0}

    def make(name: str | None = None):
        counter["n"] += 1
        return organisation_create(actor=users["office"], name=name or f"推荐测试企业{counter['n']:02d}（北京）有限公司")

    return make


@pytest.fixture
def recommend(users, units, make_org):
    """recommend("九龙坡区", "长寿区", organisation=..., date=D(2025, 10, 5)) → Recommendation."""
    from apps.recommendations.services import recommendation_create

    def make(*unit_names, organisation=None, date=DEFAULT_DATE, reason="产业方向契合，企业有西南布局意向",
             actor=None, project=None):
        return recommendation_create(actor=actor or users["office"], organisation=organisation or make_org(),
                                     units=[units[name] for name in unit_names or ("九龙坡区",)], reason=reason,
                                     date=date, project=project)

    return make
