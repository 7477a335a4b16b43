"""Backup and restore of the whole platform — the database and every uploaded file — as one archive.

`manage.py backup FILE` and `manage.py restore FILE` are thin shells around backup_create and
backup_restore. The archive is a tar file (gzip-compressed unless FILE ends in ".tar") holding, in
this order:

    database.sqlite3 | database.pgdump   the database, made by the database's own tools
    media/<path>                          every regular file under MEDIA_ROOT
    manifest.json                         written last: what the archive holds and its checksums

Consistency while the app runs:
- SQLite: Python's sqlite3 online backup API copies the live database in one step under one read
  transaction; in WAL mode writers keep writing meanwhile and the copy is the database as of one moment.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; pg_dump imports it (--snapshot), and the
  row counts and migration state of the manifest are read in that same snapshot, so they describe exactly
  the rows in the dump even while the app writes.
- Uploads are copied after the database snapshot. Django writes a file before the row naming it commits,
  so every file a row in the snapshot refers to already exists; a file uploaded later is an unreferenced
  extra, harmless.

The manifest is the archive's last member: an archive cut short anywhere lacks it or fails a checksum, so
restore refuses it before anything is changed. Restore stages the complete new media tree beside
MEDIA_ROOT, swaps it in with renames, then replaces the database atomically (SQLite: a checked copy renamed
over the file; PostgreSQL: one transaction that also re-checks every table's row count); a failure of either
puts the old media tree back, so an error leaves the old database with the old uploads. A process killed
between the swap and the commit leaves a journal beside MEDIA_ROOT that the next restore finishes
(backup_restore explains the order).
"""

import contextlib
import datetime
import errno
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from apps.core.errors import DomainError

FORMAT = "shuangzhao-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# A table name that comes from a manifest is put into SQL; anything but Django's own kind of name is refused.
TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
# Top-level names inside MEDIA_ROOT that belong to a restore swapping MEDIA_ROOT's contents (a mount point
# or symbolic link): the staged tree and the old files set aside. Never backed up, never swapped.
RESTORE_PREFIX = ".restore-"
REPLACED_PREFIX = ".replaced-"


class BackupError(DomainError):
    """A backup or restore that cannot go on; the message says why and that nothing was changed."""

    def __init__(self, message: str, *, code: str = "backup"):
        super().__init__(message, code=code)


@dataclass
class BackupResult:
    path: Path
    vendor: str
    created_at: str
    tables: dict[str, int]
    files: int
    file_bytes: int
    archive_bytes: int

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass
class RestoreResult:
    path: Path
    vendor: str
    created_at: str
    tables: dict[str, int]
    files: int
    # The uploads MEDIA_ROOT held before, less the files the archive put back unchanged: kept, not deleted.
    replaced_media_dir: Path | None = None
    replaced_files: int = 0
    # Migrations the code has and the restored database has not applied yet: run `manage.py migrate`.
    pending_migrations: list[str] = field(default_factory=list)
    # "rename": MEDIA_ROOT was replaced as a whole; "contents": it is a mount point or symbolic link (or
    # could not be renamed), so its top-level entries were swapped one by one.
    media_swap: str = "rename"
    # Journals of earlier restores that were killed half-way and that this one finished (restore_interrupted).
    interrupted: list[dict] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


# --- Shared helpers ---------------------------------------------------------------------------------

def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"不支持备份 {vendor} 数据库：只支持 SQLite 和 PostgreSQL。")
    return vendor


def _sha256_file(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class _HashingReader:
    """Hands tarfile the bytes of a file while hashing exactly those bytes."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _last_migrations(rows) -> dict[str, str]:
    """(app, name) rows in the order they were applied → the last applied migration of each app."""
    last: dict[str, str] = {}
    for app, name in rows:
        last[app] = name
    return dict(sorted(last.items()))


def media_files(media_root: Path) -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT as (posix path relative to it, absolute path), sorted.
    Symbolic links are skipped: they point outside what the platform stored; so are a restore's own
    directories at the top (RESTORE_PREFIX, REPLACED_PREFIX)."""
    if not media_root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(media_root):
        if Path(directory) == media_root:
            dirnames[:] = [name for name in dirnames if not name.startswith((RESTORE_PREFIX, REPLACED_PREFIX))]
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(media_root).as_posix(), path))
    return found


def table_counts(using: str = "default") -> dict[str, int]:
    """Rows per table of the configured database, as the manifest lists them."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return _count_tables(cursor, _vendor(using))


def _table_names(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                       "ESCAPE '\\' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _count_tables(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for name in _table_names(cursor, vendor):
        cursor.execute(f"SELECT count(*) FROM {_quote(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


def _migration_rows(cursor, tables) -> list[tuple[str, str]]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return [(app, name) for app, name in cursor.fetchall()]


# --- PostgreSQL client tools ------------------------------------------------------------------------

# libpq options Django passes through OPTIONS that the command-line tools read from the environment.
_PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "sslpassword": "PGSSLPASSWORD", "service": "PGSERVICE", "passfile": "PGPASSFILE", "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT", "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def _pg_env(using: str) -> dict[str, str]:
    """The connection as PG* environment variables: a password on the command line would be readable
    by every user of the machine in the process list."""
    settings_dict = connections[using].settings_dict
    # Inherited PG* variables stay (libpq reads them for Django's own connection too); settings win.
    env = dict(os.environ)
    for key, var in [("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("HOST", "PGHOST"), ("PORT", "PGPORT")]:
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    for option, var in _PG_OPTION_ENV.items():
        if settings_dict.get("OPTIONS", {}).get(option) not in (None, ""):
            env[var] = str(settings_dict["OPTIONS"][option])
    env["PGAPPNAME"] = "shuangzhao-backup"
    env["PGCLIENTENCODING"] = "UTF8"
    return env


def _pg_tool(name: str) -> str:
    # PG_BINDIR picks a client newer than the one on PATH: pg_dump refuses a server newer than itself.
    directory = os.environ.get("PG_BINDIR")
    path = str(Path(directory) / name) if directory else shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        raise BackupError(f"找不到 PostgreSQL 客户端程序 {name}：请安装与服务器同版本（或更新）的 PostgreSQL 客户端，"
                          "或用环境变量 PG_BINDIR 指明其所在目录。未做任何更改。")
    return path


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    completed = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip()[-2000:]
        raise BackupError(f"{what}失败（{Path(args[0]).name} 退出码 {completed.returncode}）：{detail}")


# --- Backup -----------------------------------------------------------------------------------------

def _sqlite_path(using: str) -> Path:
    name = str(connections[using].settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("当前数据库是内存中的 SQLite 数据库，无法备份：请配置数据库文件（SQLITE_PATH）。")
    return Path(name)


def _sqlite_snapshot(using: str, target: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    live = _sqlite_path(using)
    if not live.is_file():
        raise BackupError(f"找不到数据库文件 {live}：请检查 SQLITE_PATH。")
    source = sqlite3.connect(live, timeout=60)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, under one read transaction — a snapshot of one
        # moment. (Copying in steps would restart whenever another connection writes.)
        source.backup(copy, pages=-1)
        # A standalone file: no -wal beside it to forget.
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise BackupError(f"数据库副本的完整性检查未通过：{check[:5]}；当前数据库可能已损坏，请立即排查。")
        cursor = copy.cursor()
        counts = _count_tables(cursor, "sqlite")
        migrations = _migration_rows(cursor, counts)
    finally:
        copy.close()
        source.close()
    return counts, migrations


def _pg_snapshot(using: str, target: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    import psycopg

    connection = connections[using]
    pg_dump = _pg_tool("pg_dump")
    env = _pg_env(using)
    raw = connection.Database.connect(**connection.get_connection_params())
    try:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count_tables(cursor, "postgresql")
            migrations = _migration_rows(cursor, counts)
            # The exporting transaction stays open until pg_dump is done: that keeps the snapshot alive.
            # --lock-wait-timeout: a backup waits at most that long behind a schema change, then fails
            # loudly instead of queueing every request behind it.
            _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
                  "--lock-wait-timeout=120000", f"--file={target}"], env, "导出 PostgreSQL 数据库（pg_dump）")
        raw.rollback()
    finally:
        raw.close()
    return counts, migrations


def _archive_mode(path: Path) -> dict:
    # gzip level 6: nearly level 9's size at a fraction of its time (the PostgreSQL dump is compressed already).
    return {"mode": "w"} if path.name.endswith(".tar") else {"mode": "w:gz", "compresslevel": 6}


def backup_create(path, *, using: str = "default") -> BackupResult:
    """Write the database and every file under MEDIA_ROOT to the archive ``path`` (which must not exist).
    Safe while the app serves and the worker writes. Raises BackupError; a half-written archive never
    appears under ``path``."""
    vendor = _vendor(using)
    path = Path(path).absolute()
    if path.exists():
        raise BackupError(f"备份文件 {path} 已存在：请换一个文件名（例如带上日期时间），或先移走旧文件。")
    if not path.parent.is_dir():
        raise BackupError(f"备份文件所在的目录 {path.parent} 不存在：请先创建该目录。")
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if path.parent.resolve().is_relative_to(media_root.resolve()):
        # The web server may serve MEDIA_ROOT, and every later backup would carry this one inside it.
        raise BackupError(f"不能把备份文件放在上传文件目录 MEDIA_ROOT（{media_root}）里：请换一个目录。")
    interrupted = restore_interrupted(media_root)
    if interrupted is not None:
        # The database and the uploads may be from different moments: a backup would preserve the mix.
        raise BackupError(f"上一次恢复（{interrupted['archive']}，开始于 {interrupted['started_at']}）被中断，"
                          "数据库和上传文件可能不一致：请先用同一个备份文件重新运行 restore 完成恢复，再备份。"
                          "未生成备份。")
    created_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    fd, partial_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    partial = Path(partial_name)
    raw = os.fdopen(fd, "wb")  # mkstemp made it 0600: the archive holds everything
    try:
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=path.parent) as work:
            db_file = Path(work) / DATABASE_MEMBER[vendor]
            if vendor == "sqlite":
                tables, migration_rows = _sqlite_snapshot(using, db_file)
            else:
                tables, migration_rows = _pg_snapshot(using, db_file)
            db_size, db_sha = _sha256_file(db_file)
            files = []
            with raw, tarfile.open(fileobj=raw, format=tarfile.PAX_FORMAT, **_archive_mode(path)) as tar:
                with open(db_file, "rb") as handle:
                    info = tarfile.TarInfo(DATABASE_MEMBER[vendor])
                    info.size, info.mtime, info.mode = db_size, int(db_file.stat().st_mtime), 0o600
                    tar.addfile(info, handle)
                for relative, absolute in media_files(media_root):
                    entry = _add_media_file(tar, relative, absolute)
                    if entry is not None:
                        files.append(entry)
                manifest = {
                    "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": created_at,
                    "database": {"vendor": vendor, "member": DATABASE_MEMBER[vendor], "size": db_size,
                                 "sha256": db_sha},
                    "migrations": _last_migrations(migration_rows),
                    "tables": tables,
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(datetime.datetime.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
                tar.close()
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, path)
        _fsync_dir(path.parent)
    except BaseException as error:
        raw.close()
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BackupError(f"写备份文件失败：{error}。备份未完成，{path} 没有生成。") from error
        raise
    return BackupResult(path=path, vendor=vendor, created_at=created_at, tables=tables, files=len(files),
                        file_bytes=sum(entry["size"] for entry in files), archive_bytes=path.stat().st_size)


def _add_media_file(tar: tarfile.TarFile, relative: str, absolute: Path) -> dict | None:
    try:
        handle = open(absolute, "rb")
    except FileNotFoundError:
        return None  # deleted since the listing: it is gone from MEDIA_ROOT too
    with handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(MEDIA_PREFIX + relative)
        # The size at opening: a file still being written is copied as far as it was then.
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"path": relative, "size": info.size, "sha256": reader.digest.hexdigest()}


# --- Reading and checking an archive ----------------------------------------------------------------

def _member_target(name: str, vendor_members: set[str]) -> str:
    """Refuse anything but the three kinds of member, and paths that would leave the staging directory."""
    if name == MANIFEST or name in vendor_members:
        return name
    if name.startswith(MEDIA_PREFIX):
        relative = PurePosixPath(name[len(MEDIA_PREFIX):])
        parts = relative.parts
        if parts and not relative.is_absolute() and all(part not in ("", ".", "..") for part in parts) \
                and "\x00" not in name and "\\" not in name:
            return name
    raise BackupError(f"备份文件中有不应出现的条目“{name}”：这不是本系统生成的备份，或已被改动。未做任何更改。")


def _read_manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BackupError(f"备份清单 {MANIFEST} 无法解析（{error}）：备份已损坏。未做任何更改。") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("备份清单不是本系统的格式：这不是本系统生成的备份。未做任何更改。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('format_version')} 不受支持（当前程序读取版本 {FORMAT_VERSION}）："
                          "请用生成该备份的程序版本恢复。未做任何更改。")
    database, tables = manifest.get("database"), manifest.get("tables")
    files, migrations = manifest.get("files"), manifest.get("migrations")
    well_formed = (
        isinstance(database, dict) and database.get("vendor") in DATABASE_MEMBER
        and database.get("member") == DATABASE_MEMBER[database["vendor"]]
        and isinstance(database.get("size"), int) and isinstance(database.get("sha256"), str)
        and isinstance(tables, dict)
        and all(isinstance(k, str) and TABLE_NAME.match(k) and type(v) is int and v >= 0 for k, v in tables.items())
        and isinstance(migrations, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in migrations.items())
        and isinstance(files, list)
        and all(isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("size"), int)
                and isinstance(f.get("sha256"), str) for f in files)
        and isinstance(manifest.get("created_at"), str)
    )
    if not well_formed:
        raise BackupError("备份清单内容不完整或格式不对：备份已损坏或被改动。未做任何更改。")
    return manifest


def _extract(path: Path, *, database_target: Path | None, media_target: Path | None) -> dict:
    """Read the whole archive once: every member is hashed and written to its staging place (nowhere when
    the targets are None: a check only). Returns the manifest after checking that the archive holds
    exactly what it lists, byte for byte."""
    vendor_members = set(DATABASE_MEMBER.values())
    seen: dict[str, tuple[int, str]] = {}
    manifest_data = None
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for member in tar:
                name = _member_target(member.name, vendor_members)
                if manifest_data is not None:
                    raise BackupError(f"备份文件在清单之后还有条目“{name}”：备份已被改动。未做任何更改。")
                if not member.isfile():
                    raise BackupError(f"备份文件中的“{name}”不是普通文件：备份已被改动。未做任何更改。")
                if name in seen:
                    raise BackupError(f"备份文件中“{name}”出现了两次：备份已被改动。未做任何更改。")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise BackupError("备份清单过大：这不是本系统生成的备份。未做任何更改。")
                    manifest_data = source.read()
                    if len(manifest_data) != member.size:
                        raise BackupError("备份清单不完整：备份文件已被截断。未做任何更改。")
                    continue
                if name in vendor_members:
                    target = database_target
                elif media_target is not None:
                    target = media_target.joinpath(*PurePosixPath(name[len(MEDIA_PREFIX):]).parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                else:
                    target = None
                digest, size = hashlib.sha256(), 0
                with open(target, "wb") if target is not None else contextlib.nullcontext() as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        if out is not None:
                            out.write(chunk)
                seen[name] = (size, digest.hexdigest())
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"备份文件已损坏或不完整（可能被截断）：{error}。未做任何更改。") from error
    if manifest_data is None:
        raise BackupError(f"备份文件中没有清单 {MANIFEST}：备份不完整（可能被截断）或不是本系统的备份。未做任何更改。")
    manifest = _read_manifest(manifest_data)
    expected = {manifest["database"]["member"]: (manifest["database"]["size"], manifest["database"]["sha256"])}
    expected.update({MEDIA_PREFIX + f["path"]: (f["size"], f["sha256"]) for f in manifest["files"]})
    missing = sorted(expected.keys() - seen.keys())
    if missing:
        raise BackupError(f"备份文件缺少清单所列的“{missing[0]}”等 {len(missing)} 项：备份不完整。未做任何更改。")
    unlisted = sorted(seen.keys() - expected.keys())
    if unlisted:
        raise BackupError(f"备份文件中的“{unlisted[0]}”不在清单中：备份已被改动。未做任何更改。")
    differing = sorted(name for name in expected if seen[name] != expected[name])
    if differing:
        raise BackupError(f"备份文件中“{differing[0]}”的校验值与清单不符：文件已损坏或被改动。未做任何更改。")
    return manifest


def _check_compatible(manifest: dict, using: str) -> None:
    vendor = _vendor(using)
    archived = manifest["database"]["vendor"]
    if archived != vendor:
        raise BackupError(f"这份备份来自 {VENDOR_NAMES[archived]} 数据库，当前配置的是 {VENDOR_NAMES[vendor]}："
                          "只能恢复到同一种数据库。未做任何更改。")
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for app, name in manifest["migrations"].items():
        if (app, name) not in on_disk:
            raise BackupError(f"这份备份的数据库结构比当前程序新（{app} 已执行迁移 {name}，当前程序中没有）："
                              "请先把程序升级到备份时的版本再恢复。未做任何更改。")


def _pending_migrations(using: str) -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]


# --- Restore ----------------------------------------------------------------------------------------

def _sqlite_prepare(using: str, staged: Path, manifest: dict) -> None:
    """Every check of the archive's SQLite database, before anything is changed."""
    check = sqlite3.connect(staged)
    try:
        result = check.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupError(f"备份中的数据库未通过完整性检查：{result[:5]}。未做任何更改。")
        counts = _count_tables(check.cursor(), "sqlite")
    finally:
        check.close()
    expected = manifest["tables"]
    differing = sorted(name for name in counts.keys() | expected.keys() if counts.get(name) != expected.get(name))
    if differing:
        name = differing[0]
        raise BackupError(f"备份中的数据库与清单不符：表 {name} 有 {counts.get(name, '不存在，0')} 行，清单记录 "
                          f"{expected.get(name, '没有该表，0')} 行（备份已被改动）。未做任何更改。")
    with open(staged, "rb+") as handle:
        os.fsync(handle.fileno())


def _sqlite_commit(using: str, staged: Path) -> None:
    """Ends with the rename that is the commit: until it, the old database is untouched; after it, the new
    one is in place (``staged`` is gone — backup_restore tells the two apart by that)."""
    live = _sqlite_path(using)
    connections[using].close()
    if live.exists():
        # An empty WAL cannot be replayed onto the new file by a connection opening in between.
        old = sqlite3.connect(live, timeout=60)
        try:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            old.close()
    os.replace(staged, live)


def _sqlite_after_commit(using: str) -> None:
    live = _sqlite_path(using)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    _fsync_dir(live.parent)


def _pg_prepare(using: str, dump: Path, manifest: dict, work: Path) -> list[str]:
    """The psql command that restores the dump in one transaction (see _database_commit); builds its script
    first, so that everything that can refuse the dump before a transaction starts has run."""
    connection = connections[using]
    env = _pg_env(using)
    pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
    script = work / "restore.sql"
    # The dump becomes a script first, so psql runs all of it or — on any error — none of it in one
    # transaction: pg_restore dying half-way through a pipe would otherwise leave a partial restore.
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", f"--file={script}", str(dump)], env,
         "读取 PostgreSQL 备份（pg_restore）")
    with connection.cursor() as cursor:
        current = set(_table_names(cursor, "postgresql"))
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    connection.close()
    tables = manifest["tables"]
    # Tables the archive does not have (made by migrations newer than the backup): dropped in the same
    # transaction, so that `migrate` can create them afresh afterwards.
    extra = sorted(current - tables.keys())
    prelude = "".join(f"DROP TABLE IF EXISTS {_quote(schema)}.{_quote(name)} CASCADE;\n" for name in extra)
    # Inside the same transaction: every table of the manifest with exactly its rows, and no other table.
    # If not, the exception rolls everything back and the old data stays. Names are schema-qualified: the
    # restore script empties search_path.
    checks = [f"SELECT count(*) INTO n FROM pg_tables WHERE schemaname = {_sql_literal(schema)};\n"
              f"IF n <> {len(tables)} THEN RAISE EXCEPTION '恢复后有 % 张表，清单记录 {len(tables)} 张', n; END IF;"]
    for name, rows in sorted(tables.items()):
        checks.append(f"SELECT count(*) INTO n FROM {_quote(schema)}.{_quote(name)};\n"
                      f"IF n <> {int(rows)} THEN RAISE EXCEPTION '表 % 恢复后有 % 行，清单记录 {int(rows)} 行', "
                      f"{_sql_literal(name)}, n; END IF;")
    verify = "DO $restore_check$ DECLARE n bigint; BEGIN\n" + "\n".join(checks) + "\nEND $restore_check$;"
    args = [psql, "--no-psqlrc", "--no-password", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1"]
    if prelude:
        args += ["-c", prelude]
    return [*args, "-f", str(script), "-c", verify]


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _database_commit(vendor: str, using: str, staged: Path, psql_args: list[str] | None) -> None:
    """Replace the database, all or nothing: when this raises, the old database is still there."""
    if vendor == "sqlite":
        _sqlite_commit(using, staged)
    else:
        _run(psql_args, _pg_env(using), "恢复 PostgreSQL 数据库（已回滚，数据库保持原样）")


# --- Restore: the uploads ---------------------------------------------------------------------------

# Why a rename of MEDIA_ROOT itself can fail although its parent is writable: it is a mount point (EBUSY,
# or EXDEV for a bind mount os.path.ismount does not see), or the directory is not ours to move.
_CANNOT_RENAME = {errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES}


def _journal_path(media_root: Path) -> Path:
    return media_root.parent / f".{media_root.name}-restore-journal.json"


def restore_interrupted(media_root=None) -> dict | None:
    """What a restore that was killed between swapping the uploads and committing the database left behind
    (backup_restore writes it before the first rename and removes it after the commit), or None. Keys:
    archive, started_at, replaced_media_dir (where the uploads before it are), earlier (older ones)."""
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT).absolute()
    try:
        journal = json.loads(_journal_path(media_root).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        journal = None
    if not isinstance(journal, dict):  # unreadable: still an interrupted restore, with less to say about it
        journal = {}
    journal.setdefault("archive", "?")
    journal.setdefault("started_at", "?")
    journal.setdefault("replaced_media_dir", "?")
    return journal


def _journal_write(media_root: Path, journal: dict) -> None:
    path = _journal_path(media_root)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(journal, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    _fsync_dir(path.parent)


def _journal_remove(media_root: Path) -> None:
    _journal_path(media_root).unlink(missing_ok=True)
    _fsync_dir(media_root.parent)


def _is_restore_leftover(path: Path) -> bool:
    # Only what a restore itself creates is deleted on the word of a journal file.
    return path.name.startswith(".") and "restore-" in path.name


def _stamp() -> str:
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S")


class _MediaSwap:
    """Puts the complete staged media tree where MEDIA_ROOT is, and can put the old one back.

    Normally two renames in MEDIA_ROOT's parent: MEDIA_ROOT → MEDIA_ROOT-replaced-<stamp>, staging →
    MEDIA_ROOT. When MEDIA_ROOT is a mount point or a symbolic link it must stay what it is (and renaming a
    mount point fails with EBUSY/EXDEV), so its contents are swapped instead: every top-level entry goes into
    MEDIA_ROOT/.replaced-<stamp>/, then every top-level entry of the staged tree — staged inside MEDIA_ROOT,
    on its file system — comes in; each move is one rename. Every rename done is recorded; undo() reverses
    them, last first, so a failure at any step can restore the old tree exactly."""

    def __init__(self, media_root: Path, staged: Path, *, contents: bool, on_change):
        self.media_root = media_root
        self.staged = staged
        self.contents = contents
        self.on_change = on_change  # the plan changed (fallback to contents): rewrite the journal
        self.done: list[tuple[Path, Path]] = []
        self.made_aside = False
        self.copied_staging: Path | None = None
        self.aside = self._aside_path()

    def _aside_path(self) -> Path:
        if self.contents:
            base = self.media_root.resolve() / f"{REPLACED_PREFIX}{_stamp()}"
        else:
            base = self.media_root.parent / f"{self.media_root.name}-replaced-{_stamp()}"
        candidate, n = base, 1
        while os.path.lexists(candidate):
            n += 1
            candidate = base.with_name(f"{base.name}-{n}")
        return candidate

    def _rename(self, source: Path, target: Path) -> None:
        os.rename(source, target)
        self.done.append((source, target))

    def run(self) -> None:
        if self.contents:
            self._swap_contents()
        else:
            self._swap_directory()

    def _swap_directory(self) -> None:
        mode = None
        if os.path.lexists(self.media_root):
            mode = stat.S_IMODE(os.stat(self.media_root).st_mode)
            try:
                self._rename(self.media_root, self.aside)
            except OSError as error:
                if error.errno not in _CANNOT_RENAME:
                    raise
                self._fall_back_to_contents()
                return
        self._rename(self.staged, self.media_root)
        if mode is not None:
            os.chmod(self.media_root, mode)  # the web server's access stays as it was
        _fsync_dir(self.media_root.parent)

    def _fall_back_to_contents(self) -> None:
        # Nothing has changed yet. The entry renames need the staged tree on MEDIA_ROOT's file system: a copy.
        real = self.media_root.resolve()
        self.copied_staging = Path(tempfile.mkdtemp(prefix=RESTORE_PREFIX, dir=real))
        shutil.copytree(self.staged, self.copied_staging / "media", symlinks=True)
        self.staged = self.copied_staging / "media"
        self.contents = True
        self.aside = self._aside_path()
        self.on_change()
        self._swap_contents()

    def _swap_contents(self) -> None:
        real = self.media_root.resolve()
        os.mkdir(self.aside, 0o700)
        self.made_aside = True
        for name in sorted(os.listdir(real)):
            if not name.startswith((RESTORE_PREFIX, REPLACED_PREFIX)):
                self._rename(real / name, self.aside / name)
        for name in sorted(os.listdir(self.staged)):
            self._rename(self.staged / name, real / name)
        _fsync_dir(real)
        _fsync_dir(self.aside)

    def undo(self) -> None:
        """Reverse every rename done, last first. Raises OSError if one cannot be reversed; the ones left
        to reverse stay in self.done."""
        while self.done:
            source, target = self.done[-1]
            os.rename(target, source)
            self.done.pop()
        if self.made_aside:
            with contextlib.suppress(OSError):
                os.rmdir(self.aside)


def _prune_replaced(aside: Path, manifest: dict) -> tuple[Path | None, int]:
    """The old tree set aside holds, for most paths, the very file the archive put back: those copies are
    dropped. What stays — files the archive does not have, or has with other bytes — is kept, not deleted,
    in case someone still needs one. Best effort: what cannot be checked or removed stays too."""
    if not aside.is_dir() or aside.is_symlink():
        return None, 0
    restored = {entry["path"]: (entry["size"], entry["sha256"]) for entry in manifest["files"]}
    kept = 0
    for directory, _dirnames, filenames in os.walk(aside, topdown=False):
        for name in filenames:
            path = Path(directory) / name
            expected = restored.get(path.relative_to(aside).as_posix())
            try:
                if expected and not path.is_symlink() and path.stat().st_size == expected[0] \
                        and _sha256_file(path) == expected:
                    path.unlink()
                    continue
            except OSError:
                pass
            kept += 1
        with contextlib.suppress(OSError):
            os.rmdir(directory)  # only when empty
    return (aside if aside.exists() else None), kept


# --- Restore ----------------------------------------------------------------------------------------

def backup_verify(path) -> dict:
    """Read the whole archive and check it against its manifest; change nothing. Returns the manifest."""
    path = Path(path).absolute()
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}。未做任何更改。")
    return _extract(path, database_target=None, media_target=None)


def backup_restore(path, *, confirm=None, using: str = "default", swap_contents: bool = False) -> RestoreResult:
    """Replace the database and MEDIA_ROOT with the archive ``path``. Every check runs before anything is
    changed: the archive is complete and matches its manifest, it is for this kind of database and not
    from newer code. ``confirm(manifest)`` is asked then; False stops with nothing changed.
    ``swap_contents``: swap MEDIA_ROOT's entries instead of renaming MEDIA_ROOT (chosen anyway when it is a
    mount point or a symbolic link, or cannot be renamed). A restore interrupted before (restore_interrupted)
    is finished by this one. Stop the app and the worker first: restore is not meant to run under live
    traffic."""
    vendor = _vendor(using)
    path = Path(path).absolute()
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}。未做任何更改。")
    media_root = Path(settings.MEDIA_ROOT).absolute()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    contents = swap_contents or media_root.is_symlink() or os.path.ismount(media_root)
    if contents:
        if media_root.is_symlink() and not media_root.is_dir():
            raise BackupError(f"上传文件目录 MEDIA_ROOT（{media_root}）是符号链接，但它指向的目录不存在："
                              "请先创建该目录。未做任何更改。")
        media_root.mkdir(exist_ok=True)
    earlier = restore_interrupted(media_root)
    # Staging beside MEDIA_ROOT (and, for SQLite, beside the database file) so the final moves are renames
    # on one file system; when MEDIA_ROOT's contents are swapped, the media are staged inside it instead.
    work = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))
    media_staging, swap = work, None
    database_target = work / "database"
    if vendor == "sqlite":
        live = _sqlite_path(using)
        live.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{live.name}.restore-", dir=live.parent)
        os.close(fd)
        database_target = Path(name)
    try:
        if contents:
            media_staging = Path(tempfile.mkdtemp(prefix=RESTORE_PREFIX, dir=media_root.resolve()))
        staged_media = media_staging / "media"
        manifest = _extract(path, database_target=database_target, media_target=staged_media)
        staged_media.mkdir(exist_ok=True)  # an archive without files restores an empty MEDIA_ROOT
        _check_compatible(manifest, using)
        if confirm is not None and not confirm(manifest):
            raise BackupError("未确认恢复，未做任何更改。", code="not_confirmed")
        psql_args = None
        if vendor == "sqlite":
            _sqlite_prepare(using, database_target, manifest)
        else:
            psql_args = _pg_prepare(using, database_target, manifest, work)

        def write_journal():
            leftovers = [work, media_staging, swap.copied_staging, database_target if vendor == "sqlite" else None]
            _journal_write(media_root, {
                "archive": str(path), "started_at": datetime.datetime.now().isoformat(timespec="seconds"),
                "media_root": str(media_root), "swap": "contents" if swap.contents else "rename",
                "replaced_media_dir": str(swap.aside),
                "leftovers": sorted({str(p) for p in leftovers if p is not None}),
                "earlier": _earlier_list(earlier),
            })

        # Order: the complete new media tree goes in first, the database last, and a failure of either
        # puts the old media tree back. Then every exception leaves old database + old media: the swap
        # is undone rename by rename, and the database commit (SQLite: one os.replace; PostgreSQL: one
        # psql transaction) either happened — after which nothing can fail that would need undoing — or
        # left the old database. The other order would leave new database + old media whenever a rename
        # failed after the commit, with no way back. What an exception cannot cover is the process dying
        # between the first rename and the commit (new media + old database): the journal written before
        # the first rename records it, and the next restore (or backup) sees it — docs/operations.md.
        swap = _MediaSwap(media_root, staged_media, contents=contents, on_change=write_journal)
        write_journal()
        try:
            swap.run()
            _database_commit(vendor, using, database_target, psql_args)
        except BaseException as error:
            if vendor == "sqlite" and not database_target.exists():
                # os.replace has happened (an interrupt right after it): new database, so new media stay.
                _journal_remove(media_root)
                raise
            _roll_back(swap, media_root, earlier, error)
            raise
        _journal_remove(media_root)
        if vendor == "sqlite":
            _sqlite_after_commit(using)
        aside_dir, aside = _prune_replaced(swap.aside, manifest)
        interrupted = _earlier_list(earlier)
        for old in interrupted:
            for leftover in old.get("leftovers", []):
                leftover = Path(leftover)
                if _is_restore_leftover(leftover):
                    if leftover.is_dir() and not leftover.is_symlink():
                        shutil.rmtree(leftover, ignore_errors=True)
                    else:
                        leftover.unlink(missing_ok=True)
        connections[using].close()
        counts = table_counts(using)
        if counts != manifest["tables"]:
            differing = sorted(name for name in counts.keys() | manifest["tables"].keys()
                               if counts.get(name) != manifest["tables"].get(name))
            raise BackupError(f"恢复后数据库的行数与清单不符（{'、'.join(differing[:10])}）：请检查是否有程序在恢复时"
                              "写入了数据库，停止应用后重新恢复。")
        return RestoreResult(path=path, vendor=vendor, created_at=manifest["created_at"], tables=counts,
                             files=len(manifest["files"]), replaced_media_dir=aside_dir, replaced_files=aside,
                             pending_migrations=_pending_migrations(using),
                             media_swap="contents" if swap.contents else "rename", interrupted=interrupted)
    finally:
        for directory in {work, media_staging, swap.copied_staging if swap else None} - {None}:
            shutil.rmtree(directory, ignore_errors=True)
        if vendor == "sqlite":
            database_target.unlink(missing_ok=True)


def _earlier_list(journal: dict | None) -> list[dict]:
    """An interrupted restore's journal and the ones it had finished in turn, oldest first."""
    if journal is None:
        return []
    return [*journal.get("earlier", []), {k: v for k, v in journal.items() if k != "earlier"}]


def _roll_back(swap: "_MediaSwap", media_root: Path, earlier: dict | None, error: BaseException) -> None:
    """After a failure before the database commit: the old media tree back in place, and the journal as it
    was before this restore. Raises a BackupError that says what state things are in; returns only for an
    error that is not ours to reword (KeyboardInterrupt), which the caller re-raises."""
    try:
        swap.undo()
    except OSError as undo_error:
        # The journal stays: the next restore finishes the job, and it names where the old files are.
        raise BackupError(
            f"恢复失败（{getattr(error, 'message', error)}），把原上传文件放回时又出错（{undo_error}）：数据库未改动，"
            f"但上传文件目录 {media_root} 可能不完整，原上传文件在 {swap.aside}：请排除原因后用同一个备份文件重新"
            "运行 restore，或把原上传文件移回（见 docs/operations.md 的“If the restore process is killed”）。") from error
    if earlier is not None:
        _journal_write(media_root, earlier)
    else:
        _journal_remove(media_root)
    if isinstance(error, BackupError):
        raise BackupError(f"{error.message.rstrip('。')}。上传文件也已放回原处，未做任何更改。",
                          code=error.code) from error
    if isinstance(error, OSError):
        raise BackupError(f"替换上传文件或数据库时出错（{error}）：已全部还原，数据库和上传文件保持原样。"
                          "请排除原因（磁盘空间、权限）后重新恢复。未做任何更改。") from error
