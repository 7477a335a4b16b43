"""The login page in a real browser: Chinese text is drawn with real glyphs (a CJK font is installed,
not tofu boxes), and the vendored CSS and htmx are served — no CDN involved."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Two different characters drawn on a canvas: with a CJK font they differ; without one both become
# the same "missing glyph" box.
GLYPHS_DIFFER = """() => {
  const draw = (text) => {
    const canvas = document.createElement('canvas');
    canvas.width = 48; canvas.height = 48;
    const ctx = canvas.getContext('2d');
    ctx.font = '36px sans-serif';
    ctx.fillText(text, 4, 40);
    return canvas.toDataURL();
  };
  return draw('登') !== draw('录') && draw('登') !== draw(' ');
}"""


def test_login_page_renders_chinese(page, live):
    page.goto(f"{live}/accounts/login/")
    assert "登录" in page.title()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    expect(page.get_by_label("用户名")).to_be_visible()
    assert page.evaluate(GLYPHS_DIFFER), "中文字形无法显示：请安装 fonts-wqy-microhei"
    page.screenshot(path="/tmp/shuangzhao-login.png", full_page=True)

    assert page.evaluate("typeof htmx") == "object"
    bootstrap_button = page.evaluate(
        "getComputedStyle(document.querySelector('button.btn-primary')).backgroundColor")
    assert bootstrap_button not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(239, 239, 239)")


def test_wrong_password_is_refused_in_chinese(page, live, demo_data):
    page.goto(f"{live}/accounts/login/")
    page.get_by_label("用户名").fill("demo_district")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    expect(page.locator("main")).to_contain_text("正确的用户名和密码")
