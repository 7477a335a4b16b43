"""Fault drill: the disk holding the SQLite database fills up in the middle of an organisation import.

    sudo .venv/bin/python scripts/faults/disk_full.py [--size-mb 24] [--rows 40000] [--grow-mb 256]

Needs root (it mounts a tmpfs). On a fresh SQLite database with the production settings
(config.settings.base):

1. mounts a tmpfs of --size-mb at a temporary directory and puts the database (and its WAL) there;
   uploads and the CSV stay on the real disk;
2. migrates it and writes a GBK CSV of --rows organisations (bench/generator.py), more than fits;
3. imports it with `manage.py import_organisations` in its own process (as the worker would run it), which
   stops when SQLite reports "database or disk is full";
4. checks: the job is failed with the Chinese disk-full message; the app still answers (the job page,
   rendered by this process on the full disk, shows the message); PRAGMA integrity_check is ok; the
   library holds exactly what the job's checkpoint says was committed (no half batch);
5. grows the tmpfs (mount -o remount,size=--grow-mb) and resumes with `import_organisations --resume`
   to the end; checks that every row of the file is accounted for once;
6. unmounts the tmpfs, whatever happened.

Prints what it does, then ONE JSON line last: {"fault": "disk_full", "ok": true/false, ...figures}.
Bounded: every step has a deadline; the whole run stays under two minutes. Self-contained: needs only
the project's venv and mount(8)."""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
DEADLINE_S = 115
DISK_FULL_MESSAGE = "磁盘空间已满"


def run(command: list[str], *, env=None, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=max(5.0, timeout))


def tmpfs_usage(path: Path) -> str:
    stat = os.statvfs(path)
    used = (stat.f_blocks - stat.f_bfree) * stat.f_frsize / 2**20
    return f"{used:.1f} of {stat.f_blocks * stat.f_frsize / 2**20:.0f} MB used"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=24, help="the tmpfs the database starts on")
    parser.add_argument("--rows", type=int, default=40_000, help="rows in the CSV (must not fit in --size-mb)")
    parser.add_argument("--grow-mb", type=int, default=256, help="the tmpfs's size after the space is freed")
    args = parser.parse_args()
    started = time.monotonic()
    figures: dict = {"fault": "disk_full", "ok": False, "rows": args.rows, "tmpfs_mb": args.size_mb}
    if os.geteuid() != 0:
        figures["error"] = "needs root to mount a tmpfs"
        print(json.dumps(figures, ensure_ascii=False))
        return 1

    work = Path(tempfile.mkdtemp(prefix="fault-disk-full-"))
    mount_point = work / "db"
    mount_point.mkdir()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.base", SECRET_KEY=secrets.token_urlsafe(32),
               APP_VAR_DIR=str(work / "var"), MEDIA_ROOT=str(work / "var" / "media"),
               SQLITE_PATH=str(mount_point / "db.sqlite3"), ALLOWED_HOSTS="testserver,127.0.0.1", DEBUG="0",
               PYTHONUNBUFFERED="1")
    env.pop("DATABASE_URL", None)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    mounted = False

    def left() -> float:
        return DEADLINE_S - (time.monotonic() - started)

    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size_mb}m", "tmpfs", str(mount_point)],
                       check=True, timeout=10)
        mounted = True
        print(f"[1] tmpfs of {args.size_mb} MB at {mount_point}; database {env['SQLITE_PATH']}", flush=True)

        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test import Client, override_settings
        from django.urls import reverse

        from apps.accounts.models import User
        from apps.imports.models import ImportJob, ImportStatus
        from apps.organisations.models import Organisation
        from bench.generator import write_csv

        call_command("migrate", verbosity=0, interactive=False)
        user = User.objects.create_superuser("fault_drill", password=secrets.token_urlsafe(16))
        source = work / "orgs-gbk.csv"
        write_csv(source, args.rows, encoding="gbk")
        figures["csv_mb"] = round(source.stat().st_size / 2**20, 1)
        print(f"[2] migrated ({tmpfs_usage(mount_point)}); wrote {args.rows:,} rows, {figures['csv_mb']} MB (GBK)",
              flush=True)
        connections.close_all()  # the import process writes; this one only reads until the end

        print("[3] import_organisations (in its own process)…", flush=True)
        first = run([PY, "manage.py", "import_organisations", str(source), "--user", "fault_drill",
                     "--report", str(work / "report-1.xlsx")], env=env, timeout=left() - 50)
        print("    " + "\n    ".join((first.stdout + first.stderr).strip().splitlines()[-4:]), flush=True)
        print(f"    tmpfs: {tmpfs_usage(mount_point)}", flush=True)
        job = ImportJob.objects.get()
        committed = Organisation.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity = [row[0] for row in cursor.fetchall()]
        accounted = job.created_count + job.updated_count + job.unchanged_count + job.failed_count
        client = Client()
        client.force_login(user)  # a session row: the app still writes small things on the full disk
        # Plain static URLs: this throwaway var directory has no collectstatic manifest.
        with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
            page = client.get(reverse("imports:detail", args=[job.pk]))
            listing = client.get(reverse("organisations:list"))
        figures.update(status_when_full=job.status, error_message=job.error_message, stopped_after_row=job.rows_done,
                       committed_when_full=committed, created_when_full=job.created_count,
                       integrity_check=integrity[0] if len(integrity) == 1 else integrity[:5],
                       job_page_status=page.status_code, list_page_status=listing.status_code,
                       job_page_shows_message=DISK_FULL_MESSAGE in page.content.decode())
        print(f"    job {job.status}: “{job.error_message}”", flush=True)
        print(f"    integrity_check: {figures['integrity_check']}; library {committed:,} organisations = job's "
              f"created {job.created_count:,}; rows accounted {accounted:,} = checkpoint {job.rows_done:,} − 1", flush=True)
        print(f"    job page {page.status_code} (message shown: {figures['job_page_shows_message']}), "
              f"organisation list {listing.status_code}", flush=True)
        first_ok = (job.status == ImportStatus.FAILED and job.error_message.startswith(DISK_FULL_MESSAGE)
                    and f"第{job.rows_done}行之后停止" in job.error_message and 1 < job.rows_done <= args.rows
                    and integrity == ["ok"] and committed == job.created_count and accounted == job.rows_done - 1
                    and page.status_code == 200 and figures["job_page_shows_message"] and listing.status_code == 200)
        connections.close_all()

        subprocess.run(["mount", "-o", f"remount,size={args.grow_mb}m", str(mount_point)], check=True, timeout=10)
        print(f"[4] tmpfs grown to {args.grow_mb} MB ({tmpfs_usage(mount_point)}); import_organisations --resume {job.pk}…",
              flush=True)
        resumed_at = time.monotonic()
        second = run([PY, "manage.py", "import_organisations", "--resume", str(job.pk),
                      "--report", str(work / "report-2.xlsx")], env=env, timeout=left() - 5)
        print("    " + "\n    ".join((second.stdout + second.stderr).strip().splitlines()[-3:]), flush=True)
        figures["resume_seconds"] = round(time.monotonic() - resumed_at, 1)
        job.refresh_from_db()
        organisations = Organisation.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity_after = [row[0] for row in cursor.fetchall()]
        accounted = job.created_count + job.updated_count + job.unchanged_count + job.failed_count
        figures.update(status=job.status, rows_done=job.rows_done, created=job.created_count,
                       updated=job.updated_count, unchanged=job.unchanged_count, failed=job.failed_count,
                       organisations=organisations, integrity_check_after=integrity_after[0],
                       tmpfs_after=tmpfs_usage(mount_point), seconds=round(time.monotonic() - started, 1))
        print(f"    job {job.status}: created {job.created_count:,}, updated {job.updated_count:,}, unchanged "
              f"{job.unchanged_count:,}, failed {job.failed_count:,}; library {organisations:,}; "
              f"tmpfs {figures['tmpfs_after']}", flush=True)
        figures["ok"] = bool(first_ok and job.status == ImportStatus.DONE and job.rows_done == args.rows + 1
                             and accounted == args.rows and organisations == job.created_count
                             and integrity_after == ["ok"])
        connections.close_all()
    except Exception as error:  # reported in the JSON line; the traceback above it
        import traceback

        traceback.print_exc()
        figures["error"] = f"{type(error).__name__}: {error}"
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django never got set up
            pass
        if mounted:
            unmounted = subprocess.run(["umount", str(mount_point)], timeout=30).returncode == 0
            if not unmounted:  # something still holds a file there: detach it now, freed when let go
                unmounted = subprocess.run(["umount", "-l", str(mount_point)], timeout=30).returncode == 0
            figures["unmounted"] = unmounted
            print(f"[5] tmpfs unmounted: {unmounted}", flush=True)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
