"""The cockpit page: the figures a leader reads, each a link to the records behind it; the charts' data
is the tables' rows; a district sees its district; a wrong period is said, not silently swallowed."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.cockpit.selectors import StatsFilter, summary
from apps.cockpit.tests.conftest import PERIOD, YI, intention, move
from apps.cockpit.views import figure_url
from apps.projects.choices import Stage

pytestmark = pytest.mark.django_db
YEAR = {"start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()}


def _cockpit(client, actor, **params):
    client.force_login(actor)
    response = client.get(reverse("cockpit:index"), {**YEAR, **params})
    assert response.status_code == 200
    return response, response.content.decode()


def _anchor(html: str, element_id: str) -> str:
    match = re.search(rf'<a [^>]*id="{element_id}"[^>]*href="([^"]*)"', html)
    assert match, element_id
    return match.group(1).replace("&amp;", "&")


def test_the_office_reads_the_years_figures_and_each_opens_its_list(client, users, year):
    response, html = _cockpit(client, users["office"])
    data = summary(actor=users["office"], f=StatsFilter(*PERIOD), today=timezone.localdate())
    # P1 5亿 + P2 18亿 + P3 3亿 + P5 4亿; P4 signed only an intention, P7 is archived.
    assert data["signed"]["count"] == 4 and data["signed"]["amount"] == 30 * YI
    kpis = html[html.index('id="kpis"'):html.index('id="stages-title"')]
    assert "4个" in kpis and "30亿元" in kpis
    for element_id, key in [("kpi-signed", "signed"), ("kpi-signed-to-date", "signed_to_date"),
                            ("kpi-landed", "landed"), ("kpi-in-production", "in_production"),
                            ("kpi-funds", "funds"), ("kpi-overdue", "overdue_requests"), ("kpi-stalled", "stalled")]:
        href = _anchor(html, element_id)
        assert href == figure_url(data[key]), element_id
        assert client.get(href).status_code == 200, href
    assert "重庆市与京津冀地区产业对接活动" in html
    assert data["reconciliation"]["text"] in html


def test_every_link_on_the_cockpit_opens_a_page(client, users, year):
    _, html = _cockpit(client, users["office"])
    main = html[html.index('id="kpis"'):]
    hrefs = {href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"]*)"', main)}
    assert len(hrefs) > 25
    for href in sorted(hrefs):
        assert client.get(href).status_code == 200, href


def test_the_charts_draw_the_rows_of_the_tables_beside_them(client, users, year):
    response, html = _cockpit(client, users["office"])
    charts = json.loads(re.search(r'<script id="cockpit-charts" type="application/json">(.*?)</script>',
                                  html, re.S).group(1))
    data = response.context["data"]
    for name in ("by_cluster", "by_chain_role", "by_unit", "by_source_unit", "by_month"):
        assert [bar["url"] for bar in charts[name]] == [row["url"] for row in data[name]], name
        assert [bar["count"] for bar in charts[name]] == [row["count"] for row in data[name]], name
        table = html[html.index(f'id="table-{name}"'):]
        table = table[:table.index("</table>")]
        for bar in charts[name]:
            assert bar["url"].replace("&", "&amp;") in table, (name, bar["label"])
    cluster_bar = charts["by_cluster"][0]
    # Largest first: cluster B holds P2 18亿 + P5 4亿, ahead of A's P1 5亿 + P3 3亿.
    assert cluster_bar["amount"] == 22.0 and cluster_bar["amount_display"] == "22亿元"
    assert charts["by_cluster"][1]["amount"] == 8.0
    assert [step["count"] for step in charts["funnel"]][-2:] == [4, 1]  # signed, landed


def test_a_district_sees_its_district_without_a_unit_choice(client, users, year):
    response, html = _cockpit(client, users["district"])
    assert 'name="unit"' not in html
    units = {row["label"] for row in response.context["data"]["by_unit"]}
    assert units == {users["district"].unit.name}
    other = {"九龙坡区", "长寿区"} - units
    table = html[html.index('id="table-by_unit"'):]
    assert not any(name in table[:table.index("</table>")] for name in other)


def test_a_unit_filter_on_liangjiang_states_the_roll_up(client, users, units, year):
    _, html = _cockpit(client, users["office"], unit=units["两江新区"].pk)
    scope = html[html.index('id="cockpit-scope"'):]
    scope = scope[:scope.index("</p>")]
    assert "两江新区" in scope and "江北区" in scope


def test_a_period_backwards_is_refused_in_words_and_this_year_is_shown(client, users, year):
    client.force_login(users["office"])
    html = client.get(reverse("cockpit:index"), {"start": "2025-12-31", "end": "2025-01-01"}).content.decode()
    assert "开始日期不能晚于结束日期" in html
    today = timezone.localdate()
    assert f"统计期间：{today.year}年1月1日至{today.year}年{today.month}月{today.day}日" in html


def test_a_period_without_events_points_to_the_last_event_outside_its_figures(client, users, year):
    _, html = _cockpit(client, users["office"], start="2026-01-01", end="2026-03-31")
    latest = html[html.index('id="cockpit-latest-event"'):]
    assert "年末集中签约仪式" in latest[:latest.index("</p>")] and "不计入" in latest


def test_presets_keep_the_cluster_and_open_last_year(client, users, clusters, year):
    _, html = _cockpit(client, users["office"], cluster=clusters["A"].pk)
    presets = html[html.index('id="cockpit-presets"'):]
    presets = presets[:presets.index("</nav>")].replace("&amp;", "&")
    last = timezone.localdate().year - 1
    assert f"cluster={clusters['A'].pk}&start={last}-01-01&end={last}-12-31" in presets


def test_the_cockpit_costs_the_same_queries_however_many_projects(client, users, make_project, year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["office"])
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("cockpit:index"), YEAR)
    # More signed projects, in more districts, clusters and months: more rows, not more queries.
    from apps.chains.models import Cluster

    for n, (unit_name, cluster) in enumerate(zip(["长寿区", "九龙坡区", "江北区", "长寿区"],
                                                 Cluster.objects.order_by("id")[2:6], strict=False)):
        project = make_project(name=f"追加{n}", unit_name=unit_name, cluster=cluster,
                               first_contact_date=PERIOD[0])
        intention(project, users["office"], PERIOD[0])
        move(project, users["office"], Stage.SIGNED, PERIOD[0].replace(month=n + 2), agreement_type="contract",
             signed_date=PERIOD[0].replace(month=n + 2), signed_amount=(n + 1) * YI)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("cockpit:index"), YEAR)
    assert len(after) == len(before)
    assert len(after) < 60


def test_the_briefing_downloads_for_the_period_on_the_page(client, users, year):
    import io

    import docx
    import openpyxl

    client.force_login(users["office"])
    response = client.get(reverse("cockpit:briefing_docx"), YEAR)
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"] and "20250101-20251231.docx" in response[
        "Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "2025年1月1日" in text and "新签约项目4个，总投资30亿元" in text
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("cockpit:briefing_xlsx"), YEAR).content))
    assert "签约项目" in book.sheetnames


def test_a_briefing_for_a_backwards_period_is_refused_in_words(client, users, year):
    client.force_login(users["office"])
    response = client.get(reverse("cockpit:briefing_docx"), {"start": "2025-12-31", "end": "2025-01-01"})
    assert response.status_code == 400
    assert "开始日期不能晚于结束日期" in response.content.decode()


def test_the_page_shows_no_template_comment_text(client, users, year):
    client.force_login(users["office"])
    html = client.get(reverse("cockpit:index"), {"start": "2025-01-01", "end": "2025-12-31"}).content.decode()
    assert "{#" not in html and "One breakdown" not in html
    # A breakdown without rows (no referrals in this year) has its sentence and no empty chart.
    assert "本期没有以商招商引荐的项目。" in html and 'data-chart="by_referrer"' not in html
