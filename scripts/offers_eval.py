"""Measure the district matching (apps/offers/matching.py) on the labelled need profiles; print P@1,
MRR and NDCG@3 for the dev and held-out splits, optionally list the dev split's misses and write the
results into docs/benchmarks-offers.md (between the markers).

    .venv/bin/python scripts/offers_eval.py [--misses] [--write]"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from apps.offers.evaluation import evaluate, load_fixture  # noqa: E402

DOC = ROOT / "docs" / "benchmarks-offers.md"
START, END = "<!-- offers-eval:start -->", "<!-- offers-eval:end -->"


def table(results) -> str:
    book, _ = load_fixture()
    lines = [f"Offers fixture: {len(book.units)} districts, {len(book.parks)} parks, {len(book.sites)} sites, "
             f"{len(book.policies)} policies, {len(book.resources)} resources.", "",
             "| split | needs | P@1 | MRR | NDCG@3 |", "| --- | ---: | ---: | ---: | ---: |"]
    for s in results.values():
        lines.append(f"| {s.split} | {s.n} | {s.p_at_1:.3f} | {s.mrr:.3f} | {s.ndcg_at_3:.3f} |")
    return "\n".join(lines)


def misses(results, split: str) -> str:
    lines = []
    for case, top in results[split].misses:
        labels = "、".join(f"{k}({v})" for k, v in case.labels.items())
        lines.append(f"- {case.id} {case.title}: ranked {' > '.join(top)}; labelled {labels}")
    return "\n".join(lines) or "- none"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="the dev split's misses (top not labelled best)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    results = evaluate()
    text = table(results)
    print(text)
    if args.misses:
        print("\ndev misses (top district not labelled best):")
        print(misses(results, "dev"))
    if args.write:
        block = (f"{START}\n{text}\n\nHeld-out needs whose top district is not labelled best:\n\n"
                 f"{misses(results, 'held_out')}\n{END}")
        doc = DOC.read_text(encoding="utf-8")
        head, _, rest = doc.partition(START)
        _, _, tail = rest.partition(END)
        DOC.write_text(head + block + tail, encoding="utf-8")
        print(f"\nwritten to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
