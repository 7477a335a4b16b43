"""The menu bar at the widths office screens have, in both languages: nothing pushed off the page (no sideways
scrolling), the search box never over the bell, and in Chinese the whole menu on one line from 1280 px up (at 1200 it takes two)."""

import pytest

pytestmark = pytest.mark.browser

LAYOUT = """() => {
  const box = element => element.getBoundingClientRect();
  const search = box(document.querySelector('#nav-search-q'));
  const bell = box(document.querySelector('nav a[href$="/notifications/"]'));
  const account = box(document.querySelector('#nav-account'));
  const tops = [...document.querySelectorAll('#mainnav > .navbar-nav > .nav-item')].map(item => box(item).top);
  return {page: document.documentElement.scrollWidth, window: window.innerWidth, searchRight: search.right,
          bellLeft: bell.left, accountRight: account.right, menuLines: new Set(tops.map(Math.round)).size};
}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_menu_bar_fits_every_office_width(page, live, demo_data, log_in, language):
    log_in("demo_office")  # the office sees the longest menu (imports, merges, the work-group robots)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live}])
    for width in (1200, 1280, 1366, 1440, 1600, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live}/")
        layout = page.evaluate(LAYOUT)
        assert layout["page"] <= layout["window"], (language, width, layout)
        assert layout["accountRight"] <= layout["window"], (language, width, layout)
        assert layout["searchRight"] <= layout["bellLeft"], (language, width, layout)
        if language == "zh-hans" and width >= 1280:
            assert layout["menuLines"] == 1, (width, layout)
