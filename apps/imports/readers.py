"""Reading an uploaded organisation file one row at a time, in bounded memory.

CSV arrives as UTF-8, UTF-8 with a BOM, GBK or GB18030 (Chinese offices send all four); XLSX through
openpyxl's read-only mode. Whatever goes wrong with one row (an undecodable byte, a 10-MB cell, a
row cut off by a truncated upload) becomes a `Problem` on that row, so the rest of the file still
imports; only what makes the whole file unreadable (an .xls, a broken zip, an empty file) raises
`ImportFileError` before anything is written.

Row numbers are the ones a person sees when opening the file in Excel: the header is row 1, a blank
line is a row, and a CSV cell with line breaks inside quotes stays one row (we count records, not
physical lines).
"""

import codecs
import csv
import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from apps.core.errors import DomainError

SAMPLE_BYTES = 1 << 20          # what the encoding sniffer and the row estimate look at
LINE_LIMIT_BYTES = 32 << 20     # one physical line longer than this is dropped without being held
CELL_MAX_CHARS = 10_000         # a longer cell is a mistake (a whole file pasted into one cell)
VALUE_MAX_CHARS = 200           # how much of an offending value the report keeps

# A cell exported by us with a formula-like start carries a leading apostrophe (export.neutralise);
# reading it back takes the apostrophe off again, so an export re-imports unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

csv.field_size_limit(LINE_LIMIT_BYTES)


class ImportFileError(DomainError):
    """The file as a whole cannot be imported; nothing was written."""

    def __init__(self, message: str):
        super().__init__(message, field="file", code="import_file")


@dataclass
class Problem:
    line: int
    column: str
    message: str
    value: str = ""


@dataclass
class SourceRow:
    line: int
    cells: list[str]
    problem: Problem | None = None


def clip(value: str, limit: int = VALUE_MAX_CHARS) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def unneutralise(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _row_value(cells: list[str]) -> str:
    return clip(",".join(cells))


class Table:
    """An opened file: its header and a stream of rows after it."""

    format: str = ""
    encoding: str = ""
    header: list[str]
    header_line: int = 1
    estimated_last_line: int = 0

    def rows(self) -> Iterator[SourceRow]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _check_cells(self, line: int, cells: list[str]) -> Problem | None:
        for index, cell in enumerate(cells):
            if len(cell) > CELL_MAX_CHARS:
                column = self.header[index] if index < len(self.header) else f"第{index + 1}列"
                return Problem(line, column, f"单元格过长（超过{CELL_MAX_CHARS}字），本行未导入",
                               clip(cell))
        extra = [c for c in cells[len(self.header):] if c.strip()]
        if extra:
            return Problem(line, "", f"本行有{len(cells)}列，多于表头的{len(self.header)}列"
                                     "（名称中的逗号是否未加引号？），本行未导入", _row_value(cells))
        return None


# --- CSV -------------------------------------------------------------------------------------------

def detect_encoding(sample: bytes, *, complete: bool) -> tuple[str, int]:
    """(codec, bytes to skip). `complete` says the sample is the whole file; otherwise its last
    line may be cut in the middle of a character and is not judged."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError("文件是UTF-16编码（Excel的“Unicode文本”），请在Excel中另存为“CSV UTF-8”或XLSX后再导入。")
    lines = sample.split(b"\n")
    if not complete and len(lines) > 1:
        lines = lines[:-1]
    utf8_ok = utf8_bad = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            utf8_bad += 1
        else:
            utf8_ok += 1
    # One stray GBK line in a UTF-8 file should not turn the whole file into mojibake: the majority
    # of the lines that have Chinese in them decides, and the odd line out gets a row-level issue.
    return ("gb18030" if utf8_bad > utf8_ok else "utf-8"), 0


class _Lines:
    """Physical lines of a binary stream decoded one at a time, remembering what went wrong with the
    lines of the record csv.reader is currently reading."""

    def __init__(self, stream, encoding: str):
        self.stream = stream
        self.encoding = encoding
        self.other = "gb18030" if encoding == "utf-8" else "utf-8"
        self.start_record()
        self.last_had_newline = True

    def start_record(self) -> None:
        self.undecodable = False
        self.too_long = False
        self.quote_open = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raw = self.stream.readline(LINE_LIMIT_BYTES)
        if not raw:
            raise StopIteration
        if len(raw) >= LINE_LIMIT_BYTES and not raw.endswith(b"\n"):
            while True:  # drop the rest of this line without holding it
                more = self.stream.readline(LINE_LIMIT_BYTES)
                if not more or more.endswith(b"\n"):
                    break
            self.too_long = True
            raw = b"\n"
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError:
            text = raw.decode(self.encoding, "replace")
            self.undecodable = True
        else:
            if self.encoding == "gb18030" and not raw.isascii() and _is_utf8(raw):
                # UTF-8 bytes often decode as (wrong) GB18030 characters; a line that is valid UTF-8
                # in a GBK file is almost certainly a pasted UTF-8 line.
                self.undecodable = True
        if "\x00" in text:
            text = text.replace("\x00", "\ufffd")
            self.undecodable = True
        if text.count('"') % 2:
            self.quote_open = not self.quote_open
        self.last_had_newline = text.endswith("\n")
        return text


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=counts.get)
    # A full-width comma is never a delimiter Excel writes; it only counts as evidence of a typo'd
    # header, which header_map then reports.
    return best if counts[best] and best != "，" else ","


class CsvTable(Table):
    format = "csv"

    def __init__(self, stream, *, size: int):
        stream.seek(0)
        sample = stream.read(SAMPLE_BYTES)
        if not sample.strip():
            raise ImportFileError("文件是空的，没有可导入的内容。")
        self.encoding, skip = detect_encoding(sample, complete=len(sample) >= size)
        self.encoding_label = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030"}[self.encoding] + (" (BOM)" if skip else "")
        first_line = sample[skip:].split(b"\n", 1)[0].decode(self.encoding, "replace")
        self.delimiter = _delimiter(first_line)
        newlines = sample.count(b"\n") or 1
        self.estimated_last_line = max(1, round(newlines * size / max(1, len(sample))))
        stream.seek(skip)
        self._lines = _Lines(stream, self.encoding)
        self._reader = csv.reader(self._lines, delimiter=self.delimiter)
        self.line = 0
        self.header = []
        for cells in self._safe_records():
            self.line += 1
            if any(c.strip() for c in cells):
                self.header = cells
                break
        if not self.header:
            raise ImportFileError("文件中没有表头行，没有可导入的内容。")
        self.header_line = self.line

    def _safe_records(self):
        while True:
            self._lines.start_record()
            try:
                yield next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise _Broken(str(error)) from error

    @property
    def encoding_name(self) -> str:
        return self.encoding_label

    def rows(self) -> Iterator[SourceRow]:
        lines = self._lines
        try:
            for cells in self._safe_records():
                self.line += 1
                line = self.line
                cells = [unneutralise(c) for c in cells]
                if lines.undecodable:
                    yield SourceRow(line, cells, Problem(
                        line, "", f"第{line}行含无法识别的字符（文件编码可能不一致），本行未导入", _row_value(cells)))
                    continue
                if lines.too_long:
                    yield SourceRow(line, cells, Problem(
                        line, "", f"单元格过长（超过{CELL_MAX_CHARS}字），本行未导入", _row_value(cells)))
                    continue
                if not any(c.strip() for c in cells):
                    continue
                if not lines.last_had_newline and (lines.quote_open or len(cells) < len(self.header)):
                    # The file ends in the middle of this row: an interrupted upload or copy.
                    yield SourceRow(line, cells, Problem(
                        line, "", f"第{line}行不完整（文件在此处中断，可能上传或复制时被截断），本行未导入",
                        _row_value(cells)))
                    return
                yield SourceRow(line, cells, self._check_cells(line, cells))
        except _Broken as broken:
            line = self.line + 1
            self.line = line
            yield SourceRow(line, [], Problem(
                line, "", f"从第{line}行起无法读取（{_csv_reason(broken.reason)}；文件可能被截断或引号不配对），"
                          "此后的内容未导入"))


class _Broken(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _csv_reason(reason: str) -> str:
    if "field larger than field limit" in reason:
        return "一个单元格超过了长度上限"
    if "unexpected end of data" in reason:
        return "文件在引号内结束"
    return reason


# --- XLSX ------------------------------------------------------------------------------------------

BROKEN_XLSX = "XLSX文件已损坏或不完整（可能上传或复制时被截断），未导入任何数据。请重新保存或导出后再导入。"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class XlsxTable(Table):
    format = "xlsx"
    encoding_name = ""

    def __init__(self, stream, *, size: int):
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        stream.seek(0)
        try:
            self._book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, EOFError,
                InvalidFileException, ParseError) as error:
            raise ImportFileError(BROKEN_XLSX) from error
        if not self._book.worksheets:
            raise ImportFileError("XLSX文件中没有工作表。")
        sheet = self._book.worksheets[0]
        declared = sheet.max_row if sheet.max_row and sheet.max_row > 1 else 0
        self.estimated_last_line = declared or max(1, size // 60)
        # Some writers declare a wrong sheet size ("A1"); read what is there instead.
        sheet.reset_dimensions()
        self._rows = sheet.iter_rows(values_only=True)
        self.line = 0
        self.header = []
        try:
            for values in self._rows:
                self.line += 1
                cells = [_cell_text(v) for v in values]
                if any(c.strip() for c in cells):
                    self.header = cells
                    break
        except (zipfile.BadZipFile, OSError, EOFError, ParseError, ValueError) as error:
            raise ImportFileError(BROKEN_XLSX) from error
        if not self.header:
            raise ImportFileError("文件中没有表头行，没有可导入的内容。")
        while self.header and not self.header[-1].strip():
            self.header.pop()
        self.header_line = self.line

    def rows(self) -> Iterator[SourceRow]:
        try:
            for values in self._rows:
                self.line += 1
                cells = [unneutralise(_cell_text(v)) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                yield SourceRow(self.line, cells, self._check_cells(self.line, cells))
        except Exception as error:  # noqa: BLE001  zlib, zipfile, XML: any of them means a damaged sheet
            line = self.line + 1
            yield SourceRow(line, [], Problem(
                line, "", f"从第{line}行起无法读取（文件已损坏：{type(error).__name__}），此后的内容未导入"))

    def close(self) -> None:
        self._book.close()


# --- opening ---------------------------------------------------------------------------------------

def open_table(stream, name: str) -> Table:
    """Open a binary, seekable stream as CSV or XLSX, judged by its first bytes (a renamed file is
    read as what it is), or raise ImportFileError with what to do."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    lower = (name or "").lower()
    if not head:
        raise ImportFileError("文件是空的，没有可导入的内容。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError("这是旧版Excel（.xls）文件，系统不能直接读取。请在Excel中“另存为”XLSX或CSV后再导入。")
    if head.startswith(b"PK\x03\x04") or lower.endswith((".xlsx", ".xlsm")):
        if not head.startswith(b"PK"):
            raise ImportFileError("文件扩展名是.xlsx，但内容不是XLSX表格。请在Excel中重新另存为XLSX或CSV。")
        return XlsxTable(stream, size=size)
    if lower.endswith(".xls"):
        raise ImportFileError("这是旧版Excel（.xls）文件，系统不能直接读取。请在Excel中“另存为”XLSX或CSV后再导入。")
    try:
        return CsvTable(stream, size=size)
    except _Broken as broken:
        raise ImportFileError(f"表头行无法读取（{_csv_reason(broken.reason)}）。") from broken
