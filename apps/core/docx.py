"""Word documents the house hands on (签约顺序表, 招商简报): A4, the fonts of Chinese official documents
with their common substitutes declared, tables whose header row repeats on every page, page numbers.

python-docx sets only the Latin font of a run; Word and WPS pick the Chinese glyphs from w:eastAsia,
so every run written here names both, or Chinese text falls back to whatever the reader's default is."""

import re

# Fonts of Chinese official documents (GB/T 9704): the title in 方正小标宋简体, the text in
# 仿宋_GB2312. Neither ships with every Windows; the font table names the common substitute, so
# Word and WPS fall back to 宋体 / 仿宋 instead of an arbitrary font.
TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
# Chinese font sizes in points.
SIZE_ERHAO, SIZE_XIAOER, SIZE_SANHAO, SIZE_SIHAO, SIZE_XIAOSI, SIZE_WUHAO = 22, 18, 16, 14, 12, 10.5
A4_CM = (21.0, 29.7)


def set_font(run, east_asia: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def add_paragraph(container, text: str, east_asia: str, size: float, *, bold: bool = False, align=None):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    set_font(paragraph.add_run(text), east_asia, size, bold=bold)
    return paragraph


def cell_lines(cell, lines: list[str], east_asia: str, size: float, *, bold: bool = False, align=None) -> None:
    from docx.shared import Pt

    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.space_after = Pt(0)
        if align is not None:
            paragraph.alignment = align
        set_font(paragraph.add_run(line), east_asia, size, bold=bold)


def row_flags(row, *, header: bool) -> None:
    """Rows never split across pages; the header row repeats on each. (CT_TrPr orders cantSplit
    before tblHeader.)"""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _lines(value) -> list[str]:
    lines = value if isinstance(value, list) else str(value).split("\n")
    return [_XML_ILLEGAL.sub("", str(line)) for line in lines] or [""]


def add_table(document, columns: list[tuple[str, float]], rows: list[list], *, size: float,
              centred: frozenset[int] = frozenset()):
    """A grid table of fixed column widths (cm), header row in 黑体 repeated on every page, body in
    仿宋. A cell value is a string or a list of lines; ``centred`` names the columns to centre.

    Only the header and one prototype body row go through python-docx's object model; every body
    row is a copy of the prototype's XML with its text put in, which keeps a table of thousands of
    rows to a fraction of a second (python-docx spends milliseconds per cell)."""
    from copy import deepcopy

    from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=2 if rows else 1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, (_, width) in enumerate(columns):
        table.columns[index].width = Cm(width)
    centre = WD_ALIGN_PARAGRAPH.CENTER

    def fill(row, values: list, *, header: bool) -> None:
        row_flags(row, header=header)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Cm(columns[index][1])    # Word reads the cell's width, not the column's
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            cell_lines(cell, _lines(value), HEADING_FONT if header else BODY_FONT, size,
                       align=centre if header or index in centred else None)

    fill(table.rows[0], [header for header, _ in columns], header=True)
    if not rows:
        return table
    prototype = table.rows[1]
    fill(prototype, ["·"] * len(columns), header=False)
    tbl, proto_tr = table._tbl, prototype._tr
    for values in rows:
        tr = deepcopy(proto_tr)
        for tc, value in zip(tr.iter(qn("w:tc")), values, strict=True):
            paragraph = tc.find(qn("w:p"))
            for number, line in enumerate(_lines(value)):
                if number:
                    paragraph.addnext(deepcopy(paragraph))
                    paragraph = paragraph.getnext()
                text = paragraph.find(f"{qn('w:r')}/{qn('w:t')}")
                text.text = line
                text.set(qn("xml:space"), "preserve")
        tbl.append(tr)
    tbl.remove(proto_tr)
    return table


def add_field(paragraph, instruction: str, east_asia: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) the reader's Word or WPS fills in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child):
        run = paragraph.add_run()
        set_font(run, east_asia, size)
        run._element.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    placeholder = paragraph.add_run("1")   # shown until the reader updates fields; Word does so on print
    set_font(placeholder, east_asia, size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def page_number_footer(section, east_asia: str = BODY_FONT, size: float = SIZE_SIHAO) -> None:
    """第 1 页 共 3 页, centred in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(footer.add_run("第 "), east_asia, size)
    add_field(footer, "PAGE", east_asia, size)
    set_font(footer.add_run(" 页 共 "), east_asia, size)
    add_field(footer, "NUMPAGES", east_asia, size)
    set_font(footer.add_run(" 页"), east_asia, size)


def declare_fallbacks(document) -> None:
    """Name the substitute of each official-document font in word/fontTable.xml (w:altName), which
    Word and WPS use when the font itself is not installed."""
    from docx.oxml.ns import qn
    from lxml import etree

    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    fonts = etree.fromstring(part.blob)
    for name, fallback in ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, BODY_FALLBACK)):
        font = etree.SubElement(fonts, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): fallback})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})    # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "roman" if name == TITLE_FONT else "modern"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable" if name == TITLE_FONT else "fixed"})
    # python-docx keeps the font table as an opaque part: replacing its bytes is the only way in.
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def a4_document(*, body_size: float = SIZE_SANHAO, margin_cm: float = 2.5):
    """A new document: A4 portrait, even margins, the body style in 仿宋_GB2312 with its fallbacks
    declared, no space after paragraphs."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    declare_fallbacks(document)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(A4_CM[0]), Cm(A4_CM[1])
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(margin_cm))
    return document


def save(document) -> bytes:
    import io

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
