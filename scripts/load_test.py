"""make bench-load: the pages and API people use most, under load, against gunicorn on loopback.

    python scripts/load_test.py [--sqlite var/bench.sqlite3 | --database-url postgres://…/x_bench]
                                [--connections 50] [--seconds 30] [--workers N] [--threads N] [--cold]

It serves the benchmark database (made by `make bench`: a million organisations, 200,000 projects) with
the production settings and deploy/gunicorn.conf.py, signs a bench user in (a session for the pages, a
bearer token for the API), and drives it with wrk (`apt-get install wrk`; C, so the load generator takes
little of the two cores the server needs). Each request picks at random, by weight, one of:

    organisation list with a search (2–8 characters cut from real names)   25%
    organisation record page                                                20%
    project list (office view, first page)                                 15%
    project record page                                                    20%
    search API  GET /api/v1/organisations?q=                               20%

Prints wrk's figures and ONE JSON line last (requests/s, latency percentiles, errors, the CPU the workers and —
on PostgreSQL — the database's backends used per request while wrk ran, and the host's speed just before and
after the run as `host_loop_s`), like `bench`.
The issue's target: ≥ 200 requests/s with p99 ≤ 300 ms at 50 concurrent connections."""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")

SETUP = r"""
import json, random, sys
from django.conf import settings
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from apps.accounts.sessions import SessionStore
from apps.accounts.models import User
from apps.accounts.services import api_token_issue
from apps.organisations.management.commands.bench import sample_queries
from apps.organisations.models import Organisation
from apps.projects.models import Project
from apps.units.models import Unit
from django.test import RequestFactory

password = sys.argv[1]
user, _ = User.objects.get_or_create(username="bench_load", defaults={"role": "office_staff"})
user.role, user.unit, user.is_active = "office_staff", Unit.objects.get(code="BJ-OFFICE"), True
user.set_password(password)
user.save()
token = api_token_issue(username=user.username, password=password, request=RequestFactory().post("/"))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "apps.accounts.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
rnd = random.Random(7)
def ids(model, n):
    low, high = model.objects.order_by("id").values_list("id", flat=True).first(), model.objects.order_by("-id").values_list("id", flat=True).first()
    got = set()
    while len(got) < n and low is not None:
        got |= set(model.objects.filter(id__in=[rnd.randint(low, high) for _ in range(n * 2)]).values_list("id", flat=True))
    return sorted(got)[:n]
print(json.dumps({"session": session.session_key, "cookie": settings.SESSION_COOKIE_NAME, "token": token,
                  "orgs": ids(Organisation, 300), "projects": ids(Project, 300),
                  "queries": [q for _cls, q in sample_queries(300, 7)],
                  "org_count": Organisation.objects.count(), "project_count": Project.objects.count()}))
"""

LUA = r"""
local paths = {}
local weights = {}
%s
local total = 0
for i, w in ipairs(weights) do total = total + w end
math.randomseed(%d)
request = function()
  local r = math.random() * total
  local acc = 0
  for i, w in ipairs(weights) do
    acc = acc + w
    if r <= acc then
      local list = paths[i]
      local p = list[math.random(#list)]
      return wrk.format("GET", p[1], p[2])
    end
  end
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_script(data: dict, seed: int) -> str:
    page = {"Cookie": f"{data['cookie']}={data['session']}", "X-Forwarded-Proto": "https"}
    api = {"Authorization": f"Bearer {data['token']}", "X-Forwarded-Proto": "https"}
    q = urllib.parse.quote
    groups = [
        (25, [(f"/organisations/?q={q(s)}", page) for s in data["queries"]]),
        (20, [(f"/organisations/{i}/", page) for i in data["orgs"]]),
        (15, [("/projects/", page)]),
        (20, [(f"/projects/{i}/", page) for i in data["projects"]]),
        (20, [(f"/api/v1/organisations?q={q(s)}", api) for s in data["queries"]]),
    ]
    lines = []
    for n, (weight, entries) in enumerate(groups, start=1):
        items = ", ".join(
            "{" + lua_string(path) + ", {" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
            + "}}" for path, headers in entries)
        lines.append(f"paths[{n}] = {{{items}}}\nweights[{n}] = {weight}")
    return LUA % ("\n".join(lines), seed)


def parse_wrk(text: str) -> dict:
    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    out = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
           "requests": int(re.search(r"(\d+) requests in", text).group(1))}
    for pct in ("50", "75", "90", "99"):
        found = re.search(rf"\s{pct}%\s+([\d.]+(?:us|ms|s))", text)
        out[f"p{pct}_ms"] = ms(found.group(1)) if found else None
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx"] = int(errors.group(1)) if errors else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["socket_errors"] = sum(map(int, socket_errors.groups())) if socket_errors else 0
    return out


def host_loop_s() -> float:
    """Seconds this host takes for ten million additions in a plain Python loop, with nothing else of ours running.
    Shared hosts differ from one another, and from one minute to the next, by a factor of two or more (the same
    commit served 104 and 131 requests/s ten minutes apart); the figure beside each run says which kind of minute
    it was (docs/benchmarks.md compares runs by it)."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return round(time.perf_counter() - start, 3)


def _cpu_ticks(match) -> dict[int, int]:
    """utime + stime, in clock ticks, of every process whose (pid, ppid, command line) match() accepts."""
    ticks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if match(int(entry.name), int(fields[1]), cmdline):
            ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    return ticks


def _server_processes(server_pid: int, database: str):
    """Which processes serve the load: gunicorn's master and workers, and PostgreSQL's backends for the
    benchmark database (their command line names it). On a shared host, CPU per request moves less than
    requests/s do (docs/benchmarks.md, seventh round)."""
    def gunicorn(pid, ppid, _cmdline):
        return pid == server_pid or ppid == server_pid

    def backends(_pid, _ppid, cmdline):
        return bool(database) and cmdline.startswith("postgres:") and f" {database} " in cmdline

    return gunicorn, backends


def warm_database(args) -> None:
    """Read the benchmark database into the operating system's cache, as a server in use has it. After the machine
    did other work for a while its cache no longer holds the database (1.2 GB of SQLite, 2.8 GB on PostgreSQL), and
    the warm-up's five seconds touch only part of it: such a run measured the disk (docs/benchmarks.md, eleventh
    round: SQLite 111 requests/s with p99 2.6 s, then 421 and 143 ms on the next run)."""
    if not args.database_url:
        for path in (Path(args.sqlite), Path(args.sqlite + "-wal")):
            if path.exists():
                with path.open("rb") as handle:
                    while handle.read(8 << 20):
                        pass
        return
    # pg_prewarm (a contrib extension of PostgreSQL) reads every table and index of the schema; without it, or
    # without the right to create it, the warm-up below is all there is.
    sql = ("CREATE EXTENSION IF NOT EXISTS pg_prewarm; SELECT sum(pg_prewarm(c.oid, 'read')) FROM pg_class c "
           "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i', 'm', 't')")
    done = subprocess.run(["psql", args.database_url, "-qAtc", sql], capture_output=True, text=True)
    if done.returncode != 0:
        print("未能预读数据库（pg_prewarm）：" + done.stderr.strip()[-200:], file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    # Default: what deploy/gunicorn.conf.py chooses for this machine (cores + 1 workers, 1 thread).
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cold", action="store_true",
                        help="leave the database's files wherever the operating system's cache has them (by default "
                             "they are read into it first, as on a server in use)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("需要 wrk：apt-get install -y wrk", file=sys.stderr)
        return 2
    var_dir = tempfile.mkdtemp(prefix="load-")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.prod", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "APP_VAR_DIR": var_dir,
           "LOG_LEVEL": "WARNING"}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = args.sqlite
        if not Path(args.sqlite).exists():
            print(f"没有基准库 {args.sqlite}：先运行 make bench（或 manage.py bench import / bench cockpit）", file=sys.stderr)
            return 2
    if not args.cold:
        warm_database(args)
    password = secrets.token_urlsafe(16)
    setup = subprocess.run([PY, "manage.py", "shell", "-c", SETUP.replace("sys.argv[1]", repr(password))],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    if setup.returncode != 0:
        print(setup.stderr[-2000:], file=sys.stderr)
        return 1
    data = json.loads(setup.stdout.strip().splitlines()[-1])
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen([GUNICORN, "config.wsgi", "-c", "deploy/gunicorn.conf.py"], cwd=ROOT,
                              env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(args.workers),
                                   "GUNICORN_THREADS": str(args.threads)},
                              stdout=subprocess.DEVNULL, stderr=open(Path(var_dir) / "gunicorn.log", "w"))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        script = Path(var_dir) / "load.lua"
        script.write_text(build_script(data, args.seed))
        base = f"http://127.0.0.1:{port}"
        # Warm every worker (the name tables, the database's pages) before measuring.
        subprocess.run(["wrk", "-t2", "-c8", "-d5s", "-s", str(script), base], capture_output=True, text=True)
        loop_before = host_loop_s()  # the server idle between the warm-up and the run
        load_before = os.getloadavg()[0]
        database = urllib.parse.urlparse(args.database_url).path.lstrip("/") if args.database_url else ""
        gunicorn, backends = _server_processes(server.pid, database)
        measured = Path("/proc/self/stat").exists()
        cpu_before = (_cpu_ticks(gunicorn), _cpu_ticks(backends)) if measured else None
        run = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
                              "--timeout", "5s", "-s", str(script), base], capture_output=True, text=True)
        cpu_after = (_cpu_ticks(gunicorn), _cpu_ticks(backends)) if measured else None
        loop_after = host_loop_s()
        print(run.stdout)
        if not parse_wrk(run.stdout)["requests"]:
            print((Path(var_dir) / "gunicorn.log").read_text()[-3000:], file=sys.stderr)
        if run.stderr.strip():
            print(run.stderr[-2000:], file=sys.stderr)
        result = {"bench": "load", "db": "postgresql" if args.database_url else "sqlite",
                  "orgs": data["org_count"], "projects": data["project_count"], "connections": args.connections,
                  "seconds": args.seconds, "gunicorn": f"{args.workers} workers × {args.threads} threads",
                  "cpus": os.cpu_count(), "load_1m_before": round(load_before, 2),
                  "host_loop_s": [loop_before, loop_after], **parse_wrk(run.stdout)}
        if measured and result["requests"]:
            # CPU used while wrk ran, per request served: the workers, and (PostgreSQL) the database's backends.
            per_request = 1000 / os.sysconf("SC_CLK_TCK") / result["requests"]
            for key, before, after in (("cpu_ms_gunicorn", cpu_before[0], cpu_after[0]),
                                       ("cpu_ms_database", cpu_before[1], cpu_after[1])):
                if key == "cpu_ms_database" and not database:
                    continue  # SQLite runs inside the workers
                used = sum(ticks - before.get(pid, 0) for pid, ticks in after.items())
                result[key] = round(used * per_request, 2)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
