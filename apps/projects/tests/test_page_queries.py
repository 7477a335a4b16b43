"""The record pages read the columns they show (core.columns) and no more: a row whose column was left out would
cost a query of its own. So each page's queries are counted with one row of every kind it lists, then with
several, and must not grow — on the project page (its history, visits, specialists, edits, money arrived and
requests) and on the organisation page (its projects, visits, people and history)."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.activities.services import activity_create
from apps.fulfilment.services import funds_entry_add
from apps.fulfilment.tests.conftest import sign
from apps.organisations.models import Person
from apps.organisations.services import organisation_update
from apps.projects.models import Project
from apps.projects.services import project_hand_over, project_update
from apps.servicedesk.services import request_create

D = datetime.date


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow_project(project, users, n, start):
    specialists = [users["specialist"], users["district"]]
    for i in range(start, start + n):
        activity_create(actor=users["office"], date=D(2025, 12, 1 + i), summary=f"第{i}次走访", project=project,
                        next_step=f"第{i}步", next_step_due=D(2026, 1, 1 + i))
        project_update(actor=users["office"], project=Project.objects.get(pk=project.pk), description=f"说明{i}")
        project_hand_over(actor=users["office"], project=Project.objects.get(pk=project.pk),
                          specialist=specialists[(i + 1) % 2], note=f"交接{i}")
        funds_entry_add(actor=users["office"], project=Project.objects.get(pk=project.pk), date=D(2025, 12, 1 + i),
                        amount=Decimal(10_000_000), note=f"第{i}笔")
        request_create(actor=users["office"], project=Project.objects.get(pk=project.pk), category="land",
                       title=f"用地诉求{i}", owner=users["district"])


def test_the_project_page_costs_the_same_queries_however_long_its_history(client, users, make_project):
    project = sign(make_project(name="查询计数项目"), actor=users["office"], specialist=users["specialist"])
    _grow_project(project, users, 1, 0)
    client.force_login(users["office"])
    url = reverse("projects:detail", args=[project.pk])
    client.get(url)  # warm: content types, translations, the unit map
    few = _queries(client, url)
    _grow_project(project, users, 4, 1)
    assert _queries(client, url) == few
    body = client.get(url).content.decode()
    # What the rows show is on the page: names of who did what, the visits, the requests and their owners.
    assert "第4次走访" in body and "交接4" in body and "用地诉求4" in body and "说明4" in body
    assert users["district"].display_name in body and users["specialist"].display_name in body


def test_the_organisation_page_costs_the_same_queries_however_many_rows(client, users, make_project, organisation):
    def grow(n, start):
        for i in range(start, start + n):
            project = make_project(organisation=organisation, name=f"主体项目{i}",
                                   specialist=users["specialist"])
            activity_create(actor=users["office"], date=D(2025, 12, 1 + i), summary=f"主体走访{i}",
                            organisation=organisation, project=project if i % 2 else None, next_step=f"下一步{i}",
                            next_step_due=D(2026, 1, 1 + i))
            Person.objects.create(organisation=organisation, name=f"联系人{i}", title="总监", phone="13800000000")
            organisation_update(actor=users["office"], organisation=type(organisation).objects.get(pk=organisation.pk),
                                region=f"北京市海淀区{i}")
            type(organisation).objects.create(name=f"骅远科技(北京)有限公司第{i}分公司", parent=organisation)

    head_office = type(organisation).objects.create(name="骅远控股集团有限公司")
    type(organisation).objects.filter(pk=organisation.pk).update(parent=head_office)
    grow(1, 0)
    client.force_login(users["office"])
    url = reverse("organisations:detail", args=[organisation.pk])
    client.get(url)
    few = _queries(client, url)
    grow(4, 1)
    assert _queries(client, url) == few
    body = client.get(url).content.decode()
    assert "主体项目4" in body and "主体走访4" in body and "联系人4" in body and "九龙坡区" in body
    assert "北京市海淀区4" in body and users["office"].display_name in body
    assert "骅远控股集团有限公司" in body and "第4分公司" in body
