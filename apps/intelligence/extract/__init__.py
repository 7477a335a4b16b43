"""The news-extraction engine (issue 7): an article in, candidate amounts, pairs, regions, organisations,
projects, dates, chain roles, clusters and events out, each with its span in the cleaned text.

Pure Python, no database: the review page, the CLI (manage.py extract_news) and the benchmark
(manage.py bench news) call the two functions below.

    title, text, published = read_article(data, filename="x.html")
    result = extract(text, published=published, title=title)
    result.to_json()
"""

from __future__ import annotations

import datetime

from .amounts import find_amounts, find_pairs
from .clean import normalise, read_article
from .dates import find_dates
from .events import find_events
from .orgs import find_orgs
from .projects import find_chain_roles, find_clusters, find_projects
from .regions import find_regions
from .types import (
    Amount,
    DateMention,
    EventMention,
    Extraction,
    Org,
    Pair,
    ProjectMention,
    Region,
    Span,
)

__all__ = [
    "Amount", "DateMention", "EventMention", "Extraction", "Org", "Pair", "ProjectMention", "Region", "Span",
    "extract", "read_article",
]


def extract(text: str, *, published: datetime.date | None = None, title: str = "") -> Extraction:
    """Everything the engine finds in text. text is normalised first (full-width → half-width,
    traditional → simplified); the spans point into Extraction.text, the normalised string."""
    text = normalise(text or "")
    title = normalise(title or "").strip()
    amounts = find_amounts(text)
    regions = find_regions(text, published=published)
    pairs = _dedupe_pairs(find_pairs(text, amounts, regions))
    orgs = find_orgs(text)
    dates = find_dates(text, published)
    chain_roles = find_chain_roles(text)
    clusters = find_clusters(text)
    projects = find_projects(text, amounts, regions, orgs, chain_roles, clusters)
    events = find_events(text, dates, pairs, published)
    return Extraction(
        text=text, title=title, published=published, amounts=amounts, pairs=pairs, regions=regions, orgs=orgs,
        projects=projects, dates=dates, chain_roles=chain_roles, clusters=clusters, events=events,
    )


def _dedupe_pairs(pairs: list[Pair]) -> list[Pair]:
    """A total repeated later in the article ("其中本次…签约落地项目18个、239.5亿元") is the same pair."""
    seen: set[tuple[int, int, str, str]] = set()
    out = []
    for pair in pairs:
        key = (pair.count, pair.value, pair.currency, pair.region)
        if key not in seen:
            seen.add(key)
            out.append(pair)
    return out
