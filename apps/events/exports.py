"""An event's signings on paper: the signing list as a workbook (签约项目一览, for the report and the
press office) and the ceremony's 签约顺序表 as a Word document (for the master of ceremonies).

Both are pure functions of the rows they are handed. The view decides what the reader may see
(selectors.event_signings) and passes the totals (selectors.event_totals), which count every active
signing at the event, so a district's export says how many projects it was not shown rather than
presenting a smaller total.

Money stays exact: the workbook's amount cells hold the stored yuan divided by 10,000 as numbers, so
a SUM in Excel or WPS adds up to the announced total; the text (合计：…亿元) comes from
apps.core.money.format_amount like every page. Everything is written in Chinese whatever language
the person exporting browses in: the files are handed on."""

import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.utils import translation

from apps.core.docx import (
    BODY_FONT,
    SIZE_SANHAO,
    SIZE_SIHAO,
    SIZE_XIAOER,
    TITLE_FONT,
    a4_document,
    add_paragraph,
    add_table,
    page_number_footer,
    save,
)
from apps.core.money import UNITS, format_amount
from apps.events.models import Event, Signing, SigningStatus
from apps.events.selectors import Totals
from apps.imports.export import neutralise
from apps.projects.choices import AgreementType

UNDISCLOSED = "金额未公开"
WAN = UNITS["万元"]


def cn_date(value: datetime.date) -> str:
    """2025年11月1日 — fixed, not the browsing language's format (cndate): the file is handed on."""
    return f"{value.year}年{value.month}月{value.day}日"


def _event_dates(event: Event) -> str:
    if event.end_date and event.end_date != event.date:
        return f"{cn_date(event.date)}至{cn_date(event.end_date)}"
    return cn_date(event.date)


def _ceremony_rows(signings) -> list[Signing]:
    # The view passes active rows already; a withdrawn one slipping through must still never be printed.
    return sorted((s for s in signings if s.status == SigningStatus.ACTIVE), key=lambda s: (s.order, s.pk))


def _agreement(value: str) -> str:
    return str(AgreementType(value).label) if value in AgreementType.values else value


def _our_side(signing: Signing) -> str:
    unit = signing.project.unit
    return unit.full_name or unit.name


# --- the workbook --------------------------------------------------------------------------------

XLSX_COLUMNS = [  # (header, width in Excel characters: a Chinese character is about two)
    ("签约顺序", 9),
    ("项目名称", 34),
    ("签约企业", 34),
    ("承接区县", 12),
    ("产业集群", 20),
    ("协议类型", 11),
    ("签约金额（万元）", 18),
    ("签约日期", 17),
    ("我方签约代表", 26),
    ("企业方签约代表", 26),
    ("备注", 13),
]
AMOUNT_COL = 7
DATE_COL = 8
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def _wan(yuan: Decimal) -> Decimal:
    return Decimal(yuan) / WAN


def _totals_text(totals: Totals) -> str:
    """合计：3个项目，239.5亿元（其中1个项目金额未公开）."""
    if totals.count and not totals.amount:
        return f"合计：{totals.count}个项目，{UNDISCLOSED}"
    text = f"合计：{totals.count}个项目，{format_amount(totals.amount) if totals.amount else '0元'}"
    if totals.undisclosed:
        text += f"（其中{totals.undisclosed}个项目{UNDISCLOSED}）"
    if totals.rates:
        text += "。" + totals.rates_text
    return text


def signings_xlsx(*, event: Event, signings: list[Signing], totals: Totals, hidden: int = 0) -> bytes:
    """The signing list of an event: sheet 签约项目 (one row per signing in order of signing, then the
    totals) and sheet 按产业集群 (the totals by cluster)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(vertical="center", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    last_col = get_column_letter(len(XLSX_COLUMNS))

    with translation.override(settings.LANGUAGE_CODE):
        book = Workbook()
        sheet = book.active
        sheet.title = "签约项目"
        for index, (_, width) in enumerate(XLSX_COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

        sheet.append([neutralise(event.title)])
        sheet.merge_cells(f"A1:{last_col}1")
        sheet["A1"].font = Font(bold=True, size=16)
        sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 30
        where = "　".join(part for part in (f"时间：{_event_dates(event)}",
                                            f"地点：{event.place}" if event.place else "") if part)
        sheet.append([neutralise(where)])
        sheet.merge_cells(f"A2:{last_col}2")
        sheet["A2"].alignment = Alignment(horizontal="center", vertical="center")

        header_row = 3
        sheet.append([header for header, _ in XLSX_COLUMNS])
        for cell in sheet[header_row]:
            cell.font = bold
            cell.alignment = centre
            cell.border = grid

        rows = _ceremony_rows(signings)
        for signing in rows:
            project = signing.project
            # Every text cell made inert, names of units and clusters too: whatever a person typed may start "=".
            sheet.append([neutralise(value) for value in (
                signing.order,
                project.name,
                project.organisation.name,
                project.unit.name,
                project.cluster.name if project.cluster_id else "",
                _agreement(signing.agreement_type),
                _wan(signing.amount) if signing.amount is not None else None,
                signing.date,
                signing.our_signatory,
                signing.their_signatory,
                UNDISCLOSED if signing.amount is None else signing.foreign_note.strip("（）"),
            )])
            line = sheet.max_row
            for cell in sheet[line]:
                cell.border = grid
                cell.alignment = wrap
            sheet.cell(line, 1).alignment = centre
            sheet.cell(line, AMOUNT_COL).number_format = AMOUNT_FORMAT
            sheet.cell(line, DATE_COL).number_format = DATE_FORMAT
        last_data = header_row + len(rows)

        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.auto_filter.ref = f"A{header_row}:{last_col}{last_data}"

        sheet.append([_totals_text(totals)])
        total_row = sheet.max_row
        sheet.merge_cells(f"A{total_row}:F{total_row}")
        sheet.cell(total_row, 1).font = bold
        if totals.amount:
            amount_cell = sheet.cell(total_row, AMOUNT_COL, _wan(totals.amount))
            amount_cell.number_format = AMOUNT_FORMAT
            amount_cell.font = bold
        if hidden > 0:
            sheet.append([f"另有{hidden}个项目（其他单位，无权查看明细）已计入合计"])
            sheet.merge_cells(f"A{sheet.max_row}:{last_col}{sheet.max_row}")

        # Printed: A4 landscape, one page wide, the header row on every page.
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = f"{header_row}:{header_row}"

        clusters = book.create_sheet("按产业集群")
        for letter, width in zip("ABC", (30, 10, 18), strict=True):
            clusters.column_dimensions[letter].width = width
        clusters.append(["产业集群", "项目数", "签约金额（万元）"])
        for cell in clusters[1]:
            cell.font = bold
            cell.alignment = centre
        for name, count, amount in totals.by_cluster:
            # A cluster whose amounts are all undisclosed shows none rather than a misleading 0.00.
            clusters.append([neutralise(name) or "未分类", count, _wan(amount) if amount else None])
            clusters.cell(clusters.max_row, 3).number_format = AMOUNT_FORMAT
        clusters.append(["合计", totals.count, _wan(totals.amount) if totals.amount else None])
        for cell in clusters[clusters.max_row]:
            cell.font = bold
        clusters.cell(clusters.max_row, 3).number_format = AMOUNT_FORMAT
        if totals.undisclosed:
            clusters.append([f"其中{totals.undisclosed}个项目{UNDISCLOSED}，计入项目数，未计入金额"])
        clusters.freeze_panes = "A2"

        output = io.BytesIO()
        book.save(output)
    return output.getvalue()


# --- the ceremony list ---------------------------------------------------------------------------

DOCX_COLUMNS = [("签约顺序", 1.5), ("项目名称", 4.0), ("签约双方", 5.5), ("签约代表", 3.2), ("协议类型", 1.8)]
DOCX_COLUMNS_WITH_AMOUNT = [("签约顺序", 1.5), ("项目名称", 3.4), ("签约双方", 4.5), ("签约代表", 2.8),
                            ("协议类型", 1.6), ("金额", 2.2)]   # cm; both add up to 16 cm, A4 less margins


def ceremony_docx(*, event: Event, signings: list[Signing], show_amounts: bool = False) -> bytes:
    """The 签约顺序表 of an event, print-ready on A4: the active signings in order of signing, with
    both parties and their signatories. Amounts only when asked (show_amounts): the programme read
    out at the ceremony usually leaves them to the announcement."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    with translation.override(settings.LANGUAGE_CODE):
        document = a4_document(body_size=SIZE_SANHAO)
        centred = WD_ALIGN_PARAGRAPH.CENTER
        add_paragraph(document, event.title, TITLE_FONT, SIZE_XIAOER, bold=True, align=centred)
        add_paragraph(document, "签约顺序表", TITLE_FONT, SIZE_SANHAO, bold=True, align=centred)
        line = "　".join(part for part in (_event_dates(event), event.place) if part)
        add_paragraph(document, line, BODY_FONT, SIZE_SANHAO, align=centred)
        if event.hosts:
            add_paragraph(document, event.hosts, BODY_FONT, SIZE_SANHAO, align=centred)
        document.add_paragraph()

        columns = DOCX_COLUMNS_WITH_AMOUNT if show_amounts else DOCX_COLUMNS
        rows = _ceremony_rows(signings)
        values = []
        for signing in rows:
            project = signing.project
            row = [
                [str(signing.order)],
                [project.name],
                [f"甲方：{_our_side(signing)}", f"乙方：{project.organisation.name}"],
                [signing.our_signatory or "—", signing.their_signatory or "—"]
                if signing.our_signatory or signing.their_signatory else [""],
                [_agreement(signing.agreement_type)],
            ]
            if show_amounts:
                row.append([format_amount(signing.amount) + signing.foreign_note if signing.amount is not None else "未公开"])
            values.append(row)
        add_table(document, columns, values, size=SIZE_SIHAO, centred=frozenset({0, 4, 5}))
        if not rows:
            add_paragraph(document, "（暂无签约项目）", BODY_FONT, SIZE_SIHAO, align=centred)

        page_number_footer(document.sections[0], BODY_FONT, SIZE_SIHAO)
        return save(document)
