"""The 招商简报 against the year in conftest.py: the sentences say the hand-counted figures as a reader
reads them, every list is exactly what its figure counts, and the files open in python-docx/openpyxl."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from apps.cockpit.briefing import (
    briefing_amount,
    briefing_data,
    briefing_docx,
    briefing_sentences,
    briefing_xlsx,
)
from apps.cockpit.selectors import StatsFilter, summary
from apps.cockpit.tests.conftest import PERIOD, TODAY, YI, intention, move

D = datetime.date
F = StatsFilter(*PERIOD)
EMPTY_YEAR = StatsFilter(D(2023, 1, 1), D(2023, 12, 31))
SHEETS = ["总体情况", "签约项目", "落地项目", "产业集群", "区县", "排名", "以商招商", "逾期诉求", "停滞项目", "活动"]
ROLLUP_NOTE = "注：两江新区的数据含原江北区、原渝北区（2025年11月6日撤销，并入两江新区）。"


def _docx(actor, f=F):
    return Document(io.BytesIO(briefing_docx(actor=actor, f=f, today=TODAY)))


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def _all_text(document) -> str:
    return "\n".join(_paragraphs(document) + [cell for t in _tables(document) for row in t for cell in row])


def _xlsx(actor, f=F):
    return load_workbook(io.BytesIO(briefing_xlsx(actor=actor, f=f, today=TODAY)))


def _rows(sheet) -> list[tuple]:
    """The data rows under the header, up to the 合计 row or the first blank one."""
    rows = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] in (None, "合计"):
            break
        rows.append(row)
    return rows


def _yuan(wan) -> Decimal:
    return (Decimal(str(wan)) * 10_000).quantize(Decimal("0.01"))


def test_amounts_are_rounded_as_the_article_prints_them():
    assert briefing_amount(Decimal("186094000000")) == "1860.9亿元"
    assert briefing_amount(Decimal("23950000000")) == "239.5亿元"
    assert briefing_amount(30 * YI) == "30亿元"
    assert briefing_amount(Decimal("1.25") * YI) == "1.3亿元"
    assert briefing_amount(Decimal("30000000")) == "3000万元"
    assert briefing_amount(Decimal("12345678")) == "1235万元"


def test_the_document_says_the_figures_as_a_reader_reads_them(users, year, clusters):
    document = _docx(users["office"])
    lines = _paragraphs(document)
    assert lines[:2] == ["招商简报", "（2025年1月1日—2025年12月31日）"]
    assert "生成：驻京办 t_office，2026年6月1日" in lines[2] and "统计范围：全部单位" in lines[2]
    assert document.core_properties.title == "招商简报（2025年1月1日—2025年12月31日）"
    headings = ["一、总体情况", "二、签约项目", "三、落地与投产", "四、活动签约", "五、产业集群与区县", "六、需关注事项"]
    assert [line for line in lines if line in headings] == headings
    for sentence in (
        # P1–P3, P5 and P6 (2024); P7 archived.
        "截至2025年12月31日，已签约项目5个，总投资达31亿元。",
        # P1 5亿, P3 3亿, P5 4亿 at events; P2 18亿 on its own; P4 only an 意向协议.
        "2025年1月1日至2025年12月31日，新签约项目4个，总投资30亿元；其中在活动上签约3个、12亿元，"
        "活动以外签约1个、18亿元。",
        "从链上作用看，强链项目1个、固链项目1个、补链项目1个、延链项目1个。",
        "本期注册落地项目1个，总投资5亿元；投产项目1个。",
        "本期到位资金3.7亿元，涉及项目3个，占这些项目签约金额24亿元的15.4%。",
        "本期举办活动2场：2025年11月1日重庆市与京津冀地区产业对接活动签约项目4个，总投资14亿元；"
        "2025年12月5日年末集中签约仪式签约项目1个，总投资4亿元。",
        "另有1个项目在活动上仅签署意向协议，达到签约阶段后计入签约项目。",
        f"从产业集群看，{clusters['B'].name}签约项目2个、22亿元，居首位；从区县看，长寿区签约项目2个、22亿元，居首位。",
        # P2's 用地指标 was due 2026-01-20.
        "截至2026年6月1日，逾期未办结的企业诉求1件，最长已逾期132天。",
        "长期无走访洽谈的停滞项目1个，请承接区县及时跟进。",
    ):
        assert sentence in lines, sentence
    assert lines.count("截至2025年12月31日，已签约项目5个，总投资达31亿元。") == 1

    signed, landed, events, by_cluster, by_unit, ranking, overdue, stalled = _tables(document)
    assert signed[0] == ["序号", "项目名称", "签约企业", "承接区县", "产业集群", "链上作用", "签约日期", "签约金额"]
    assert [row[1] for row in signed[1:]] == ["P2", "P1", "P3", "P5"]
    assert signed[3][3] == "江北区（现两江新区）" and signed[3][6] == "2025年11月1日" and signed[3][7] == "3亿元"
    assert "合计：4个项目，30亿元。" in lines
    assert [row[1:3] for row in landed[1:]] == [["P1", "P1（重庆）有限公司"]]
    assert [row[1] for row in events[1:]] == ["重庆市与京津冀地区产业对接活动", "年末集中签约仪式"]
    assert [row[1:5] for row in by_cluster[1:]] == [[clusters["B"].name, by_cluster[1][2], "2", "22亿元"],
                                                    [clusters["A"].name, by_cluster[2][2], "2", "8亿元"]]
    assert by_unit[3][1] == "两江新区" and by_unit[3][4] == "含原江北区、原渝北区（2025年11月6日撤销，并入两江新区）"
    assert ranking[3][:2] == ["3", "两江新区（含原江北区、原渝北区）"]
    assert overdue[1][1:4] == ["用地指标", "P2", "长寿区"] and overdue[1][6] == "132天"
    assert stalled[1][1] == "P4"


def test_the_document_is_a4_in_chinese_fonts_with_repeating_headers(users, year):
    document = _docx(users["office"])
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    title = document.paragraphs[0].runs[0]
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = next(p for p in document.paragraphs if p.text == "一、总体情况").runs[0]
    assert heading._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = next(p for p in document.paragraphs if p.text.startswith("截至2025年12月31日")).runs[0]
    assert body._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    for table in document.tables:
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
        cell_run = rows[-1].cells[1].paragraphs[0].runs[0]
        assert cell_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    footer = section.footer.paragraphs[0]._p
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]


def test_a_reader_browsing_in_english_still_gets_a_chinese_briefing(users, year):
    with translation.override("en"):
        lines = _paragraphs(_docx(users["office"]))
    assert "从链上作用看，强链项目1个、固链项目1个、补链项目1个、延链项目1个。" in lines


@pytest.mark.parametrize("who, filters", [
    ("office", {}), ("district", {}), ("liangjiang", {}), ("office", {"unit": "两江新区"}),
    ("office", {"cluster": "A"}), ("leader", {"unit": "长寿区", "cluster": "B"}),
])
def test_each_list_is_exactly_what_its_figure_counts(users, units, clusters, year, who, filters):
    f = StatsFilter(*PERIOD, unit_id=units[filters["unit"]].pk if "unit" in filters else None,
                    cluster_id=clusters[filters["cluster"]].pk if "cluster" in filters else None)
    data = briefing_data(actor=users[who], f=f, today=TODAY)
    figures = summary(actor=users[who], f=f, today=TODAY)
    lists = data["lists"]
    for key in ("signed", "landed"):
        rows = lists[key]
        assert len(rows) == figures[key]["count"], key
        assert sum(r["amount"] for r in rows if r["amount"] is not None) == figures[key]["amount"], key
        assert sum(r["amount"] is None for r in rows) == figures[key]["undisclosed"], key
    assert sum(bool(r["events"]) for r in lists["signed"]) == figures["reconciliation"]["signed_at_event"]
    assert len(lists["overdue_requests"]) == figures["overdue_requests"]["count"]
    assert len(lists["stalled"]) == figures["stalled"]["count"]
    assert lists["events"] == figures["events"]


def test_the_lists_name_the_records(users, year):
    lists = briefing_data(actor=users["office"], f=F, today=TODAY)["lists"]
    assert [(r["name"], r["events"]) for r in lists["signed"]] == [
        ("P2", []), ("P1", ["重庆市与京津冀地区产业对接活动"]), ("P3", ["重庆市与京津冀地区产业对接活动"]),
        ("P5", ["重庆市与京津冀地区产业对接活动", "年末集中签约仪式"])]
    assert [r["name"] for r in lists["landed"]] == ["P1"]
    assert [(r["title"], r["project"], r["due_date"], r["days_overdue"]) for r in lists["overdue_requests"]] == [
        ("用地指标", "P2", D(2026, 1, 20), 132)]
    assert [(r["name"], r["raised_on"], r["days"]) for r in lists["stalled"]] == [("P4", D(2026, 5, 1), 31)]


def test_an_empty_period_says_so_in_words(users, year):
    data = briefing_data(actor=users["office"], f=EMPTY_YEAR, today=TODAY)
    sentences = briefing_sentences(data)
    for sentence in ("截至2023年12月31日，暂无已签约项目。", "2023年1月1日至2023年12月31日，暂无新签约项目。",
                     "本期暂无新注册落地和投产项目。", "本期暂无到位资金登记。", "本期暂无活动。",
                     "本期暂无新签约项目，暂无产业集群与区县分布。"):
        assert sentence in sentences, sentence
    assert not [s for s in sentences if re.search(r"(?<![0-9.])0(个|元|件|场)", s)]
    document = _docx(users["office"], EMPTY_YEAR)
    assert "本期暂无新签约项目。" in _paragraphs(document)
    # Only the requests and stalled projects of today remain to tabulate; no empty tables.
    assert [table[0][1] for table in _tables(document)] == ["诉求", "项目名称"]


def _signed_without_amount(office, make_project, unit_name: str):
    """A signed project whose amount was never given. The 签约 gate now demands one, but records
    imported from the districts' old ledgers arrive without it, and summary() counts them."""
    from apps.projects.models import Project

    p8 = intention(make_project(name="P8", unit_name=unit_name, first_contact_date=D(2025, 3, 1)), office,
                   D(2025, 6, 1))
    move(p8, office, "signed", D(2025, 7, 1), signed_date=D(2025, 7, 1), agreement_type="contract",
         signed_amount=YI)
    Project.objects.filter(pk=p8.pk).update(signed_amount=None)
    return p8


def test_an_undisclosed_amount_is_said_and_never_added_as_zero(users, make_project, year):
    office = users["office"]
    _signed_without_amount(office, make_project, "长寿区")
    data = briefing_data(actor=office, f=F, today=TODAY)
    sentences = briefing_sentences(data)
    assert ("2025年1月1日至2025年12月31日，新签约项目5个，总投资30亿元，另有1个项目金额未公开；"
            "其中在活动上签约3个、12亿元，活动以外签约2个、18亿元。") in sentences
    assert "截至2025年12月31日，已签约项目6个，总投资达31亿元，另有1个项目金额未公开。" in sentences
    signed_table = _tables(_docx(office))[0]
    assert next(row for row in signed_table if row[1] == "P8")[7] == "金额未公开"

    sheet = _xlsx(office)["签约项目"]
    p8_row = next(row for row in _rows(sheet) if row[1] == "P8")
    assert p8_row[8] is None and p8_row[9] == "金额未公开"


def test_everything_undisclosed_reads_as_undisclosed(users, units, make_project, year):
    office = users["office"]
    _signed_without_amount(office, make_project, "渝中区")
    sentences = briefing_sentences(briefing_data(actor=office, f=StatsFilter(*PERIOD, unit_id=units["渝中区"].pk),
                                                 today=TODAY))
    assert "2025年1月1日至2025年12月31日，渝中区新签约项目1个，金额均未公开。" in sentences


def test_a_district_briefing_holds_only_its_district(users, units, year):
    document = _docx(users["district"])                        # 九龙坡区: P1, P4, P6
    lines = _paragraphs(document)
    assert lines[0] == "九龙坡区招商简报"
    assert "截至2025年12月31日，九龙坡区已签约项目2个，总投资达6亿元。" in lines
    assert "2025年1月1日至2025年12月31日，九龙坡区新签约项目1个，总投资5亿元，均在活动上签约。" in lines
    assert "截至2026年6月1日，无逾期未办结的企业诉求。" in lines
    text = _all_text(document)
    assert "P1" in text and "P4" in text
    others = [year[p] for p in ("P2", "P3", "P5", "P7")]
    for project in others:
        assert project.name not in text and project.organisation.name not in text
    book = _xlsx(users["district"])
    cells = {str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    assert "P1" in cells and not {p.name for p in others} & cells
    assert not any(p.organisation.name in cell for p in others for cell in cells)
    assert [row[0] for row in _rows(book["区县"])] == ["九龙坡区"]
    with pytest.raises(PermissionDenied):
        briefing_docx(actor=users["district"], f=StatsFilter(*PERIOD, unit_id=units["长寿区"].pk), today=TODAY)


def test_a_liangjiang_briefing_states_the_rollup(users, units, year):
    document = _docx(users["office"], StatsFilter(*PERIOD, unit_id=units["两江新区"].pk))
    lines = _paragraphs(document)
    assert lines[0] == "两江新区招商简报"
    assert "统计范围：两江新区（含原江北区、原渝北区）" in lines[2]
    assert ROLLUP_NOTE in lines
    assert "截至2025年12月31日，两江新区（含原江北区、原渝北区）已签约项目1个，总投资达3亿元。" in lines
    assert "各场活动的签约数为活动全场口径，不按区县、产业集群拆分。" in lines
    assert [row[1:4] for row in _tables(document)[0][1:]] == [["P3", year["P3"].organisation.name,
                                                               "江北区（现两江新区）"]]
    # A 两江新区 user's own briefing says the same without a filter.
    own = _paragraphs(_docx(users["liangjiang"]))
    assert ROLLUP_NOTE in own and "截至2025年12月31日，两江新区（含原江北区、原渝北区）已签约项目1个，总投资达3亿元。" in own


def test_a_cluster_briefing_names_the_cluster(users, clusters, year):
    a = clusters["A"]
    document = _docx(users["office"], StatsFilter(*PERIOD, cluster_id=a.pk))
    lines = _paragraphs(document)
    assert lines[0] == f"{a.name}领域招商简报"
    assert f"截至2025年12月31日，{a.name}领域已签约项目2个，总投资达8亿元。" in lines
    assert "从区县看，九龙坡区签约项目1个、5亿元，居首位。" in lines


def test_the_workbook_has_the_sheets_and_totals_equal_to_the_yuan(users, year):
    book = _xlsx(users["office"])
    data = summary(actor=users["office"], f=F, today=TODAY)
    assert book.sheetnames == SHEETS
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1] if cell.value), sheet.title
        assert sheet.column_dimensions["A"].width > 5 and sheet.column_dimensions["B"].width > 5, sheet.title

    figures = {row[0]: row for row in book["总体情况"].iter_rows(min_row=2, values_only=True) if row[0]}
    signed = figures["本期新签约项目"]
    assert (signed[1], _yuan(signed[2]), signed[3]) == (4, data["signed"]["amount"], "30亿元")
    to_date = figures["截至2025年12月31日已签约项目"]
    assert (to_date[1], _yuan(to_date[2])) == (5, data["signed_to_date"]["amount"])
    assert _yuan(figures["本期到位资金"][2]) == data["funds"]["total"]
    assert figures["资金到位比例（%）"][1] == 15.4
    assert figures["逾期未办结的企业诉求（件）"][1] == 1 and figures["停滞项目（长期无走访洽谈）"][1] == 1

    rows = _rows(book["签约项目"])
    assert len(rows) == data["signed"]["count"]
    assert sum(_yuan(row[8]) for row in rows) == data["signed"]["amount"]
    assert isinstance(rows[0][7], datetime.datetime) and book["签约项目"].cell(2, 8).number_format == 'yyyy"年"m"月"d"日"'
    assert book["签约项目"].cell(2, 9).number_format == "#,##0.00"
    total = next(row for row in book["签约项目"].iter_rows(values_only=True) if row[0] == "合计")
    assert _yuan(total[8]) == data["signed"]["amount"] and total[9] == "合计：4个项目，30亿元"
    for sheet, column in (("产业集群", 3), ("区县", 2), ("排名", 3)):
        assert sum(_yuan(row[column]) for row in _rows(book[sheet])) == data["signed"]["amount"], sheet
    assert sum(_yuan(row[8]) for row in _rows(book["落地项目"])) == data["landed"]["amount"]
    assert [row[1] for row in _rows(book["逾期诉求"])] == ["用地指标"]
    assert [row[1] for row in _rows(book["停滞项目"])] == ["P4"]
    assert [(row[0], _yuan(row[3])) for row in _rows(book["活动"])] == [
        (event["title"], event["amount"]) for event in data["events"]]


def test_a_name_that_looks_like_a_formula_is_neutralised(users, make_project, year):
    office = users["office"]
    name = '=HYPERLINK("http://example.com","点此")'
    project = intention(make_project(name=name, first_contact_date=D(2025, 3, 1)), office, D(2025, 4, 1))
    move(project, office, "signed", D(2025, 5, 1), signed_date=D(2025, 5, 1), agreement_type="contract",
         signed_amount=YI)
    book = _xlsx(office)
    names = [row[1] for row in _rows(book["签约项目"])]
    assert "'" + name in names and name not in names
    assert name in _all_text(_docx(office))     # Word does not evaluate text: printed as written


def _briefing_queries(actor) -> int:
    with CaptureQueriesContext(connection) as ctx:
        briefing_data(actor=actor, f=F, today=TODAY)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_records(users, make_project, year, clusters,
                                                    django_assert_max_num_queries):
    from apps.fulfilment.models import Alert
    from apps.servicedesk.services import request_create

    office = users["office"]
    before = {who: _briefing_queries(users[who]) for who in ("office", "district")}
    for i, unit_name in enumerate(["九龙坡区", "长寿区", "两江新区", "渝中区"] * 3):
        p = make_project(unit_name=unit_name, cluster=clusters["AB"[i % 2]], chain_role="fill",
                         first_contact_date=D(2025, 1, 10))
        intention(p, office, D(2025, 2, 1))
        move(p, office, "signed", D(2025, 3, 1), signed_date=D(2025, 3, 1), agreement_type="contract",
             signed_amount=YI)
        move(p, office, "registered", D(2025, 4, 1), registered_entity=f"{p.name}（重庆）有限公司",
             registered_credit_code="91110000600037341L", registered_date=D(2025, 4, 1))
        request_create(actor=office, project=p, category="land", title=f"诉求{i}", today=D(2026, 1, 5))
        Alert.objects.create(project=p, kind="no_activity", message="长期无走访洽谈", raised_on=D(2026, 5, 1))
    data = briefing_data(actor=office, f=F, today=TODAY)
    assert (len(data["lists"]["signed"]), len(data["lists"]["overdue_requests"]), len(data["lists"]["stalled"])) == (
        16, 13, 13)
    for who, count in before.items():
        with django_assert_max_num_queries(count):
            briefing_data(actor=users[who], f=F, today=TODAY)
    with django_assert_max_num_queries(before["office"]):
        briefing_docx(actor=office, f=F, today=TODAY)
    with django_assert_max_num_queries(before["office"]):
        briefing_xlsx(actor=office, f=F, today=TODAY)


def test_a_long_table_prints_the_largest_and_says_where_the_rest_are(users, year, monkeypatch):
    from apps.cockpit import briefing

    monkeypatch.setattr(briefing, "DOCX_ROWS", 2)
    content = briefing.briefing_docx(actor=users["office"], f=StatsFilter(*PERIOD), today=TODAY)
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "注：共4项，此处列出签约金额最大的前2项，完整清单见同期数据表（Excel）。" in text
    signed_table = next(t for t in document.tables if t.rows[0].cells[1].text == "项目名称"
                        and t.rows[0].cells[2].text == "签约企业")
    assert [row.cells[1].text for row in signed_table.rows[1:]] == ["P2", "P1"]  # 18亿, 5亿
