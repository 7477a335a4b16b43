"""`manage.py backup FILE` / `restore FILE` (apps.core.backup): every row and every uploaded file comes back;
a broken, tampered or foreign archive is refused with nothing changed; a backup taken while another
connection writes is one consistent moment. Runs on SQLite and PostgreSQL alike (the CI runs both)."""

import errno
import io
import json
import os
import sqlite3
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from apps.core import backup
from apps.core.backup import (
    BackupError,
    backup_create,
    backup_restore,
    media_files,
    restore_interrupted,
    table_counts,
)
from apps.organisations.models import Organisation, OrganisationAlias
from apps.projects.live_count import live_project_count, missing_triggers
from apps.projects.models import Project
from apps.servicedesk.models import ServiceRequestReply
from apps.servicedesk.services import request_create, request_reply
from apps.servicedesk.tests.factories import RAISED, pdf_file

# Whole contents compared, row by row: the records people work with, the people, and the audit trail.
KEY_TABLES = ["accounts_user", "organisations_organisation", "projects_project", "servicedesk_servicerequest",
              "servicedesk_servicerequestreply", "audit_auditlog"]
# A transactional test empties the database afterwards; serialized_rollback puts the migrations' reference
# data (units, clusters) back for the tests after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads on disk under tmp_path, as in production (the test settings keep them in memory)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


@pytest.fixture
def records(users, make_project, media_root):
    """A project with a service request and two replies carrying attachments (one with a Chinese name)."""
    project = make_project(name="骅远人工智能数据安全中心", specialist=users["specialist"])
    request = request_create(actor=users["district"], project=project, category="utilities", title="厂房用电增容报装",
                             description="企业新建厂房需增容至2000千伏安。", today=RAISED)
    first = request_reply(actor=users["district"], request=request, body="已联系供电公司，见批复。",
                          attachment=pdf_file("供电批复.pdf"))
    second = request_reply(actor=users["district"], request=request, body="补充材料",
                           attachment=pdf_file("plan.pdf", size=300_000))
    return {"project": project, "request": request, "replies": [first, second]}


def table_contents(names) -> dict[str, list[tuple]]:
    contents = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'SELECT * FROM "{name}" ORDER BY 1')
            contents[name] = cursor.fetchall()
    return contents


def media_state(root) -> dict[str, bytes]:
    return {relative: path.read_bytes() for relative, path in media_files(root)}


def state(root):
    """What a user would notice changing: every table's row count, the key tables' rows, every file."""
    return table_counts(), table_contents(KEY_TABLES), media_state(root)


def change_everything(records, root):
    """After the backup: edit, delete and add rows; delete, overwrite and add files."""
    Project.objects.filter(pk=records["project"].pk).update(name="改过的名字", is_archived=True)
    first, second = records["replies"]
    first.attachment.delete(save=False)
    ServiceRequestReply.objects.filter(pk=first.pk).delete()
    (root / second.attachment.name).write_bytes(b"%PDF-1.4 overwritten")
    Organisation.objects.create(name="备份之后新建有限公司")
    (root / "imports").mkdir(exist_ok=True)
    (root / "imports" / "later.csv").write_bytes("名称\n备份之后上传\n".encode())


def test_backup_then_restore_brings_back_every_row_and_every_file(records, media_root, tmp_path):
    before_counts, before_rows, before_files = state(media_root)
    assert len(before_files) == 2 and before_rows["servicedesk_servicerequestreply"]
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "备份完成" in out.getvalue() and "2 个上传文件" in out.getvalue()

    change_everything(records, media_root)
    changed = state(media_root)
    assert changed != (before_counts, before_rows, before_files)
    out = io.StringIO()
    call_command("restore", "--check", str(archive), stdout=out)  # reads and verifies, changes nothing
    assert "备份文件完整" in out.getvalue() and state(media_root) == changed

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "恢复完成" in out.getvalue() and f"共 {sum(before_counts.values())} 行与清单一致" in out.getvalue()

    assert table_counts() == before_counts
    assert table_contents(KEY_TABLES) == before_rows
    assert media_state(media_root) == before_files
    # Through the application: the reply and its attachment are what they were.
    reply = ServiceRequestReply.objects.get(pk=records["replies"][0].pk)
    assert reply.attachment_name == "供电批复.pdf" and reply.attachment.read() == pdf_file().read()
    assert Project.objects.get(pk=records["project"].pk).name == "骅远人工智能数据安全中心"
    # The live-project count the database keeps comes back with the rows it counts, and is kept after.
    assert live_project_count() == Project.objects.filter(is_archived=False).count() == 1
    assert missing_triggers(connection) == []
    Project.objects.filter(pk=records["project"].pk).update(is_archived=True)
    assert live_project_count() == 0
    # The file uploaded after the backup is not lost: it is set aside, not deleted.
    aside = [p for p in tmp_path.glob("media-replaced-*/imports/later.csv")]
    assert len(aside) == 1 and aside[0].read_bytes() == "名称\n备份之后上传\n".encode()


def test_every_table_of_a_whole_world_comes_back_row_for_row(media_root, tmp_path):
    """The access matrix's world — a record of every kind, with its audit trail, uploads and notifications — backed
    up, changed and restored: every table's whole contents, not only its count, and every file come back."""
    from tests.access_matrix.world import build_world

    build_world()
    tables = sorted(table_counts())
    before_rows, before_files = table_contents(tables), media_state(media_root)
    filled = [name for name, rows in before_rows.items() if rows]
    assert len(filled) >= 50, filled  # most of the schema holds something (53 of its tables when this was written)
    backup_create(tmp_path / "world.tar.gz")

    # Change a row in every table that has rows and can take an edit of its first text column, and drop some.
    Project.objects.all().update(name="改过的名字")
    Organisation.objects.all().update(name="改过的名字")
    OrganisationAlias.objects.all().delete()
    assert table_contents(tables) != before_rows
    backup_restore(tmp_path / "world.tar.gz")
    after_rows = table_contents(tables)
    different = [name for name in tables if after_rows[name] != before_rows[name]]
    assert not different, different
    assert media_state(media_root) == before_files


def test_a_plain_tar_archive_round_trips_too(records, media_root, tmp_path):
    before = state(media_root)
    result = backup_create(tmp_path / "backup.tar")
    assert tarfile.open(tmp_path / "backup.tar", "r:").getnames()[-1] == "manifest.json"
    change_everything(records, media_root)
    restored = backup_restore(tmp_path / "backup.tar")
    assert state(media_root) == before
    assert restored.tables == result.tables == before[0] and restored.files == result.files == 2
    assert restored.pending_migrations == []


def test_backup_refuses_to_overwrite_an_existing_file_or_to_write_into_media_root(records, media_root, tmp_path):
    existing = tmp_path / "backup.tar.gz"
    existing.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"yesterday's backup"
    # MEDIA_ROOT may be served by the web server, and the next backup would carry this one inside it.
    with pytest.raises(CommandError, match="不能把备份文件放在上传文件目录 MEDIA_ROOT"):
        call_command("backup", str(media_root / "requests" / "backup.tar.gz"))
    assert not list(media_root.rglob("*backup*"))


# --- Refusals: nothing changed ------------------------------------------------------------------------

def _members(archive) -> tuple[dict[str, bytes], dict]:
    with tarfile.open(archive, "r:*") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}
    return members, json.loads(members.pop("manifest.json"))


def _write(path, members: dict[str, bytes], manifest: dict):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _tamper_file_bytes(members, manifest):
    name = next(n for n in members if n.startswith("media/"))
    members[name] = members[name].replace(b"%PDF", b"%PDX")


def _tamper_row_count(members, manifest):
    # A manifest that agrees with every checksum but not with the database inside: caught by the row counts
    # (on PostgreSQL inside the restore's transaction, which then rolls back).
    manifest["tables"]["projects_project"] += 1


def _tamper_unlisted_member(members, manifest):
    members["media/evil.html"] = b"<script>alert(1)</script>"


def _tamper_path_escape(members, manifest):
    members["media/../../escaped.txt"] = b"x"


def _other_vendor(members, manifest):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    member = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
    members[member[other]] = members.pop(manifest["database"]["member"])
    manifest["database"].update(vendor=other, member=member[other])


def _newer_code(members, manifest):
    manifest["migrations"]["projects"] = "0999_from_a_newer_release"


@pytest.mark.parametrize(("tamper", "message"), [
    (_tamper_file_bytes, "的校验值与清单不符"),
    (_tamper_row_count, "表 projects_project .*行，清单记录"),
    (_tamper_unlisted_member, "不在清单中"),
    (_tamper_path_escape, "不应出现的条目"),
    (_other_vendor, "只能恢复到同一种数据库"),
    (_newer_code, "比当前程序新（projects 已执行迁移 0999_from_a_newer_release"),
])
def test_a_tampered_or_foreign_archive_is_refused_and_nothing_changes(records, media_root, tmp_path, tamper,
                                                                       message):
    archive = backup_create(tmp_path / "backup.tar.gz").path
    change_everything(records, media_root)
    members, manifest = _members(archive)
    tamper(members, manifest)
    _write(tmp_path / "tampered.tar.gz", members, manifest)
    changed = state(media_root)

    with pytest.raises(CommandError, match=message) as error:
        call_command("restore", str(tmp_path / "tampered.tar.gz"), "--yes")
    assert "未做任何更改" in str(error.value) or "已回滚，数据库保持原样" in str(error.value)
    assert state(media_root) == changed
    assert_no_leftovers(tmp_path)


def _cut_in_half(archive, data):
    return data[: len(data) // 2]


def _cut_inside_the_manifest(archive, data):
    with tarfile.open(archive, "r:") as tar:
        manifest = tar.getmember("manifest.json")
    return data[: manifest.offset_data + 10]


def _cut_before_the_manifest(archive, data):
    with tarfile.open(archive, "r:") as tar:
        manifest = tar.getmember("manifest.json")
    return data[: manifest.offset]


@pytest.mark.parametrize(("suffix", "cut"), [
    (".tar.gz", _cut_in_half), (".tar.gz", lambda archive, data: data[:-40]),
    (".tar", _cut_in_half), (".tar", _cut_inside_the_manifest), (".tar", _cut_before_the_manifest),
])
def test_a_truncated_archive_is_refused_and_nothing_changes(records, media_root, tmp_path, suffix, cut):
    archive = backup_create(tmp_path / f"backup{suffix}").path
    change_everything(records, media_root)
    truncated = tmp_path / f"truncated{suffix}"
    truncated.write_bytes(cut(archive, archive.read_bytes()))
    changed = state(media_root)

    with pytest.raises(CommandError, match="未做任何更改"):
        call_command("restore", "--check", str(truncated))
    with pytest.raises(BackupError) as error:
        backup_restore(truncated)
    assert "未做任何更改" in error.value.message
    assert any(word in error.value.message for word in ("截断", "不完整", "损坏")), error.value.message
    assert state(media_root) == changed
    assert_no_leftovers(tmp_path)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_restore_needs_confirmation(records, media_root, tmp_path, monkeypatch):
    archive = backup_create(tmp_path / "backup.tar.gz").path
    change_everything(records, media_root)
    changed = state(media_root)
    # Not a terminal (cron, a pipe) and no --yes: refused.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="请加 --yes"):
        call_command("restore", str(archive))
    # At a terminal, anything but "yes" stops it.
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    with pytest.raises(CommandError, match="未确认恢复，未做任何更改"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert state(media_root) == changed
    assert_no_leftovers(tmp_path)


def assert_no_leftovers(tmp_path):
    """No staging directory beside or inside MEDIA_ROOT, no old media set aside, no restore journal, no
    half-restored database file beside the database."""
    assert not list(tmp_path.glob(".media-restore-*"))
    assert not list(tmp_path.glob("media-replaced-*"))
    assert not list(tmp_path.glob("media/.restore-*")) and not list(tmp_path.glob("media/.replaced-*"))
    assert restore_interrupted() is None
    if connection.vendor == "sqlite":
        db = Path(connection.settings_dict["NAME"])
        assert not list(db.parent.glob(f".{db.name}.restore-*"))


# --- Online: a backup while another connection writes -------------------------------------------------

def test_a_backup_taken_while_another_connection_writes_is_one_consistent_moment(records, media_root, tmp_path):
    base = table_counts()
    stop, commits, failures = threading.Event(), [], []

    def write():
        # Each transaction adds an organisation and its alias: a consistent copy holds both or neither.
        try:
            n = 0
            while not stop.is_set():
                n += 1
                with transaction.atomic():
                    organisation = Organisation.objects.create(name=f"并发写入测试{n:04d}有限公司")
                    OrganisationAlias.objects.create(organisation=organisation, name=f"并发{n:04d}")
                commits.append(time.monotonic())
        except Exception as error:  # noqa: BLE001 — reported to the test below
            failures.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(commits) < 20 and writer.is_alive():
            time.sleep(0.01)
        started = time.monotonic()
        result = backup_create(tmp_path / "online.tar.gz")
        finished = time.monotonic()
        while len([t for t in commits if t > finished]) < 20 and writer.is_alive():
            time.sleep(0.01)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not failures and not writer.is_alive()
    assert any(started < t < finished for t in commits), "no write happened while the backup ran"

    tables = result.tables
    added = tables["organisations_organisation"] - base["organisations_organisation"]
    assert added == tables["organisations_organisationalias"] - base["organisations_organisationalias"]
    assert 20 <= added < len(commits)
    # The archive holds exactly what its manifest says.
    _, manifest = _members(result.path)
    assert manifest["tables"] == tables
    if connection.vendor == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        with tarfile.open(result.path) as tar:
            copy.write_bytes(tar.extractfile("database.sqlite3").read())
        check = sqlite3.connect(copy)
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check.execute("SELECT count(*) FROM organisations_organisation").fetchone()[0] == \
            tables["organisations_organisation"]
        check.close()
    # And restoring it gives exactly those rows (restore re-counts every table against the manifest).
    restored = backup_restore(result.path)
    assert table_counts() == restored.tables == tables


# --- The swap: old database + old media, or new + new, never a mix --------------------------------------

def link_media_root(media_root, tmp_path) -> Path:
    """MEDIA_ROOT as production may have it: a symbolic link to a directory on another volume (a mount
    point behaves the same: it cannot be renamed, only its contents swapped)."""
    real = tmp_path / "volume" / "media"
    real.parent.mkdir()
    media_root.rename(real)
    media_root.symlink_to(real, target_is_directory=True)
    return real


def fail_on_rename(monkeypatch, *n):
    """os.rename raises "no space left" on its n-th call(s) (the swap's renames), and works otherwise."""
    real_rename, calls = os.rename, []

    def rename(source, target):
        calls.append((source, target))
        if len(calls) in n:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    return calls


@pytest.mark.parametrize(("layout", "failing_rename"), [
    ("directory", 1),  # MEDIA_ROOT → media-replaced-*
    ("directory", 2),  # staging → MEDIA_ROOT, after the old tree went aside
    ("symlink", 2),    # half of the old entries moved aside
    ("symlink", 3),    # old entries aside, the first staged entry moving in
])
def test_a_failure_while_swapping_the_media_leaves_the_old_database_and_the_old_media(
        records, media_root, tmp_path, monkeypatch, layout, failing_rename):
    archive = backup_create(tmp_path / "backup.tar.gz").path
    change_everything(records, media_root)
    real = link_media_root(media_root, tmp_path) if layout == "symlink" else media_root
    changed = state(media_root)
    calls = fail_on_rename(monkeypatch, failing_rename)

    with pytest.raises(CommandError, match="No space left on device.*已全部还原.*未做任何更改"):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    # The renames before the failing one, the failing one, and the reversal of each done.
    assert len(calls) == 2 * failing_rename - 1
    # Old database, old files — every one of them, nothing from the archive mixed in.
    assert state(media_root) == changed
    assert sorted(p.name for p in real.iterdir()) == ["imports", "requests"]
    assert media_root.is_symlink() == (layout == "symlink")
    assert_no_leftovers(tmp_path)
    assert not list(real.glob(".re*-*"))


def test_when_the_old_media_cannot_be_put_back_the_message_says_where_they_are_and_the_next_restore_knows(
        records, media_root, tmp_path, monkeypatch):
    before = state(media_root)
    archive = backup_create(tmp_path / "backup.tar.gz").path
    change_everything(records, media_root)
    changed = state(media_root)
    fail_on_rename(monkeypatch, 2, 3)  # staging → MEDIA_ROOT fails, and so does moving the old tree back

    with pytest.raises(BackupError, match="把原上传文件放回时又出错") as error:
        backup_restore(archive)
    aside = next(tmp_path.glob("media-replaced-*"))
    assert f"原上传文件在 {aside}" in error.value.message and "数据库未改动" in error.value.message
    assert table_counts() == changed[0] and not media_root.exists()
    assert media_state(aside) == changed[2]  # nothing lost: every old file is where the message says
    assert restore_interrupted()["replaced_media_dir"] == str(aside)
    monkeypatch.undo()

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert state(media_root) == before and restore_interrupted() is None


@pytest.mark.parametrize("layout", ["directory", "symlink"])
def test_a_failure_of_the_database_restore_puts_the_old_media_back(records, media_root, tmp_path, monkeypatch,
                                                                   layout):
    before = state(media_root)
    archive = backup_create(tmp_path / "backup.tar.gz").path
    change_everything(records, media_root)
    if layout == "symlink":
        link_media_root(media_root, tmp_path)
    changed = state(media_root)
    media_at_commit = []

    def disk_full(*args):
        media_at_commit.append(media_state(media_root))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_database_commit", disk_full)
    with pytest.raises(BackupError, match="已全部还原，数据库和上传文件保持原样") as error:
        backup_restore(archive)
    assert "未做任何更改" in error.value.message
    # The complete new tree was in place when the database was to be replaced, and went away again.
    assert media_at_commit == [before[2]]
    assert state(media_root) == changed
    assert_no_leftovers(tmp_path)


@pytest.mark.parametrize("how", ["symlink", "parameter", "rename refused"])
def test_a_media_root_that_cannot_be_renamed_has_its_contents_swapped(records, media_root, tmp_path,
                                                                      monkeypatch, how):
    before = state(media_root)
    archive = backup_create(tmp_path / "backup.tar.gz").path
    change_everything(records, media_root)
    real = media_root
    if how == "symlink":
        real = link_media_root(media_root, tmp_path)
    if how == "rename refused":
        # A mount point os.path.ismount does not recognise (a bind mount): renaming it fails with EXDEV.
        real_rename = os.rename

        def rename(source, target):
            if Path(source) == media_root:
                raise OSError(errno.EXDEV, "Invalid cross-device link")
            real_rename(source, target)

        monkeypatch.setattr(os, "rename", rename)

    if how == "parameter":
        result = backup_restore(archive, swap_contents=True)
    else:
        out = io.StringIO()
        call_command("restore", str(archive), "--yes", stdout=out)
        assert "不能整体改名：已逐项替换" in out.getvalue()
        result = None
    assert state(media_root) == before
    assert media_root.is_symlink() == (how == "symlink") and real.is_dir()
    # The old files are kept inside MEDIA_ROOT (its own file system), out of every later backup.
    aside = list(real.glob(".replaced-*"))
    assert len(aside) == 1 and (aside[0] / "imports" / "later.csv").read_bytes() == "名称\n备份之后上传\n".encode()
    if result is not None:
        assert result.media_swap == "contents" and result.replaced_media_dir == aside[0]
    assert not any(relative.startswith(".") for relative, _ in media_files(media_root))
    assert not list(real.glob(".restore-*")) and not list(tmp_path.glob(".media-restore-*"))
    assert backup_create(tmp_path / "after.tar.gz").files == 2


def test_a_restore_killed_between_the_media_swap_and_the_database_commit_is_finished_by_the_next(
        records, media_root, tmp_path, monkeypatch):
    before = state(media_root)
    archive = backup_create(tmp_path / "backup.tar.gz").path
    change_everything(records, media_root)
    changed = state(media_root)
    # The process dies at the worst moment: the new uploads are in place, the database is not yet replaced.
    monkeypatch.setattr(backup, "_database_commit", lambda *args: os._exit(70))
    pid = os.fork()
    if pid == 0:  # pragma: no cover — the child never returns
        try:
            # The child must not close the parent's database connections: it sets them aside, unclosed.
            inherited = [(c, c.connection) for c in connections.all()]
            for c, _ in inherited:
                c.connection = None
            backup_restore(archive)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 70
    monkeypatch.undo()

    # The window this test is about: old database, new uploads — and a journal that says so.
    assert table_counts() == changed[0] and media_state(media_root) == before[2]
    interrupted = restore_interrupted()
    assert interrupted["archive"] == str(archive)
    first_aside = Path(interrupted["replaced_media_dir"])
    assert (first_aside / "imports" / "later.csv").is_file()
    # A backup now would preserve the mix: refused.
    with pytest.raises(CommandError, match="上一次恢复.*被中断"):
        call_command("backup", str(tmp_path / "mixed.tar.gz"))
    assert not (tmp_path / "mixed.tar.gz").exists()

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "被中断" in out.getvalue() and "已由本次恢复完成" in out.getvalue()
    assert state(media_root) == before
    assert restore_interrupted() is None
    # The uploads from before the first attempt are still where it put them; nothing else is left over.
    assert list(tmp_path.glob("media-replaced-*")) == [first_aside]
    assert (first_aside / "imports" / "later.csv").read_bytes() == "名称\n备份之后上传\n".encode()
    assert not list(tmp_path.glob(".media-restore-*"))
    if connection.vendor == "sqlite":
        db = Path(connection.settings_dict["NAME"])
        assert not list(db.parent.glob(f".{db.name}.restore-*"))
