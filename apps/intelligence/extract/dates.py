"""Dates, resolved against the article's own date: 2025年11月1日, 2025-11-01, 11月1日 (the year of the
article, or the one before when that would put the day more than a month after publication), 昨天/
今天/前天, 本月5日."""

from __future__ import annotations

import datetime
import re

from .types import DateMention, Span

DATE_RE = re.compile(
    r"(?=[\d前昨今本])(?:(?P<full>(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号])"
    r"|(?P<iso>(?<!\d)(?P<y2>(?:19|20)\d\d)[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?!\d))"
    r"|(?P<md>(?<![\d年])(?P<m3>\d{1,2})\s*月\s*(?P<d3>\d{1,2})\s*[日号])"
    r"|(?P<rel>前天|昨天|昨日|今天|今日|本月(?P<d4>\d{1,2})[日号]))"
)
_RELATIVE = {"前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0}


def _make(y: int, m: int, d: int) -> datetime.date | None:
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, published: datetime.date | None) -> list[DateMention]:
    out: list[DateMention] = []
    for match in DATE_RE.finditer(text):
        date = None
        if match["full"]:
            date = _make(int(match["y"]), int(match["m"]), int(match["d"]))
        elif match["iso"]:
            date = _make(int(match["y2"]), int(match["m2"]), int(match["d2"]))
        elif match["md"]:
            if published is None:
                continue
            date = _make(published.year, int(match["m3"]), int(match["d3"]))
            if date and date > published + datetime.timedelta(days=31):
                date = _make(published.year - 1, int(match["m3"]), int(match["d3"]))
        elif published is not None:
            word = match["rel"]
            if word in _RELATIVE:
                date = published + datetime.timedelta(days=_RELATIVE[word])
            else:
                date = _make(published.year, published.month, int(match["d4"]))
        if date:
            out.append(DateMention(date=date, text=match.group(), span=Span(*match.span())))
    return out
