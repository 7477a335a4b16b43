"""`manage.py backup FILE` / `restore FILE` (apps.core.backup): every row and every uploaded file comes back;
a broken, tampered or foreign archive is refused with nothing changed; a backup taken while another
connection writes is one consistent moment. Runs on SQLite and PostgreSQL alike (the CI runs both)."""

import io
import json
import sqlite3
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from apps.core.backup import BackupError, backup_create, backup_restore, media_files, table_counts
from apps.organisations.models import Organisation, OrganisationAlias
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
    Project.objects.filter(pk=records["project"].pk).update(name="改过的名字")
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
    # The file uploaded after the backup is not lost: it is set aside, not deleted.
    aside = [p for p in tmp_path.glob("media-replaced-*/imports/later.csv")]
    assert len(aside) == 1 and aside[0].read_bytes() == "名称\n备份之后上传\n".encode()


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
    """No staging directory beside MEDIA_ROOT, no half-restored database file beside the database."""
    assert not list(tmp_path.glob(".media-restore-*"))
    assert not list(tmp_path.glob("media-replaced-*"))
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
