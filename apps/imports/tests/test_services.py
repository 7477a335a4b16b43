"""Imports end to end through the service: encodings, dry run, upsert, bad input, resume, progress."""

import io

import pytest
from openpyxl import load_workbook

from apps.imports.export import import_report
from apps.imports.models import ImportIssue, ImportJob, ImportStatus
from apps.imports.readers import CELL_MAX_CHARS
from apps.imports.services import import_job_cancel, run_import
from apps.imports.tests.files import (
    HEADER,
    code,
    csv_bytes,
    library,
    make_job,
    sample_rows,
    xlsx_bytes,
)
from apps.organisations import bulk
from apps.organisations.models import Organisation

ROWS = sample_rows(6)
EXPECTED = sorted(
    (row[0], row[1], "enterprise", "北京市海淀区", "I", "medium", row[7] == "是", row[8], row[6]) for row in ROWS
)


def content_summary():
    return sorted((o.name, o.credit_code, o.kind, o.region, o.industry_section, o.size, o.is_fortune500,
                   o.description, "、".join(a.name for a in o.aliases.all()))
                  for o in Organisation.objects.prefetch_related("aliases"))


def report_rows(job) -> list[tuple]:
    with import_report(job) as tmp:
        sheet = load_workbook(io.BytesIO(tmp.read()), read_only=True).worksheets[0]
        return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def run(actor, data, name="orgs.csv", **kwargs):
    job = make_job(actor, data, name, dry_run=kwargs.pop("dry_run", False))
    return run_import(job, **kwargs)


# --- encodings and formats -------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_each_encoding_builds_the_same_library(users, encoding):
    job = run(users["office"], csv_bytes(ROWS, encoding), batch_size=4)

    assert job.status == ImportStatus.DONE, job.error_message
    assert (job.created_count, job.failed_count) == (6, 0)
    assert content_summary() == EXPECTED
    assert job.rows_done == job.rows_total == 7


def test_xlsx_builds_the_same_library(users):
    job = run(users["office"], xlsx_bytes(ROWS), "orgs.xlsx", batch_size=4)

    assert job.status == ImportStatus.DONE, job.error_message
    assert job.format == "xlsx"
    assert content_summary() == EXPECTED


def test_imported_organisations_are_found_by_search(users):
    from apps.organisations.selectors import organisation_list

    run(users["office"], csv_bytes(ROWS, "gbk"))

    found = organisation_list(actor=users["district"], q="信技源")
    names = [getattr(o, "name", None) or Organisation.objects.get(pk=o).name for o in found]
    assert "北京信技源信息技术有限公司" in names


# --- dry run and upsert ----------------------------------------------------------------------------

def test_dry_run_writes_nothing_but_reports_what_would_happen(users, organisation):
    before, count = library(), Organisation.objects.count()
    rows = ROWS + [[organisation.name, organisation.credit_code, "企业", "北京市朝阳区", "", "", "", "", ""],
                   ["北京坏码科技有限公司", "91110108MA0000015X", "", "", "", "", "", "", ""]]

    job = run(users["office"], csv_bytes(rows), dry_run=True)

    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.failed_count) == (6, 1, 1)
    assert library() == before and Organisation.objects.count() == count
    assert [(i.line, i.column) for i in job.issues.all()] == [(9, "统一社会信用代码")]


def test_a_second_import_updates_by_credit_code_without_duplicates(users):
    run(users["office"], csv_bytes(ROWS))
    changed = [list(r) for r in ROWS]
    changed[0][3] = "北京市朝阳区"
    changed[1][0] = "北京骅远智能科技有限公司"  # renamed: the credit code still finds it
    extra = sample_rows(1, offset=6)

    job = run(users["office"], csv_bytes(changed + extra))

    assert (job.created_count, job.updated_count, job.unchanged_count) == (1, 2, 4)
    assert Organisation.objects.count() == 7
    assert Organisation.objects.get(credit_code=code(1)).region == "北京市朝阳区"
    assert Organisation.objects.get(credit_code=code(2)).name == "北京骅远智能科技有限公司"


def test_lookups_in_many_small_lists_match_like_one(users, monkeypatch):
    # Batches look existing records up by credit code and by name in IN lists of bulk._LOOKUP_CHUNK.
    run(users["office"], csv_bytes(ROWS))
    monkeypatch.setattr(bulk, "_LOOKUP_CHUNK", 2)
    changed = [list(r) for r in ROWS]
    changed[0][3] = "北京市朝阳区"
    changed[3][1] = ""  # no code: found by its name

    job = run(users["office"], csv_bytes(changed + sample_rows(3, offset=6)))

    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 1, 5)
    assert Organisation.objects.count() == 9


# --- bad input: every reason in the report, nothing already in the library changed ----------------

def _existing_row(org, **changes):
    row = [org.name, org.credit_code or "", "企业", "北京市朝阳区", "C", "大型", "", "是", "被改过的简介"]
    for index, value in changes.items():
        row[int(index)] = value
    return row


def _bad_csv(org):
    return {
        "check_char": (csv_bytes([_existing_row(org, **{"1": org.credit_code[:17] + "X"})]),
                       2, "统一社会信用代码", "校验位错误"),
        "forbidden_letter": (csv_bytes([_existing_row(org, **{"1": org.credit_code[:10] + "IOZSV" + org.credit_code[15:]})]),
                             2, "统一社会信用代码", "不允许的字符"),
        "empty_name": (csv_bytes([_existing_row(org, **{"0": "  "})]), 2, "名称", "名称为空"),
        "duplicate_rows": (csv_bytes([sample_rows(1, offset=20)[0], sample_rows(1, offset=21)[0],
                                      sample_rows(1, offset=20)[0]]),
                           4, "", "与第2行重复"),
        "ten_mb_cell": (csv_bytes([_existing_row(org, **{"8": "长" * (10 << 20)})]),
                        2, "简介", f"单元格过长（超过{CELL_MAX_CHARS}字）"),
        "mixed_encoding": (csv_bytes(sample_rows(2, offset=20)) + ",".join(_existing_row(org)).encode("gbk") + b"\r\n",
                           4, "", "第4行含无法识别的字符（文件编码可能不一致）"),
        "truncated_row": (csv_bytes(sample_rows(2, offset=20)) + ",".join(_existing_row(org)[:4]).encode(),
                          4, "", "第4行不完整"),
        "truncated_quote": (csv_bytes(sample_rows(2, offset=20)) + (",".join(_existing_row(org)[:8]) + ',"被改').encode(),
                            4, "", "第4行不完整"),
    }


@pytest.mark.parametrize("case", ["check_char", "forbidden_letter", "empty_name", "duplicate_rows", "ten_mb_cell",
                                  "mixed_encoding", "truncated_row", "truncated_quote"])
def test_bad_rows_are_reported_and_change_nothing_already_there(users, organisation, case):
    run(users["office"], csv_bytes(ROWS))
    before = library()
    data, line, column, reason = _bad_csv(organisation)[case]

    job = run(users["office"], data, batch_size=2)

    assert job.status == ImportStatus.DONE
    assert job.failed_count >= 1
    report = report_rows(job)
    assert report[0] == ("行号", "列", "原因", "原始值", "处理结果")
    assert any(r[0] == line and (r[1] or "") == column and reason in r[2] and r[4] == "未导入" for r in report[1:]), report
    after = {row[1] or row[0]: row for row in library()}
    assert all(after[row[1] or row[0]] == row for row in before)  # every organisation as it was


def test_duplicate_rows_import_the_first_once(users):
    row = sample_rows(1, offset=20)[0]

    job = run(users["office"], csv_bytes([row, sample_rows(1)[0], row]), batch_size=1)

    assert (job.created_count, job.failed_count) == (2, 1)
    assert Organisation.objects.filter(credit_code=row[1]).count() == 1


@pytest.mark.parametrize("case,data,name,reason", [
    ("truncated_xlsx", None, "orgs.xlsx", "损坏或不完整"),
    ("no_name_column", csv_bytes(ROWS, header=["企业", *HEADER[1:]]), "orgs.csv", "没有“名称”列"),
    ("unknown_column", csv_bytes([r + ["x"] for r in ROWS], header=[*HEADER, "注册资本"]), "orgs.csv", "注册资本"),
    ("xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "orgs.xls", ".xls"),
])
def test_bad_files_fail_whole_with_the_reason_and_write_nothing(users, organisation, case, data, name, reason):
    if data is None:
        full = xlsx_bytes([_existing_row(organisation)] + sample_rows(40, offset=20))
        data = full[: len(full) - 200]
    before = library()

    job = run(users["office"], data, name)

    assert job.status == ImportStatus.FAILED
    assert reason in job.error_message
    assert job.rows_done == 0 and not job.issues.exists()
    assert library() == before
    assert reason in report_rows(job)[1][2]


# --- a failure half-way, and resuming ------------------------------------------------------------

def test_a_crash_in_the_third_batch_keeps_two_batches_and_resumes_to_a_clean_runs_result(users, monkeypatch):
    rows = sample_rows(10)
    rows.insert(4, ["", code(99), "", "", "", "", "", "", ""])  # line 6: no name, a row issue in batch 2
    real, calls = bulk.bulk_upsert, {"n": 0}

    def failing_once(batch, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("磁盘已满")
        return real(batch, **kwargs)

    monkeypatch.setattr(bulk, "bulk_upsert", failing_once)
    job = make_job(users["office"], csv_bytes(rows))

    with pytest.raises(RuntimeError):
        run_import(job, batch_size=3)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "第7行之后中断" in job.error_message
    assert job.rows_done == 7  # two batches of three rows: lines 2-4 and 5-7
    assert Organisation.objects.count() == 5
    assert (job.created_count, job.failed_count) == (5, 1)

    run_import(job, batch_size=3)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.error_message == ""
    assert (job.created_count, job.updated_count, job.unchanged_count, job.failed_count) == (10, 0, 0, 1)
    assert job.rows_done == job.rows_total == 12
    assert list(job.issues.values_list("line", flat=True)) == [6]
    assert sorted(Organisation.objects.values_list("credit_code", flat=True)) == sorted(r[1] for r in sample_rows(10))


def test_a_resumed_dry_run_counts_like_a_clean_one(users, monkeypatch):
    rows = sample_rows(7)
    clean = run(users["office"], csv_bytes(rows), dry_run=True, batch_size=2)
    real, calls = bulk.bulk_upsert, {"n": 0}

    def failing_once(batch, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("断电")
        return real(batch, **kwargs)

    monkeypatch.setattr(bulk, "bulk_upsert", failing_once)
    job = make_job(users["office"], csv_bytes(rows), dry_run=True)
    with pytest.raises(RuntimeError):
        run_import(job, batch_size=2)
    run_import(job, batch_size=2)

    assert (job.created_count, job.failed_count, job.rows_done) == (clean.created_count, clean.failed_count,
                                                                    clean.rows_done)
    assert Organisation.objects.count() == 0


def test_progress_advances_batch_by_batch(users):
    seen = []
    job = make_job(users["office"], csv_bytes(sample_rows(10)))

    run_import(job, batch_size=3, progress=lambda j: seen.append((j.status, j.rows_done, j.created_count)))

    done = [s[1] for s in seen]
    assert done == sorted(done) and done[-1] == 11
    assert [s[2] for s in seen] == sorted(s[2] for s in seen)
    assert seen[-1] == (ImportStatus.DONE, 11, 10)
    assert len(seen) >= 4
    assert ImportJob.objects.get(pk=job.pk).percent == 100


def test_a_cancelled_job_stops_and_keeps_what_was_committed(users):
    job = make_job(users["office"], csv_bytes(sample_rows(9)))

    def cancel_after_first_batch(j):
        if j.rows_done == 4:
            import_job_cancel(actor=users["office"], job=ImportJob.objects.get(pk=j.pk))

    run_import(job, batch_size=3, progress=cancel_after_first_batch)

    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert job.rows_done == 4 and Organisation.objects.count() == 3


def test_a_job_whose_uploader_became_read_only_writes_nothing(users):
    job = make_job(users["office"], csv_bytes(ROWS))
    users["office"].role = "leader"
    users["office"].save()
    job.created_by.refresh_from_db()

    run_import(ImportJob.objects.get(pk=job.pk))

    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.FAILED
    assert Organisation.objects.count() == 0


def test_issues_survive_in_the_database_and_the_report_is_rebuilt_from_them(users):
    rows = sample_rows(3) + [["北京坏码科技有限公司", "91110108MA0000015X", "", "", "", "", "", "", ""]]
    job = run(users["office"], csv_bytes(rows))

    fresh = ImportJob.objects.get(pk=job.pk)

    assert ImportIssue.objects.filter(job=fresh).count() == 1
    assert report_rows(fresh)[1][:2] == (5, "统一社会信用代码")
    assert report_rows(fresh)[1][3] == "91110108MA0000015X"


def test_uploads_are_deleted_after_the_retention_period_and_the_report_stays(users, settings):
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from apps.imports.services import purge_import_files

    settings.IMPORT_FILE_RETENTION_DAYS = 30
    job = run(users["office"], csv_bytes(ROWS))
    stored = job.file.name
    assert job.status == ImportStatus.DONE and default_storage.exists(stored)
    finished = job.finished_at

    assert purge_import_files(now=finished + datetime.timedelta(days=29)) == 0
    assert default_storage.exists(stored)

    assert purge_import_files(now=finished + datetime.timedelta(days=31)) == 1
    job.refresh_from_db()
    assert not job.file and not default_storage.exists(stored)
    assert job.created_count == len(ROWS) and report_rows(job)  # the outcome and report are kept
    assert purge_import_files(now=timezone.now() + datetime.timedelta(days=60)) == 0  # nothing left to do


def test_a_job_whose_file_was_purged_cannot_resume_and_says_why(users):
    job = make_job(users["office"], csv_bytes(ROWS))
    ImportJob.objects.filter(pk=job.pk).update(file="", status=ImportStatus.FAILED)

    job = run_import(job)

    assert job.status == ImportStatus.FAILED and "已按保存期限删除" in job.error_message
    assert Organisation.objects.count() == 0
