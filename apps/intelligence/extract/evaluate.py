"""Precision and recall of the engine against the labelled corpus (tests/corpus/*.json), per field.

Matching: amounts as (value, currency); pairs as (count, value); regions by name; orgs by name; projects by
name (one name containing the other, "项目" and quotes ignored), and — stricter — by name plus region,
value, currency and chain role; events by date and name (containment) plus count and value. Each
prediction matches at most one label.

Names (orgs, project and event names) are compared through apps.organisations.names.search_form — the
same folding the engine applies to the text (NFKC: （） → (), full-width → half-width; traditional →
simplified; no spaces; Latin lower-cased) — so a label written as the article spells it
("德盛實業（香港）有限公司") matches the engine's normalised name ("德盛实业(香港)有限公司")."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from apps.organisations.names import search_form

from . import extract, read_article

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
CORPUS2 = Path(__file__).resolve().parent.parent / "tests" / "corpus2"
FIELDS = ("amounts", "pairs", "regions", "orgs", "projects", "projects_full", "events")


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 1.0


@dataclass
class Report:
    scores: dict[str, dict[str, Score]] = field(default_factory=dict)   # group → field → score
    misses: list[str] = field(default_factory=list)


def _norm(name: str) -> str:
    name = search_form(name)
    for ch in "“”\"《》()":
        name = name.replace(ch, "")
    return name.removesuffix("项目")


def _same_name(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a and b) and (a in b or b in a)


def _match(predicted: list, expected: list, same) -> int:
    left = list(expected)
    tp = 0
    for item in predicted:
        for index, label in enumerate(left):
            if same(item, label):
                tp += 1
                del left[index]
                break
    return tp


def _project_full(p: dict, e: dict) -> bool:
    if not _same_name(p["name"], e["name"]) or p["region"] != e["region"] or p["chain_role"] != e["chain_role"]:
        return False
    if e["value"] is None:
        return p["value"] is None
    return p["value"] == e["value"] and p["currency"] == e["currency"]


def _event(p: dict, e: dict) -> bool:
    return (p["date"] == e["date"] and _same_name(p["name"], e["name"]) and p["count"] == e["count"]
            and p["value"] == e["value"])


def load_case(path: Path) -> tuple[dict, dict]:
    """(labels, the engine's to_json()) for one corpus text."""
    labels = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    title, text, published = read_article(path.read_bytes(), filename=path.name)
    if published is None and labels.get("published"):
        published = datetime.date.fromisoformat(labels["published"])  # what --date would give
    return labels, extract(text, published=published, title=title).to_json()


def corpus_files(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".html", ".docx"))


def _group(path: Path) -> str:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8")).get("group", "dev")


def evaluate(corpus: Path = CORPUS, groups: set[str] | None = None, *, misses: bool = True) -> Report:
    """Scores per group (and "all") over corpus; with groups, only the texts labelled with one of them
    are run. misses=False keeps the per-text misses out of the report (a blind group's run)."""
    report = Report()
    for path in corpus_files(corpus):
        if groups is not None and _group(path) not in groups:
            continue
        labels, got = load_case(path)
        group = labels.get("group", "dev")
        predicted = {
            "amounts": [tuple(a) for a in got["amounts"]],
            "pairs": [tuple(p) for p in got["pairs"]],
            "regions": got["regions"],
            "orgs": got["orgs"],
            "projects": got["projects"],
            "projects_full": got["projects"],
            "events": got["events"],
        }
        expected = {
            "amounts": [tuple(a) for a in labels["amounts"]],
            "pairs": [tuple(p) for p in labels["pairs"]],
            "regions": labels["regions"],
            "orgs": labels["orgs"],
            "projects": labels["projects"],
            "projects_full": labels["projects"],
            "events": labels["events"],
        }
        same = {
            "orgs": lambda p, e: search_form(p) == search_form(e),
            "projects": lambda p, e: _same_name(p["name"], e["name"]),
            "projects_full": _project_full,
            "events": _event,
        }
        for name in FIELDS:
            tp = _match(predicted[name], expected[name], same.get(name, lambda a, b: a == b))
            for g in (group, "all"):
                score = report.scores.setdefault(g, {}).setdefault(name, Score())
                score.tp += tp
                score.predicted += len(predicted[name])
                score.expected += len(expected[name])
            if misses and (tp != len(predicted[name]) or tp != len(expected[name])):
                report.misses.append(f"{path.name} {name}: got {_short(predicted[name])} want {_short(expected[name])}")
    return report


def _short(items: list) -> str:
    out = []
    for item in items:
        if isinstance(item, dict):
            keys = ("name", "region", "value", "currency", "chain_role", "date", "count")
            out.append("{" + ",".join(str(item.get(k)) for k in keys if k in item) + "}")
        else:
            out.append(str(list(item) if isinstance(item, tuple) else item))
    return "[" + "; ".join(out) + "]"
