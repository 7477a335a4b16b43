"""Reading files as people send them: four encodings, CSV dialects, XLSX, and damaged files."""

import io
import zipfile

import pytest

from apps.imports.readers import (
    CELL_MAX_CHARS,
    SAMPLE_BYTES,
    ImportFileError,
    detect_encoding,
    open_table,
    unneutralise,
)
from apps.imports.tests.files import HEADER, csv_bytes, sample_rows, xlsx_bytes


def read(data: bytes, name: str = "f.csv"):
    table = open_table(io.BytesIO(data), name)
    rows = list(table.rows())
    table.close()
    return table, rows


@pytest.mark.parametrize("encoding,label", [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("gbk", "GBK/GB18030"), ("gb18030", "GBK/GB18030"),
])
def test_each_encoding_reads_the_same_cells(encoding, label):
    rows = sample_rows(5)

    table, read_rows = read(csv_bytes(rows, encoding))

    assert table.encoding_name == label
    assert table.header == HEADER
    assert [r.cells for r in read_rows] == rows
    assert [r.line for r in read_rows] == [2, 3, 4, 5, 6]
    assert all(r.problem is None for r in read_rows)


def test_gb18030_four_byte_characters_survive():
    rows = [["北京𠮷祥䶮科技有限公司", "", "", "", "", "", "", "", ""]]
    data = csv_bytes(rows, "gb18030")
    assert b"\x95\x34\xb2\x35" in data  # 𠮷 really is a four-byte GB18030 sequence here

    _table, read_rows = read(data)

    assert read_rows[0].cells[0] == "北京𠮷祥䶮科技有限公司"


def test_a_utf8_character_cut_by_the_sample_edge_still_means_utf8():
    line = "北京信技源信息技术有限公司\n".encode()
    sample = (line * (SAMPLE_BYTES // len(line) + 1))[:SAMPLE_BYTES]
    assert sample.decode("utf-8", "ignore").encode() != sample  # the sample ends inside a character

    assert detect_encoding(sample, complete=False) == ("utf-8", 0)


def test_utf16_is_refused_with_what_to_do():
    with pytest.raises(ImportFileError, match="UTF-16"):
        open_table(io.BytesIO("名称\n".encode("utf-16")), "f.csv")


def test_a_gbk_line_in_a_utf8_file_is_one_bad_row():
    good = csv_bytes(sample_rows(3), "utf-8")
    bad_line = "北京错码科技有限公司,,企业\r\n".encode("gbk")

    _table, rows = read(good + bad_line)

    assert [r.problem is None for r in rows] == [True, True, True, False]
    assert rows[3].line == 5
    assert rows[3].problem.message == "第5行含无法识别的字符（文件编码可能不一致），本行未导入"


def test_a_utf8_line_in_a_gbk_file_is_one_bad_row():
    good = csv_bytes(sample_rows(4), "gbk")
    utf8_line = "北京乱码信息技术有限公司,,企业\r\n".encode()

    table, rows = read(good + utf8_line)

    assert table.encoding == "gb18030"
    assert rows[-1].problem is not None and "无法识别的字符" in rows[-1].problem.message
    assert all(r.problem is None for r in rows[:-1])


def test_quoted_line_breaks_count_as_one_row_and_blank_rows_are_skipped():
    text = '名称,简介\r\n"北京甲科技有限公司","第一行\r\n第二行"\r\n\r\n北京乙科技有限公司,x\r\n'

    _table, rows = read(text.encode())

    assert [(r.line, r.cells) for r in rows] == [
        (2, ["北京甲科技有限公司", "第一行\r\n第二行"]), (4, ["北京乙科技有限公司", "x"])]


@pytest.mark.parametrize("sep", ["\t", ";"])
def test_tab_and_semicolon_separated_files(sep):
    table, rows = read(csv_bytes(sample_rows(2), sep=sep))

    assert table.header == HEADER
    assert rows[1].cells == sample_rows(2)[1]


def test_a_file_cut_in_the_middle_of_a_row_keeps_the_rows_before_it():
    data = csv_bytes(sample_rows(4))
    cut = data[: data.index("北京云栖".encode()) + len("北京云栖".encode())]

    _table, rows = read(cut)

    assert [r.problem is None for r in rows] == [True, True, True, False]
    assert "不完整" in rows[-1].problem.message and rows[-1].line == 5


def test_a_file_cut_inside_quotes_reports_the_broken_tail():
    data = csv_bytes(sample_rows(2)) + '北京丙科技有限公司,,企业,,,,,,"简介说到一半'.encode()

    _table, rows = read(data)

    assert [r.problem is None for r in rows] == [True, True, False]
    assert "不完整" in rows[-1].problem.message


def test_a_missing_final_newline_is_not_a_truncation():
    data = csv_bytes(sample_rows(2)).rstrip(b"\r\n")

    _table, rows = read(data)

    assert [r.problem for r in rows] == [None, None]


def test_a_ten_megabyte_cell_is_reported_not_kept():
    huge = "长" * (10 << 20)
    rows = [sample_rows(1)[0], ["北京巨大科技有限公司", "", "", "", "", "", "", "", huge], sample_rows(2)[1]]

    _table, read_rows = read(csv_bytes(rows))

    assert read_rows[0].problem is None and read_rows[2].problem is None
    problem = read_rows[1].problem
    assert problem.message.startswith(f"单元格过长（超过{CELL_MAX_CHARS}字）")
    assert problem.column == "简介"
    assert len(problem.value) <= 201


def test_more_cells_than_the_header_is_a_row_problem():
    data = csv_bytes([["北京甲科技有限公司", "", "", "", "", "", "", "", "", "多出来的"]])

    _table, rows = read(data)

    assert "多于表头" in rows[0].problem.message


def test_xlsx_reads_rows_with_sheet_row_numbers():
    rows = sample_rows(3)
    data = xlsx_bytes(rows[:1] + [[""] * len(HEADER)] + rows[1:])

    table, read_rows = read(data, "orgs.xlsx")

    assert table.format == "xlsx"
    assert [r.cells for r in read_rows] == rows
    assert [r.line for r in read_rows] == [2, 4, 5]


def test_xlsx_numbers_and_flags_become_the_text_people_typed():
    data = xlsx_bytes([["北京甲科技有限公司", 123456, "企业", "", "", "", "", True, 1.0]])

    _table, rows = read(data, "orgs.xlsx")

    assert rows[0].cells[1] == "123456" and rows[0].cells[7] == "是" and rows[0].cells[8] == "1"


def test_a_truncated_xlsx_is_refused_before_reading_anything():
    data = xlsx_bytes(sample_rows(50))

    with pytest.raises(ImportFileError, match="损坏或不完整"):
        open_table(io.BytesIO(data[: len(data) * 2 // 3]), "orgs.xlsx")


def test_an_old_xls_and_a_fake_xlsx_are_refused_with_what_to_do():
    with pytest.raises(ImportFileError, match="另存为"):
        open_table(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500), "orgs.xls")
    with pytest.raises(ImportFileError, match="不是XLSX"):
        open_table(io.BytesIO("名称\n北京甲\n".encode()), "orgs.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")

    with pytest.raises(ImportFileError):
        open_table(io.BytesIO(out.getvalue()), "orgs.xlsx")


def test_empty_files_are_refused():
    with pytest.raises(ImportFileError, match="空"):
        open_table(io.BytesIO(b""), "f.csv")
    with pytest.raises(ImportFileError, match="空"):
        open_table(io.BytesIO(b"\r\n\r\n"), "f.csv")


def test_our_own_formula_guard_is_taken_off_on_the_way_back():
    assert unneutralise("'=1+1") == "=1+1"
    assert unneutralise("'-5") == "-5"
    assert unneutralise("'普通文字") == "'普通文字"
    assert unneutralise("'") == "'"
