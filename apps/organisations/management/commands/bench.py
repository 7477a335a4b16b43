"""Benchmarks: the target library (`manage.py bench import|search|match|http`) and the cockpit over
projects with their history (`bench cockpit|briefing`).

Each prints progress on stderr and ONE JSON line as its last output on stdout, which `make bench`
collects into docs/benchmarks.md. Run them against a database made for the purpose (the Makefile uses
var/bench.sqlite3 and a `<name>_bench` PostgreSQL database): `bench import --reset` empties the library
(and the projects over it); `bench cockpit` generates the projects (bench/projects.py) over the library
the first time, or again with --reset-projects.
"""

import json
import os
import platform
import random
import resource
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

QUERY_CLASSES = ("2char", "3char", "tradename", "4plus")


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 3)


def _machine() -> dict:
    # The load average when the result was taken: on a shared machine it explains much of the spread.
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "db": connection.vendor,
            "db_version": _db_version(), "load_1m": round(os.getloadavg()[0], 2)}


def _db_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        return str(cursor.fetchone()[0])


def _emit(stdout, payload: dict) -> None:
    stdout.write(json.dumps(payload, ensure_ascii=False))


def random_rows(rnd: random.Random, *fields: str):
    """Endless batches of (fields) of organisations picked at random by id from the library."""
    from apps.organisations.models import Organisation

    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM organisations_organisation")
        low, high = cursor.fetchone()
    if low is None:
        raise CommandError("目标库为空：请先运行 bench import。")
    while True:
        ids = [rnd.randint(low, high) for _ in range(200)]
        yield from Organisation.objects.filter(pk__in=ids).values_list(*fields)


def sample_queries(count: int, seed: int) -> list[tuple[str, str]]:
    """(class, query) pairs cut from names really in the library, evenly over the four classes."""
    from apps.organisations.names import search_form

    rnd = random.Random(seed)
    queries: list[tuple[str, str]] = []
    for name, trade_name in random_rows(rnd, "name", "trade_name"):
        text = search_form(name)
        cls = QUERY_CLASSES[len(queries) % 4]
        if cls == "tradename":
            q = search_form(trade_name)
            if len(q) < 2:
                continue
        else:
            length = {"2char": 2, "3char": 3}.get(cls) or rnd.randint(4, 8)
            if len(text) < length:
                continue
            start = rnd.randrange(0, len(text) - length + 1)
            q = text[start:start + length]
        queries.append((cls, q))
        if len(queries) >= count:
            break
    return queries


class Command(BaseCommand):
    help = "目标库基准测试：import（导入）、search（检索）、match（查重）、http（接口与列表页）"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["import", "search", "match", "http", "cockpit", "briefing", "news", "chains"])
        parser.add_argument("--orgs", type=int, default=1_000_000, help="导入的主体数（import）")
        parser.add_argument("--queries", type=int, default=2000)
        parser.add_argument("--naive", type=int, default=200, help="用全表扫描核对的查询数")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--encoding", default="gb18030", help="import 用的CSV编码")
        parser.add_argument("--reset", action="store_true", help="import 前清空目标库（只用于基准库）")
        parser.add_argument("--projects", type=int, default=200_000, help="cockpit/briefing：库中没有项目时生成的项目数")
        parser.add_argument("--reset-projects", action="store_true", help="cockpit/briefing：清空并重新生成项目（只用于基准库）")
        parser.add_argument("--runs", type=int, default=None, help="cockpit/briefing：计时次数（默认 50 / 5）")
        parser.add_argument("--year", type=int, default=None, help="briefing：简报的年度（默认上一个完整年度）")

    def handle(self, *args, what, **opts):
        if what in ("search", "match", "cockpit", "briefing"):
            from apps.core.warmup import warm_up

            warm_up()  # the state of a web process (config/wsgi.py), where these selectors run
        getattr(self, f"bench_{what}")(**opts)

    # --- import ----------------------------------------------------------------------------------
    def bench_import(self, *, orgs, seed, encoding, reset, **_):
        from django.core.files import File

        from apps.imports.services import import_job_create, run_import
        from apps.organisations.models import Organisation
        from bench.generator import write_csv

        if Organisation.objects.exists():
            if not reset:
                raise CommandError("目标库不为空；基准导入需要空库，请加 --reset（会清空目标库，只在基准库上使用）。")
            self._reset_library()
        workdir = Path(tempfile.mkdtemp(prefix="bench-import-", dir=settings.VAR_DIR))
        path = workdir / f"orgs-{orgs}.csv"
        started = time.perf_counter()
        write_csv(path, orgs, seed=seed, encoding=encoding)
        self.stderr.write(f"generated {orgs} rows ({path.stat().st_size / 1e6:.0f} MB, {encoding}) "
                          f"in {time.perf_counter() - started:.1f} s")
        with open(path, "rb") as handle:  # stored as an upload is, through the service a person uses
            job = import_job_create(actor=self._bench_user("office_admin"), file=File(handle, name=path.name),
                                    original_name=path.name)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        phases = self._time_phases()
        started = time.perf_counter()
        run_import(job, progress=self._progress(orgs))
        seconds = time.perf_counter() - started
        job.refresh_from_db()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sizes = self._sizes()
        job.file.delete(save=False)
        path.unlink()
        workdir.rmdir()
        self.stderr.write("")
        _emit(self.stdout, {
            "bench": "import", **_machine(), "rows": orgs, "encoding": encoding, "seconds": round(seconds, 1),
            "rows_per_s": round(orgs / seconds), "created": job.created_count, "failed": job.failed_count,
            "index_merge_seconds": round(phases.get("merge", 0), 1), "stats_seconds": round(phases.get("stats", 0), 1),
            "index_rebuild_seconds": round(phases.get("indexes", 0), 1),
            "peak_rss_before_merge_mb": round(phases.get("rss_before_merge_mb", 0)),
            "peak_rss_before_stats_mb": round(phases.get("rss_before_stats_mb", 0)),
            "peak_rss_mb": round(peak_mb), "rss_before_mb": round(rss_before / 1024), **sizes,
        })

    def _time_phases(self) -> dict:
        """Time the import's closing phases (a first load's index rebuild, merging deferred postings,
        statistics) by wrapping the functions the import service calls; the rows' phase is the rest."""
        from apps.imports import services

        phases: dict[str, float] = {}

        def timed(name, fn):
            def wrapper(*args, **kwargs):
                phases[f"rss_before_{name}_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                started = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    phases[name] = phases.get(name, 0) + time.perf_counter() - started
            return wrapper

        services.merge_pending = timed("merge", services.merge_pending)
        services.refresh_stats = timed("stats", services.refresh_stats)
        # A first load's rebuilding of the indexes it dropped: part of the rows phase, shown apart.
        services.import_indexes_repair = timed("indexes", services.import_indexes_repair)
        return phases

    def _bench_user(self, role: str):
        from apps.accounts.models import User
        from apps.units.models import Unit

        user, _ = User.objects.get_or_create(username=f"bench_{role}", defaults={"role": role})
        user.role, user.unit = role, Unit.objects.get(code="BJ-OFFICE")
        user.save()
        return user

    def _progress(self, total: int):
        started = time.perf_counter()
        last = [0.0]

        def progress(job, *_args, **_kwargs):
            done = getattr(job, "rows_done", job)
            now = time.perf_counter()
            if now - last[0] >= 5 or done >= total:
                last[0] = now
                rate = done / max(now - started, 1e-9)
                self.stderr.write(f"  {done:>9,} rows  {rate:,.0f} rows/s")
        return progress

    def _reset_library(self) -> None:
        from apps.organisations.models import Organisation
        from bench.projects import delete_projects

        delete_projects()  # they hold their organisations (PROTECT)
        tables = ["organisations_searchkey", "organisations_searchkey_pending", "organisations_searchkeystat",
                  "organisations_organisationalias", "imports_importissue", "imports_importjob"]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The ORM's cascade collects the ids of every row into one statement, past
                # PostgreSQL's 65,535 parameters from about 65,000 organisations. TRUNCATE also
                # leaves no dead postings behind: after a DELETE of 21 million, the next import's
                # merge and VACUUM worked through them (73 s and 16 s instead of about 45 s and 9 s).
                cursor.execute(f"TRUNCATE {', '.join(tables)}, organisations_organisation CASCADE")
            else:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")
        Organisation.objects.all().delete()  # SQLite: the organisations, and what refers to them

    def _sizes(self) -> dict:
        """Bytes of the organisation table and of the search index, as the database reports them."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                try:
                    cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
                    rows = dict(cursor.fetchall())
                except Exception:  # dbstat is a compile-time option of SQLite
                    return {}
                table = sum(v for k, v in rows.items() if k == "organisations_organisation"
                            or k.startswith("organisations_organisation_") or k.startswith("sqlite_autoindex_organisations_organisation"))
                index = sum(v for k, v in rows.items() if "searchkey" in k)
            else:
                cursor.execute("SELECT pg_total_relation_size('organisations_organisation'), "
                               "pg_total_relation_size('organisations_searchkey') + "
                               "pg_total_relation_size('organisations_searchkeystat')")
                table, index = cursor.fetchone()
            cursor.execute("SELECT COUNT(*) FROM organisations_searchkey")
            postings = cursor.fetchone()[0]
        return {"table_mb": round(table / 1e6), "index_mb": round(index / 1e6), "postings": postings}

    # --- search ----------------------------------------------------------------------------------
    def bench_search(self, *, queries, naive, seed, **_):
        from apps.organisations.models import Organisation
        from apps.organisations.search import naive_ids, search_ids

        orgs = Organisation.objects.count()
        sample = sample_queries(queries, seed)
        for _cls, q in sample_queries(200, seed + 1):  # warm the caches as a running server has them
            search_ids(q)
        timings: dict[str, list[float]] = {c: [] for c in QUERY_CLASSES}
        results = {}
        for cls, q in sample:
            started = time.perf_counter()
            hits = search_ids(q, limit=20)
            timings[cls].append((time.perf_counter() - started) * 1000)
            results[q] = hits
        naive_times: dict[str, list[float]] = {c: [] for c in QUERY_CLASSES}
        mismatches = []
        checked = sample[: naive]
        for index, (cls, q) in enumerate(checked):
            started = time.perf_counter()
            expected = naive_ids(q, limit=20)
            naive_times[cls].append((time.perf_counter() - started) * 1000)
            if expected != results[q]:
                mismatches.append(q)
            if index % 20 == 0:
                self.stderr.write(f"  naive {index}/{len(checked)}")
        every = [t for c in QUERY_CLASSES for t in timings[c]]
        every_naive = [t for c in QUERY_CLASSES for t in naive_times[c]]
        _emit(self.stdout, {
            "bench": "search", **_machine(), "orgs": orgs, "queries": len(sample),
            "p50_ms": _pct(every, 50), "p95_ms": _pct(every, 95), "max_ms": _pct(every, 100),
            "naive_p95_ms": _pct(every_naive, 95),
            "speedup_p95": round(_pct(every_naive, 95) / max(_pct(every, 95), 1e-6)),
            "same_top20": not mismatches, "naive_checked": len(checked), "mismatches": mismatches[:10],
            "classes": {c: {"n": len(timings[c]), "p50_ms": _pct(timings[c], 50), "p95_ms": _pct(timings[c], 95),
                            "naive_p95_ms": _pct(naive_times[c], 95)} for c in QUERY_CLASSES},
        })

    # --- match -----------------------------------------------------------------------------------
    def bench_match(self, *, queries, seed, **_):
        from apps.organisations.matching import match_organisation
        from apps.organisations.models import Organisation

        rnd = random.Random(seed)
        rows = random_rows(rnd, "name")
        names = [next(rows)[0] for _ in range(queries)]
        # Variants people type: the full name with another form suffix, the 字号 alone, a near miss.
        variants = []
        for index, name in enumerate(names):
            kind = index % 3
            if kind == 0:
                variants.append(name.replace("有限公司", "有限责任公司") if "有限公司" in name else name)
            elif kind == 1:
                variants.append(name[: max(4, len(name) // 2)])
            else:
                variants.append(name[:2] + "某" + name[3:])
        for v in variants[:100]:
            match_organisation(v)
        timings, verdicts = [], {"same": 0, "likely": 0, "different": 0}
        for v in variants:
            started = time.perf_counter()
            result = match_organisation(v)
            timings.append((time.perf_counter() - started) * 1000)
            verdicts[result.verdict] += 1
        _emit(self.stdout, {
            "bench": "match", **_machine(), "orgs": Organisation.objects.count(), "queries": len(variants),
            "p50_ms": _pct(timings, 50), "p95_ms": _pct(timings, 95), "verdicts": verdicts,
        })

    # --- http ------------------------------------------------------------------------------------
    def bench_http(self, *, queries, seed, **_):
        """The search endpoint and the list page through a real HTTP server on 127.0.0.1 (Django's
        WSGI server in a thread of this process), timed from request sent to last byte read. One
        server thread, as a gunicorn worker thread is: a thread per request would open a new
        database connection per request, which no deployment does."""
        from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
        from django.core.wsgi import get_wsgi_application
        from django.test import RequestFactory

        from apps.accounts.services import api_token_issue
        from apps.organisations.models import Organisation

        class QuietHandler(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        password = "bench-" + str(random.Random(seed).random())
        user = self._bench_user("office_staff")
        user.set_password(password)
        user.save()
        # The login throttle (django-axes) needs the request a token is asked for from.
        token = api_token_issue(username=user.username, password=password,
                                request=RequestFactory().post("/api/v1/auth/token"))
        server = WSGIServer(("127.0.0.1", 0), QuietHandler)
        server.set_app(get_wsgi_application())
        from apps.core.warmup import warm_up

        warm_up()  # what config/wsgi.py does for gunicorn
        port = server.server_address[1]
        def serve():
            try:
                server.serve_forever()
            finally:
                # The requests ran on this thread's own connection: close it, or the database (a test
                # database in particular) cannot be dropped while it lingers.
                from django.db import connections

                connections.close_all()

        serving = threading.Thread(target=serve, daemon=True)
        serving.start()
        sample = sample_queries(min(queries, 500), seed)
        from urllib.parse import quote

        def fetch(path: str, headers: dict) -> float:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
            started = time.perf_counter()
            with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback only
                response.read()
                assert response.status == 200
            return (time.perf_counter() - started) * 1000

        auth = {"Authorization": f"Bearer {token}"}
        for _cls, q in sample[:50]:
            fetch(f"/api/v1/organisations?q={quote(q)}", auth)
        api = [fetch(f"/api/v1/organisations?q={quote(q)}", auth) for _cls, q in sample]
        # The page needs a session: sign in through the login form once.
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}
        pages = [fetch(f"/organisations/?q={quote(q)}", cookie) for _cls, q in sample[:200]]
        server.shutdown()
        serving.join()
        _emit(self.stdout, {
            "bench": "http", **_machine(), "orgs": Organisation.objects.count(),
            "api_requests": len(api), "api_p50_ms": _pct(api, 50), "api_p95_ms": _pct(api, 95),
            "page_requests": len(pages), "page_p50_ms": _pct(pages, 50), "page_p95_ms": _pct(pages, 95),
        })

    # --- cockpit ---------------------------------------------------------------------------------
    def _ensure_projects(self, *, projects: int, seed: int, reset_projects: bool) -> dict:
        """Generate the benchmark's projects unless the database has them; the generator's counts."""
        from apps.projects.models import Project
        from bench.projects import delete_projects, generate

        present = Project.objects.count()
        if present and not reset_projects:
            if present != projects:
                self.stderr.write(f"using the {present:,} projects already in the database "
                                  f"(--reset-projects to generate {projects:,})")
            return {}
        if not self._orgs():
            raise CommandError("目标库为空：项目要登记在目标库的主体上，请先运行 bench import。")
        if present:
            delete_projects()
        self.stderr.write(f"generating {projects:,} projects with their history (seed {seed})")
        made = generate(projects=projects, seed=seed, progress=self.stderr.write)
        self.stderr.write(f"generated in {made['seconds']} s: " + ", ".join(
            f"{k} {v:,}" for k, v in made.items() if k != "seconds"))
        return made

    def _data_size(self) -> dict:
        from apps.activities.models import Activity
        from apps.events.models import Event, Signing
        from apps.projects.models import Project, StageChange
        from apps.recommendations.models import Recommendation

        return {"projects": Project.objects.count(), "stage_changes": StageChange.objects.count(),
                "signings": Signing.objects.count(), "events": Event.objects.count(),
                "activities": Activity.objects.count(), "recommendations": Recommendation.objects.count()}

    def _office_actor(self):
        """A fresh office user each time, as each request loads its own: the permission scope it
        caches (accounts.permissions.actor_scope) is computed inside the timed call, as in a request."""
        from apps.accounts.models import User

        pk = self._bench_user("office_staff").pk
        return lambda: User.objects.select_related("unit").get(pk=pk)

    def bench_cockpit(self, *, projects, runs, seed, reset_projects, **_):
        """summary() for the office's unfiltered cockpit (今年以来), warm: what GET /api/v1/stats/summary
        and the cockpit page compute per request."""
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from apps.cockpit.selectors import StatsFilter, summary

        made = self._ensure_projects(projects=projects, seed=seed, reset_projects=reset_projects)
        runs = runs or 50
        today = timezone.localdate()
        f = StatsFilter.for_today(today)
        actor = self._office_actor()
        for _ in range(3):
            summary(actor=actor(), f=f, today=today)
        with CaptureQueriesContext(connection) as queries:
            result = summary(actor=actor(), f=f, today=today)
        timings = []
        for _ in range(runs):
            user = actor()
            started = time.perf_counter()
            summary(actor=user, f=f, today=today)
            timings.append((time.perf_counter() - started) * 1000)
        _emit(self.stdout, {
            "bench": "cockpit", **_machine(), **self._data_size(), "orgs": self._orgs(),
            "period": [f.start.isoformat(), f.end.isoformat()], "runs": runs,
            "p50_ms": _pct(timings, 50), "p95_ms": _pct(timings, 95), "max_ms": _pct(timings, 100),
            "queries": len(queries), "signed_in_period": result["signed"]["count"],
            "events_in_period": len(result["events"]),
            **({"generate_seconds": made["seconds"]} if made else {}),
        })

    def bench_briefing(self, *, projects, runs, seed, reset_projects, year, **_):
        """A year's briefing (简报) of the office, unfiltered, as Word and as Excel."""
        import datetime

        from django.utils import timezone

        from apps.cockpit.briefing import briefing_docx, briefing_xlsx
        from apps.cockpit.selectors import StatsFilter

        made = self._ensure_projects(projects=projects, seed=seed, reset_projects=reset_projects)
        runs = runs or 5
        today = timezone.localdate()
        year = year or today.year - 1
        f = StatsFilter(start=datetime.date(year, 1, 1), end=min(datetime.date(year, 12, 31), today))
        actor = self._office_actor()
        sizes = {}
        results = {}
        for name, fn in (("docx", briefing_docx), ("xlsx", briefing_xlsx)):
            sizes[name] = len(fn(actor=actor(), f=f, today=today))  # warm
            timings = []
            for _ in range(runs):
                user = actor()
                started = time.perf_counter()
                fn(actor=user, f=f, today=today)
                timings.append((time.perf_counter() - started) * 1000)
                self.stderr.write(f"  {name} {timings[-1]:,.0f} ms")
            results[name] = timings
        _emit(self.stdout, {
            "bench": "briefing", **_machine(), **self._data_size(), "orgs": self._orgs(),
            "period": [f.start.isoformat(), f.end.isoformat()], "runs": runs,
            **{f"{name}_{key}": value for name, timings in results.items()
               for key, value in (("p50_ms", _pct(timings, 50)), ("p95_ms", _pct(timings, 95)))},
            "docx_bytes": sizes["docx"], "xlsx_bytes": sizes["xlsx"],
            **({"generate_seconds": made["seconds"]} if made else {}),
        })

    def bench_news(self, *, runs, seed, **_):
        """The news engine (apps.intelligence.extract) on --runs articles (default 1000) of ~3,000
        characters, one core, no database: articles per second and the 95th-percentile time of one."""
        from apps.intelligence.extract.bench import bench_news

        result = bench_news(articles=runs or 1000, seed=seed)
        _emit(self.stdout, {"bench": "news", **result, "cpus": os.cpu_count(), "python": platform.python_version(),
                            "load_1m": round(os.getloadavg()[0], 2)})

    def bench_chains(self, *, orgs, projects, runs, seed, reset_projects, **_):
        """以商招商 proposals for a landed firm and the gap analysis of a cluster over a graph of --orgs
        organisations and 3 × --orgs relations; what the database lacks is generated first: bare
        organisations (bench/relations.ensure_library), the projects (bench/projects.py), the relations
        (bench/relations.py) and placements on the chain maps for 6% of the organisations (bench/chains.py)."""
        from apps.chains.models import Placement
        from apps.relations.models import Relation
        from bench import chains, relations
        from bench.bench_relations import bench_chains

        made = {}
        if self._orgs() < orgs:
            relations.ensure_library(organisations=orgs, landed=0, seed=seed, progress=self.stderr.write)
        made_projects = self._ensure_projects(projects=projects, seed=seed, reset_projects=reset_projects)
        if made_projects:
            made["projects_seconds"] = made_projects["seconds"]
        if not Relation.objects.exists():
            made["relations_seconds"] = relations.generate(relations=3 * orgs, seed=seed,
                                                           progress=self.stderr.write)["seconds"]
        placed = orgs * 6 // 100
        if Placement.objects.filter(organisation__isnull=False).count() < placed // 2:  # a demo's few do not count
            made["placements_seconds"] = chains.generate(organisations=placed, seed=seed,
                                                         progress=self.stderr.write)["seconds"]
        bench_chains(stdout=self.stdout, samples=runs or 300, seed=seed,
                     extra={**_machine(), **{f"generate_{k}": v for k, v in made.items()}})

    def _orgs(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM organisations_organisation")
            return cursor.fetchone()[0]


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run through manage.py bench")
