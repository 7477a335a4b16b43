"""Playwright (sync API) driving Debian's /usr/bin/chromium against pytest-django's live server.

`npx playwright install` cannot download browsers here, so we launch the system Chromium through
executable_path. Without it the tests skip — and under CI=true the root conftest turns that skip into
a failed run, so CI cannot pass without having driven a real browser."""

import io
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread (in a greenlet it switches to).
# Django sees the running loop and refuses ORM calls from this thread (SynchronousOnlyOperation),
# although nothing here is async: the test body makes blocking calls between browser steps, and
# the live server answers from its own threads. The flag tells Django that this is intended.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


# django_db_setup first: pytest-django's session-wide live server, if created before the test
# database, would take the not-yet-replaced ":memory:" name as an in-memory database and share this
# thread's connection with its request threads — which crashes at random.
@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        pytest.skip("浏览器测试需要 /usr/bin/chromium（apt-get install chromium fonts-wqy-microhei）")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While Playwright's loop counts as running, Django keeps this thread's database connections in
    # a separate, context-local slot (asgiref's Local) and would open fresh ones there — without the
    # test-database state pytest-django set up on the originals (the serialized reference data used
    # by serialized rollback, for one). Point that slot back at the original connection objects.
    originals = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in originals.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live(browser, live_server, django_db_serialized_rollback):
    """The live server's address, with the reference data (units, clusters) in place. The live
    server needs committed data, hence a transactional database, which is emptied after each test;
    serialized rollback puts the migrations' data back first, so these tests and any other
    transactional test can run in any order."""
    return live_server.url


@pytest.fixture
def page(browser, live):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_data(live, settings):
    from django.core.management import call_command

    settings.DEMO = True
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def log_in(page, live):
    def log_in(username: str, password: str = "demo-password"):
        page.goto(f"{live}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return log_in
