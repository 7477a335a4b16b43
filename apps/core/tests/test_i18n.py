"""English is available through the footer switch; Chinese stays the default (docs/adr/0001)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

CHINESE_NAV = ["我的工作", "招商项目", "项目看板", "目标库", "走访洽谈", "修改密码", "退出"]
ENGLISH_NAV = ["My work", "Investment projects", "Project board", "Target library", "Visits & talks",
               "Change password", "Sign out"]


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _nav(html: str) -> str:
    return html.split("<nav", 1)[1].split("</nav>", 1)[0]


def test_login_page_in_english_when_chosen(client):
    html = _english(client).get(reverse("accounts:login")).content.decode()

    assert "Investment &amp; Talent Attraction Platform" in html and "Sign in" in html
    assert "双招双引工作平台" not in html and "登录" not in html


def test_login_page_chinese_without_the_cookie(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert "双招双引工作平台" in html and "登录" in html
    assert "Sign in" not in html


@pytest.mark.parametrize("url_name", ["core:home", "projects:list"])
def test_signed_in_pages_have_english_nav_when_chosen(client, users, make_project, url_name):
    make_project(actor=users["district"], name="骅远人工智能数据安全中心")
    client.force_login(users["district"])

    response = _english(client).get(reverse(url_name))

    html = response.content.decode()
    nav = _nav(html)
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert all(label in nav for label in ENGLISH_NAV)
    assert not any(label in nav for label in CHINESE_NAV)
    # The data stays as entered; only the interface changes language.
    assert "骅远人工智能数据安全中心" in html


def test_project_list_in_english_shows_stage_and_headings_in_english(client, users, make_project):
    make_project(actor=users["district"], name="骅远人工智能数据安全中心")
    client.force_login(users["district"])

    html = _english(client).get(reverse("projects:list")).content.decode()

    assert "Lead" in html and "Filter projects" in html
    assert "线索" not in html and "筛选项目" not in html


@pytest.mark.parametrize("url_name", ["core:home", "projects:list"])
def test_signed_in_pages_are_chinese_without_the_cookie(client, users, make_project, url_name):
    make_project(actor=users["district"])
    client.force_login(users["district"])

    nav = _nav(client.get(reverse(url_name)).content.decode())

    assert all(label in nav for label in CHINESE_NAV)
    assert not any(label in nav for label in ENGLISH_NAV)


def _po_entries(path: Path = PO_PATH) -> list[dict]:
    """The .po as a list of {"flags", "msgid", "msgid_plural", "msgstr", "msgstr[0]", ...}; a plain
    reader so the check needs neither polib nor gettext tools on the machine."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"flags": set()}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, quoted = line.partition(" ")
                entry[key] = ast.literal_eval(quoted)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _translations(entry: dict) -> list[str]:
    if "msgid_plural" in entry:
        return [value for key, value in entry.items() if key.startswith("msgstr[")]
    return [entry["msgstr"]]


def test_every_message_has_an_english_translation():
    header, *messages = _po_entries()

    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert len(messages) > 300
    assert [m["msgid"] for m in messages if not all(_translations(m))] == []
    assert [m["msgid"] for m in messages if "fuzzy" in m["flags"]] == []


def test_translations_keep_their_placeholders():
    for entry in _po_entries()[1:]:
        for text in _translations(entry):
            assert sorted(PLACEHOLDER.findall(entry["msgid"])) == sorted(PLACEHOLDER.findall(text)), entry["msgid"]


def test_committed_mo_is_the_compiled_po():
    """The .mo is committed so machines without gettext work; it must hold exactly what the .po says."""
    expected = {}
    for entry in _po_entries()[1:]:
        # gettext keys a message with a context (pgettext, {% translate … context … %}) as "context\x04msgid".
        msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            for key, value in entry.items():
                if key.startswith("msgstr["):
                    expected[(msgid, int(key[7:-1]))] = value
        else:
            expected[msgid] = entry["msgstr"]

    with MO_PATH.open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)
    compiled.pop("", None)  # the header

    assert compiled == expected
