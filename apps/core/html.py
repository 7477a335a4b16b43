"""format_html and conditional_escape for the rows of the lists people open most, without Django's lazy-argument
check on every call.

Django's escape() is wrapped in keep_lazy: each call first scans its arguments for a lazy translation, and
format_html calls it once per argument through conditional_escape. A search results page formats about 160
pieces (25 rows of badges, names, highlighted matches); on the load test's host Django's format_html took
7.9 µs a call and this one 2.7 µs, about 0.8 ms of the page (docs/benchmarks.md, eighth round). The answer is
the same, character for character: a lazy string is made a string first, anything with __html__ (SafeString,
a form's BoundField) is trusted as it says, everything else goes through html.escape as Django's escape does.
apps/core/tests/test_html.py compares both with Django's for any text, marked or not, lazy or not.

Use these only where a profile shows format_html's cost; elsewhere Django's own is the one people know."""

import html

from django.utils.functional import Promise
from django.utils.safestring import SafeString


def escape_value(value) -> str:
    """conditional_escape(value): the value's own HTML when it has one, else the value escaped."""
    if isinstance(value, Promise):
        value = str(value)
    as_html = getattr(value, "__html__", None)
    if as_html is not None:
        return as_html()
    return html.escape(str(value))


def format_row(format_string: str, *args) -> SafeString:
    """format_html(format_string, *args) for positional {} placeholders: every argument escaped, the result marked
    safe."""
    return SafeString(format_string.format(*map(escape_value, args)))
