"""Measure the chain classifier on the labelled set; print the table, optionally write it into
docs/benchmarks-chains.md (between the markers) and list the tune split's misses.

    .venv/bin/python scripts/chains_eval.py [--write] [--misses]"""

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from apps.chains.evaluation import evaluate, table  # noqa: E402

DOC = ROOT / "docs" / "benchmarks-chains.md"
START, END = "<!-- chains-eval:start -->", "<!-- chains-eval:end -->"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--misses", action="store_true", help="the tune split's misses (never the held-out's)")
    args = parser.parse_args()
    results, misses = evaluate()
    text = table(results)
    print(text)
    if args.misses:
        for item, top in misses:
            print(f"{item.name} [{item.link or '—'}] → {top.link if top else '无建议'} {top.reason if top else ''}")
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        doc = re.sub(re.escape(START) + ".*?" + re.escape(END), f"{START}\n{text}\n{END}", doc, flags=re.S)
        DOC.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
