"""Issue 6 in a real browser, from the demo: the office's cockpit for 2025 shows the 2025-11-01 event's
18 signings and 239.5亿元; a click on a bar of the cluster chart opens the project list narrowed to that
cluster and period, listing as many projects as the bar's table row says."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EVENT_TITLE = "重庆市与京津冀地区产业对接活动"


def test_a_bar_of_the_cluster_chart_opens_its_projects(browser, page, live, demo_data, log_in):
    # Drawn at once rather than growing: the bar is where it will stay when the mouse arrives.
    page.emulate_media(reduced_motion="reduce")
    log_in("demo_office")
    page.goto(f"{live}/cockpit/")
    # The demo's article records are dated 2025: ask for that year in the cockpit's own boxes.
    page.get_by_label("开始日期").fill("2025-01-01")
    page.get_by_label("结束日期").fill("2025-12-31")
    page.get_by_role("button", name="统计").click()
    page.wait_for_url(re.compile(r"start=2025-01-01"))
    events = page.locator("#cockpit-events")
    expect(events).to_contain_text(EVENT_TITLE)
    expect(events).to_contain_text("签约项目18个，总金额239.5亿元")

    first_row = page.locator("#table-by_cluster tbody tr").first
    label = first_row.locator("th a").inner_text()
    count = int(first_row.locator("td a").first.inner_text())
    assert count > 0

    # The chart is SVG: its first bar is a real element; click it as a person would, with the mouse.
    chart = page.locator('[data-chart="by_cluster"]')
    chart.scroll_into_view_if_needed()
    box = _first_bar_box(page, chart)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"/projects/\?"))
    assert "signed_from=2025-01-01" in page.url and "cluster=" in page.url
    expect(page.locator("body")).to_contain_text(label)
    expect(page.locator("main")).to_contain_text(f"共 {count} 个项目")


def _first_bar_box(page, chart):
    """The bounding box of the first bar, found through the chart's own coordinate system."""
    return page.evaluate(
        """(el) => {
            const chart = echarts.getInstanceByDom(el);
            const value = chart.getOption().series[0].data[0];
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, [value, 0]);
            const [x0] = chart.convertToPixel({seriesIndex: 0}, [0, 0]);
            const r = el.getBoundingClientRect();
            return {x: r.left + x0, y: r.top + y - 4, width: Math.max(4, x - x0), height: 8};
        }""",
        chart.element_handle(),
    )
