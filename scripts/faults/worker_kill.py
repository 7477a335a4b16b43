"""Fault drill: the background worker is killed (SIGKILL) in the middle of a large organisation import.

    .venv/bin/python scripts/faults/worker_kill.py [--rows 60000] [--kill-at 0.3] [--database-url postgres://…/empty_db]
                                                   [--automatic]

On a fresh SQLite database in a temporary directory (or an EMPTY PostgreSQL database given with
--database-url; it is migrated, not dropped), with the production settings (config.settings.base):

1. writes a GB18030 CSV of --rows organisations (bench/generator.py) and queues its import, as an upload
   from the browser does (import_job_create + run_import_task + the watch task);
2. starts `manage.py db_worker`, waits until the job's checkpoint passes --kill-at of the file, and kills
   the worker with SIGKILL (as the OOM killer or a power cut would: no clean-up runs);
3. checks what is left: the job still says "running", the library holds exactly the committed batches;
4. runs the stale-job sweep as it would run STALE_AFTER later (import_jobs_recover_stale(now=…)),
   starts a new worker, waits for the job to finish; with --automatic, nothing is called by hand: the
   heartbeat is aged by STALE_AFTER (the five minutes nobody wants to wait for), a plain worker is
   started, and the import's watch task, queued at upload and run by that worker when due (within a
   minute), finds the job stale and queues it again;
5. checks that every row is in the library exactly once (organisations == the job's created count, no
   credit code twice, created + updated + unchanged + failed == data rows) and that the search index
   finds the records written before and after the kill.

Prints what it does, then ONE JSON line last: {"fault": "worker_kill", "ok": true/false, ...figures}.
Bounded: every wait has a deadline; the whole run stays under two minutes at the default size on this
machine (2 cores). Self-contained: needs only the project's venv."""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
DEADLINE_S = 115
# The kill waits for the checkpoint at most until this much of the budget is left for the resume.
RESUME_BUDGET_S = 60


def children_of(pid: int) -> list[int]:
    """Processes whose parent is pid (the worker's multiprocessing helper, for large files)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=60_000,
                        help="above 50,000 the import defers its index postings and cleans rows in a helper process")
    parser.add_argument("--kill-at", type=float, default=0.3, help="fraction of the file committed before the kill")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a fresh SQLite file)")
    parser.add_argument("--automatic", action="store_true",
                        help="recovery by the watch task in a new worker, not by calling the sweep")
    args = parser.parse_args()
    started = time.monotonic()
    figures: dict = {"fault": "worker_kill", "ok": False, "rows": args.rows,
                     "recovery": "watch task" if args.automatic else "sweep called"}

    work = Path(tempfile.mkdtemp(prefix="fault-worker-kill-"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.base", SECRET_KEY=secrets.token_urlsafe(32),
               APP_VAR_DIR=str(work), MEDIA_ROOT=str(work / "media"), DEBUG="0", PYTHONUNBUFFERED="1")
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(work / "db.sqlite3")
    os.environ.update(env)
    if not args.database_url:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    workers: list[subprocess.Popen] = []
    orphans: list[int] = []
    log = work / "worker.log"

    def start_worker(*extra) -> subprocess.Popen:
        process = subprocess.Popen([PY, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay",
                                    "--no-reload", *extra], cwd=ROOT, env=env, stdout=log.open("ab"),
                                   stderr=subprocess.STDOUT)
        workers.append(process)
        return process

    def left() -> float:
        return DEADLINE_S - (time.monotonic() - started)

    try:
        import django

        django.setup()
        from django.core.files import File
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import F
        from django.utils import timezone

        from apps.accounts.models import User
        from apps.imports.models import ImportJob, ImportStatus
        from apps.imports.services import STALE_AFTER, import_job_create, import_jobs_recover_stale
        from apps.imports.tasks import import_watch_enqueue, run_import_task
        from apps.organisations.models import Organisation
        from apps.organisations.search import search_ids
        from apps.units.models import Unit
        from bench.generator import write_csv

        print(f"[1] fresh {connection.vendor} database in {work}; migrating…", flush=True)
        call_command("migrate", verbosity=0, interactive=False)
        figures["migrate_seconds"] = round(time.monotonic() - started, 1)
        unit = Unit.objects.order_by("pk").first()
        user = User.objects.create_superuser("fault_drill", password=secrets.token_urlsafe(16))
        if unit is not None:
            User.objects.filter(pk=user.pk).update(unit=unit)
        source = work / "orgs-gb18030.csv"
        write_csv(source, args.rows, encoding="gb18030")
        print(f"    wrote {args.rows:,} rows, {source.stat().st_size / 1e6:.1f} MB (GB18030)", flush=True)
        with source.open("rb") as handle:
            job = import_job_create(actor=user, file=File(handle, name=source.name), original_name=source.name)
        result = run_import_task.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
        import_watch_enqueue(job.pk)

        print("[2] starting db_worker…", flush=True)
        worker = start_worker()
        target = 1 + int(args.rows * args.kill_at)
        while True:
            job.refresh_from_db()
            if job.rows_done >= target or job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
                break
            if left() < RESUME_BUDGET_S and job.rows_done > 1:  # a slow machine: kill where it got to
                break
            if left() < 10:
                raise TimeoutError("the worker committed no batch in time")
            time.sleep(0.05)
        helpers = children_of(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        killed_after = time.monotonic() - started
        job.refresh_from_db()
        figures.update(killed_at_row=job.rows_done, status_after_kill=job.status,
                       committed_after_kill=Organisation.objects.count(), created_after_kill=job.created_count)
        print(f"    SIGKILL at {killed_after:.1f} s: job {job.status}, checkpoint row {job.rows_done:,}, "
              f"{figures['committed_after_kill']:,} organisations committed", flush=True)
        # The row-cleaning helper (a fork of the worker, large files only) is not killed with it: it
        # should exit by itself once it finds its parent's pipe closed (EOF / broken pipe).
        orphans = [pid for pid in helpers if alive(pid)]
        figures["helpers_outliving_kill"] = len(orphans)
        waited = time.monotonic()
        while orphans and time.monotonic() - waited < 10:
            time.sleep(0.2)
            orphans = [pid for pid in orphans if alive(pid)]
        figures["helpers_left_after_10s"] = len(orphans)
        if helpers:
            print(f"    helper process(es) {helpers}: {figures['helpers_outliving_kill']} outlived the worker, "
                  f"{len(orphans)} still there after 10 s{' (killed now)' if orphans else ''}", flush=True)
        for pid in orphans:
            os.kill(pid, signal.SIGKILL)

        print("[3] after the kill:", flush=True)
        early = import_jobs_recover_stale()
        print(f"    sweep now: {early or 'nothing'} (heartbeat is recent; STALE_AFTER = {STALE_AFTER})", flush=True)
        resumed_at = time.monotonic()
        if args.automatic:
            ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=F("heartbeat_at") - STALE_AFTER)
            print(f"    heartbeat aged by {STALE_AFTER}; [4] starting a plain worker, waiting for the watch…",
                  flush=True)
            start_worker()
            while left() > 3:
                job.refresh_from_db()
                if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING) or job.resumed_count:
                    figures.setdefault("watch_requeued_after_s", round(time.monotonic() - resumed_at, 1))
                if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
                    break
                time.sleep(0.2)
            swept = [job.pk] if job.resumed_count == 1 else []
            print(f"    the watch queued the job again {figures.get('watch_requeued_after_s')} s after the "
                  "worker started", flush=True)
        else:
            swept = import_jobs_recover_stale(now=timezone.now() + STALE_AFTER)
            print(f"    sweep {STALE_AFTER} later: job(s) {swept} queued again", flush=True)
            print("[4] starting a new worker (--batch: runs what is ready, then exits)…", flush=True)
            start_worker("--batch").wait(max(5, left()))
        figures["requeued"] = swept
        figures["resume_seconds"] = round(time.monotonic() - resumed_at, 1)
        job.refresh_from_db()
        organisations = Organisation.objects.count()
        codes = Organisation.objects.exclude(credit_code="").exclude(credit_code=None).order_by().values("credit_code")
        duplicate_codes = codes.count() - codes.distinct().count()
        counted = job.created_count + job.updated_count + job.unchanged_count + job.failed_count
        first = Organisation.objects.order_by("pk").first()
        last = Organisation.objects.order_by("-pk").first()
        found = all(o.pk in [hit.organisation_id for hit in search_ids(o.name, limit=50)]
                    for o in (first, last) if o is not None)
        figures.update(status=job.status, rows_done=job.rows_done, created=job.created_count,
                       updated=job.updated_count, unchanged=job.unchanged_count, failed=job.failed_count,
                       organisations=organisations, duplicate_credit_codes=duplicate_codes,
                       resumed_count=job.resumed_count, search_finds_both_sides=found,
                       seconds=round(time.monotonic() - started, 1))
        print(f"    job {job.status}: created {job.created_count:,}, updated {job.updated_count:,}, "
              f"unchanged {job.unchanged_count:,}, failed {job.failed_count:,}; library {organisations:,} "
              f"organisations, {duplicate_codes} duplicate credit codes; resumed {job.resumed_count}×", flush=True)
        figures["ok"] = bool(
            figures["status_after_kill"] == ImportStatus.RUNNING and 1 < figures["killed_at_row"] <= args.rows
            and swept == [job.pk] and not early and job.status == ImportStatus.DONE
            and job.rows_done == args.rows + 1 and counted == args.rows and organisations == job.created_count
            and duplicate_codes == 0 and job.resumed_count == 1 and found)
    except Exception as error:  # reported in the JSON line; the traceback above it
        import traceback

        traceback.print_exc()
        figures["error"] = f"{type(error).__name__}: {error}"
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        for pid in orphans:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if figures.get("ok"):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"    kept {work} (worker log: {log})", flush=True)
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
