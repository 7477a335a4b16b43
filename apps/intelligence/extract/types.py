"""The engine's result types. Every span is (start, end) into Extraction.text, which the review page
highlights as it stands."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Amount:
    text: str
    value: int          # in the currency's base unit (yuan, dollar)
    currency: str       # "CNY", "USD", "HKD", "EUR", "JPY", "GBP"
    qualifier: str      # "" | 约 | 近 | 超 | 余 | 多 | 以上 | 逾 | 左右 | 不足
    kind: str           # "total" | "threshold" | "value"
    span: Span


@dataclass
class Pair:
    count: int
    value: int
    currency: str
    region: str         # "" unless the pair is one line of a per-region breakdown
    span: Span


@dataclass
class Region:
    name: str           # 九龙坡区
    province: str       # 重庆市
    city: str           # "" for a municipality's districts
    code: str           # GB/T 2260
    historical: bool    # abolished by the article's date (江北区 from 2025-11-06)
    span: Span


@dataclass
class Org:
    name: str
    short_names: list[str]
    span: Span


@dataclass
class ProjectMention:
    name: str
    region: str
    value: int | None
    currency: str
    chain_role: str     # "" | 强链 | 固链 | 补链 | 延链
    cluster: str        # "" or a 33618 cluster name
    org: str            # the organisation tied to it (full name when the article gives one)
    span: Span


@dataclass
class DateMention:
    date: datetime.date
    text: str
    span: Span
    precision: str = "day"   # "day" | "month" (今年3月: date is the 1st of that month)


@dataclass
class EventMention:
    kind: str           # "signing" | "promotion" | "visit" | "meeting"
    name: str
    date: datetime.date | None
    place: str
    count: int | None
    value: int | None
    currency: str
    span: Span


@dataclass
class Extraction:
    text: str
    title: str = ""
    published: datetime.date | None = None
    amounts: list[Amount] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    orgs: list[Org] = field(default_factory=list)
    projects: list[ProjectMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    chain_roles: list[tuple[str, Span]] = field(default_factory=list)
    clusters: list[tuple[str, Span]] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)

    def to_json(self) -> dict:
        def unique(items):
            seen, out = set(), []
            for item in items:
                key = repr(item)
                if key not in seen:
                    seen.add(key)
                    out.append(item)
            return out

        def span(s: Span) -> list[int]:
            return [s.start, s.end]

        return {
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "amounts": unique([a.value, a.currency] for a in self.amounts),
            "amount_details": [
                {"text": a.text, "value": a.value, "currency": a.currency, "qualifier": a.qualifier,
                 "kind": a.kind, "span": span(a.span)}
                for a in self.amounts
            ],
            "pairs": unique([p.count, p.value] for p in self.pairs),
            "pair_details": [
                {"count": p.count, "value": p.value, "currency": p.currency, "region": p.region, "span": span(p.span)}
                for p in self.pairs
            ],
            "regions": unique(r.name for r in self.regions),
            "region_details": unique(
                {"name": r.name, "province": r.province, "city": r.city, "code": r.code, "historical": r.historical}
                for r in self.regions
            ),
            "orgs": unique(o.name for o in self.orgs),
            "org_details": [{"name": o.name, "short_names": o.short_names, "span": span(o.span)} for o in self.orgs],
            "projects": [
                {"name": p.name, "region": p.region, "amount_yuan": p.value if p.currency == "CNY" else None,
                 "value": p.value, "currency": p.currency, "chain_role": p.chain_role, "cluster": p.cluster,
                 "org": p.org, "span": span(p.span)}
                for p in self.projects
            ],
            "dates": unique(d.date.isoformat() for d in self.dates if d.precision == "day"),
            "months": unique(d.date.isoformat()[:7] for d in self.dates if d.precision == "month"),
            "chain_roles": unique(name for name, _ in self.chain_roles),
            "clusters": unique(name for name, _ in self.clusters),
            "events": [
                {"kind": e.kind, "name": e.name, "date": e.date.isoformat() if e.date else None, "place": e.place,
                 "count": e.count, "value": e.value, "currency": e.currency, "span": span(e.span)}
                for e in self.events
            ],
        }
