"""Imports of organisation files: create a job, run it batch by batch with a checkpoint, cancel it.

A batch, its issues and the job's checkpoint commit in one transaction, so whatever stops an import
(a crash, a killed worker, a database error) leaves the library at a batch boundary and the job's
counts matching it; running the job again continues after the checkpoint.

Duplicate rows inside one file are caught by the `seen` map that bulk_upsert fills across batches.
After a resume the map only knows the rows read since the checkpoint; a later row repeating one
committed before the stop is then matched against the library instead (by credit code or name)
and counted as unchanged or updated rather than reported as "与第N行重复". The library ends up
the same either way.

A job whose process died (SIGKILL, out of memory, a machine restart) stays "running" with a heartbeat
that stops moving; import_jobs_recover_stale puts it back in the queue and the next worker resumes it
after the checkpoint. Each run holds the job by a `runner` token checked in the batch transaction, so
a process that was only slow (not dead) stops at its next batch instead of writing beside its
successor, and nothing is committed twice.

A full disk (SQLite's "database or disk is full", ENOSPC, PostgreSQL's disk_full) ends the job as
failed with a message saying so: the batch in flight rolls back with its transaction, what was
committed stays, and the job resumes from the checkpoint once there is room again.
"""

import contextlib
import datetime
import errno
import gc
import logging
import multiprocessing
import os
import sqlite3
import time
import uuid
from collections import deque
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.accounts.permissions import may_write_library, require
from apps.audit.services import AuditAction, audit_record
from apps.core.errors import ConflictError, DomainError
from apps.imports.models import ImportIssue, ImportJob, ImportStatus
from apps.imports.readers import ImportFileError, Problem, open_table
from apps.organisations import bulk
from apps.organisations.search import has_pending, merge_pending, refresh_stats

logger = logging.getLogger(__name__)

READ_ONLY = "您的角色为只读，不能导入目标库数据。"
DEFAULT_BATCH = 2000
# Files at least this long (estimated rows) defer their search postings to one sorted merge at the
# end (search.merge_pending): far faster at a million rows; the new records become searchable when
# the import finishes.
DEFER_INDEX_ROWS = 50_000
SEEN_LIMIT = 100_000
# Large imports also clean rows in a second process when there is a second core to run it.
PARALLEL_PREPARE = (os.cpu_count() or 1) > 1
# A running import stamps its heartbeat with every committed batch (a 10,000-row batch takes seconds,
# a million-row file's index merge under a minute: docs/benchmarks.md). A heartbeat this old means the
# process is gone. Generous on purpose: recovering a live but slow runner costs a restart of its batch.
STALE_AFTER = datetime.timedelta(minutes=5)


def default_batch_size() -> int:
    """Rows per committed batch. On SQLite every commit writes each index page the batch touched to
    the WAL, and the rows of a batch land all over the search index, so bigger batches write far
    less: 10,000 rows a batch imports much faster than 2,000 (memory stays within budget). PostgreSQL
    takes the same size: each batch costs a dozen round trips, a commit and its lookups' planning
    whatever its size, and 10,000 rows still commit within seconds (progress, locks)."""
    return 10_000
COUNT_FIELDS = ("created_count", "updated_count", "unchanged_count", "failed_count", "warning_count")


@transaction.atomic
def import_job_create(*, actor, file, original_name: str = "", dry_run: bool = False) -> ImportJob:
    """Store the uploaded file and queue its import; the caller enqueues or runs it."""
    require(may_write_library(actor), READ_ONLY)
    name = (original_name or getattr(file, "name", "") or "import").rsplit("/", 1)[-1][:255]
    job = ImportJob(original_name=name, dry_run=dry_run, created_by=actor, unit_id=actor.unit_id)
    job.file.save(name, file, save=False)
    job.save()
    audit_record(actor=actor, instance=job, action=AuditAction.CREATE,
                 note=f"上传导入文件“{name}”" + ("（试运行）" if dry_run else ""))
    return job


@transaction.atomic
def import_job_cancel(*, actor, job: ImportJob) -> ImportJob:
    """Stop a queued or running import after the batch in progress; what was committed stays."""
    require(may_write_library(actor), READ_ONLY)
    before = ImportJob.objects.filter(pk=job.pk).values_list("status", flat=True).first()
    changed = ImportJob.objects.filter(pk=job.pk, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now())
    if not changed:
        raise ConflictError("该导入已经结束，无法取消。", code="import_finished")
    job.refresh_from_db()
    audit_record(actor=actor, instance=job, action=AuditAction.UPDATE,
                 changes={"status": [before, ImportStatus.CANCELLED.value]},
                 note=f"取消导入“{job.original_name}”，已提交到第{job.rows_done}行")
    return job


@transaction.atomic
def import_job_resume(*, actor, job: ImportJob) -> ImportJob:
    """Queue a failed or cancelled import again (the disk that was full has room now, a cancel was a
    mistake); the worker continues after the checkpoint. The task is enqueued in this transaction, as
    by the stale-job sweep."""
    from apps.imports.tasks import import_watch_enqueue, run_import_task  # the tasks module imports this one

    require(may_write_library(actor), READ_ONLY)
    if not job.file:
        raise ConflictError("上传的文件已按保存期限删除，无法继续导入；如需导入请重新上传。", code="import_file_purged")
    # runner="": a runner of the cancelled job still alive (between two batches) must not take the
    # resumed job for its own; its next batch sees another owner and stops.
    if not ImportJob.objects.filter(pk=job.pk, status__in=[ImportStatus.FAILED, ImportStatus.CANCELLED]).update(
            status=ImportStatus.QUEUED, error_message="", finished_at=None, runner=""):
        raise ConflictError("只有失败或已取消的导入可以继续；请刷新页面查看它现在的状态。", code="import_not_resumable")
    job.refresh_from_db()
    audit_record(actor=actor, instance=job, action=AuditAction.UPDATE,
                 note=f"继续导入“{job.original_name}”，从第{job.rows_done}行之后开始")
    result = run_import_task.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    import_watch_enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_jobs_recover_stale(*, now=None) -> list[int]:
    """Queue again every running import whose heartbeat is older than STALE_AFTER: its process died
    without a word (SIGKILL, out of memory, a restart), and nobody else would ever resume it. The next
    worker continues after the checkpoint. Returns the ids of the jobs queued again.

    Each job is taken with an UPDATE conditional on the status and the heartbeat read, so of two
    sweepers only one re-queues it, and a runner that was alive after all (it committed a batch,
    moving its heartbeat, meanwhile) keeps the job. Clearing `runner` fences that runner off should it
    wake later: its next batch sees another owner and stops. The task is enqueued in the same
    transaction (the database task backend writes its queue row there), so a job is never left queued
    with no task to run it."""
    now = now or timezone.now()
    requeued = [job.pk for job in import_jobs_stale(now=now).order_by("pk") if import_job_requeue_stale(job, now=now)]
    # A dead runner of a first load leaves the indexes it dropped missing: back before anything else.
    if bulk.missing_indexes() and (built := import_indexes_repair()):
        logger.warning("rebuilt the library indexes a stopped import had dropped: %s", ", ".join(built))
    return requeued


def import_jobs_stale(*, now=None):
    """Running jobs whose heartbeat is older than STALE_AFTER. No heartbeat at all: a job that was
    running when the field was added (its worker stopped for the upgrade), as dead as one whose
    heartbeat stopped."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return ImportJob.objects.filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True),
                                    status=ImportStatus.RUNNING)


def import_job_requeue_stale(job: ImportJob, *, now=None) -> bool:
    """Queue one stale job (as read by import_jobs_stale) again, unless it changed since it was read:
    another sweeper took it, or its runner was alive and committed a batch. True if this call did."""
    from apps.imports.tasks import import_watch_enqueue, run_import_task  # the tasks module imports this one

    now = now or timezone.now()
    with transaction.atomic():
        taken = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, heartbeat_at=job.heartbeat_at,
                                         rows_done=job.rows_done).update(
            status=ImportStatus.QUEUED, runner="", heartbeat_at=now, resumed_at=now,
            resumed_count=F("resumed_count") + 1)
        if not taken:
            return False
        result = run_import_task.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
        audit_record(actor=None, instance=job, action=AuditAction.UPDATE, note=(
            f"导入“{job.original_name}”的后台进程中断（{_silence(job.heartbeat_at, now)}无心跳），"
            f"已自动重新排队，从第{job.rows_done}行之后继续"))
    logger.warning("import %s: no heartbeat since %s, queued again after row %s", job.pk, job.heartbeat_at,
                   job.rows_done)
    import_watch_enqueue(job.pk)
    return True


def _live_runs(*, now=None):
    """Running jobs whose runner is alive (heartbeat within STALE_AFTER)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return ImportJob.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__gte=cutoff)


def import_indexes_repair(*, exclude: ImportJob | None = None) -> list[str]:
    """Build again the library's indexes that a large first load dropped (bulk.drop_deferrable_indexes)
    and a stopped import left missing; returns their names. Not while another import is running: it
    may have dropped them on purpose, and it rebuilds them itself when its rows are in. Idempotent;
    called at the end of every run, by the stale-job sweep and by `import_organisations --repair-indexes`."""
    live = _live_runs()
    if exclude is not None:  # the caller's own run; a successor that took its job over still counts
        live = live.exclude(pk=exclude.pk, runner=exclude.runner)
    if live.exists():
        return []
    return bulk.restore_deferrable_indexes()


def _drop_indexes_for_first_load(job: ImportJob) -> bool:
    """A large import into a library no bigger than what it still has to load (a first load, or its
    resume) drops the indexes no import lookup reads and rebuilds them after its last row: building
    an index once over a million rows is far cheaper than updating it row by row. Not beside another
    running import (whose lookups and end would be confused by it), nor for a dry run."""
    remaining = job.rows_total - job.rows_done
    if job.dry_run or remaining < DEFER_INDEX_ROWS or _live_runs().exclude(pk=job.pk).exists():
        return False
    from apps.organisations.models import Organisation

    if Organisation.objects.count() > remaining:
        return False
    return bool(bulk.drop_deferrable_indexes()) or bool(bulk.missing_indexes())


def _restore_indexes_quietly(job: ImportJob) -> None:
    """On the way out of a failed or cancelled run: rebuild what it dropped, without hiding the error
    that ended it (a failure here leaves the repair to the sweep, a resume or the command)."""
    try:
        import_indexes_repair(exclude=job)
    except Exception:  # the run's own error is the one to report
        logger.exception("import %s: could not rebuild the library indexes; the stale-job sweep will", job.pk)


def _silence(heartbeat_at, now) -> str:
    if heartbeat_at is None:
        return "长时间"
    return f"{max(1, int((now - heartbeat_at).total_seconds() // 60))}分钟"


def purge_import_files(*, now=None) -> int:
    """Delete uploaded files of imports that ended more than IMPORT_FILE_RETENTION_DAYS ago. A purchased
    dataset is the office's largest file and holds personal data (contacts); once imported, the records,
    the job's counts and its row-level report are what people use, so the raw upload is not kept forever.
    A failed or cancelled job can be resumed until then. Returns how many files were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    purged = 0
    for job in ImportJob.objects.filter(finished_at__lt=cutoff).exclude(file="").exclude(
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).order_by("pk").iterator():
        name = job.file.name
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).update(file="")
            # Personal data leaving the system is an auditor's question ("when was that file deleted?").
            audit_record(actor=None, instance=job, action=AuditAction.UPDATE, changes={"file": [name, ""]},
                         note=f"上传文件“{job.original_name}”已超过保存期限（{settings.IMPORT_FILE_RETENTION_DAYS}天），已删除")
        job.file.delete(save=False)  # after the commit; a file already gone from storage is not an error
        purged += 1
    return purged


def _issue_rows(job: ImportJob, items, *, warning: bool) -> list[ImportIssue]:
    return [ImportIssue(job=job, line=i.line, column=(i.column or "")[:50], message=i.message[:500],
                        value=(i.value or "")[:250], is_warning=warning) for i in items]


class _Cancelled(Exception):
    pass


def _commit_batch(job: ImportJob, rows: list[bulk.OrgRow], problems: list[Problem], last_line: int,
                  seen: dict, defer_index: bool = False, prepared: list | None = None) -> None:
    actor = job.created_by
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The commit returns without waiting for its WAL to reach the disk (about 200 commits a
            # million rows, each a flush). What this risks is only a crash of the database server
            # itself in the next fraction of a second, and then it loses whole batches at the end:
            # the job's checkpoint, issues and counts are in the same transaction as the rows, so
            # they are lost with them and the resume starts after the last batch that did survive.
            # Never a half-written batch, never rows past the checkpoint; and any later ordinary
            # commit (the job's end) flushes the WAL of every batch before it.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        # The row lock makes two runners of one job (a worker and a --resume) take turns; the second
        # sees the checkpoint moved and stops instead of writing the batch twice.
        current = ImportJob.objects.select_for_update().only("rows_done", "status", "runner").get(pk=job.pk)
        if current.status == ImportStatus.CANCELLED:
            raise _Cancelled
        if current.rows_done != job.rows_done or current.runner != job.runner:
            # The checkpoint moved, or the job was recovered from this process (import_jobs_recover_stale
            # took it for dead) and perhaps claimed by another: that one carries on.
            raise ConflictError("该导入正由另一个进程处理（检查点已变化），本进程停止。", code="import_busy")
        # `seen` names the earlier line of a repeated row; past SEEN_LIMIT keys it starts afresh and
        # earlier rows are recognised in the library by who created them and since when
        # (imported_since), so memory does not grow with the file (a million keys: 120 MB).
        if len(seen) > SEEN_LIMIT:
            seen.clear()
        result = bulk.bulk_upsert(rows, actor=actor, dry_run=job.dry_run, source=f"数据导入：{job.original_name}"[:100],
                                  seen=seen, defer_index=defer_index, prepared=prepared,
                                  imported_since=job.started_at) if rows else bulk.BatchResult()
        ImportIssue.objects.bulk_create(
            _issue_rows(job, problems, warning=False) + _issue_rows(job, result.issues, warning=False)
            + _issue_rows(job, result.warnings, warning=True))
        values = {
            "rows_done": last_line,
            "created_count": job.created_count + result.created,
            "updated_count": job.updated_count + result.updated,
            "unchanged_count": job.unchanged_count + result.unchanged,
            "failed_count": job.failed_count + result.failed + len(problems),
            "warning_count": job.warning_count + len(result.warnings),
            "heartbeat_at": timezone.now(),
        }
        if last_line > job.rows_total:
            values["rows_total"] = last_line
        ImportJob.objects.filter(pk=job.pk).update(**values)
    for name, value in values.items():  # only once committed
        setattr(job, name, value)


def _fail(job: ImportJob, message: str, status: str = ImportStatus.FAILED) -> None:
    """End the job, unless another runner owns it by now (then its outcome is that runner's to say)."""
    job.status = status
    job.error_message = message
    job.finished_at = timezone.now()
    ImportJob.objects.filter(pk=job.pk, runner=job.runner).update(
        status=status, error_message=message, finished_at=job.finished_at)


def _heartbeat(job: ImportJob) -> None:
    """Stamp the heartbeat between batches (before the index merge and the statistics, the longest
    steps without a batch commit); a job taken over meanwhile stops this runner."""
    if not ImportJob.objects.filter(pk=job.pk, runner=job.runner, status=ImportStatus.RUNNING).update(
            heartbeat_at=timezone.now()):
        raise ConflictError("该导入正由另一个进程处理，本进程停止。", code="import_busy")


def is_disk_full(error: BaseException) -> bool:
    """Whether this error, or one it was raised from, says the disk (or the database's quota) is full:
    SQLite's SQLITE_FULL ("database or disk is full"), an OSError ENOSPC (a temporary file, the upload),
    PostgreSQL's disk_full (SQLSTATE 53100, "could not extend file")."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return True
        if getattr(error, "sqlstate", None) == "53100":
            return True
        if isinstance(error, (sqlite3.OperationalError, DatabaseError)) and "disk is full" in str(error):
            return True
        error = error.__cause__ or error.__context__
    return False


def _fail_disk_full(job: ImportJob) -> None:
    """Record a full disk as the job's end. The batch in flight rolled back with its transaction; the
    job row's own update needs a page or two, which the rolled-back batch has just left free in the
    WAL (or a fresh connection finds). If even that cannot be written, the job stays "running" and
    the stale-job sweep queues it again later, by when there may be room."""
    message = (f"磁盘空间已满：导入在第{job.rows_done}行之后停止，已提交的部分保留；"
               "腾出空间后可从中断处继续导入。")
    for attempt in range(2):
        try:
            _fail(job, message)
            return
        except DatabaseError:
            if attempt:
                logger.exception("import %s: disk full, and the job's failure could not be recorded", job.pk)
                return
            # A connection whose transaction SQLite aborted on SQLITE_FULL: start afresh.
            connection.close()


def run_import(job: ImportJob, *, batch_size: int | None = None,
               progress: Callable[[ImportJob], None] | None = None, resume_cancelled: bool = False) -> ImportJob:
    """Run (or resume) an import job to the end. File-level problems end the job as failed with a
    Chinese message and nothing written; row-level problems become ImportIssue rows. A cancelled job
    stays cancelled unless `resume_cancelled` (the command's --resume) says to go on."""
    job.refresh_from_db()
    if job.status == ImportStatus.DONE:
        raise DomainError("该导入已经完成，无需继续。", code="import_done")
    if job.status == ImportStatus.CANCELLED and not resume_cancelled:
        return job
    if job.created_by is None or not may_write_library(job.created_by):
        _fail(job, "导入人已没有修改目标库的权限，导入未进行。")
        return job
    started_at = job.started_at or timezone.now()
    runner = uuid.uuid4().hex
    # Conditional on the status and the owner we read: a cancel, or another runner's claim, that lands
    # in between wins. The new token fences off any earlier runner of this job that is still alive.
    if not ImportJob.objects.filter(pk=job.pk, status=job.status, runner=job.runner).update(
            status=ImportStatus.RUNNING, error_message="", finished_at=None, started_at=started_at,
            runner=runner, heartbeat_at=timezone.now()):
        job.refresh_from_db()
        return job
    job.status, job.error_message, job.finished_at, job.started_at = ImportStatus.RUNNING, "", None, started_at
    job.runner = runner
    batch_size = batch_size or default_batch_size()
    if not job.file:
        _fail(job, "上传的文件已按保存期限删除，无法继续导入；如需导入请重新上传。")
        return job
    try:
        with job.file.open("rb") as stream:
            table = open_table(stream, job.original_name)
            try:
                header, problems = bulk.header_map(table.header)
                if problems:
                    raise ImportFileError("表头不符，未导入任何数据：" + "".join(problems))
                job.format, job.encoding = table.format, table.encoding_name
                job.rows_total = max(job.rows_total, table.estimated_last_line)
                job.save(update_fields=["format", "encoding", "rows_total"])
                if progress:
                    progress(job)
                bulk.tune_connection_for_bulk()
                dropped = _drop_indexes_for_first_load(job)
                try:
                    _run_rows(job, table, header, batch_size, progress)
                except BaseException:
                    _restore_indexes_quietly(job)
                    raise
                # Before the merge and the job's end: a stop after this point leaves every index in place.
                if dropped or bulk.missing_indexes():
                    _heartbeat(job)
                    import_indexes_repair(exclude=job)
            finally:
                table.close()
    except ImportFileError as error:
        _fail(job, error.message)
        return job
    except _Cancelled:
        job.refresh_from_db()
        return job
    except ConflictError as error:
        if error.code == "import_busy":  # the other runner owns the job's status
            job.refresh_from_db()
            return job
        raise
    except Exception as error:
        if is_disk_full(error):
            # Not a bug to re-raise: the worker stays up, the page says what to do.
            logger.warning("import %s: disk full after row %s: %s", job.pk, job.rows_done, error)
            _fail_disk_full(job)
            return job
        logger.exception("import %s failed after row %s", job.pk, job.rows_done)
        message = error.message if isinstance(error, DomainError) else f"{type(error).__name__}: {error}"
        _fail(job, f"导入在第{job.rows_done}行之后中断：{message}。已提交的部分保留，可从中断处继续导入。"[:2000])
        raise
    try:
        if not job.dry_run:
            # Deferred postings join the index in one sorted pass; then the counts query planning uses
            # to pick each search's rarest bigram are refreshed (stale counts cost speed, never
            # correctness).
            _heartbeat(job)
            merge_pending()
            _heartbeat(job)
            refresh_stats()
    except ConflictError:  # taken over by another runner meanwhile: the end is that runner's
        job.refresh_from_db()
        return job
    except Exception as error:
        # Every row is committed; only the search postings wait (has_pending), merged when the job is
        # resumed (or by the next import).
        if is_disk_full(error):
            logger.warning("import %s: disk full while merging the search index: %s", job.pk, error)
            _fail_disk_full(job)
            return job
        logger.exception("import %s failed while merging the search index", job.pk)
        _fail(job, f"全部{job.rows_done}行已提交，但更新搜索索引时出错：{type(error).__name__}: {error}。"
                   "继续导入即可补完索引。"[:2000])
        raise
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.rows_total = job.rows_done
    if not ImportJob.objects.filter(pk=job.pk, runner=job.runner).update(
            status=job.status, finished_at=job.finished_at, rows_total=job.rows_total):
        job.refresh_from_db()
        return job
    if not job.dry_run:
        audit_record(actor=job.created_by, instance=job, action=AuditAction.UPDATE, note=(
            f"导入“{job.original_name}”完成：新增{job.created_count}，更新{job.updated_count}，"
            f"未变化{job.unchanged_count}，未导入{job.failed_count}"))
    if progress:
        progress(job)
    return job


def _batches(job, table, header: dict[int, str], batch_size: int):
    """(rows, problems, last_line) per batch, after the checkpoint."""
    rows: list[bulk.OrgRow] = []
    problems: list[Problem] = []
    last_line = job.rows_done
    for source in table.rows():
        if source.line <= job.rows_done:
            continue  # committed before a stop: resume after the checkpoint
        last_line = source.line
        if source.problem is not None:
            problems.append(source.problem)
        else:
            values = {key: source.cells[index] for index, key in header.items() if index < len(source.cells)}
            rows.append(bulk.OrgRow(line=source.line, values=values))
        if len(rows) + len(problems) >= batch_size:
            yield rows, problems, last_line
            rows, problems = [], []
    if rows or problems:
        yield rows, problems, last_line


@contextlib.contextmanager
def _fewer_gc_passes():
    """Python's cycle collector runs every 700 new container objects, and a row makes dozens (cells,
    the cleaned dict, index keys, their pickles to and from the cleaning process), each pass walking
    the young objects, and every so often all of them: 10–20% of an import's CPU, measured, for
    cycles the rows do not make. For the rows phase the collector waits for 50,000 new objects, and
    the objects that exist before it (Django, the app) are frozen out of its walks. The forked
    cleaning process inherits both. Put back after, whatever happens."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _run_rows(job, table, header: dict[int, str], batch_size: int, progress) -> None:
    with _fewer_gc_passes():
        _run_rows_inner(job, table, header, batch_size, progress)


def _run_rows_inner(job, table, header: dict[int, str], batch_size: int, progress) -> None:
    if has_pending():  # left by an import that stopped before its end: searchable again first
        merge_pending()
    large = job.rows_total >= DEFER_INDEX_ROWS
    defer_index = large and not job.dry_run
    seen: dict = {}
    planner = _PlannerStats(job.created_count)

    def commit(rows, problems, last_line, prepared=None):
        _commit_batch(job, rows, problems, last_line, seen, defer_index, prepared)
        planner.after_batch(job.created_count)
        if progress:
            progress(job)

    if not (large and PARALLEL_PREPARE):
        for rows, problems, last_line in _batches(job, table, header, batch_size):
            commit(rows, problems, last_line)
        return
    # Two cores: a second process validates and cleans batch N+1 (names, codes, index keys — pure
    # Python, half of a row's cost) while this one reads the file and writes batch N. At most two
    # batches are in flight, so memory stays bounded. The worker never touches the database.
    context = multiprocessing.get_context("fork")
    share = _Share()
    with context.Pool(1) as pool:
        in_flight: deque = deque()

        def commit_oldest():
            rows_, problems_, line_, head, tail = in_flight.popleft()
            prepared_tail = bulk.prepare_rows(tail)  # this process's share, the worker busy meanwhile
            started = time.perf_counter()
            prepared_head = head.get()
            share.adjust(waited=time.perf_counter() - started)
            commit(rows_, problems_, line_, prepared_head + prepared_tail)

        for rows, problems, last_line in _batches(job, table, header, batch_size):
            split = len(rows) - round(len(rows) * share.own)
            in_flight.append((rows, problems, last_line, pool.apply_async(bulk.prepare_rows, (rows[:split],)),
                              rows[split:]))
            if len(in_flight) >= 2:
                commit_oldest()
        while in_flight:
            commit_oldest()


class _PlannerStats:
    """Keep PostgreSQL's statistics of the organisation table in step with a large import. Each batch
    looks its rows up by credit code, name and 字号 (= ANY of up to 5,000 values), and the planner
    chooses between the indexes and a sequential scan from the table's statistics. Those of a library
    that was empty or small when the import began say it is tiny (autovacuum may be off, or not come
    round yet), so it scanned the whole table four times a batch: the import's time grew with the
    square of its rows (a million rows: most of the rows phase). So the table is analysed again each
    time it has doubled since the last analysis (about ten times over a million rows from empty,
    each a fraction of a second: ANALYZE reads a sample of fixed size). SQLite needs none of this:
    its planner takes an indexed IN list as an index lookup without statistics."""

    FLOOR = 20_000

    def __init__(self, created: int):
        from django.db import connection

        self.enabled = connection.vendor == "postgresql"
        self.size = 0  # the table's size at its last analysis
        self.created = created  # this job's created_count then
        if self.enabled:
            with connection.cursor() as cursor:
                cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'organisations_organisation'::regclass")
                self.size = max(0, int(cursor.fetchone()[0]))  # -1: never analysed

    def after_batch(self, created: int) -> None:
        size = self.size + created - self.created
        if self.enabled and size >= max(self.FLOOR, 2 * self.size):
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE organisations_organisation")
            self.size, self.created = size, created


class _Share:
    """How much of each batch this process cleans itself rather than leaving to the worker. When it
    waits for the worker (SQLite: writing a batch is quicker than cleaning one) it takes a bigger
    share; when the worker waits for it (PostgreSQL, a slow disk) a smaller one. Either way both
    cores stay busy, whatever the machine and the database. The step and the 20 ms threshold are
    coarse on purpose: the share settles within a few batches of a million-row file either way."""

    STEP = 0.05
    MAX = 0.5

    def __init__(self):
        self.own = 0.2

    def adjust(self, *, waited: float) -> None:
        if waited > 0.02:
            self.own = min(self.MAX, self.own + self.STEP)
        else:
            self.own = max(0.0, self.own - self.STEP)
