"""A chain map as a spreadsheet: one row per link, in reading order (a parent before its children).

    层级路径 | 关键词 | 说明 | 来源 | 基础环节 | 延伸环节
    上游/关键材料/正极材料 | 正极材料、磷酸铁锂 | … | … | 是 |

The map's own sources go on a second sheet ("链图来源"), one per row. Text that Excel or WPS would run as
a formula (=, +, -, @ …) is written with a leading apostrophe (imports.export.neutralise) and read back
without it, so an export re-imports unchanged."""

import io

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from apps.chains.maps import SEP, Row, flag, flatten, split_keywords
from apps.imports.export import neutralise
from apps.imports.readers import FORMULA_STARTS

HEADERS = ["层级路径", "关键词", "说明", "来源", "基础环节", "延伸环节"]
SOURCES_SHEET = "链图来源"
MAX_ROWS = 2000


def map_to_xlsx(data: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "链图"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in flatten(data["links"]):
        sheet.append([neutralise(v) for v in (row.path_text, "、".join(row.keywords), row.description,
                                              row.source_note, "是" if row.foundation else "",
                                              "是" if row.extension else "")])
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 30
    sources = book.create_sheet(SOURCES_SHEET)
    sources.append(["来源"])
    for source in data.get("sources", []):
        sources.append([neutralise(source)])
    sources.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _unneutralised(text: str) -> str:
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS) else text


def xlsx_to_rows(content: bytes) -> tuple[list[Row], list[str] | None, list[str]]:
    """(rows, sources or None if the sheet is absent, errors). Rows are numbered as in the sheet."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable file gets the same sentence
        return [], None, ["无法读取该文件：请上传 .xlsx 格式的工作簿（可先导出一份作为模板）。"]
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows_iter, ())]
    if not header or header[0] != HEADERS[0]:
        return [], None, [f"第1行应为表头，第一列是“{HEADERS[0]}”（可先导出一份作为模板）。"]
    col = {name: header.index(name) for name in HEADERS if name in header}
    rows, errors = [], []
    for number, values in enumerate(rows_iter, start=2):
        values = list(values or ())

        def get(name, values=values):
            i = col.get(name)
            value = values[i] if i is not None and i < len(values) else None
            return _unneutralised("" if value is None else str(value).strip())

        if not any(str(v or "").strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(f"第{number}行：一张链图最多{MAX_ROWS}个环节。")
            break
        path = [part.strip() for part in get("层级路径").split(SEP)]
        rows.append(Row(number=number, path=path, keywords=split_keywords(get("关键词")),
                        description=get("说明"), source_note=get("来源"),
                        foundation=flag(get("基础环节")), extension=flag(get("延伸环节"))))
    sources = None
    if SOURCES_SHEET in book.sheetnames:
        sources = [_unneutralised(str(r[0]).strip()) for r in book[SOURCES_SHEET].iter_rows(min_row=2, values_only=True)
                   if r and r[0] is not None and str(r[0]).strip()]
    if not rows and not errors:
        errors.append("文件中没有环节：从第2行起每行写一个环节。")
    return rows, sources, errors
