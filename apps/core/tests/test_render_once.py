"""{% render_once %} (apps/core/templatetags/display.py): the page frame from kept text is the frame rendered afresh,
for every role, both languages, signed in or not — and what differs per request (the person, the bell, the search
box, the CSRF token, the page's address) is never one request's shown on another's page."""

import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from apps.core.templatetags import display

ROLES = ["office_admin", "office", "leader", "district", "district_admin", "district2", "specialist", "liangjiang"]


def _without_tokens(html: str) -> str:
    # Each render masks the CSRF token afresh (Django's defence against BREACH): the same token, other text.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="…"', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": "…"', html)


def _page(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return _without_tokens(response.content.decode())


def _pages(client, language: str) -> dict[str, str]:
    return {url: _page(client, url, language)
            for url in (reverse("core:home"), reverse("organisations:list") + "?q=" + quote("骅远"), reverse("projects:list"))}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_frame_from_kept_text_is_the_frame_rendered_afresh_for_every_role(client, users, organisation, language):
    kept = {}
    for role in ROLES:
        client.force_login(users[role])
        _pages(client, language)  # the first of each kind renders and keeps
        kept[role] = _pages(client, language)
    display.RENDER_ONCE["keep"] = False
    try:
        for role in ROLES:
            client.force_login(users[role])
            assert _pages(client, language) == kept[role], role
    finally:
        display.RENDER_ONCE["keep"] = True
    # Both languages' frames were compared, each in its own language.
    assert ('lang="en"' in kept["office"][reverse("core:home")]) is (language == "en")


@pytest.mark.django_db
def test_the_frame_signed_out_from_kept_text_is_the_frame_rendered_afresh(client):
    url = reverse("accounts:login") + "?next=/projects/"
    kept = [_page(client, url, language) for language in ("zh-hans", "en", "zh-hans", "en")]
    display.RENDER_ONCE["keep"] = False
    try:
        assert [_page(client, url, language) for language in ("zh-hans", "en")] == kept[2:]
    finally:
        display.RENDER_ONCE["keep"] = True
    assert kept[0] != kept[1]


@pytest.mark.django_db
def test_what_differs_per_request_is_each_requests_own(client, users, make_user, organisation):
    from apps.notifications.services import notify

    first = make_user("t_first", "district_staff", "九龙坡区", last_name="甲", first_name="一")
    second = make_user("t_second", "district_staff", "九龙坡区", last_name="乙", first_name="二")
    notify(kind="test", title="给乙的通知", users=[second])
    notify(kind="test", title="给乙的通知", users=[second])

    client.force_login(first)
    page = _page(client, reverse("organisations:list") + "?q=" + quote("骅远"), "zh-hans")
    assert "甲一" in page and 'value="骅远"' in page and "2 条未读" not in page

    client.force_login(second)  # the same role, unit and language: the same kept frame
    page = _page(client, reverse("organisations:list") + "?q=" + quote("华为"), "zh-hans")
    assert "乙二" in page and "甲一" not in page
    assert 'value="华为"' in page and 'value="骅远"' not in page
    assert "2 条未读" in page
    # The language switch sends the person back to this page, not the first person's.
    assert 'name="next" type="hidden" value="/organisations/?q=%E5%8D%8E%E4%B8%BA"' in page
    # On another page the search box is empty.
    assert 'value="华为"' not in _page(client, reverse("projects:list"), "zh-hans")


def test_a_part_in_a_condition_on_the_arguments_may_be_absent():
    template = Template("{% render_once on %}<{% if on %}{% per_request %}{{ n }}{% endper_request %}{% endif %}|"
                        "{% per_request %}{{ m }}{% endper_request %}>{% endrender_once %}")
    assert [template.render(Context({"on": on, "n": n, "m": n * 10})) for on, n in
            ((True, 1), (False, 2), (True, 3), (False, 4))] == ["<1|10>", "<|20>", "<3|30>", "<|40>"]


def test_more_keys_than_it_keeps_still_render_right():
    template = Template("{% render_once key %}[{{ key }}]{% endrender_once %}")
    assert [template.render(Context({"key": n})) for n in range(display.RENDER_ONCE_KEYS + 5)] == [
        f"[{n}]" for n in range(display.RENDER_ONCE_KEYS + 5)]


def test_a_block_inside_is_refused_and_a_part_inside_a_loop_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% render_once %}{% block content %}{% endblock %}{% endrender_once %}")
    looped = Template("{% render_once %}{% for x in xs %}{% per_request %}{{ x }}{% endper_request %}{% endfor %}"
                      "{% endrender_once %}")
    with pytest.raises(TemplateSyntaxError):
        looped.render(Context({"xs": [1, 2]}))


@pytest.mark.django_db
def test_each_page_carries_its_own_csrf_token(users):
    from django.test import Client

    # Two browsers, each with its own CSRF cookie: the second's page comes from the frame the first's kept.
    for who in ("district", "district_admin"):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(users[who])
        html = browser.get(reverse("core:home")).content.decode()
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        header = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        assert len(tokens) == 2  # the sign-out and the language forms
        for token in (*tokens, header):
            response = browser.post(reverse("set_language"), {"language": "zh-hans", "next": "/",
                                                              "csrfmiddlewaretoken": token})
            assert response.status_code == 302, who


@pytest.mark.django_db
def test_a_changed_setting_forgets_the_kept_frame(client, users):
    # Only tests change settings while a process runs: a frame kept under one test's settings must not show in
    # the next's (here the demo banner, which the frame shows from settings.DEMO).
    from django.test import override_settings

    client.force_login(users["office"])
    banner = "演示环境"
    with override_settings(DEMO=False):
        assert banner not in _page(client, reverse("core:home"), "zh-hans")
    with override_settings(DEMO=True):
        assert banner in _page(client, reverse("core:home"), "zh-hans")
    with override_settings(DEMO=False):
        assert banner not in _page(client, reverse("core:home"), "zh-hans")
