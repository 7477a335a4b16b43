"""Measures the classifier (classify.py) on the labelled set data/labelled-orgs.txt against the shipped
maps. Pure Python, no database: scripts/chains_eval.py prints and writes the table, and a test holds
the held-out figures above a floor.

The split is fixed by a hash of the name (crc32 % 5 < 2 → held out, about 40%), so it cannot drift
with edits of the file, and the keywords were tuned looking only at the other part's misses."""

import zlib
from dataclasses import dataclass
from pathlib import Path

from apps.chains.classify import Index, shipped_maps

LABELLED = Path(__file__).resolve().parent / "data" / "labelled-orgs.txt"
# Long business scopes written the way registrations read (many generic items); all held out.
LABELLED_LONG = Path(__file__).resolve().parent / "data" / "labelled-orgs-long.txt"


@dataclass(frozen=True)
class Labelled:
    name: str
    scope: str
    section: str
    link: str  # leaf link name, "" = none of the mapped clusters
    long_scope: bool = False

    @property
    def split(self) -> str:
        if self.long_scope:
            return "long"
        return "heldout" if zlib.crc32(self.name.encode("utf-8")) % 5 < 2 else "tune"


def labelled_set() -> list[Labelled]:
    out = []
    for path, long_scope in ((LABELLED, False), (LABELLED_LONG, True)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, scope, section, link = (part.strip() for part in line.split("|"))
            out.append(Labelled(name, scope, section, link, long_scope))
    return out


@dataclass
class Result:
    split: str
    positives: int = 0
    negatives: int = 0
    covered: int = 0
    cluster_right: int = 0
    link_right: int = 0
    negatives_suggested: int = 0

    @property
    def coverage(self) -> float:
        return self.covered / self.positives if self.positives else 0.0

    @property
    def cluster_precision(self) -> float:
        return self.cluster_right / self.covered if self.covered else 0.0

    @property
    def link_precision(self) -> float:
        return self.link_right / self.covered if self.covered else 0.0

    @property
    def false_rate(self) -> float:
        return self.negatives_suggested / self.negatives if self.negatives else 0.0


def evaluate(items: list[Labelled] | None = None, index: Index | None = None) -> tuple[dict[str, Result], list]:
    """(results by split and "all", misses of the tune split for tuning)."""
    maps = shipped_maps()
    index = index or Index.from_maps(maps)
    leaf_cluster = {leaf.name: leaf.cluster for leaf in index.leaves}
    results = {name: Result(name) for name in ("tune", "heldout", "long", "all")}
    misses = []
    for item in items if items is not None else labelled_set():
        top = index.suggest(item.name, item.scope, item.section, limit=1)
        for result in (results[item.split], results["all"]):
            if not item.link:
                result.negatives += 1
                result.negatives_suggested += bool(top)
                continue
            result.positives += 1
            if top:
                result.covered += 1
                result.cluster_right += top[0].cluster == leaf_cluster[item.link]
                result.link_right += str(top[0].link).rsplit("/", 1)[-1] == item.link
        if item.split == "tune" and (bool(top) != bool(item.link) or (
                top and str(top[0].link).rsplit("/", 1)[-1] != item.link)):
            misses.append((item, top[0] if top else None))
    return results, misses


def table(results: dict[str, Result]) -> str:
    lines = ["| 划分 | 正例 | 覆盖率 | 集群准确率@1 | 环节准确率@1 | 反例 | 反例误报率 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    labels = {"tune": "调参部分", "heldout": "留出部分", "long": "长经营范围（全部留出）", "all": "全部"}
    for key in ("tune", "heldout", "long", "all"):
        r = results[key]
        lines.append(f"| {labels[key]} | {r.positives} | {r.coverage:.1%} | {r.cluster_precision:.1%} | "
                     f"{r.link_precision:.1%} | {r.negatives} | {r.false_rate:.1%} |")
    return "\n".join(lines)
