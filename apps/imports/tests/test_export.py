"""Export of the filtered library to XLSX: same columns as the import, re-imports unchanged, and
no cell that Excel would run as a formula."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from apps.audit.models import AuditLog
from apps.imports.export import neutralise
from apps.imports.models import ImportStatus
from apps.imports.services import run_import
from apps.imports.tests.files import HEADER, csv_bytes, library, make_job, sample_rows
from apps.organisations import bulk
from apps.organisations.models import Organisation

DANGEROUS = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+86-10-1234", "-1+1", "@SUM(A1:A2)", "=1+1"]


def export(client, user, query: str = ""):
    client.force_login(user)
    response = client.get(reverse("imports:organisation_export") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(response.streaming_content)
    return body, load_workbook(io.BytesIO(body)).worksheets[0]


def _library_with_tricky_cells(actor):
    rows = sample_rows(len(DANGEROUS))
    for row, text in zip(rows, DANGEROUS, strict=True):
        row[8] = text  # 简介
    rows[0][6] = "信技源、信技"  # two short names
    rows.append(["清华大学", "", "高校", "北京市海淀区", "P", "", "", "否", ""])
    job = run_import(make_job(actor, csv_bytes(rows)))
    assert job.status == ImportStatus.DONE and job.failed_count == 0, job.error_message
    return rows


def test_export_has_the_import_header_and_one_row_per_organisation(client, users):
    rows = _library_with_tricky_cells(users["office"])

    _body, sheet = export(client, users["leader"])  # reading is enough to export

    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(bulk.label(k) for k in bulk.HEADER_ORDER)
    assert set(HEADER) <= set(values[0])
    assert len(values) == 1 + len(rows)
    by_name = {v[0]: dict(zip(values[0], v, strict=True)) for v in values[1:]}
    assert by_name["北京信技源信息技术有限公司"]["简称"] == "信技源、信技"
    assert by_name["清华大学"]["类型"] == "高校"


def test_formula_like_cells_are_neutralised(client, users):
    _library_with_tricky_cells(users["office"])

    _body, sheet = export(client, users["office"])

    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    column = header.index("简介")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    texts = {c.value for c in cells if c.value}
    for text in DANGEROUS:
        assert "'" + text in texts
    assert all(c.data_type == "s" for c in cells if c.value)  # text, never a formula
    assert neutralise("北京=x") == "北京=x" and neutralise(5) == 5 and neutralise("\t=1") == "'\t=1" and neutralise("a\x07b") == "ab"


def test_an_export_re_imports_unchanged(client, users):
    _library_with_tricky_cells(users["office"])
    before = library()
    body, _sheet = export(client, users["office"])

    job = run_import(make_job(users["office"], body, "export.xlsx"))

    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.failed_count) == (0, 0, 0)
    assert job.unchanged_count == len(DANGEROUS) + 1
    assert library() == before


def test_an_export_re_imports_as_the_same_data_in_a_dry_run_elsewhere(client, users):
    """Every value survives the trip: a dry run on a copy with a changed description counts it as an
    update, and the untouched rows as unchanged."""
    _library_with_tricky_cells(users["office"])
    body, _sheet = export(client, users["office"])
    book = load_workbook(io.BytesIO(body))
    sheet = book.worksheets[0]
    description = [c.value for c in sheet[1]].index("简介") + 1
    sheet.cell(row=2, column=description, value="改过的简介")
    out = io.BytesIO()
    book.save(out)

    job = run_import(make_job(users["office"], out.getvalue(), "edited.xlsx", dry_run=True))

    assert (job.updated_count, job.unchanged_count, job.created_count) == (1, len(DANGEROUS), 0)


def test_export_follows_the_list_filters(client, users):
    _library_with_tricky_cells(users["office"])

    _body, by_kind = export(client, users["office"], "?kind=university")
    _body, by_query = export(client, users["office"], "?q=信技源")
    _body, ignored = export(client, users["office"], "?kind=nonsense")

    assert [r[0] for r in by_kind.iter_rows(min_row=2, values_only=True)] == ["清华大学"]
    assert [r[0] for r in by_query.iter_rows(min_row=2, values_only=True)] == ["北京信技源信息技术有限公司"]
    assert ignored.max_row == 1 + len(DANGEROUS) + 1


def test_an_export_of_a_search_writes_more_than_the_page_lists(client, users, monkeypatch):
    from apps.organisations import selectors
    from apps.organisations.search import SearchResults
    from apps.organisations.services import organisation_create

    monkeypatch.setattr(SearchResults, "PROBE", 3)  # the list's one read, standing for 200
    monkeypatch.setattr(selectors, "LIST_CAP", 3)
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)  # an export's cap, standing for 1,000
    names = [f"北京骅远第{n}号科技有限公司" for n in range(7)]
    for name in names:
        organisation_create(actor=users["office"], name=name)
    client.force_login(users["office"])
    page = client.get(reverse("organisations:list"), {"q": "骅远"})
    assert len(page.context["rows"]) == 3 and page.context["capped"]

    _body, sheet = export(client, users["office"], "?q=骅远")

    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == names[:5]  # the best five, in rank order


def test_an_export_larger_than_the_limit_is_refused_with_a_message_and_the_command_writes_it(
        client, users, settings, tmp_path):
    from django.contrib.messages import get_messages
    from django.core.management import call_command

    for n in range(3):
        Organisation.objects.create(name=f"重庆导出上限测试{n}有限公司", kind="enterprise")
    total = Organisation.objects.filter(merged_into__isnull=True).count()
    settings.ORGANISATION_EXPORT_MAX_ROWS = total - 1
    client.force_login(users["office"])
    page = client.get(reverse("organisations:list"))
    assert "不能直接导出" in page.content.decode()
    response = client.get(reverse("imports:organisation_export"), {"kind": ""})
    assert response.status_code == 302 and response["Location"].startswith(reverse("organisations:list"))
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"共 {total:,} 个主体" in message and "export_organisations" in message
    assert not AuditLog.objects.filter(action="export").exists()  # nothing was handed out

    target = tmp_path / "全库.xlsx"
    call_command("export_organisations", str(target), user=users["office"].username)
    rows = list(load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == total + 1  # the header and every organisation, past the page's limit
    assert {r[0] for r in rows[1:]} >= {f"重庆导出上限测试{n}有限公司" for n in range(3)}
    assert AuditLog.objects.filter(action="export", actor=users["office"]).count() == 1
