"""`make bench`: run the target-library benchmarks on SQLite and, when DATABASE_URL is set, on
PostgreSQL, each in a database of its own, and write docs/benchmarks.md from their JSON lines.

    python scripts/bench_report.py [--orgs 1000000] [--queries 2000] [--naive 200] [--only sqlite|postgresql]

The SQLite run uses var/bench.sqlite3 (deleted first). The PostgreSQL run uses the server of
DATABASE_URL with a database named <name>_bench, dropped and created again (UTF8, C.UTF-8).
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
OUT = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "var" / "bench-results.json"


def run(args: list[str], env: dict) -> dict | None:
    """Run one manage.py command; echo its stderr; return its last stdout line parsed as JSON."""
    print("$", " ".join(args), flush=True)
    proc = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        # Keep going: one failed benchmark must not throw away the others' results.
        print(f"failed: {' '.join(args)} (exit {proc.returncode})", flush=True)
        return None
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if not lines:
        return None
    print(lines[-1], flush=True)
    return json.loads(lines[-1])


def pg_bench_url(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    bench = f"{name}_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    return urlunsplit(parts._replace(path=f"/{bench}")), admin, bench


def recreate_pg(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                     "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")


def suite(label: str, env: dict, opts) -> list[dict]:
    results = []
    run(["migrate", "--noinput", "-v0"], env)
    run(["collectstatic", "--noinput", "-v0"], env)  # the list page renders with the real static manifest
    for what, extra in [
        ("import", ["--orgs", str(opts.orgs), "--reset", "--encoding", "gb18030"]),
        ("search", ["--queries", str(opts.queries), "--naive", str(opts.naive)]),
        ("match", ["--queries", "1000"]),
        ("http", ["--queries", "500"]),
    ]:
        if what not in opts.steps:
            continue
        result = run(["bench", what, *extra], env)
        if result:
            result["label"] = label
            results.append(result)
    return results


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    return f"{os.cpu_count()} CPU ({model or platform.processor()}), {mem_kb / 1024 / 1024:.0f} GiB RAM, " \
           f"{platform.system()} {platform.release()}, Python {platform.python_version()}"


def verdict(value, limit) -> str:
    return "✅" if value is not None and value <= limit else "❌"


def write_report(results: list[dict], opts) -> None:
    by = {(r["label"], r["bench"]): r for r in results}
    lines = [
        "# Benchmarks: the target library at a million organisations",
        "",
        f"Produced by `make bench` (`python scripts/bench_report.py --orgs {opts.orgs} --queries {opts.queries} "
        f"--naive {opts.naive}`) on {datetime.date.today().isoformat()}.",
        "",
        f"Machine: {machine()}.",
        "",
        "Data: organisations made by `bench/generator.py` (region + 字号 + industry + form, 简称 and 曾用名, "
        "branches, full-width and traditional variants), written as a GB18030 CSV and loaded through the "
        "real importer (`apps/imports`), search index included. Queries are cut from names in the library: "
        "2 characters, 3 characters, a whole 字号, and 4–8 characters, in equal numbers. "
        "\"naive\" answers the same queries, with the same ranking, by a plain `icontains` scan of every row "
        "(`search.naive_ids`); `same_top20` says the index returned exactly the naive top 20 for every one "
        "of the checked queries. Timings are taken with the database files in the operating system's "
        "cache, as on a server in use (each command warms up with 200 queries first); the first run after "
        "the files left the cache is slower (SQLite search p95 1.3 ms was seen once; this machine also "
        "reclaims idle page cache, so a database left alone for a while starts cold). Runs vary by ±20% "
        "and more on this shared machine: see the load averages below.",
        "",
        "| | target | SQLite | PostgreSQL |",
        "|---|---|---|---|",
    ]

    def cell(label, bench, key, limit=None, unit=""):
        r = by.get((label, bench))
        if not r or key not in r:
            return "—"
        value = r[key]
        text = f"{value}{unit}"
        return f"{text} {verdict(value, limit)}" if limit is not None else text

    rows = [
        ("organisations", None, "import", "rows", None, None, ""),
        ("import time", "≤ 120 s SQLite / ≤ 180 s PG", "import", "seconds", 120, 180, " s"),
        ("import peak memory", "≤ 500 MB", "import", "peak_rss_mb", 500, 500, " MB"),
        ("organisation table size", None, "import", "table_mb", None, None, " MB"),
        ("search index size", None, "import", "index_mb", None, None, " MB"),
        ("index postings", None, "import", "postings", None, None, ""),
        ("search p50 (selector)", None, "search", "p50_ms", None, None, " ms"),
        ("search p95 (selector)", "≤ 1 ms SQLite / ≤ 3 ms PG", "search", "p95_ms", 1, 3, " ms"),
        ("naive scan p95", None, "search", "naive_p95_ms", None, None, " ms"),
        ("speed-up at p95", "≥ 100×", "search", "speedup_p95", None, None, "×"),
        ("same top 20 as naive", "every query", "search", "same_top20", None, None, ""),
        ("match p95", "≤ 10 ms", "match", "p95_ms", 10, 10, " ms"),
        ("search endpoint over HTTP p95", "≤ 25 ms", "http", "api_p95_ms", 25, 25, " ms"),
        ("list page with a query p95", "≤ 100 ms", "http", "page_p95_ms", 100, 100, " ms"),
    ]
    for title, target, bench, key, lim_sqlite, lim_pg, unit in rows:
        lines.append(f"| {title} | {target or ''} | {cell('sqlite', bench, key, lim_sqlite, unit)} | "
                     f"{cell('postgresql', bench, key, lim_pg, unit)} |")
    for label in ("sqlite", "postgresql"):
        r = by.get((label, "search"))
        if r and r.get("speedup_p95") is not None:
            pass
    lines += ["", "Import phases (the rows phase reads, cleans — in a second process, and in this one when it "
              "would otherwise wait —, matches and writes the records; the merge unpacks the deferred index "
              "postings, one packed row per organisation, and moves them into the index in key order):", ""]
    for label in ("sqlite", "postgresql"):
        r = by.get((label, "import"))
        if r and "index_merge_seconds" in r:
            rows_phase = round(r["seconds"] - r["index_merge_seconds"] - r.get("stats_seconds", 0), 1)
            lines.append(f"- {label}: rows {rows_phase} s, index merge {r['index_merge_seconds']} s, "
                         f"statistics {r.get('stats_seconds', 0)} s; peak memory before the merge "
                         f"{r.get('peak_rss_before_merge_mb', '—')} MB, at the end {r['peak_rss_mb']} MB.")
    lines += ["", "Search p95 by query class (selector alone; naive in brackets):", "",
              "| class | SQLite | PostgreSQL |", "|---|---|---|"]
    for cls in ("2char", "3char", "tradename", "4plus"):
        row = [cls]
        for label in ("sqlite", "postgresql"):
            r = by.get((label, "search"))
            c = (r or {}).get("classes", {}).get(cls)
            row.append(f"{c['p95_ms']} ms ({c['naive_p95_ms']} ms), n={c['n']}" if c else "—")
        lines.append("| " + " | ".join(row) + " |")
    loads = [r["load_1m"] for r in results if "load_1m" in r]
    if loads:
        lines += ["", f"Load average (1 min) when each result was taken: {min(loads)}–{max(loads)} on {os.cpu_count()} "
                      "CPUs (other work shares this machine; `load_1m` in the raw results)."]
    lines += ["", "Raw results (one JSON line per benchmark):", "", "```"]
    lines += [json.dumps(r, ensure_ascii=False) for r in results]
    lines += ["```", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


def from_logs(paths: list[str]) -> list[dict]:
    """Results already printed by an earlier run (its JSON lines), e.g. when it stopped early."""
    found = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith("{\"bench\""):
                result = json.loads(line)
                result["label"] = result.get("db")
                found.append(result)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--naive", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--from-logs", nargs="*", default=[], help="also take JSON lines from these logs")
    parser.add_argument("--steps", default="import,search,match,http",
                        help="comma-separated; without import the existing bench database is reused")
    opts = parser.parse_args()
    opts.steps = set(opts.steps.split(","))
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # Production settings apart from the key: DEBUG off, the real middleware and templates.
    base_env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    base_env.setdefault("SECRET_KEY", "bench-only-" + os.urandom(16).hex())
    base_env["PYTHONPATH"] = str(ROOT)
    fresh = "import" in opts.steps
    results = []
    # A partial run (one database, or some steps) completes the last full one; a full run starts afresh
    # so a report never mixes data sizes.
    partial = bool(opts.only) or opts.steps != {"import", "search", "match", "http"}
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() and partial else []
    logged = from_logs(opts.from_logs)
    logged_keys = {(r["label"], r["bench"]) for r in logged}
    previous = [r for r in previous if (r.get("label"), r.get("bench")) not in logged_keys] + logged
    if opts.only != "postgresql":
        db = ROOT / "var" / "bench.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        results += suite("sqlite", {**base_env, "SQLITE_PATH": str(db)}, opts)
    if opts.only != "sqlite" and os.environ.get("DATABASE_URL"):
        url, admin, name = pg_bench_url(os.environ["DATABASE_URL"])
        if fresh:
            recreate_pg(admin, name)
        results += suite("postgresql", {**base_env, "DATABASE_URL": url}, opts)
    done = {(r["label"], r["bench"]) for r in results}
    results = [r for r in previous if (r.get("label"), r.get("bench")) not in done] + results
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    write_report(results, opts)


if __name__ == "__main__":
    main()
