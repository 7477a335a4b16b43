"""How well matching.rank_book orders districts, on a labelled set built for it.

eval/offers.json is a fixed synthetic book of offers for ten real Chongqing units (parks, sites and
policy numbers invented); eval/needs.json holds need profiles, each labelled with its best district(s)
and acceptable ones, written from the need's logic before any weight was tuned. The "held_out" needs
were never looked at while tuning. Chain-link keywords come from the real chain maps
(apps/chains/data/chain-maps), as they do in the database.

Metrics, per need, averaged:
- P@1: the top district is labelled best or acceptable;
- MRR: 1 / rank of the first best-or-acceptable district (0 if none in the list);
- NDCG@3: gains best = 2, acceptable = 1, ideal order = all best then all acceptable.

Pure Python: no database is touched."""

import datetime
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from apps.offers import matching

HERE = Path(__file__).resolve().parent / "eval"
CHAIN_MAPS = Path(__file__).resolve().parent.parent / "chains" / "data" / "chain-maps"
GAIN = {"best": 2, "acceptable": 1}


def _d(value):
    return None if value in (None, "") else Decimal(str(value))


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


def link_keywords() -> dict[tuple[str, str], tuple]:
    """(cluster name, link name) → keywords, from the chain maps shipped with apps.chains."""
    found = {}

    def walk(cluster, links):
        for link in links:
            found[(cluster, link["name"])] = tuple(link.get("keywords") or ())
            walk(cluster, link.get("children") or [])

    for path in sorted(CHAIN_MAPS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        walk(data["cluster"] if isinstance(data["cluster"], str) else data["cluster"]["name"], data["links"])
    return found


def load_fixture(path: Path = HERE / "offers.json") -> tuple[matching.Book, dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    cluster_ids: dict[str, int] = {}

    def cid(name: str) -> int:
        return cluster_ids.setdefault(name, len(cluster_ids) + 1)

    book = matching.Book(units=[])
    ids = iter(range(1, 1_000_000))
    for order, district in enumerate(data["districts"]):
        unit = matching.UnitRow(id=order + 1, name=district["name"], sort_order=order)
        book.units.append(unit)
        for p in district["parks"]:
            book.parks.append(matching.ParkRow(next(ids), unit.id, p["name"], frozenset(cid(c) for c in p["clusters"]),
                                               tuple(p["clusters"]), p["leading_industries"], p.get("description", "")))
        for s in district["sites"]:
            book.sites.append(matching.SiteRow(
                next(ids), unit.id, s["name"], s["kind"], _d(s["area"]), s.get("park") or "", s.get("power_kva"),
                _d(s.get("water_tpd")), _day(s.get("ready_date")), s.get("status", "available"), _d(s.get("price")),
                s.get("price_unit", "")))
        for p in district["policies"]:
            book.policies.append(matching.PolicyRow(next(ids), unit.id, p["title"], _day(p["valid_from"]),
                                                    _day(p.get("valid_until")),
                                                    frozenset(cid(c) for c in p["clusters"]), p.get("doc_number", "")))
        for r in district["resources"]:
            book.resources.append(matching.ResourceRow(next(ids), unit.id, r["kind"], r["title"], r["description"]))
    return book, cluster_ids


@dataclass
class Case:
    id: str
    split: str
    title: str
    need: matching.Need
    labels: dict  # district name → "best" / "acceptable"


def load_needs(cluster_ids: dict, path: Path = HERE / "needs.json") -> tuple[list[Case], datetime.date]:
    data = json.loads(path.read_text(encoding="utf-8"))
    keywords = link_keywords()
    cases = []
    for row in data["needs"]:
        cluster = row["cluster"]
        link = row.get("chain_link") or ""
        if link and (cluster, link) not in keywords:
            raise ValueError(f"{row['id']}: {cluster} 的链图中没有环节“{link}”")
        need = matching.Need(
            cluster_id=cluster_ids.setdefault(cluster, len(cluster_ids) + 1), cluster_name=cluster,
            link_name=link, link_keywords=keywords.get((cluster, link), ()), site_kind=row.get("site_kind") or "",
            area_min=_d(row.get("area_min")), area_max=_d(row.get("area_max")), power_kva=row.get("power_kva"),
            water_tpd=_d(row.get("water_tpd")), needs_talent=row.get("needs_talent") or "",
            needs_market=row.get("needs_market") or "", needed_by=_day(row.get("needed_by")),
        )
        labels = {name: "best" for name in row["best"]} | {name: "acceptable" for name in row.get("acceptable", [])}
        cases.append(Case(row["id"], row["split"], row["title"], need, labels))
    return cases, _day(data["eval_date"])


def dcg(gains: list[int]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


@dataclass
class Scores:
    split: str
    n: int = 0
    p_at_1: float = 0.0
    mrr: float = 0.0
    ndcg_at_3: float = 0.0
    misses: list = field(default_factory=list)  # (case, ranked names) where the top is not labelled best


def score_case(case: Case, ranked: list[str]) -> tuple[float, float, float]:
    relevant = [i for i, name in enumerate(ranked) if name in case.labels]
    p1 = 1.0 if ranked and ranked[0] in case.labels else 0.0
    rr = 1.0 / (relevant[0] + 1) if relevant else 0.0
    ideal = sorted((GAIN[v] for v in case.labels.values()), reverse=True)[:3]
    got = [GAIN.get(case.labels.get(name, ""), 0) for name in ranked[:3]]
    ndcg = dcg(got) / dcg(ideal) if ideal else 0.0
    return p1, rr, ndcg


def evaluate(book=None, cases=None, today=None) -> dict[str, Scores]:
    if book is None:
        book, cluster_ids = load_fixture()
        cases, today = load_needs(cluster_ids)
    results = {"dev": Scores("dev"), "held_out": Scores("held_out")}
    for case in cases:
        ranked = [m.unit.name for m in matching.rank_book(case.need, book, today=today)]
        p1, rr, ndcg = score_case(case, ranked)
        s = results[case.split]
        s.n += 1
        s.p_at_1 += p1
        s.mrr += rr
        s.ndcg_at_3 += ndcg
        if case.labels.get(ranked[0]) != "best":
            s.misses.append((case, ranked[:3]))
    for s in results.values():
        if s.n:
            s.p_at_1, s.mrr, s.ndcg_at_3 = s.p_at_1 / s.n, s.mrr / s.n, s.ndcg_at_3 / s.n
    return results
