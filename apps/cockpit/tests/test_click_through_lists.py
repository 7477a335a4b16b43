"""The cockpit's figures that open a list other than the project list — funds (到位资金台账), overdue
service requests (企业诉求) and stalled projects (履约预警) — open exactly the records they count, and
every project figure's params give the same count through GET /api/v1/projects.

The pages judge lateness by today's date, so the figures here are computed for today too; the year's
records (conftest.py) are all dated before it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.cockpit.selectors import StatsFilter, summary
from apps.cockpit.tests.conftest import PERIOD, YI
from apps.cockpit.tests.test_click_through import _figures
from apps.core.money import format_amount

pytestmark = pytest.mark.django_db
D = datetime.date

LIST_PAGES = {"funds": "fulfilment:funds", "service_requests": "servicedesk:list", "alerts": "fulfilment:index"}
# (who looks, the unit filter, the cluster filter)
VIEWS = [("office", None, None), ("district", None, None), ("office", "两江新区", None),
         ("liangjiang", "两江新区", None), ("office", None, "A"), ("office", "两江新区", "A")]


def _query(params: dict) -> dict:
    """A figure's params as the cockpit's links carry them (True → "1", dates in ISO form)."""
    out = {}
    for key, value in params.items():
        if isinstance(value, bool):
            out[key] = "1" if value else ""
        elif isinstance(value, datetime.date):
            out[key] = value.isoformat()
        else:
            out[key] = str(value)
    return out


@pytest.fixture
def records(year, users, units, clusters):
    """The year, plus the 原江北区 project P3 late, stalled and funded, so a 两江新区 filter has something to
    count, and a request on another unit's project that a 九龙坡区 user may not see."""
    from apps.fulfilment.models import Alert
    from apps.fulfilment.services import funds_entry_add
    from apps.servicedesk.services import request_create

    office = users["office"]
    p3 = year["P3"]
    funds_entry_add(actor=office, project=p3, date=D(2025, 11, 20), amount=Decimal("0.8") * YI)
    funds_entry_add(actor=office, project=p3, date=D(2026, 1, 10), amount=1 * YI)  # after the period
    request_create(actor=office, project=p3, category="land", title="用地报批", today=D(2026, 2, 1))
    Alert.objects.create(project=p3, kind="no_activity", message="长期无走访洽谈", raised_on=D(2026, 5, 1))
    Alert.objects.create(project=year["P1"], kind="funds_behind_plan", message="资金到位滞后",
                         raised_on=D(2026, 5, 1))
    request_create(actor=office, project=year["P5"], category="land", title="长寿区的诉求", today=D(2026, 2, 1))
    # Handed to 九龙坡区 on 长寿区's project: 九龙坡区 must answer it, so its figure and list both count it.
    request_create(actor=office, project=year["P5"], category="land", title="交九龙坡区协办",
                   owner_unit=units["九龙坡区"], today=D(2026, 2, 1))
    return year


def _figure_data(users, units, clusters, who, unit, cluster):
    actor = users[who]
    f = StatsFilter(*PERIOD, unit_id=units[unit].pk if unit else None,
                    cluster_id=clusters[cluster].pk if cluster else None)
    return actor, summary(actor=actor, f=f, today=timezone.localdate())


@pytest.mark.parametrize(("who", "unit", "cluster"), VIEWS)
def test_overdue_requests_open_the_requests_they_count(client, users, units, clusters, records, who, unit, cluster):
    actor, data = _figure_data(users, units, clusters, who, unit, cluster)
    figure = data["overdue_requests"]
    assert figure["list"] == "service_requests"
    client.force_login(actor)
    page = client.get(reverse(LIST_PAGES[figure["list"]]), _query(figure["params"]))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == figure["count"] > 0
    assert f"共 {figure['count']} 条诉求" in page.content.decode()


@pytest.mark.parametrize(("who", "unit", "cluster"), VIEWS)
def test_stalled_projects_open_the_alerts_they_count(client, users, units, clusters, records, who, unit, cluster):
    actor, data = _figure_data(users, units, clusters, who, unit, cluster)
    figure = data["stalled"]
    assert figure["list"] == "alerts"
    client.force_login(actor)
    page = client.get(reverse(LIST_PAGES[figure["list"]]), _query(figure["params"]))
    assert page.status_code == 200
    assert page.context["alerts"].paginator.count == figure["count"] > 0
    assert f"共 {figure['count']} 条预警" in page.content.decode()


@pytest.mark.parametrize(("who", "unit", "cluster"), VIEWS)
def test_funds_open_the_entries_they_add_up(client, users, units, clusters, records, who, unit, cluster):
    actor, data = _figure_data(users, units, clusters, who, unit, cluster)
    figure = data["funds"]
    assert figure["list"] == "funds"
    client.force_login(actor)
    page = client.get(reverse(LIST_PAGES[figure["list"]]), _query(figure["params"]))
    assert page.status_code == 200
    totals = page.context["totals"]
    assert totals["total"] == figure["total"] > 0
    assert totals["projects"] == figure["projects"] > 0
    html = page.content.decode()
    assert format_amount(figure["total"]) in html and f"{figure['total']:,.2f}" in html
    assert f"涉及项目 {figure['projects']} 个" in html


def test_the_figures_above_count_what_a_person_would(users, units, clusters, records):
    """The three figures by hand, so the equalities above cannot hold by both sides being empty."""
    _, office = _figure_data(users, units, clusters, "office", None, None)
    # P1 1.2亿, P2 2亿 (1亿 withdrawn), P3 0.8亿 (1亿 after the period), P6 0.5亿; P7 archived.
    assert office["funds"]["total"] == Decimal("4.5") * YI and office["funds"]["projects"] == 4
    # P1, P2, P3, P5 (two) late today; P7 is archived.
    assert office["overdue_requests"]["count"] == 5
    # 九龙坡区 (the district user): P1's, and the one on 长寿区's P5 handed to it; not P2's or P5's own.
    _, district = _figure_data(users, units, clusters, "district", None, None)
    assert district["overdue_requests"]["count"] == 2
    # P3 and P4 (P2's resolved, P7 archived, P1's is another kind).
    assert office["stalled"]["count"] == 2
    _, liangjiang = _figure_data(users, units, clusters, "office", "两江新区", None)
    assert liangjiang["funds"]["total"] == Decimal("0.8") * YI
    assert (liangjiang["overdue_requests"]["count"], liangjiang["stalled"]["count"]) == (1, 1)


def test_the_lists_say_what_a_figure_narrowed_them_to(client, users, units, clusters, records):
    client.force_login(users["office"])
    params = {"unit": units["两江新区"].pk, "cluster": clusters["A"].pk}
    words = f"承接区县：两江新区，含原江北区、原渝北区（2025年11月6日撤销，并入两江新区） · 产业集群：{clusters['A'].name}"
    for name, extra in (("servicedesk:list", {"overdue": "1"}), ("fulfilment:index", {"kind": "no_activity"}),
                        ("fulfilment:funds", {"funds_from": "2025-01-01", "funds_to": "2025-12-31"})):
        html = client.get(reverse(name), params | extra).content.decode()
        assert words in html, name
        # Refining the list keeps the figure's unit and cluster: they are the selected options.
        assert f'<option value="{units["两江新区"].pk}" selected>' in html, name
        assert f'<option value="{clusters["A"].pk}" selected>' in html, name
    funds = client.get(reverse("fulfilment:funds"), params | {"funds_from": "2025-01-01", "funds_to": "2025-12-31"})
    assert "到位日期：2025年1月1日至2025年12月31日" in funds.content.decode()


@pytest.mark.parametrize(("who", "unit"), [("office", None), ("district", None), ("liangjiang", None),
                                           ("office", "两江新区"), ("leader", "九龙坡区")])
def test_every_project_figure_gives_the_same_count_through_the_api(client, users, units, year, who, unit):
    actor = users[who]
    data = summary(actor=actor, f=StatsFilter(*PERIOD, unit_id=units[unit].pk if unit else None),
                   today=timezone.localdate())
    client.force_login(actor)
    checked = nonzero = 0
    for name, count, params in _figures(data):
        if params.get("list") or any(k in params for k in ("funds_from", "overdue", "kind")):
            continue
        response = client.get("/api/v1/projects", _query(params))
        assert response.status_code == 200, (name, response.json())
        assert response.json()["count"] == count, name
        checked += 1
        nonzero += bool(count)
    assert checked > 20 and nonzero > 3
