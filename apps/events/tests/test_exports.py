"""The signing list (XLSX) and the ceremony's 签约顺序表 (DOCX), opened the way the reader opens them:
rows in the order of signing, amounts as exact numbers in 万元, the totals everybody announces, and
nothing withdrawn."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from apps.chains.models import Cluster
from apps.events import selectors, services
from apps.events.exports import ceremony_docx, signings_xlsx
from apps.events.models import Signing
from apps.organisations.services import organisation_create

DAY = datetime.date(2025, 11, 1)
HEADER = ["签约顺序", "项目名称", "签约企业", "承接区县", "产业集群", "协议类型", "签约金额（万元）", "签约日期",
          "我方签约代表", "企业方签约代表", "备注"]
TITLE = "2025重庆—北京产业合作对接会"
# 149,999,876.5433万元 + 895,000万元 + 1.234567万元 = 239.5亿元 exactly; the odd cents catch any rounding.
AMOUNT_1 = Decimal("14999987654.33")
AMOUNT_3 = Decimal("8950000000")
AMOUNT_4 = Decimal("12345.67")


@pytest.fixture
def ceremony(users, make_project):
    """Four active signings at one event (one amount undisclosed, one inserted at the top of the
    order) and a fifth that was withdrawn."""
    office = users["office"]
    event = services.event_create(actor=office, values={
        "title": TITLE, "kind": "signing", "date": DAY, "city": "北京", "venue": "国家会议中心",
        "hosts": "主办 重庆市人民政府；承办 重庆市人民政府驻北京办事处",
    }, today=DAY)
    first, second = Cluster.objects.order_by("sort_order", "id")[:2]

    def project(unit_name, org_name, name, cluster=None):
        org = organisation_create(actor=office, name=org_name)
        return make_project(unit_name=unit_name, organisation=org, name=name, cluster=cluster)

    p1 = project("九龙坡区", "北京骅远科技有限公司", "骅远智能网联汽车零部件基地", first)
    p2 = project("长寿区", "北京嘉岳新材料有限公司", "嘉岳高性能纤维项目", second)
    p3 = project("九龙坡区", "北京中芯微电子有限公司", "中芯功率半导体封测项目", first)
    p4 = project("长寿区", "北京云图数据有限公司", "云图算力中心项目")
    p5 = project("九龙坡区", "北京星河能源有限公司", "星河储能电站项目")

    def sign(p, amount, **values):
        return services.signing_create(actor=office, project=p, event=event, advance_stage=False, values={
            "agreement_type": values.pop("agreement_type", "contract"), "amount": amount, **values})

    s1 = sign(p1, AMOUNT_1, our_signatory="九龙坡区人民政府 区长", their_signatory="骅远科技 董事长")
    s2 = sign(p2, None, agreement_type="framework")
    s3 = sign(p3, AMOUNT_3, agreement_type="intention", our_signatory="九龙坡区人民政府 副区长")
    s4 = sign(p4, AMOUNT_4, order=1, their_signatory="云图数据 总经理")   # put in first; the others move down
    s5 = sign(p5, Decimal("1000000000"))
    services.signing_withdraw(actor=office, signing=s5, reason="企业决定推迟签约")
    return {"event": event, "signings": [s1, s2, s3, s4, s5], "projects": [p1, p2, p3, p4, p5],
            "clusters": [first, second]}


def _xlsx(actor, event):
    rows = selectors.event_signings(actor=actor, event=event)
    body = signings_xlsx(event=event, signings=rows.rows, totals=selectors.event_totals(event), hidden=rows.hidden)
    return load_workbook(io.BytesIO(body))


def _texts(sheet) -> list[str]:
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_signing_list_rows_in_order_of_signing_with_exact_amounts(users, ceremony):
    book = _xlsx(users["office"], ceremony["event"])
    sheet = book["签约项目"]
    p1, p2, p3, p4, p5 = ceremony["projects"]
    first, second = ceremony["clusters"]

    assert sheet["A1"].value == TITLE
    assert "2025年11月1日" in sheet["A2"].value and "北京 国家会议中心" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == HEADER
    assert all(c.font.b for c in sheet[3])
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=4, max_row=7)}
    assert [r[1].value for r in sheet.iter_rows(min_row=4, max_row=7)] == [p4.name, p1.name, p2.name, p3.name]
    assert [r[0].value for r in sheet.iter_rows(min_row=4, max_row=7)] == [1, 2, 3, 4]
    assert [c.value for c in rows[p1.name][2:6]] == [
        "北京骅远科技有限公司", "九龙坡区", first.name, "正式合同"]
    assert [c.value for c in rows[p2.name][3:6]] == ["长寿区", second.name, "框架协议"]
    assert rows[p3.name][5].value == "意向协议"
    assert rows[p4.name][4].value is None   # no cluster
    assert [c.value for c in rows[p1.name][8:10]] == ["九龙坡区人民政府 区长", "骅远科技 董事长"]

    # Amounts: numbers in 万元, exact, summing to the announced 239.5亿元 = 2,395,000万元.
    amounts = {name: row[6] for name, row in rows.items()}
    for name in (p1.name, p3.name, p4.name):
        assert amounts[name].data_type == "n" and amounts[name].number_format == "#,##0.00"
        assert rows[name][10].value is None
    assert Decimal(repr(amounts[p1.name].value)) == AMOUNT_1 / 10000 == Decimal("1499998.765433")
    assert Decimal(repr(amounts[p4.name].value)) == Decimal("1.234567")
    assert sum(Decimal(repr(amounts[n].value)) for n in (p1.name, p3.name, p4.name)) == Decimal("2395000")
    assert amounts[p2.name].value is None and rows[p2.name][10].value == "金额未公开"

    date = rows[p1.name][7]
    assert date.is_date and date.value.date() == DAY and date.number_format == 'yyyy"年"m"月"d"日"'

    assert sheet["A8"].value == "合计：4个项目，239.5亿元（其中1个项目金额未公开）"
    assert sheet["G8"].value == 2395000
    assert sheet.max_row == 8   # no 另有… line: the office sees every row
    assert not any("另有" in text for text in _texts(sheet))
    assert not any(p5.name in text for text in _texts(sheet))   # withdrawn
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:K7"
    assert sheet.column_dimensions["B"].width >= 30


def test_district_export_says_how_many_rows_it_does_not_show(users, ceremony):
    sheet = _xlsx(users["district"], ceremony["event"])["签约项目"]   # 九龙坡区: not 长寿区's two
    p1, p2, p3, p4, _ = ceremony["projects"]

    names = [r[1].value for r in sheet.iter_rows(min_row=4, max_row=5)]
    assert names == [p1.name, p3.name]
    assert [r[0].value for r in sheet.iter_rows(min_row=4, max_row=5)] == [2, 4]
    assert sheet["A6"].value == "合计：4个项目，239.5亿元（其中1个项目金额未公开）"
    assert sheet["A7"].value == "另有2个项目（其他单位，无权查看明细）已计入合计"
    assert not {p2.name, p4.name} & set(_texts(sheet))


def test_cluster_sheet_totals_by_cluster(users, ceremony):
    sheet = _xlsx(users["office"], ceremony["event"])["按产业集群"]
    first, second = ceremony["clusters"]

    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("产业集群", "项目数", "签约金额（万元）")
    assert values[1][:2] == (first.name, 2)
    assert Decimal(repr(values[1][2])) == (AMOUNT_1 + AMOUNT_3) / 10000
    assert values[2][:2] == ("未分类", 1) and Decimal(repr(values[2][2])) == Decimal("1.234567")
    assert values[3] == (second.name, 1, None)   # its only amount is undisclosed: blank, not 0
    assert values[4] == ("合计", 4, 2395000)
    assert sheet.cell(2, 3).number_format == "#,##0.00"


def test_an_english_reader_still_hands_on_a_chinese_file(users, ceremony):
    with translation.override("en"):
        sheet = _xlsx(users["office"], ceremony["event"])["签约项目"]
    assert [c.value for c in sheet[3]] == HEADER
    assert {r[5].value for r in sheet.iter_rows(min_row=4, max_row=7)} == {"正式合同", "框架协议", "意向协议"}


def _docx(event, **kwargs):
    # Everything recorded at the event, withdrawn one included and shuffled: the list must sort and drop.
    signings = list(Signing.objects.filter(event=event).select_related(
        "project", "project__unit", "project__organisation").order_by("-id"))
    return Document(io.BytesIO(ceremony_docx(event=event, signings=signings, **kwargs)))


def test_ceremony_list_in_order_of_signing_with_both_parties(ceremony):
    document = _docx(ceremony["event"])
    p1, p2, p3, p4, p5 = ceremony["projects"]

    heading = document.paragraphs[0]
    assert heading.text == TITLE
    assert heading.alignment == 1   # centred
    run = heading.runs[0]
    assert run.bold and run.font.size == Pt(18)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    lines = [p.text for p in document.paragraphs]
    assert "2025年11月1日　北京 国家会议中心" in lines
    assert "主办 重庆市人民政府；承办 重庆市人民政府驻北京办事处" in lines

    table = document.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["签约顺序", "项目名称", "签约双方", "签约代表", "协议类型"]
    assert [row[:2] for row in cells[1:]] == [["1", p4.name], ["2", p1.name], ["3", p2.name], ["4", p3.name]]
    assert cells[2][2] == "甲方：重庆市九龙坡区\n乙方：北京骅远科技有限公司"
    assert cells[1][2] == "甲方：重庆市长寿区\n乙方：北京云图数据有限公司"
    assert cells[2][3] == "九龙坡区人民政府 区长\n骅远科技 董事长"
    assert cells[1][3] == "—\n云图数据 总经理"   # a missing signatory keeps the two lines aligned
    assert cells[3][3] == ""
    assert [row[4] for row in cells[1:]] == ["正式合同", "正式合同", "框架协议", "意向协议"]
    text = "\n".join(lines + [c for row in cells for c in row])
    assert p5.name not in text   # withdrawn
    assert "亿元" not in text and "万元" not in text   # no amounts unless asked

    rows = table.rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    body_font = rows[1].cells[1].paragraphs[0].runs[0]
    assert body_font._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body_font.font.size == Pt(14)


def test_ceremony_list_is_a4_with_page_numbers_and_font_fallbacks(ceremony):
    document = _docx(ceremony["event"])
    section = document.sections[0]

    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert all(round(getattr(section, side).cm, 2) == 2.5   # stored in twips: 2.5 cm is 1417 of them
               for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"))
    footer = section.footer.paragraphs[0]._p
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "".join(t.text for t in footer.iter(qn("w:t"))) == "第 1 页 共 1 页"
    fonts = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts.decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts.decode()


def test_ceremony_list_shows_amounts_only_when_asked(ceremony):
    document = _docx(ceremony["event"], show_amounts=True)
    p1, p2, p3, p4, _ = ceremony["projects"]

    cells = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert cells[0][-1] == "金额"
    assert {row[1]: row[-1] for row in cells[1:]} == {
        p4.name: "1.23万元", p1.name: "149.9999亿元", p2.name: "未公开", p3.name: "89.5亿元"}
