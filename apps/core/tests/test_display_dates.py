"""{{ value|cndate }}: the official Chinese date, in the reader's language, from a date or a UTC datetime."""

import datetime

from django.template import Context, Template
from django.utils import translation

DAY = datetime.date(2025, 11, 1)
# 17:30 UTC on 31 October is half past one in the morning of 1 November in Beijing.
LATE_UTC = datetime.datetime(2025, 10, 31, 17, 30, tzinfo=datetime.UTC)


def _render(value, language: str) -> str:
    with translation.override(language):
        return Template("{{ value|cndate }}").render(Context({"value": value}))


def test_chinese_then_english_then_chinese_again():
    # Formatted days are remembered per language: switching back and forth must not leak one into the other.
    assert _render(DAY, "zh-hans") == "2025年11月1日"
    assert _render(DAY, "en") == "Nov. 1, 2025"
    assert _render(DAY, "zh-hans") == "2025年11月1日"


def test_a_datetime_is_dated_in_beijing():
    assert _render(LATE_UTC, "zh-hans") == "2025年11月1日"
    assert _render(LATE_UTC, "en") == "Nov. 1, 2025"


def test_nothing_is_a_dash():
    assert _render(None, "zh-hans") == "—"
    assert _render("", "en") == "—"
