"""Every cockpit figure that opens the project list opens exactly the projects it counts: the figure's
params, read by the list's own filter form, give the same count through the page and the selector."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from apps.cockpit.selectors import StatsFilter, summary
from apps.cockpit.tests.conftest import PERIOD, TODAY
from apps.projects.filters import ProjectFilterForm
from apps.projects.selectors import project_list

pytestmark = pytest.mark.django_db


def _query(params: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in params.items():
        q[key] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return q


def _figures(data: dict):
    """(name, count, params) of every figure and breakdown row that opens the project list."""
    for key in ("signed", "signed_to_date", "landed", "in_production"):
        yield key, data[key]["count"], data[key]["params"]
    for row in data["stages"]:
        yield f"stage {row['params'].get('stage')}", row["count"], row["params"]
    for step in data["funnel"]:
        if step["key"] in ("intentions", "signed", "landed"):  # the steps that count projects
            yield f"funnel {step['key']}", step["count"], step["params"]
    for name in ("by_cluster", "by_chain_role", "by_unit", "by_source_unit", "by_month", "ranking"):
        for row in data[name]:
            yield f"{name} {row.get('label', row.get('key'))}", row["count"], row["params"]


@pytest.mark.parametrize("who", ["office", "district", "liangjiang"])
def test_each_figure_opens_the_projects_it_counts(client, users, year, who):
    actor = users[who]
    data = summary(actor=actor, f=StatsFilter(*PERIOD), today=TODAY)
    client.force_login(actor)
    checked = 0
    for name, count, params in _figures(data):
        if params.get("list") or any(k in params for k in ("funds_from", "overdue", "kind")):
            continue
        kwargs = ProjectFilterForm(_query(params)).selector_kwargs()
        assert project_list(actor=actor, **kwargs).count() == count, name
        page = client.get(reverse("projects:list"), _query(params))
        assert page.context["page"].paginator.count == count, name
        checked += 1
    assert checked > 20


def test_the_list_says_what_a_figure_narrowed_it_to(client, users, year):
    client.force_login(users["office"])
    html = client.get(reverse("projects:list"), {"signed_from": "2025-01-01", "signed_to": "2025-12-31",
                                                 "cluster": "none"}).content.decode()
    assert "签约日期：2025年1月1日至2025年12月31日" in html and "未选择产业集群" in html
    # Refining the list keeps the figure's conditions.
    assert 'name="signed_from" value="2025-01-01"' in html
