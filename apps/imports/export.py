"""XLSX out: any filtered organisation list (columns = the import header, so an export re-imports
unchanged) and an import job's error report. Written with openpyxl's write-only mode into an
anonymous temporary file, so memory stays flat however many rows there are.

Every text cell passes through `neutralise`: a value starting with = + - @ (or a tab / carriage
return) would be run as a formula by Excel or WPS ("CSV/formula injection"); it gets a leading
apostrophe, and the importer (readers.unneutralise) takes it off again.
"""

import tempfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import translation

from apps.imports.readers import FORMULA_STARTS
from apps.organisations import bulk
from apps.organisations.models import Organisation

CHUNK = 1000


def neutralise(value) -> object:
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_xlsx(sheet_title: str, header: list[str], rows: Iterable[list], widths: list[int] | None = None):
    """Rows → an XLSX in a temporary file, rewound and ready to stream. The caller closes it (which
    deletes it)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    output = tempfile.TemporaryFile(suffix=".xlsx")
    book.save(output)
    output.seek(0)
    return output


# --- organisations ---------------------------------------------------------------------------------

EXPORT_WIDTHS = {"name": 40, "credit_code": 22, "org_code": 13, "region": 16, "industry_section": 22,
                 "short_names": 20, "former_names": 24, "parent_name": 30, "description": 40}


def _organisations(actor, filters: dict) -> Iterator[Organisation]:
    from apps.organisations.selectors import organisation_list

    result = organisation_list(actor=actor, **filters, for_export=True)
    if isinstance(result, QuerySet):
        if result.query.is_sliced:
            yield from result
            return
        yield from result.select_related("parent").prefetch_related("aliases").iterator(chunk_size=CHUNK)
        return
    # A ranked search answers with something sliceable that yields organisations (or ids), best
    # first: keep its order, page through it a chunk at a time.
    chunk: list = []
    for item in result:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield from _complete(actor, chunk)
            chunk = []
    yield from _complete(actor, chunk)


def _complete(actor, items: list) -> list[Organisation]:
    if items and isinstance(items[0], int):
        found = Organisation.objects.restrict(actor, "view").in_bulk(items)
        items = [found[pk] for pk in items if pk in found]
    prefetch_related_objects(items, "aliases", "parent")
    return items


def organisation_row(org: Organisation) -> list:
    aliases = list(org.aliases.all())
    values = {
        "name": org.name,
        "credit_code": org.credit_code or "",
        "org_code": org.org_code,
        "kind": org.get_kind_display() if org.kind else "",
        "region": org.region,
        "industry_section": org.get_industry_section_display() if org.industry_section else "",
        "size": org.get_size_display() if org.size else "",
        "short_names": "、".join(a.name for a in aliases if a.kind == "short"),
        "former_names": "、".join(a.name for a in aliases if a.kind == "former"),
        "parent_name": org.parent.name if org.parent_id and org.parent else "",
        "source": org.source,
        "description": org.description,
        "is_fortune500": "是" if org.is_fortune500 else "否",
        "is_specialised": "是" if org.is_specialised else "否",
        "is_listed": "是" if org.is_listed else "否",
    }
    return [str(values[key]) for key in bulk.HEADER_ORDER]


def organisation_export_size(*, actor, filters: dict) -> int:
    """How many rows organisation_export would write (a ranked search counts its capped hits)."""
    from apps.organisations.selectors import organisation_list

    return organisation_list(actor=actor, **filters, for_export=True).count()


def organisation_export(*, actor, filters: dict):
    """The organisations `organisation_list(actor, **filters)` shows, as an XLSX temporary file (of a search,
    its best search.COUNT_CAP: more than the page lists)."""
    # Choice labels in the language the importer reads, whatever language the exporter browses in.
    with translation.override(settings.LANGUAGE_CODE):
        header = [bulk.label(key) for key in bulk.HEADER_ORDER]
        widths = [EXPORT_WIDTHS.get(key, 10) for key in bulk.HEADER_ORDER]
        return write_xlsx("目标库", header, (organisation_row(org) for org in _organisations(actor, filters)),
                          widths)


# --- import error report ---------------------------------------------------------------------------

REPORT_HEADER = ["行号", "列", "原因", "原始值", "处理结果"]


def import_report(job) -> object:
    """Every issue of the job in file order; a file-level failure is the first line."""
    from apps.imports.selectors import import_issue_list

    def rows():
        if job.error_message:
            yield ["", "", job.error_message, job.original_name, "未导入"]
        for issue in import_issue_list(job=job).iterator(chunk_size=CHUNK):
            yield [issue.line, issue.column, issue.message, issue.value,
                   "已导入，请核对" if issue.is_warning else "未导入"]

    return write_xlsx("错误报告", REPORT_HEADER, rows(), [8, 18, 60, 40, 14])
