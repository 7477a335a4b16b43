"""Fault drill: a work-group robot (webhook) that hangs, answers too late, or drips its answer.

    python scripts/faults/webhook_hang.py [--timeout 2] [--interval 0.5]

On a scratch SQLite database (SQLITE_PATH in a temporary directory, DJANGO_SETTINGS_MODULE=
config.settings.base, a throw-away SECRET_KEY) it starts, as in production, the background worker
(`manage.py db_worker`, one process) and the site (gunicorn with deploy/gunicorn.conf.py), and, in this
process, four local receivers standing in for 企业微信's robot server:

    silent   accepts the connection, reads the message and never answers;
    slow     answers "ok" — WEBHOOK_TIMEOUT_SECONDS + 1.5 s too late;
    drip     sends its status line at once, then one header byte every 0.3 s (each read is quick, the
             answer never ends);
    healthy  answers {"errcode": 0} at once.

Each is a robot (WebhookEndpoint) of its own unit, set up through the app's services
(webhook_endpoint_create, as a unit admin would; WEBHOOK_EXTRA_HOSTS=127.0.0.1 as an operator would
allow an intranet gateway); messages go out through notify(), so they take the app's own path: a pending
row in the caller's transaction, a task queued on commit, the worker sending it.

It shows, and `ok` requires:
  1. the worker gives up on the silent robot after the timeout (not later than timeout + 1.5 s), records
     the failure on the row (pending, attempts 1, last_error "超时…", next attempt in 1 minute) and queues
     its retry task for that time;
  2. a healthy message queued while the silent robot hangs still arrives, right after that give-up
     (the production worker is one process: it waits at most one timeout behind a hanging robot);
  3. the slow and the dripping robots are cut off as well (drip: within three timeouts, the whole-answer
     deadline), each recorded as a timeout;
  4. the retries follow the app's policy: with the clock moved to each next attempt (the retry task's
     run_after and the row's next_attempt_at set to now), the silent robot is tried again with the
     backoff 1 min, 5 min, 30 min, 2 h until WEBHOOK_MAX_ATTEMPTS (5), then marked failed, nothing left
     `sending`;
  5. the site keeps answering: a signed-in admin's robot page (/notifications/webhooks/), loaded every
     0.25 s through the whole drill, always returns 200 in under 1 s, and at the end lists the failures;
  6. the worker is still running at the end.

Everything it started is stopped and the temporary directory removed. Prints progress, then ONE JSON line."""

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
STARTED = time.monotonic()
OK_ANSWER = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receivers:
    """The four robot servers in one ThreadingHTTPServer; the robot is chosen by the key= in the URL."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self.release = threading.Event()
        self.arrivals: dict[str, list[float]] = {}  # key → times a message arrived (time.time())
        self.lock = threading.Lock()
        receivers = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                key = self.path.rsplit("key=", 1)[-1]
                with receivers.lock:
                    receivers.arrivals.setdefault(key, []).append(time.time())
                try:
                    if key == "silent":
                        receivers.release.wait(600)  # never answers while the drill runs
                    elif key == "slow":
                        time.sleep(receivers.timeout + 1.5)
                        self._answer()
                    elif key == "drip":
                        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                        self.wfile.flush()
                        for _byte in range(400):  # two minutes at most
                            if receivers.release.wait(0.3):
                                return
                            self.wfile.write(b"a")
                            self.wfile.flush()
                    else:
                        self._answer()
                except OSError:
                    pass  # the sender hung up first: the point of the drill

            def _answer(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(OK_ANSWER)))
                self.end_headers()
                self.wfile.write(OK_ANSWER)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, key: str) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key={key}"

    def count(self, key: str) -> int:
        with self.lock:
            return len(self.arrivals.get(key, []))

    def first(self, key: str) -> float | None:
        with self.lock:
            return (self.arrivals.get(key) or [None])[0]

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class PagePoller(threading.Thread):
    """The unit admin's robot page, every 0.25 s: (start, seconds, status)."""

    def __init__(self, port: int, path: str, cookie: str):
        super().__init__(daemon=True)
        self.port, self.path, self.cookie = port, path, cookie
        self.samples: list[tuple[float, float, int | str]] = []
        self.stop = threading.Event()

    def fetch(self) -> tuple[int | str, str]:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            conn.request("GET", self.path, headers={"Cookie": self.cookie, "Host": "127.0.0.1"})
            answer = conn.getresponse()
            return answer.status, answer.read().decode("utf-8", "replace")
        except TimeoutError:
            return "timeout", ""
        except OSError as exc:
            return f"error:{exc.__class__.__name__}", ""

    def run(self) -> None:
        while not self.stop.is_set():
            began = time.time()
            status, _page = self.fetch()
            self.samples.append((began, time.time() - began, status))
            self.stop.wait(0.25)


def wait_for(condition, seconds: float, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=2.0, help="WEBHOOK_TIMEOUT_SECONDS for the drill")
    parser.add_argument("--interval", type=float, default=0.5, help="db_worker --interval")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="webhookhang-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "SECRET_KEY": secrets.token_urlsafe(50),
                "SQLITE_PATH": str(tmp / "db.sqlite3"), "APP_VAR_DIR": str(tmp / "var"), "LOG_LEVEL": "WARNING",
                "WEBHOOK_EXTRA_HOSTS": "127.0.0.1", "WEBHOOK_TIMEOUT_SECONDS": f"{args.timeout:g}",
                "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": "https://zsj.example.gov.cn"})
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    result = {"fault": "webhook_hang", "ok": False, "timeout_s": args.timeout}
    worker = web = poller = receivers = None
    try:
        say(f"migrate + collectstatic on a scratch SQLite database ({tmp})")
        static = subprocess.Popen([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        migrated = subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=300)
        if migrated.returncode != 0 or static.wait(timeout=300) != 0:
            raise RuntimeError(f"migrate/collectstatic failed: {migrated.stderr[-1500:]}{static.stderr.read()[-1500:]}")

        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.db import transaction
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        from apps.accounts.models import User
        from apps.accounts.sessions import SessionStore
        from apps.notifications.models import DeliveryStatus, WebhookDelivery
        from apps.notifications.services import notify, webhook_endpoint_create
        from apps.units.models import Unit

        office = Unit.objects.get(code="BJ-OFFICE")
        admin = User.objects.create_user(username="webhook_drill", password=secrets.token_urlsafe(16),
                                         role="office_admin", unit=office)
        session = SessionStore()
        session[SESSION_KEY] = str(admin.pk)
        session[BACKEND_SESSION_KEY] = "apps.accounts.backends.ModelBackend"
        session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
        session.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

        receivers = Receivers(args.timeout)
        today = timezone.localdate()
        units = [u for u in Unit.objects.exclude(pk=office.pk).order_by("pk") if u.is_active_on(today)][:4]
        robots = {}
        for key, unit in zip(["silent", "slow", "drip", "healthy"], units, strict=True):
            webhook_endpoint_create(actor=admin, unit=unit, platform="wecom", name=f"演练-{key}",
                                    url=receivers.url(key))
            robots[key] = unit

        def announce(key: str) -> WebhookDelivery:
            with transaction.atomic():  # as a service would: the task is queued when this commits
                notify(kind="drill.webhook", title=f"故障演练：发给{key}机器人", url="/notifications/",
                       units=[robots[key]])
            return WebhookDelivery.objects.get(endpoint__name=f"演练-{key}", attempts=0)

        port = free_port()
        web = subprocess.Popen([GUNICORN, "config.wsgi", "-c", "deploy/gunicorn.conf.py"], cwd=ROOT,
                               env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
                                    "GUNICORN_THREADS": "4"},
                               stdout=subprocess.DEVNULL, stderr=open(tmp / "gunicorn.log", "w"))
        worker = subprocess.Popen([PY, "manage.py", "db_worker", "--interval", f"{args.interval:g}",
                                   "--no-startup-delay"], cwd=ROOT, env=env, stdout=open(tmp / "worker.log", "w"),
                                  stderr=subprocess.STDOUT)
        poller = PagePoller(port, "/notifications/webhooks/", cookie)
        if not wait_for(lambda: poller.fetch()[0] == 200, 90, 0.5):
            raise RuntimeError("the site did not come up:\n" + (tmp / "gunicorn.log").read_text()[-2000:])
        # One worker answering is not all booted (Django and the name tables take seconds each): wait until
        # ten page loads in a row are quick, so a slow load in the drill is the drill's, not a late boot's.
        quick = 0
        deadline = time.monotonic() + 60
        while quick < 10 and time.monotonic() < deadline:
            began = time.monotonic()
            quick = quick + 1 if poller.fetch()[0] == 200 and time.monotonic() - began < 0.5 else 0
        poller.start()
        say(f"site on 127.0.0.1:{port}, worker pid {worker.pid}, receivers on 127.0.0.1:{receivers.port}; "
            f"WEBHOOK_TIMEOUT_SECONDS={args.timeout:g}")

        # 1-2. The silent robot, and a healthy message queued while it hangs.
        silent = announce("silent")
        if not wait_for(lambda: receivers.count("silent") == 1, 30):
            raise RuntimeError("the worker never sent the first message:\n" + (tmp / "worker.log").read_text()[-2000:])
        hang_began = receivers.first("silent")
        say("silent robot has the message and says nothing; queueing a message to the healthy robot")
        time.sleep(0.3)
        healthy = announce("healthy")
        healthy_queued = time.time()

        def settled(pk):
            row = WebhookDelivery.objects.get(pk=pk)
            return row if row.attempts and row.status != DeliveryStatus.SENDING else None

        silent_row = wait_for(lambda: settled(silent.pk), 30)
        silent_recorded = time.time()
        if not wait_for(lambda: receivers.count("healthy") == 1, 30):
            raise RuntimeError("the healthy robot never got its message")
        healthy_arrived = receivers.first("healthy")
        healthy_row = wait_for(lambda: settled(healthy.pk), 10)
        def queued_retries(pk) -> list:
            return [t for t in DBTaskResult.objects.filter(status="READY", task_path__endswith=".deliver_webhook")
                    if t.args_kwargs.get("args") == [pk]]

        retry_task = next(iter(queued_retries(silent.pk)), None)
        first_attempt = {
            "status": silent_row.status, "attempts": silent_row.attempts, "last_error": silent_row.last_error,
            "gave_up_after_s": round(silent_recorded - hang_began, 2),
            "next_attempt_in_s": round((silent_row.next_attempt_at - silent_row.last_attempt_at).total_seconds()),
            "retry_task_run_after_matches": bool(retry_task and retry_task.run_after == silent_row.next_attempt_at),
        }
        say(f"silent robot: worker gave up after {first_attempt['gave_up_after_s']}s — {silent_row.last_error} "
            f"next attempt in {first_attempt['next_attempt_in_s']}s, retry task queued: "
            f"{first_attempt['retry_task_run_after_matches']}")
        say(f"healthy robot: received {healthy_arrived - healthy_queued:.2f}s after being queued "
            f"({healthy_arrived - hang_began:.2f}s after the hang began), row {healthy_row.status}")

        # 3. Too slow, and dripping.
        cut_off = {}
        for key in ("slow", "drip"):
            row = announce(key)
            wait_for(lambda: receivers.count(key) == 1, 30)  # noqa: B023 - evaluated inside this iteration
            began = receivers.first(key)
            done = wait_for(lambda: settled(row.pk), 30 + 4 * args.timeout)  # noqa: B023
            cut_off[key] = {"status": done.status if done else "stuck", "after_s": round(time.time() - began, 2),
                            "last_error": done.last_error if done else ""}
            say(f"{key} robot: cut off after {cut_off[key]['after_s']}s — {cut_off[key]['last_error']}")

        # 4. The retries, the clock moved to each next attempt.
        backoffs = [first_attempt["next_attempt_in_s"]]
        row = silent_row
        while row.status == DeliveryStatus.PENDING:
            # The task queues the next attempt just after recording this one: wait for it, then move the clock.
            waiting = wait_for(lambda: queued_retries(silent.pk), 10) or []
            now = timezone.now()
            moved = DBTaskResult.objects.filter(pk__in=[t.pk for t in waiting]).update(run_after=now)
            WebhookDelivery.objects.filter(pk=silent.pk).update(next_attempt_at=now)
            attempts = row.attempts
            row = wait_for(lambda: (r := settled(silent.pk)) and r.attempts > attempts and r, 30 + 2 * args.timeout)  # noqa: B023
            if row is None:
                raise RuntimeError(f"attempt {attempts + 1} never happened (retry tasks moved: {moved})")
            if row.next_attempt_at:
                backoffs.append(round((row.next_attempt_at - row.last_attempt_at).total_seconds()))
            say(f"silent robot attempt {row.attempts}: {row.status}"
                + (f", next in {backoffs[-1]}s" if row.next_attempt_at else ""))
        stuck_sending = WebhookDelivery.objects.filter(status=DeliveryStatus.SENDING).count()

        # 5-6. The site throughout, and what the admin sees now.
        poller.stop.set()
        poller.join(10)
        status, page = poller.fetch()
        page_shows = {"timeout_error": "超时" in page, "failed": str(DeliveryStatus.FAILED.label) in page or "失败" in page}
        latencies = [s[1] for s in poller.samples]
        site = {"requests": len(poller.samples), "all_200": all(s[2] == 200 for s in poller.samples),
               "max_s": round(max(latencies), 3), "p50_s": round(sorted(latencies)[len(latencies) // 2], 3),
               "during_first_hang": [round(s[1], 3) for s in poller.samples if hang_began <= s[0] <= silent_recorded],
               "slow_loads": [(round(s[0] - hang_began, 1), round(s[1], 2)) for s in poller.samples if s[1] >= 0.5],
               "final_page": status, "page_shows": page_shows}
        worker_alive = worker.poll() is None
        expected_backoffs = [60, 300, 1800, 7200]
        ok = (first_attempt["status"] == DeliveryStatus.PENDING and first_attempt["attempts"] == 1
              and first_attempt["last_error"].startswith("超时")
              and first_attempt["gave_up_after_s"] <= args.timeout + 1.5
              and first_attempt["next_attempt_in_s"] == 60 and first_attempt["retry_task_run_after_matches"]
              and healthy_row is not None and healthy_row.status == DeliveryStatus.SENT
              and healthy_arrived - hang_began <= args.timeout + 2
              and cut_off["slow"]["last_error"].startswith("超时") and cut_off["slow"]["after_s"] <= args.timeout + 1.5
              and cut_off["drip"]["last_error"].startswith("超时") and cut_off["drip"]["after_s"] <= 3 * args.timeout + 1.5
              and row.status == DeliveryStatus.FAILED and row.attempts == settings.WEBHOOK_MAX_ATTEMPTS
              and backoffs == expected_backoffs and stuck_sending == 0
              and site["all_200"] and site["max_s"] < 1 and page_shows["timeout_error"] and worker_alive)
        result.update({
            "ok": ok, "silent_first_attempt": first_attempt,
            "healthy": {"status": healthy_row.status if healthy_row else None,
                        "arrived_after_queued_s": round(healthy_arrived - healthy_queued, 2),
                        "arrived_after_hang_began_s": round(healthy_arrived - hang_began, 2)},
            "slow": cut_off["slow"], "drip": cut_off["drip"],
            "silent_final": {"status": row.status, "attempts": row.attempts, "backoffs_s": backoffs,
                             "last_error": row.last_error},
            "stuck_sending": stuck_sending, "web": site, "worker_alive": worker_alive,
            "max_attempts": settings.WEBHOOK_MAX_ATTEMPTS, "total_s": round(time.monotonic() - STARTED, 1)})
        return 0 if ok else 1
    except Exception as exc:
        result["error"] = f"{exc.__class__.__name__}: {exc}"[-2000:]
        return 1
    finally:
        if poller is not None:
            poller.stop.set()
        for process in (worker, web):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        if receivers is not None:
            receivers.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        print(json.dumps(result, ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    sys.exit(main())
