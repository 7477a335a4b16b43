"""Dates, resolved against the article's own date: 2025年11月1日, 2025-11-01, 11月1日 (the year of the
article, or the one before when that would put the day more than a month after publication), 昨天/
今天/前天, 本月5日; 当日/当天/同日 (the day the text last named, else the article's); a month alone
(今年3月, 2025年3月, 去年10月) as the first of that month with precision "month" (to_json: "months").

Without an article date, a day written without its year (10月14日) takes the first year the text writes
("2026年…推介会"), so an undated press release still dates its events."""

from __future__ import annotations

import datetime
import re

from .types import DateMention, Span

DATE_RE = re.compile(
    r"(?=[\d前昨今本当同去明])(?:(?P<full>(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号])"
    r"|(?P<iso>(?<!\d)(?P<y2>(?:19|20)\d\d)[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?!\d))"
    r"|(?P<md>(?<![\d年])(?P<m3>\d{1,2})\s*月\s*(?P<d3>\d{1,2})\s*[日号])"
    r"|(?P<month>(?:(?P<y5>(?:19|20)\d\d)\s*年|(?P<rel_y>今年|去年|明年))\s*(?P<m5>\d{1,2})\s*月(?:份)?(?![\d至到—-]))"
    r"|(?P<rel>前天|昨天|昨日|今天|今日|当日|当天|同日|本月(?P<d4>\d{1,2})[日号]))"
)
_RELATIVE = {"前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0}
_SAME_DAY = ("当日", "当天", "同日")
_YEAR_RE = re.compile(r"(?<!\d)(20\d\d)\s*年")
_REL_YEAR = {"今年": 0, "去年": -1, "明年": 1}


def _make(y: int, m: int, d: int) -> datetime.date | None:
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, published: datetime.date | None) -> list[DateMention]:
    out: list[DateMention] = []
    year_hint = None
    if published is None:
        first_year = _YEAR_RE.search(text)
        year_hint = int(first_year.group(1)) if first_year else None
    last: datetime.date | None = None
    for match in DATE_RE.finditer(text):
        date = None
        if match["full"]:
            date = _make(int(match["y"]), int(match["m"]), int(match["d"]))
        elif match["iso"]:
            date = _make(int(match["y2"]), int(match["m2"]), int(match["d2"]))
        elif match["md"]:
            if published is not None:
                date = _make(published.year, int(match["m3"]), int(match["d3"]))
                if date and date > published + datetime.timedelta(days=31):
                    date = _make(published.year - 1, int(match["m3"]), int(match["d3"]))
            elif year_hint is not None:
                date = _make(year_hint, int(match["m3"]), int(match["d3"]))
        elif match["month"]:
            if match["y5"]:
                date = _make(int(match["y5"]), int(match["m5"]), 1)
            elif published is not None:
                date = _make(published.year + _REL_YEAR[match["rel_y"]], int(match["m5"]), 1)
        else:
            word = match["rel"]
            if word in _SAME_DAY:
                date = last or published
            elif published is None:
                date = None
            elif word in _RELATIVE:
                date = published + datetime.timedelta(days=_RELATIVE[word])
            else:
                date = _make(published.year, published.month, int(match["d4"]))
        if date:
            if not match["month"]:
                last = date
            out.append(DateMention(date=date, text=match.group(), span=Span(*match.span()),
                                   precision="month" if match["month"] else "day"))
    return out
