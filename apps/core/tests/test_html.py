"""core.html answers as Django's conditional_escape and format_html do, for any value a row may hold."""

import datetime
from decimal import Decimal

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override
from hypothesis import given
from hypothesis import strategies as st

from apps.core.html import escape_value, format_row

# Text that HTML cares about, mixed with CJK and the rest of Unicode.
TEXT = st.text(alphabet=st.one_of(st.sampled_from("<>&\"'`=/ \n{}"), st.characters()), max_size=40)
VALUES = st.one_of(
    TEXT,
    TEXT.map(mark_safe),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.none(),
    st.booleans(),
    st.dates(),
    st.sampled_from([gettext_lazy("示例"), gettext_lazy("世界500强"), gettext_lazy("没有符合条件的项目，请放宽筛选条件。")]),
)


@given(VALUES)
def test_escape_value_is_conditional_escape(value):
    got = escape_value(value)
    assert got == conditional_escape(value)
    assert isinstance(got, str)


@given(st.lists(VALUES, min_size=1, max_size=6), st.sampled_from(["<td>{}</td>", '<a href="{}" class="x">{}</a>', " · {}"]))
def test_format_row_is_format_html(values, cell):
    template = "<tr>" + cell * len(values) + "</tr>"
    values = values * cell.count("{}")
    got = format_row(template, *values)
    assert got == format_html(template, *values)
    assert isinstance(got, SafeString)


def test_markup_in_values_is_escaped_and_marked_values_kept():
    row = format_row("<td>{}</td><td>{}</td>", "<script>alert('x')</script>", mark_safe("<mark>科技</mark>"))
    assert row == "<td>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</td><td><mark>科技</mark></td>"


def test_lazy_text_is_translated_in_the_active_language():
    with override("en"):
        assert format_row("<b>{}</b>", gettext_lazy("示例")) == format_html("<b>{}</b>", gettext_lazy("示例"))
    assert format_row("{}{}{}", Decimal("12.50"), datetime.date(2025, 11, 2), None) == "12.502025-11-02None"
