"""The engine's speed on articles of ~3,000 characters (manage.py bench news, scripts/news_eval.py).

The articles are stitched from the labelled corpus (apps/intelligence/tests/corpus) and the seed-like
texts in it, cut at 3,000 characters, so they carry the density of amounts, names and regions real
reports have. One process, one core, no database."""

from __future__ import annotations

import random
import time
from pathlib import Path

from . import extract, read_article

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"


def bench_articles(count: int, *, seed: int = 1, size: int = 3000) -> list[str]:
    texts = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix in (".txt", ".html", ".docx"):
            title, text, _ = read_article(path.read_bytes(), filename=path.name)
            texts.append(text)
    rnd = random.Random(seed)
    articles = []
    for _ in range(count):
        parts, length = [], 0
        while length < size:
            piece = rnd.choice(texts)
            parts.append(piece)
            length += len(piece) + 1
        articles.append("\n".join(parts)[:size])
    return articles


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def bench_news(*, articles: int = 1000, seed: int = 1) -> dict:
    import datetime

    batch = bench_articles(articles, seed=seed)
    published = datetime.date(2025, 11, 2)
    for text in batch[:20]:  # warm the tables and the regex caches
        extract(text, published=published)
    timings = []
    started = time.perf_counter()
    for text in batch:
        t0 = time.perf_counter()
        extract(text, published=published)
        timings.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    return {
        "articles": len(batch),
        "chars_per_article": round(sum(map(len, batch)) / len(batch)),
        "articles_per_s": round(len(batch) / elapsed, 1),
        "p50_ms": round(_pct(timings, 50), 2),
        "p95_ms": round(_pct(timings, 95), 2),
    }
