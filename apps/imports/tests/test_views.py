"""Upload page, job page with its polling progress bar, error report download, export — and who may
do what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from apps.imports.models import ImportJob, ImportStatus
from apps.imports.services import run_import
from apps.imports.tasks import run_import_task
from apps.imports.tests.files import csv_bytes, library, make_job, sample_rows
from apps.organisations import bulk
from apps.organisations.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, user, data: bytes, name="orgs.csv", dry_run=False):
    client.force_login(user)
    payload = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse("imports:list"), payload)


def sheet_rows(response) -> list[tuple]:
    body = b"".join(response.streaming_content)
    return [tuple(r) for r in load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True)]


# --- upload and the job page ----------------------------------------------------------------------

def test_office_staff_upload_runs_the_import_and_shows_the_result(client, users):
    rows = sample_rows(4) + [["", "", "", "", "", "", "", "", ""], ["北京坏码科技有限公司", "91110108MA0000015X",
                                                                   "", "", "", "", "", "", ""]]

    response = upload(client, users["office"], csv_bytes(rows, "gbk"))

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[job.pk])
    assert job.status == ImportStatus.DONE and job.task_id  # ImmediateBackend in tests: ran in the request
    assert Organisation.objects.count() == 4
    page = client.get(response.url).content.decode()
    assert "已完成" in page and "GBK/GB18030" in page
    assert "校验位错误" in page and "下载错误报告 (XLSX)" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: nothing left to poll
    listing = client.get(reverse("imports:list")).content.decode()
    assert "orgs.csv" in listing


def test_a_dry_run_upload_writes_nothing(client, users, organisation):
    before = library()

    upload(client, users["office"], csv_bytes(sample_rows(3)), dry_run=True)

    job = ImportJob.objects.get()
    assert job.dry_run and job.created_count == 3
    assert library() == before
    assert "目标库未作任何修改" in client.get(reverse("imports:detail", args=[job.pk])).content.decode()


def test_a_running_job_page_polls_every_second_until_done(client, users):
    job = make_job(users["office"], csv_bytes(sample_rows(3)))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, rows_done=2, rows_total=4)
    client.force_login(users["office"])

    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="50"' in page

    run_import(job)
    partial = client.get(reverse("imports:progress", args=[job.pk]), headers={"HX-Request": "true"})

    assert 'hx-trigger' not in partial.content.decode() and 'aria-valuenow="100"' in partial.content.decode()
    assert partial["HX-Refresh"] == "true"  # reload once so the issue table appears


def test_a_header_mismatch_upload_shows_the_reason(client, users):
    upload(client, users["office"], csv_bytes(sample_rows(2), header=["单位", "代码"]))

    job = ImportJob.objects.get()
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert job.status == ImportStatus.FAILED and "没有“名称”列" in page
    assert Organisation.objects.count() == 0


def test_the_error_report_names_row_column_and_reason(client, users):
    rows = sample_rows(2) + [["北京=HYPERLINK科技有限公司", "91110108MA0000015X", "", "", "", "", "", "", ""]]
    upload(client, users["office"], csv_bytes(rows))
    job = ImportJob.objects.get()

    response = client.get(reverse("imports:report", args=[job.pk]))

    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0] == ("行号", "列", "原因", "原始值", "处理结果")
    assert rows[1][:2] == (4, "统一社会信用代码") and "校验位错误" in rows[1][2]


def test_the_upload_form_refuses_a_missing_file(client, users):
    client.force_login(users["office"])

    response = client.post(reverse("imports:list"), {})

    assert response.status_code == 200 and "请选择要导入的文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_cancel_a_queued_job(client, users):
    job = make_job(users["office"], csv_bytes(sample_rows(2)))
    client.force_login(users["office"])

    client.post(reverse("imports:cancel", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    run_import(job)  # a worker picking it up later does nothing
    assert Organisation.objects.count() == 0


def test_the_template_download_has_the_import_header(client, users):
    client.force_login(users["district"])

    response = client.get(reverse("imports:template"))

    assert sheet_rows(response)[0] == tuple(bulk.label(k) for k in bulk.HEADER_ORDER)


# --- permissions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name,args", [("imports:list", []), ("imports:detail", [1]), ("imports:report", [1]),
                                       ("organisations_export", [])])
def test_anonymous_is_sent_to_login(client, db, name, args):
    url = reverse("imports:organisation_export") if name == "organisations_export" else reverse(name, args=args)

    response = client.get(url)

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_leader_cannot_import(client, users):
    response = upload(client, users["leader"], csv_bytes(sample_rows(2)))

    assert response.status_code == 403
    assert not ImportJob.objects.exists() and Organisation.objects.count() == 0
    assert client.get(reverse("imports:list")).status_code == 403


def test_district_staff_may_import(client, users):
    upload(client, users["district"], csv_bytes(sample_rows(2)))

    assert ImportJob.objects.get().created_by == users["district"]
    assert Organisation.objects.count() == 2


def test_jobs_are_seen_by_their_uploader_and_office_admins_only(client, users):
    job = make_job(users["office"], csv_bytes(sample_rows(2)))
    run_import(job)
    other = make_job(users["district"], csv_bytes(sample_rows(1, offset=5)))

    for user, status in [("office", 200), ("office_admin", 200), ("district", 404), ("district2", 404)]:
        client.force_login(users[user])
        assert client.get(reverse("imports:detail", args=[job.pk])).status_code == status, user
        assert client.get(reverse("imports:report", args=[job.pk])).status_code == status, user
        assert client.get(reverse("imports:progress", args=[job.pk])).status_code == status, user
    client.force_login(users["district2"])
    assert client.post(reverse("imports:cancel", args=[other.pk])).status_code == 404
    assert ImportJob.objects.get(pk=other.pk).status == ImportStatus.QUEUED
    client.force_login(users["office"])
    listing = client.get(reverse("imports:list")).content.decode()
    assert f'href="{reverse("imports:detail", args=[other.pk])}"' not in listing


# --- the background task --------------------------------------------------------------------------

@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}})
def test_an_upload_queues_a_database_task_that_a_worker_then_runs(client, users):
    from django_tasks_db.models import DBTaskResult

    upload(client, users["office"], csv_bytes(sample_rows(3)))

    job = ImportJob.objects.get()
    task = DBTaskResult.objects.get(task_path="apps.imports.tasks.run_import_task")
    assert job.status == ImportStatus.QUEUED and str(task.id) == job.task_id
    assert task.args_kwargs["args"] == [job.pk]
    # and a watch, due in a minute, that queues the import again should the worker die running it
    watch = DBTaskResult.objects.get(task_path="apps.imports.tasks.import_watch_task")
    assert watch.args_kwargs["args"] == [job.pk] and watch.run_after > task.enqueued_at
    assert 'hx-trigger="every 1s"' in client.get(reverse("imports:detail", args=[job.pk])).content.decode()

    run_import_task.call(job.pk)  # what db_worker does with the row

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Organisation.objects.count() == 3
