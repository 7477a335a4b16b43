"""首谈负责制 across duplicate records: a district cannot get round another's claim by registering
the project on a second spelling of the same firm, nor on a record merged away."""

import datetime

import pytest

from apps.core.errors import ConflictError, DomainError
from apps.core.testing import bearer
from apps.organisations.merge import organisation_merge
from apps.organisations.services import organisation_create
from apps.projects.models import Project
from apps.projects.services import project_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 12, 1)


def test_a_second_spelling_of_a_held_firm_is_refused_naming_the_holder(users, units):
    held = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司")
    project_create(actor=users["district"], organisation=held, unit=units["九龙坡区"], name="信技源数据中心",
                   first_contact_date=DAY)
    duplicate = organisation_create(actor=users["office"], name="北京信技源信息服务有限责任公司")

    with pytest.raises(ConflictError) as refused:
        project_create(actor=users["district2"], organisation=duplicate, unit=units["长寿区"], name="信技源二期",
                       first_contact_date=DAY)

    assert "很可能是同一主体" in refused.value.message and "九龙坡区" in refused.value.message
    assert refused.value.extra["holder_unit"] == "九龙坡区"
    assert not Project.objects.filter(organisation=duplicate).exists()


def test_a_similar_but_different_firm_is_not_blocked(users, units):
    held = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司")
    project_create(actor=users["district"], organisation=held, unit=units["九龙坡区"], name="信技源数据中心",
                   first_contact_date=DAY)
    other = organisation_create(actor=users["office"], name="北京信达源信息服务有限公司")

    project = project_create(actor=users["district2"], organisation=other, unit=units["长寿区"], name="信达源项目",
                             first_contact_date=DAY)

    assert project.unit == units["长寿区"]


def test_a_merged_record_cannot_take_a_project(users, units):
    survivor = organisation_create(actor=users["office"], name="北京骅远智能科技有限公司")
    merged = organisation_create(actor=users["office"], name="骅远智能科技(北京)有限公司")
    organisation_merge(actor=users["office_admin"], survivor=survivor, merged=merged, reason="重复登记")

    with pytest.raises(DomainError) as refused:
        project_create(actor=users["district"], organisation=merged, unit=units["九龙坡区"], name="骅远项目",
                       first_contact_date=DAY)

    assert "已合并到“北京骅远智能科技有限公司”" in refused.value.message


def test_api_409_for_a_duplicate_carries_the_holder(client, users, units):
    held = organisation_create(actor=users["office"], name="北京信技源信息服务有限公司")
    project_create(actor=users["district"], organisation=held, unit=units["九龙坡区"], name="信技源数据中心",
                   first_contact_date=DAY)
    duplicate = organisation_create(actor=users["office"], name="信技源信息服务(北京)有限公司")

    response = client.post("/api/v1/projects", {
        "organisation_id": duplicate.pk, "unit_id": units["长寿区"].pk, "name": "信技源二期",
        "first_contact_date": DAY.isoformat(),
    }, content_type="application/json", headers=bearer(client, users["district2"]))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "claimed" and body["holder_unit"] == "九龙坡区" and "同一主体" in body["detail"]
