"""The value readers every service uses: whatever is submitted, the answer is the value or a DomainError
naming the field — never another exception, never a value outside what the reader promises."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from apps.core.errors import DomainError
from apps.core.values import date_value, text_value
from apps.projects.forms import parse_day

ANYTHING = st.one_of(st.none(), st.text(), st.integers(), st.floats(), st.dates(), st.booleans())


@given(ANYTHING, st.booleans())
def test_date_value_gives_a_date_in_range_or_names_the_field(value, required):
    try:
        got = date_value({"date": value}, "date", "日期", required=required)
    except DomainError as error:
        assert error.field == "date" and error.message.startswith("日期：")
        return
    assert got is None or (isinstance(got, datetime.date) and 2000 <= got.year <= 2100)
    assert got is not None or not required


@given(ANYTHING, st.integers(min_value=1, max_value=300), st.booleans())
def test_text_value_gives_stripped_text_within_its_length_or_names_the_field(value, max_length, required):
    try:
        got = text_value({"title": value}, "title", "标题", required=required, max_length=max_length)
    except DomainError as error:
        assert error.field == "title" and error.message.startswith("标题：")
        return
    assert got == got.strip() and len(got) <= max_length and (got or not required)


@given(st.dates())
def test_parse_day_reads_back_every_iso_date(day):
    assert parse_day(day.isoformat()) == day


@given(st.text(max_size=30))
def test_parse_day_never_raises_on_any_text(text):
    got = parse_day(text)
    assert got is None or isinstance(got, datetime.date)
