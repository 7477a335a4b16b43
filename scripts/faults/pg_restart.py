"""Fault drill: PostgreSQL restarts while the site is under load (reads and writes).

    python scripts/faults/pg_restart.py [--seconds 40] [--down-at 10] [--down-for 5] [--workers 3]
                                        [--no-503-middleware] [--keep-connections] [--mode immediate] [--keep-logs]

Never touches the shared PostgreSQL on 5432: it makes a throw-away PostgreSQL 15 cluster of its own (initdb
in a temporary directory, as the postgres user; its own port and socket directory), migrates it with the
production settings, fills a small library (`manage.py bench import --orgs 3000 --reset`), signs a user in
(a session for the pages, a bearer token for the API) and serves it with gunicorn and deploy/gunicorn.conf.py
on loopback. Then, for --seconds, wrk drives a mix of

    organisation search page 30%, organisation record page 25%, search API 25%,
    POST /api/v1/organisations/persons 20% (each with a unique marker in `notes`)

while, after --down-at seconds, the database is stopped (`pg_ctl stop -m fast`), left down --down-for
seconds and started again. Meanwhile a separate client opens a record page every 0.2 s, as a person would.

It reports (and `ok` requires):
  (a) recovered_after_s — from "PostgreSQL accepts connections again" to the first normal (200) page;
      must be ≤ --recover-within seconds;
  (b) errors_by_status — every answer by HTTP status; during the outage they must be 5xx answers, not
      hangs (no wrk timeout, no page slower than 5 s);
  (c) lost — markers of writes the client got a 201 for that are not in the database afterwards; must be 0.
      (Writes the client sent but got no 201 for may or may not have been committed; counted, not lost.)

By default the proposed DatabaseUnavailableMiddleware (apps/core/db_unavailable.py) is wired in through a
settings module written to the temporary directory, unless config/settings already lists it;
--no-503-middleware runs the settings exactly as they are. Everything it started is stopped, and the
temporary directory removed, whatever happens. Prints progress, then ONE JSON line."""

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
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
MIDDLEWARE = "apps.core.db_unavailable.DatabaseUnavailableMiddleware"
MARKER = "pgfault"
DB_NAME = "pgfault"
STARTED = time.monotonic()

SETUP = r"""
import json, random
from django.conf import settings
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from apps.accounts.sessions import SessionStore
from django.test import RequestFactory
from apps.accounts.models import User
from apps.accounts.services import api_token_issue
from apps.organisations.management.commands.bench import sample_queries
from apps.organisations.models import Organisation
from apps.units.models import Unit

password = PASSWORD
user = User.objects.create(username="pgfault_drill", role="office_staff", unit=Unit.objects.get(code="BJ-OFFICE"))
user.set_password(password)
user.save()
token = api_token_issue(username=user.username, password=password, request=RequestFactory().post("/"))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "apps.accounts.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
ids = list(Organisation.objects.order_by("?").values_list("id", flat=True)[:200])
print(json.dumps({"session": session.session_key, "cookie": settings.SESSION_COOKIE_NAME, "token": token,
                  "orgs": ids, "queries": [q for _cls, q in sample_queries(200, 7)],
                  "middleware": settings.MIDDLEWARE}))
"""

# One log line per answer: "<unix second> <status> <marker or ->"; and "S <marker>" per write sent.
# Each wrk thread has its own Lua state and its own file.
LUA = r"""
local logdir = %(logdir)s
local page_headers = %(page_headers)s
local api_headers = %(api_headers)s
local write_headers = %(write_headers)s
local searches = %(searches)s
local records = %(records)s
local api_searches = %(api_searches)s
local write_pct = %(write_pct)d
local nthreads = 0
-- tid is a global on purpose: thread:set() in setup() assigns the thread's globals.
tid = 0
local sent = 0
local log = nil

function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end

function init(args)
  log = io.open(logdir .. "/wrk-" .. tid .. ".log", "w")
  log:setvbuf("line")
  math.randomseed(%(seed)d + tid)
end

function request()
  local r = math.random(100)
  if r <= write_pct then
    sent = sent + 1
    local marker = "%(marker)s-" .. tid .. "-" .. sent
    log:write("S ", marker, "\n")
    return wrk.format("POST", "/api/v1/organisations/persons", write_headers,
      '{"name": "故障演练联系人", "title": "演练", "notes": "' .. marker .. '"}')
  elseif r <= write_pct + 30 then
    return wrk.format("GET", searches[math.random(#searches)], page_headers)
  elseif r <= write_pct + 55 then
    return wrk.format("GET", records[math.random(#records)], page_headers)
  else
    return wrk.format("GET", api_searches[math.random(#api_searches)], api_headers)
  end
end

function response(status, headers, body)
  local marker = string.match(body or "", "%(marker)s%%-%%d+%%-%%d+")
  log:write(os.time(), " ", status, " ", marker or "-", "\n")
end
"""


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def free_port(preferred: int | None = None) -> int:
    if preferred:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as PostgreSQL binds it
            try:
                s.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lua(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


class ThrowAwayPostgres:
    """A PostgreSQL 15 cluster in a temporary directory, run as the postgres user, on its own port."""

    def __init__(self, tmp: Path, port: int):
        self.data, self.port, self.log = tmp / "pgdata", port, tmp / "postgres.log"
        self.sockets = tmp / "sockets"

    def _as_postgres(self, *args, check=True, timeout=60) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", "postgres", "--", *map(str, args)], capture_output=True, text=True,
                              check=check, timeout=timeout)

    def init(self) -> None:
        self.sockets.mkdir()
        shutil.chown(self.data.parent, "postgres")
        shutil.chown(self.sockets, "postgres")
        self._as_postgres(PG_BIN / "initdb", "-D", self.data, "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust",
                          "-U", "postgres")
        # Small, and fsync on: committed means on disk, as in production (an acknowledged write must survive).
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = "
                       f"'{self.sockets}'\nshared_buffers = 64MB\nmax_connections = 60\nfsync = on\n"
                       "synchronous_commit = on\n")

    def ctl(self, *args) -> subprocess.CompletedProcess:
        return self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, *args, check=False)

    def start(self) -> None:
        result = self.ctl("start", "-w", "-t", "30")
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {result.stderr}{self.log.read_text()[-1500:]}")

    def stop(self, mode: str = "fast") -> None:
        self.ctl("stop", "-w", "-t", "30", "-m", mode)

    def psql(self, sql: str, db: str = "postgres") -> str:
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db,
                               "-v", "ON_ERROR_STOP=1", "-qAtc", sql], capture_output=True, text=True,
                              check=True).stdout


class PagePoller(threading.Thread):
    """A person reloading a record page every 0.2 s: (start, end, status, first bytes of the page)."""

    def __init__(self, port: int, path: str, headers: dict):
        super().__init__(daemon=True)
        self.port, self.path, self.headers = port, path, headers
        self.samples: list[tuple[float, float, int | str, str]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        import http.client

        while not self.stop.is_set():
            began = time.time()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", self.path, headers=self.headers)
                answer = conn.getresponse()
                status, body = answer.status, answer.read().decode("utf-8", "replace")
                conn.close()
            except TimeoutError:
                status, body = "timeout", ""
            except OSError as exc:
                status, body = f"error:{exc.__class__.__name__}", ""
            self.samples.append((began, time.time(), status, body))
            self.stop.wait(0.2)


def page_ok(port: int, path: str, headers: dict) -> bool:
    import http.client

    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path, headers=headers)
        return conn.getresponse().status == 200
    except OSError:
        return False


def wrk_socket_errors(text: str) -> dict:
    found = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return dict(zip(["connect", "read", "write", "timeout"], map(int, found.groups()), strict=True)) if found else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--down-at", type=float, default=10)
    parser.add_argument("--down-for", type=float, default=5)
    parser.add_argument("--mode", default="fast", choices=["fast", "immediate"], help="pg_ctl stop -m")
    parser.add_argument("--orgs", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=12)
    parser.add_argument("--write-pct", type=int, default=20)
    parser.add_argument("--recover-within", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=5499, help="the throw-away PostgreSQL's port (if free)")
    parser.add_argument("--no-503-middleware", action="store_true", help="the settings exactly as they are")
    parser.add_argument("--keep-connections", action="store_true",
                        help="(diagnosis) no health checks: CONN_HEALTH_CHECKS=False on the same persistent connections")
    parser.add_argument("--keep-logs", action="store_true",
                        help="copy gunicorn's and PostgreSQL's logs to /tmp/pgfault-last-*.log before cleaning up")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for tool in ("wrk", "runuser", "psql"):
        if not shutil.which(tool):
            print(f"需要 {tool}", file=sys.stderr)
            return 2

    tmp = Path(tempfile.mkdtemp(prefix="pgfault-"))
    pg = ThrowAwayPostgres(tmp, free_port(args.port))
    gunicorn = poller = None
    result = {"fault": "pg_restart", "ok": False}
    try:
        say(f"initdb {pg.data} (PostgreSQL 15, port {pg.port})")
        pg.init()
        pg.start()
        pg.psql(f"CREATE DATABASE {DB_NAME} ENCODING 'UTF8' TEMPLATE template0 LOCALE 'C.UTF-8'")
        env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SQLITE_PATH"}}
        env.update({"DJANGO_SETTINGS_MODULE": "config.settings.prod", "SECRET_KEY": secrets.token_urlsafe(50),
                    "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg.port}/{DB_NAME}",
                    "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "APP_VAR_DIR": str(tmp / "var"),
                    "LOG_LEVEL": "WARNING", "SITE_URL": "https://127.0.0.1"})
        overlay = []
        wiring = "off (--no-503-middleware)"
        listed = any(MIDDLEWARE in (ROOT / "config" / "settings" / name).read_text() for name in ("base.py", "prod.py"))
        if not args.no_503_middleware:
            wiring = "config/settings" if listed else "wired by this script (settings overlay)"
            overlay.append(f"if {MIDDLEWARE!r} not in MIDDLEWARE:\n"
                           f"    MIDDLEWARE.insert(MIDDLEWARE.index('whitenoise.middleware.WhiteNoiseMiddleware') + 1,"
                           f" {MIDDLEWARE!r})")
        if args.keep_connections:
            overlay.append("DATABASES['default']['CONN_HEALTH_CHECKS'] = False")
        if overlay:
            (tmp / "pgfault_settings.py").write_text("from config.settings.prod import *  # noqa\n" + "\n".join(overlay) + "\n")
            env.update({"DJANGO_SETTINGS_MODULE": "pgfault_settings",
                        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp), env.get("PYTHONPATH", "")]))})

        def manage(*cmd, timeout=300):
            done = subprocess.run([PY, "manage.py", *cmd], cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=timeout)
            if done.returncode != 0:
                raise RuntimeError(f"manage.py {' '.join(cmd[:2])} failed:\n{done.stderr[-2500:]}")
            return done.stdout

        say("migrate (production settings), collectstatic beside it")
        static = subprocess.Popen([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        manage("migrate", "--noinput", "-v0")
        if static.wait(timeout=300) != 0:
            raise RuntimeError("collectstatic failed:\n" + static.stderr.read()[-2500:])

        # The workers boot (Django, the deploy checks, the name tables: seconds each on two cores) while the
        # library is imported; they serve nothing before the readiness check below.
        port = free_port()
        gunicorn = subprocess.Popen([GUNICORN, "config.wsgi", "-c", "deploy/gunicorn.conf.py"], cwd=ROOT,
                                    # The access log (off in the deployment: nginx keeps it) finds the 500s below.
                                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESSLOG": "-",
                                         "GUNICORN_WORKERS": str(args.workers), "GUNICORN_THREADS": str(args.threads)},
                                    stdout=open(tmp / "access.log", "w"), stderr=open(tmp / "gunicorn.log", "w"))
        say(f"bench import --orgs {args.orgs} --reset (gunicorn booting meanwhile)")
        manage("bench", "import", "--orgs", str(args.orgs), "--reset")
        password = secrets.token_urlsafe(16)
        data = json.loads(manage("shell", "-c", SETUP.replace("PASSWORD", repr(password))).strip().splitlines()[-1])
        if not args.no_503_middleware and MIDDLEWARE not in data["middleware"]:
            raise RuntimeError(f"the settings overlay is not in effect: {data['middleware']}")
        if args.no_503_middleware and MIDDLEWARE in data["middleware"]:
            wiring = "in config/settings (--no-503-middleware cannot take it out)"
        deadline = time.monotonic() + 60
        say(f"gunicorn on 127.0.0.1:{port}: {args.workers} workers × {args.threads} threads; 503 middleware: {wiring}")

        cookie = f"{data['cookie']}={data['session']}"
        page_headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        api_headers = {"Authorization": f"Bearer {data['token']}", "X-Forwarded-Proto": "https"}
        q = urllib.parse.quote
        logdir = tmp / "wrk"
        logdir.mkdir()

        def lua_script(marker: str) -> str:
            path = tmp / f"{marker}.lua"
            path.write_text(LUA % {
                "logdir": lua(str(logdir)), "page_headers": lua(page_headers), "api_headers": lua(api_headers),
                "write_headers": lua({**api_headers, "Content-Type": "application/json"}),
                "searches": lua([f"/organisations/?q={q(s)}" for s in data["queries"]]),
                "records": lua([f"/organisations/{i}/" for i in data["orgs"]]),
                "api_searches": lua([f"/api/v1/organisations?q={q(s)}" for s in data["queries"]]),
                "write_pct": args.write_pct, "seed": args.seed, "marker": marker})
            return str(path)

        # The warm-up writes too, under markers of its own: a measured marker must not match a warm-up row.
        warm_script, script = lua_script(f"{MARKER}warm"), lua_script(MARKER)
        base = f"http://127.0.0.1:{port}"
        # The master listens at once, but each worker boots for seconds (Django, the deploy checks, the name
        # tables): wait for a real page, then warm every worker until no request waits, before measuring.
        first_page = f"/organisations/{data['orgs'][0]}/"
        while not page_ok(port, first_page, page_headers):
            if time.monotonic() > deadline + 60 or gunicorn.poll() is not None:
                raise RuntimeError("gunicorn serves no page:\n" + (tmp / "gunicorn.log").read_text()[-2500:])
            time.sleep(0.5)
        for _attempt in range(4):
            warm = subprocess.run(["wrk", "-t2", f"-c{args.connections}", "-d4s", "--timeout", "2s", "-s", warm_script,
                                   base], capture_output=True, text=True)
            if not any(wrk_socket_errors(warm.stdout).values()):
                break
        say("workers warm")
        for old in logdir.iterdir():
            old.unlink()  # the warm-up's writes are real too, but the drill counts its own window only

        poller = PagePoller(port, f"/organisations/{data['orgs'][0]}/", page_headers)
        poller.start()
        say(f"wrk {args.seconds}s, {args.connections} connections, {args.write_pct}% writes; "
            f"PostgreSQL goes down at +{args.down_at:g}s for {args.down_for:g}s (pg_ctl stop -m {args.mode})")
        load = subprocess.Popen(["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "5s",
                                 "-s", script, base], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        load_began = time.time()
        time.sleep(args.down_at)
        t_down = time.time()
        pg.stop(args.mode)
        t_stopped = time.time()
        say(f"PostgreSQL stopped ({t_stopped - t_down:.1f}s to stop)")
        time.sleep(args.down_for)
        t_start = time.time()
        pg.start()
        t_up = time.time()
        say(f"PostgreSQL accepting connections again ({t_up - t_start:.1f}s to start)")
        out, err = load.communicate(timeout=args.seconds + 30)
        time.sleep(1)
        poller.stop.set()
        poller.join(timeout=10)
        say("load finished; checking acknowledged writes against the database")

        # --- what the clients saw -----------------------------------------------------------------------
        by_status: dict[str, int] = {}
        per_second: dict[int, dict[str, int]] = {}
        sent, acknowledged = set(), set()
        for log in logdir.glob("wrk-*.log"):
            for line in log.read_text().splitlines():
                parts = line.split()
                if parts[0] == "S":
                    sent.add(parts[1])
                    continue
                second, status, marker = int(parts[0]), parts[1], parts[2]
                by_status[status] = by_status.get(status, 0) + 1
                bucket = per_second.setdefault(second - int(load_began), {})
                bucket[status] = bucket.get(status, 0) + 1
                if status == "201" and marker != "-":
                    acknowledged.add(marker)
        socket_errors = wrk_socket_errors(out)
        stored = set(pg.psql(f"SELECT notes FROM organisations_person WHERE notes LIKE '{MARKER}-%'",
                             DB_NAME).split())
        lost = sorted(acknowledged - stored)
        unacknowledged_but_stored = len((sent - acknowledged) & stored)

        back = [s for s in poller.samples if s[0] >= t_up]
        first_ok = next((s for s in back if s[2] == 200), None)
        recovered_after = round(first_ok[1] - t_up, 2) if first_ok else None
        outage = [s for s in poller.samples if t_down <= s[0] < t_up]
        page_statuses: dict[str, int] = {}
        for s in poller.samples:
            page_statuses[str(s[2])] = page_statuses.get(str(s[2]), 0) + 1
        seen_during = next((s for s in outage if s[2] != 200), None)
        user_saw = ""
        if seen_during:
            text = re.sub(r"<[^>]+>", " ", seen_during[3])
            user_saw = f"HTTP {seen_during[2]}: " + " ".join(text.split())[:160]
        # Which requests got a plain 500 rather than the 503 (gunicorn's access log: request line, status).
        plain_500: dict[str, int] = {}
        for found in re.finditer(r'"(?:GET|POST|PATCH) ([^ ?"]+)[^"]*" 500 ', (tmp / "access.log").read_text()):
            path = re.sub(r"/\d+/", "/<id>/", found.group(1))
            plain_500[path] = plain_500.get(path, 0) + 1
        hang_at = [round(s[0] - t_down, 1) for s in poller.samples if s[2] == "timeout"]
        slowest_page = round(max((s[1] - s[0] for s in poller.samples), default=0), 2)
        non_5xx_errors = {k: v for k, v in by_status.items() if not (k.startswith(("2", "3", "5")))}
        errors = {k: v for k, v in by_status.items() if not k.startswith(("2", "3"))}
        last_error_second = max((sec for sec, counts in per_second.items()
                                 if any(not k.startswith(("2", "3")) for k in counts)), default=None)
        hangs = socket_errors.get("timeout", 0) + sum(1 for s in poller.samples if s[2] == "timeout")
        ok = (not lost and recovered_after is not None and recovered_after <= args.recover_within
              and hangs == 0 and not non_5xx_errors and by_status.get("201", 0) > 0)
        timeline = " ".join(
            f"+{sec}s:" + ",".join(f"{k}×{v}" for k, v in sorted(counts.items()))
            for sec, counts in sorted(per_second.items()) if any(not k.startswith("2") for k in counts))
        say(f"non-2xx answers by second of the run: {timeline or 'none'}")
        say(f"what a person saw during the outage: {user_saw or '(no failed page)'}")
        if lost:
            say(f"LOST acknowledged writes: {lost[:20]}")
        result.update({
            "ok": ok, "requests": sum(by_status.values()), "errors_by_status": errors,
            "answers_by_status": dict(sorted(by_status.items())),
            "recovered_after_s": recovered_after, "acknowledged_writes": len(acknowledged), "lost": len(lost),
            "writes_sent": len(sent), "unacknowledged_but_stored": unacknowledged_but_stored,
            "plain_500_paths": plain_500, "wrk_socket_errors": socket_errors, "hangs": hangs,
            "db_down_s": round(t_up - t_down, 2), "db_stop_mode": args.mode,
            "outage_window_s": [round(t_down - load_began, 1), round(t_up - load_began, 1)],
            "last_error_at_s": last_error_second,
            "page_poll": {"requests": len(poller.samples), "by_status": page_statuses,
                          "slowest_s": slowest_page, "hung_at_s_after_stop": hang_at, "user_saw": user_saw},
            "db_unavailable_middleware": wiring, "conn_health_checks": not args.keep_connections,
            "gunicorn": f"{args.workers}x{args.threads}", "connections": args.connections,
            "seconds": args.seconds, "total_s": round(time.monotonic() - STARTED, 1)})
        if err.strip():
            print(err[-1500:], file=sys.stderr)
        return 0 if ok else 1
    except Exception as exc:
        result["error"] = f"{exc.__class__.__name__}: {exc}"[-1500:]
        return 1
    finally:
        if poller is not None:
            poller.stop.set()
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if pg.data.exists():
            pg.stop("immediate")
        for name in ("gunicorn.log", "access.log", "postgres.log") if args.keep_logs else ():
            if (tmp / name).exists():
                shutil.copy(tmp / name, Path(tempfile.gettempdir()) / f"pgfault-last-{name}")
        shutil.rmtree(tmp, ignore_errors=True)
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    sys.exit(main())
