"""Suggests where an organisation sits on the chain maps, from its name, its business scope (经营范围 or
description) and its GB/T 4754 section. No segmenter: the links' keywords go into one dictionary and the
text is scanned left to right taking the longest keyword that starts at each character, which is exact
for the short technical terms keywords are, and fast (a dictionary probe per character).

Score of a leaf link = Σ over distinct keywords found  field weight × keyword weight
    field weight: name 3, scope 1 (a name says what a firm *is*; a scope lists everything it may do)
    keyword weight: 1 for the link's own keywords, 0.3 for its segment's (the level above), so the
    segment's words lean towards the cluster without choosing a link
then × 1.25 when the section fits the link (SECTION_PRIOR), × 0.8 when a section is given and does not.
Suggestions below MIN_SCORE (one scope hit) are not made: no suggestion is better than a wrong one.
The measured precision is in docs/benchmarks-chains.md (scripts/chains_eval.py)."""

import json
from dataclasses import dataclass
from pathlib import Path

from apps.chains.maps import SEP, flatten

NAME_WEIGHT = 3.0
SCOPE_WEIGHT = 1.0
SEGMENT_WEIGHT = 0.3
SECTION_FIT = 1.25
SECTION_MISFIT = 0.8
MIN_SCORE = 1.0

# GB/T 4754 sections expected of firms on a cluster's links, with exceptions per link name. A prior,
# not the taxonomy: it only nudges scores (manufacturing clusters are mostly section C).
SECTION_PRIOR = {
    "智能网联新能源汽车": {"*": "C", "车载操作系统与基础软件": "CI", "智驾域控与算法": "CI", "汽车数据安全": "I",
                   "车联网与车路协同": "CI", "充换电设施": "DFL", "动力电池回收": "CN",
                   "汽车服务与出行": "FLO"},
    "新一代电子信息制造业": {"*": "C", "芯片设计": "CI", "数据中心与智算": "I", "网络与信息安全设备": "CI",
                    "电子产品流通与维修": "FO", "电子废弃物回收": "N"},
    "先进材料": {"*": "C", "矿产与冶炼": "BC", "检测与中试服务": "M", "再生资源循环利用": "CN",
             "碳资源利用与绿色低碳材料": "CM"},
}


@dataclass(frozen=True)
class Suggestion:
    cluster: object  # a cluster name (pure index) or a Cluster (from the database)
    link: object  # a link path "上游/关键材料/正极材料" (pure index) or a ChainLink
    score: float
    reason: str


@dataclass(frozen=True)
class _Leaf:
    key: object  # whatever identifies the link to the caller (path or id)
    cluster: str
    name: str
    sections: str


class Index:
    """The keyword dictionary over a set of maps. Build once, ask many times."""

    def __init__(self, leaves: list[tuple[_Leaf, list[str], list[str]]]):
        # leaves: (leaf, own keywords, segment keywords)
        self.leaves = [leaf for leaf, _, _ in leaves]
        weights: dict[str, dict[int, float]] = {}
        for i, (_leaf, own, segment) in enumerate(leaves):
            for word, weight in [*((w, SEGMENT_WEIGHT) for w in segment), *((w, 1.0) for w in own)]:
                postings = weights.setdefault(word.lower(), {})
                postings[i] = max(weight, postings.get(i, 0.0))
        self.words: dict[str, list[tuple[int, float]]] = {w: list(p.items()) for w, p in weights.items()}
        self.max_len = max((len(w) for w in self.words), default=0)

    @classmethod
    def from_maps(cls, maps: list[dict]) -> "Index":
        """From maps in the plain form (maps.py); a link is identified by its path."""
        entries = []
        for data in maps:
            rows = flatten(data["links"])
            by_path = {row.path_text: row for row in rows}
            parents = {SEP.join(row.path[:-1]) for row in rows}
            prior = SECTION_PRIOR.get(data["cluster"], {})
            for row in rows:
                if row.path_text in parents:
                    continue  # suggestions are leaves
                segment = by_path.get(SEP.join(row.path[:-1]))
                leaf = _Leaf(row.path_text, data["cluster"], row.path[-1],
                             prior.get(row.path[-1], prior.get("*", "")))
                entries.append((leaf, row.keywords, segment.keywords if segment else []))
        return cls(entries)

    def scan(self, text: str) -> list[str]:
        """The keywords found in `text`, longest match first at each position, in order."""
        text = (text or "").lower()
        found, i, n = [], 0, len(text)
        while i < n:
            for length in range(min(self.max_len, n - i), 0, -1):
                word = text[i:i + length]
                if word in self.words:
                    found.append(word)
                    i += length
                    break
            else:
                i += 1
        return found

    def suggest(self, name: str, scope_text: str = "", industry_section: str = "",
                limit: int = 5) -> list[Suggestion]:
        hits: dict[int, dict[str, tuple[float, str]]] = {}
        for field, weight, text in (("名称", NAME_WEIGHT, name), ("经营范围", SCOPE_WEIGHT, scope_text)):
            for word in dict.fromkeys(self.scan(text)):
                for leaf_index, word_weight in self.words[word]:
                    best = hits.setdefault(leaf_index, {})
                    value = weight * word_weight
                    if word not in best or best[word][0] < value:
                        best[word] = (value, field)
        section = (industry_section or "").strip().upper()[:1]
        out = []
        for leaf_index, words in hits.items():
            leaf = self.leaves[leaf_index]
            score = sum(v for v, _ in words.values())
            note = ""
            if section and leaf.sections:
                if section in leaf.sections:
                    score *= SECTION_FIT
                    note = f"；行业门类{section}相符"
                else:
                    score *= SECTION_MISFIT
                    note = f"；行业门类{section}不太相符"
            if score < MIN_SCORE:
                continue
            strongest = sorted(words.items(), key=lambda kv: -kv[1][0])[:3]
            said = "，".join(f"{field}含“{word}”" for word, (_, field) in strongest)
            out.append(Suggestion(leaf.cluster, leaf.key, round(score, 2), f"{said} → {leaf.name}{note}"))
        out.sort(key=lambda s: (-s.score, str(s.link)))
        return out[:limit]


# --- the maps in the database ---------------------------------------------------------------------

_cache: dict = {}


def database_index() -> tuple[Index, dict]:
    """The index over the current maps, rebuilt when a map changes (a new ChainMapVersion)."""
    from django.db.models import Count, Max

    from apps.chains.models import ChainLink, ChainMapVersion

    stamp = tuple(ChainMapVersion.objects.aggregate(m=Max("id"), n=Count("id")).values())
    if _cache.get("stamp") == stamp:
        return _cache["index"], _cache["links"]
    links = {link.id: link for link in ChainLink.objects.select_related("cluster").order_by("position")}
    parents = {link.parent_id for link in links.values()}
    entries = []
    for link in links.values():
        if link.id in parents:
            continue
        prior = SECTION_PRIOR.get(link.cluster.name, {})
        segment = links.get(link.parent_id)
        entries.append((_Leaf(link.id, link.cluster.name, link.name, prior.get(link.name, prior.get("*", ""))),
                        list(link.keywords or []), list(segment.keywords or []) if segment else []))
    index = Index(entries)
    _cache.update(stamp=stamp, index=index, links=links)
    return index, links


def suggest(name: str, scope_text: str = "", industry_section: str = "", limit: int = 5) -> list[Suggestion]:
    """Ranked [(cluster, link, score, reason)] over the maps in the database."""
    index, links = database_index()
    out = []
    for s in index.suggest(name, scope_text, industry_section, limit=limit):
        link = links[s.link]
        out.append(Suggestion(link.cluster, link, s.score, s.reason))
    return out


def shipped_maps() -> list[dict]:
    folder = Path(__file__).resolve().parent / "data" / "chain-maps"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
