"""Fixtures of the service-request tests: a 九龙坡区 project whose specialist is users["specialist"], a
长寿区 project, and a factory for requests raised on a chosen day (the clock moves by parameter)."""

import pytest

from apps.servicedesk.services import contact_link_create, request_create

from .factories import RAISED


@pytest.fixture
def project(make_project, users):
    return make_project(name="骅远人工智能数据安全中心", specialist=users["specialist"])


@pytest.fixture
def other_project(make_project):
    return make_project(name="长寿新材料产业园", unit_name="长寿区")


@pytest.fixture
def make_request(users, project):
    def make(*, actor=None, project=project, category="utilities", title="厂房用电增容报装", today=RAISED, **extra):
        return request_create(actor=actor or users["district"], project=project, category=category, title=title,
                              description="企业新建厂房需增容至2000千伏安。", today=today, **extra)

    return make


@pytest.fixture
def service_request(make_request):
    return make_request()


@pytest.fixture
def issued_link(users, project):
    return contact_link_create(actor=users["district"], project=project, contact_name="王经理",
                               base_url="https://zsj.example.cn")

