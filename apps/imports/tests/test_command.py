"""`manage.py import_organisations`: progress on stderr, a summary and the report's path at the end,
--dry-run, --resume after a crash."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from apps.imports.management.commands.import_organisations import ProgressBar
from apps.imports.models import ImportJob, ImportStatus
from apps.imports.tests.files import csv_bytes, sample_rows
from apps.organisations import bulk
from apps.organisations.models import Organisation


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_progress_a_summary_and_the_report_path(users, tmp_path):
    path = tmp_path / "名单.csv"
    rows = sample_rows(5) + [["北京坏码科技有限公司", "91110108MA0000015X", "", "", "", "", "", "", ""]]
    path.write_bytes(csv_bytes(rows, "gbk"))

    out, err = command(str(path), "--user", users["office"].username, "--batch-size", "2")

    assert "导入完成：新增5，更新0，未变化0，未导入1" in out
    report = tmp_path / "名单-错误报告.xlsx"
    assert f"错误报告：{report}" in out
    assert "100%" in err and "行/秒" in err
    sheet = load_workbook(report).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == [7, "统一社会信用代码"]
    assert Organisation.objects.count() == 5
    job = ImportJob.objects.get()
    assert job.created_by == users["office"] and job.encoding == "GBK/GB18030"


def test_dry_run_from_the_terminal_writes_nothing(users, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(sample_rows(3)))

    out, _err = command(str(path), "--dry-run", "--user", users["office"].username)

    assert "试运行完成（未写入）：新增3" in out and "没有问题行" in out
    assert Organisation.objects.count() == 0


def test_resume_continues_after_a_crash(users, tmp_path, monkeypatch):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(sample_rows(8)))
    real, calls = bulk.bulk_upsert, {"n": 0}

    def failing_once(batch, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("数据库连接断开")
        return real(batch, **kwargs)

    monkeypatch.setattr(bulk, "bulk_upsert", failing_once)
    with pytest.raises(CommandError, match="--resume"):
        command(str(path), "--user", users["office"].username, "--batch-size", "3")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and Organisation.objects.count() == 3

    out, _err = command("--resume", str(job.pk), "--batch-size", "3")

    assert "导入完成：新增8" in out
    assert Organisation.objects.count() == 8 and ImportJob.objects.count() == 1


def test_a_read_only_user_and_a_missing_file_are_refused(users, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(sample_rows(1)))

    with pytest.raises(CommandError, match="只读"):
        command(str(path), "--user", users["leader"].username)
    with pytest.raises(CommandError, match="找不到文件"):
        command(str(tmp_path / "none.csv"), "--user", users["office"].username)
    assert not ImportJob.objects.exists()


def test_a_header_mismatch_fails_with_the_reason(users, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(sample_rows(2), header=["公司", "代码"]))

    out, _err = command(str(path), "--user", users["office"].username)

    assert "导入失败：表头不符" in out and "错误报告" in out


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_the_progress_bar_redraws_one_line_on_a_terminal(users):
    stream = _Tty()
    bar = ProgressBar(stream)
    job = ImportJob(rows_done=500, rows_total=1000, status=ImportStatus.RUNNING)

    bar(job)
    job.rows_done = 1000
    bar(job)
    bar.finish()

    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n")
    assert " 50% " in text and "[" + "#" * 15 + "." * 15 + "]" in text
