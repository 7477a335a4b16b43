"""`python manage.py run_scheduler [--once] [--interval 30]` — enqueues the daily jobs of
settings.DAILY_JOBS (apps.core.scheduler). Runs beside `manage.py db_worker`, which executes them."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.translation import gettext as _

from apps.core.checks import refuse_unsafe_command
from apps.core.scheduler import daily_jobs, tick

log = logging.getLogger("apps.core.scheduler")


def _drop_stale_connections() -> None:
    # A long-lived process: drop connections the database (or CONN_MAX_AGE) has closed. Not inside a
    # caller's transaction (call_command from a test), where that would close the caller's connection.
    if not connection.in_atomic_block:
        close_old_connections()


class Command(BaseCommand):
    help = _("按 DAILY_JOBS 的时间每天把定时任务排入后台队列一次（由 db_worker 执行）。")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=_("检查一次后退出。"))
        parser.add_argument("--interval", type=float, default=30.0,
                            help=_("两次检查之间的秒数（默认 30）。"))

    def handle(self, *args, once: bool = False, interval: float = 30.0, **options):
        refuse_unsafe_command()  # as the web process and the worker: no jobs on a database with the demo accounts
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        if not once:
            jobs = "、".join(f"{job.name}（{job.at:%H:%M}）" for job in daily_jobs()) or "—"
            self.stdout.write(_("定时任务调度已启动，每 %(interval)s 秒检查一次：%(jobs)s")
                              % {"interval": f"{interval:g}", "jobs": jobs})
        try:
            while not stop.is_set():
                _drop_stale_connections()
                try:
                    runs = tick()
                except Exception:
                    if once:
                        raise
                    # The database may be restarting; the next tick tries again.
                    log.exception("scheduler tick failed")
                    runs = []
                for run in runs:
                    self.stdout.write(_("已排入：%(job)s（%(day)s）") % {"job": run.job, "day": run.day})
                if once or stop.wait(interval):
                    break
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _drop_stale_connections()
        if not once:
            self.stdout.write(_("定时任务调度已停止。"))
