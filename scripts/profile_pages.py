"""Where a page's time goes: the pages of `make bench-load`, one at a time, through Django's test client.

    SQLITE_PATH=var/bench.sqlite3 .venv/bin/python scripts/profile_pages.py [--mode summary|calls|nodes|sql]
        [--pages search,org,plist,proj,api] [-n 20] [--top 30] [--sort tottime|cumulative]
    (or DATABASE_URL=postgres://… for PostgreSQL)

Modes:
- summary: CPU per request, Python calls (cProfile's count, which a shared machine does not disturb), queries.
- calls: cProfile's top functions.
- nodes: the template nodes that take longest, inclusive, with how often they ran per request.
- sql: each statement's execution time.

Run it on the benchmark database `make bench` leaves (a million organisations, 200,000 projects), signed in as an
office user. Two things the test client does not show, which `make bench-load` does:
- the client keeps one database connection, where gunicorn closes it after a request unless CONN_MAX_AGE says
  otherwise;
- the server's own reading and writing.
For those, profile gunicorn under load: `py-spy record --subprocesses` (docs/benchmarks.md, "Later the same day")."""

import argparse
import collections
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("SECRET_KEY", "profile-only-" + os.urandom(16).hex())


def pages_to_profile() -> dict[str, str]:
    from apps.organisations.models import Organisation
    from apps.projects.models import Project

    orgs, projects = Organisation.objects.count(), Project.objects.count()
    if not orgs or not projects:
        sys.exit("需要基准库：先运行 make bench（或 manage.py bench import / bench cockpit）")
    org = Organisation.objects.order_by("id").values_list("id", flat=True)[orgs // 2]
    project = Project.objects.order_by("id").values_list("id", flat=True)[projects // 2]
    return {"search": "/organisations/?q=科技", "org": f"/organisations/{org}/", "plist": "/projects/",
            "proj": f"/projects/{project}/", "api": "/api/v1/organisations?q=科技"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["summary", "calls", "nodes", "sql"], default="summary")
    parser.add_argument("--pages", default="search,org,plist,proj,api")
    parser.add_argument("-n", type=int, default=20, help="timed requests per page")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from apps.units.models import Unit

    user, _ = User.objects.get_or_create(username="bench_profile", defaults={"role": "office_staff"})
    user.role, user.unit, user.is_active = "office_staff", Unit.objects.get(code="BJ-OFFICE"), True
    user.save()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    pages = pages_to_profile()
    for name in args.pages.split(","):
        url = pages[name]
        for _ in range(3):  # warm: templates, translations, the database's pages
            assert client.get(url).status_code == 200, url
        if args.mode == "summary":
            started = time.process_time()
            for _ in range(args.n):
                client.get(url)
            cpu = (time.process_time() - started) / args.n * 1000
            profile = cProfile.Profile()
            profile.runcall(client.get, url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(f"{name:6s} {cpu:6.1f} ms CPU  {pstats.Stats(profile).total_calls:7d} calls  "
                  f"{len(queries.captured_queries):3d} queries  {url}")
        elif args.mode == "calls":
            profile = cProfile.Profile()
            profile.runcall(client.get, url)
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(f"== {name} {url}\n{out.getvalue()}")
        elif args.mode == "nodes":
            _nodes(client, name, url, args)
        else:
            _sql(client, name, url, args)


def _nodes(client, name: str, url: str, args) -> None:
    from django.template import base

    spent, runs = collections.Counter(), collections.Counter()
    original = base.Node.render_annotated

    def timed(node, context):
        started = time.perf_counter()
        try:
            return original(node, context)
        finally:
            token = getattr(node, "token", None)
            key = (getattr(getattr(node, "origin", None), "template_name", "?"), token.lineno if token else 0,
                   type(node).__name__, token.contents[:60] if token else "")
            spent[key] += time.perf_counter() - started
            runs[key] += 1

    base.Node.render_annotated = timed
    try:
        for _ in range(args.n):
            client.get(url)
    finally:
        base.Node.render_annotated = original
    print(f"== {name} {url} (inclusive: a node's time includes the nodes inside it)")
    for key, seconds in spent.most_common(args.top):
        print(f"  {seconds / args.n * 1000:6.2f} ms  ×{runs[key] // args.n:<4d} {key[0]}:{key[1]} {key[2]} {key[3]}")


def _sql(client, name: str, url: str, args) -> None:
    from django.db import connection

    spent = collections.Counter()

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[sql[:160]] += time.perf_counter() - started

    with connection.execute_wrapper(timed):
        for _ in range(args.n):
            client.get(url)
    total = sum(spent.values()) / args.n * 1000
    print(f"== {name} {url}: {total:.2f} ms of SQL a request, {len(spent)} distinct statements")
    for sql, seconds in spent.most_common(args.top):
        print(f"  {seconds / args.n * 1000:6.2f} ms  {sql}")


if __name__ == "__main__":
    main()
