"""The Content-Security-Policy (config/settings/base.py) lets a page run only the scripts and styles
served from this site: no inline <script>, no <style> element, no style="…" attribute, no onclick=.
A template that brings one back breaks (silently, in the browser) under the policy, so these tests read
every template and fail first. tests/browser/test_csp.py opens the pages in Chromium."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

BASE = settings.BASE_DIR
TEMPLATES = sorted([*(BASE / "templates").rglob("*.html"), *(BASE / "apps").glob("*/templates/**/*.html")])

# Template comments are never sent to the browser: they may say "<style>" when explaining.
COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)

# Searched in the whole text, not tag by tag: a tag may hold "{% if a > b %}", which would end a tag
# pattern early. The words do not otherwise occur in the templates' prose.
FORBIDDEN = {
    "<style> element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"\sstyle\s*="),
    "on…= handler": re.compile(r"\son[a-z]+\s*="),
    # htmx evaluates these as JavaScript (eval/new Function), which the policy refuses.
    "hx-on": re.compile(r"\s(?:data-)?hx-on"),
    "hx-vals js:": re.compile(r"""\s(?:data-)?hx-va(?:ls|rs)\s*=\s*['"]\s*(?:js|javascript):"""),
    "hx-vars": re.compile(r"\s(?:data-)?hx-vars\s*="),
    "hx-trigger filter [...]": re.compile(r"""\s(?:data-)?hx-trigger\s*=\s*(?:"[^"]*\[|'[^']*\[)"""),
    "javascript: URL": re.compile(r"""=\s*["']\s*javascript:""", re.I),
}


def _source(path) -> str:
    return COMMENTS.sub("", path.read_text(encoding="utf-8"))


def _offences(text: str) -> list[str]:
    found = []
    for tag in SCRIPT_TAG.finditer(text):
        if not re.search(r"\ssrc\s*=", tag.group(0)) \
                and not re.search(r"""\stype\s*=\s*["']application/(?:ld\+)?json["']""", tag.group(0)):
            found.append(f"inline script: {tag.group(0)}")
    for name, pattern in FORBIDDEN.items():
        found += [f"{name}: {text[max(0, m.start() - 40):m.end() + 40]!r}" for m in pattern.finditer(text)]
    return found


def test_the_templates_are_found():
    # Guards the glob below: an empty list would make the next test pass without reading anything.
    assert len(TEMPLATES) > 100
    assert BASE / "templates" / "base.html" in TEMPLATES


def test_no_template_has_inline_script_or_style():
    offenders = [f"{path.relative_to(BASE)}: {offence}" for path in TEMPLATES for offence in _offences(_source(path))]
    assert offenders == []


@pytest.mark.parametrize("html, expected", [
    ('<div class="x" style="width: 1rem">', "style= attribute"),
    ("<style>.x{}</style>", "<style> element"),
    ("<script>alert(1)</script>", "inline script"),
    ('<select onchange="this.form.submit()">', "on…= handler"),
    ('<form hx-on::after-request="this.reset()">', "hx-on"),
    ("""<div hx-vals='js:{a: 1}'>""", "hx-vals js:"),
    ('<div hx-trigger="click[ctrlKey]">', "hx-trigger filter [...]"),
    ('<a href="javascript:void(0)">', "javascript: URL"),
])
def test_the_check_catches_each_kind(html, expected):
    assert any(o.startswith(expected) for o in _offences(html)), _offences(html)


@pytest.mark.parametrize("html", [
    '<script src="/static/js/nav.js" defer></script>',
    '<script id="cockpit-charts" type="application/json">{"a": 1}</script>',
    '<form method="post" action="/x/" hx-vals=\'{"exclude": "3"}\' hx-trigger="input changed delay:300ms">',
    '<p>{# <style> in a comment #}</p>',
])
def test_the_check_lets_allowed_markup_through(html):
    assert _offences(COMMENTS.sub("", html)) == []


def test_every_page_that_loads_htmx_turns_off_its_injected_style():
    # htmx adds a <style> for .htmx-indicator unless told not to; app.css carries the rules instead.
    loaders = [path for path in TEMPLATES if "htmx.min.js" in _source(path)]
    assert loaders, "no template loads htmx any more?"
    missing = [str(path.relative_to(BASE)) for path in loaders
               if """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" not in _source(path)]
    assert missing == []


def test_responses_carry_the_strict_policy(client, db):
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    assert _offences(response.content.decode()) == []
