"""Issue 7 in a real browser: paste the seed article, see its items highlighted, add 北京信技源 to the
library with one click on its card (htmx swaps the card) and find it among what the article fed."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.intelligence.models import ArticleLink
from apps.units.models import Unit

pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[2] / "apps/intelligence/tests/fixtures/seed-article-2025-11-02-chongqing-daily.txt"
XINJIYUAN = "北京信技源信息服务有限公司"


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded originals go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_paste_review_and_add_an_organisation(browser, page, live, media_root, log_in):
    User.objects.create_user(username="news_office", password="pw-for-tests-1", role="office_staff",
                             unit=Unit.objects.get(name="驻京办"))
    log_in("news_office", "pw-for-tests-1")
    page.goto(f"{live}/intelligence/new/")
    page.get_by_label("文章正文").fill(SEED.read_text(encoding="utf-8"))
    page.get_by_label("来源").fill("重庆日报")
    page.get_by_role("button", name="抽取并核对").click()
    page.wait_for_url(re.compile(r"/intelligence/\d+/$"))

    text = page.locator("#article-text")
    expect(text.locator("mark.hl-org", has_text=XINJIYUAN).first).to_be_visible()
    expect(text.locator("mark.hl-region", has_text="九龙坡").first).to_be_visible()
    expect(text.locator("mark.hl-amount", has_text="239.5亿元").first).to_be_visible()

    card = page.locator(".candidate-org", has_text=XINJIYUAN)
    expect(card).to_have_count(1)
    card.get_by_role("button", name=re.compile(r"^(新建|关联到)")).first.click()
    expect(page.locator(".candidate-org", has_text=XINJIYUAN)).to_contain_text("已新建")
    # The panel re-reads what the article fed (htmx trigger) and lists the new library record.
    fed = page.locator("#article-links")
    expect(fed).to_contain_text(XINJIYUAN)
    fed.get_by_role("link", name=XINJIYUAN).click()
    page.wait_for_url(re.compile(r"/organisations/\d+/$"))
    expect(page.locator("h1")).to_contain_text(XINJIYUAN)
    assert ArticleLink.objects.filter(organisation__name=XINJIYUAN).count() == 1
