"""The news engine on the seed article (the issue's "How it is judged" list), on the traps the region
scan must avoid, and on the input formats."""

import datetime
import io
from pathlib import Path

import docx
import pytest

from apps.intelligence.extract import extract, read_article
from apps.intelligence.extract.projects import cluster_table

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "seed-article-2025-11-02-chongqing-daily.txt"
YI = 100_000_000


@pytest.fixture(scope="module")
def seed():
    title, text, published = read_article(SEED.read_bytes(), filename=SEED.name)
    return extract(text, published=published, title=title)


# --- the seed article ------------------------------------------------------------------------


def test_seed_title_date_and_furniture(seed):
    assert seed.title == "渝见京津冀 一场产业对接吸金239.5亿元"
    assert seed.published == datetime.date(2025, 11, 2)
    assert "扫一扫" not in seed.text and "分享图" not in seed.text
    assert "编辑:罗永皓" not in seed.text
    assert seed.text.startswith("11月1日,重庆市与京津冀地区产业对接活动在北京举办")


def test_seed_pairs(seed):
    pairs = seed.to_json()["pairs"]
    assert [18, 23950000000] in pairs
    assert [193, 186090000000] in pairs


def test_seed_amounts_in_yuan(seed):
    amounts = seed.to_json()["amounts"]
    for value in (23950000000, 500000000, 1800000000, 186090000000):
        assert [value, "CNY"] in amounts


def test_seed_regions(seed):
    regions = seed.to_json()["regions"]
    assert regions[:4] == ["江北区", "九龙坡区", "长寿区", "大渡口区"]
    jiangbei = next(r for r in seed.regions if r.name == "江北区")
    assert (jiangbei.province, jiangbei.code, jiangbei.historical) == ("重庆市", "500105", False)


def test_seed_orgs_and_short_name(seed):
    names = seed.to_json()["orgs"]
    assert "北京信技源信息服务有限公司" in names
    assert "新凯精测(重庆)智造科技有限公司" in names
    xjy = next(o for o in seed.orgs if o.name == "北京信技源信息服务有限公司")
    assert xjy.short_names == ["北京信技源"]


def test_seed_projects(seed):
    projects = {p["name"]: p for p in seed.to_json()["projects"]}
    huayuan = projects["骅远人工智能数据安全中心项目"]
    assert (huayuan["region"], huayuan["amount_yuan"], huayuan["chain_role"]) == ("九龙坡区", 500000000, "固链")
    assert huayuan["cluster"] == "智能网联新能源汽车"
    jiayue = projects["分布式温室气体利用项目"]
    assert (jiayue["region"], jiayue["amount_yuan"], jiayue["chain_role"]) == ("长寿区", 1800000000, "补链")
    assert jiayue["org"] == "北京嘉岳"
    honghai = projects["弘海微创医疗器械全国总部项目"]
    assert (honghai["region"], honghai["chain_role"], honghai["cluster"]) == ("大渡口区", "延链", "生物医药")
    # "这个外资项目", "18个重点项目", "本次签约的18个项目" are not project names
    assert len(projects) == 3


def test_seed_event_and_dates(seed):
    (event,) = [e for e in seed.events if e.kind == "signing"]
    assert event.name == "重庆市与京津冀地区产业对接活动"
    assert event.date == datetime.date(2025, 11, 1)
    assert event.place == "北京"
    assert (event.count, event.value) == (18, 23950000000)
    assert [d.date for d in seed.dates if d.precision == "day"] == [datetime.date(2025, 11, 1)]
    assert seed.to_json()["dates"] == ["2025-11-01"]
    assert seed.to_json()["months"] == ["2025-03"]  # 今年3月


def test_seed_chain_roles_and_clusters(seed):
    data = seed.to_json()
    assert data["chain_roles"] == ["强链", "固链", "补链", "延链"]
    assert {"先进材料", "智能装备及智能制造", "软件信息服务", "生物医药"} <= set(data["clusters"])


def test_every_span_points_into_the_text(seed):
    text = seed.text
    for a in seed.amounts:
        assert text[a.span.start : a.span.end] == a.text
    for r in seed.regions:
        written = text[r.span.start : r.span.end]
        assert r.name.startswith(written)  # 九龙坡 for 九龙坡区
    for o in seed.orgs:
        assert text[o.span.start : o.span.end] == o.name
    for p in seed.projects:
        assert text[p.span.start : p.span.end] == p.name
    for d in seed.dates:
        assert text[d.span.start : d.span.end] == d.text
    for name, span in seed.chain_roles:
        assert text[span.start : span.end] == name
    aliases = cluster_table()[1]  # 软件信息 → 软件信息服务
    for name, span in seed.clusters:
        assert aliases[text[span.start : span.end]] == name


# --- amounts ---------------------------------------------------------------------------------


def _amounts(text, **kw):
    return [(a.value, a.currency, a.qualifier, a.kind) for a in extract(text, **kw).amounts]


def test_units_and_currencies():
    got = _amounts("投资1.5万亿元;投资5000万元;融资3亿美元;投资800万美元;签约18億元;投资额为180000万元;追加投资18亿港元")
    assert got == [
        (1_500_000_000_000, "CNY", "", "value"), (50_000_000, "CNY", "", "value"), (300_000_000, "USD", "", "value"),
        (8_000_000, "USD", "", "value"), (1_800_000_000, "CNY", "", "value"), (1_800_000_000, "CNY", "", "value"),
        (1_800_000_000, "HKD", "", "value"),
    ]


def test_bare_yi_is_yuan_only_when_money_is_meant():
    assert [a[:2] for a in _amounts("项目总投资1.85亿,年接待游客1.85亿人次")] == [(185_000_000, "CNY")]


def test_qualifiers_kept():
    got = _amounts("协议引资近95亿元,总投资约12亿元,投资超100亿元,到位资金50余亿元,投资20多亿元,投资5亿元以上,投资逾30亿元")
    assert [a[2] for a in got] == ["近", "约", "超", "余", "多", "以上", "逾"]


def test_thresholds_told_apart_from_totals():
    got = extract("全年签约项目126个,协议引资1085亿元。其中,10亿元以上项目32个,单体投资50亿元以上的项目5个。").amounts
    kinds = {a.value: a.kind for a in got}
    assert kinds == {108_500_000_000: "total", 1_000_000_000: "threshold", 5_000_000_000: "threshold"}
    assert [(p.count, p.value) for p in extract("其中,10亿元以上项目32个。").pairs] == []


def test_chinese_numerals_and_full_width_digits():
    assert [a[0] for a in _amounts("吸金超两百亿元,项目总投资二十亿元")] == [20_000_000_000, 2_000_000_000]
    assert [a[0] for a in _amounts("总投资１２．５亿元")] == [1_250_000_000]
    assert _amounts("千万不要错过,百万人口") == []


def test_per_region_breakdown_pairs():
    text = "签约项目26个,投资总额60.27亿元。其中,九龙坡区签约项目5个、投资额20亿元;长寿区3个、45亿元。"
    pairs = [(p.count, p.value, p.region) for p in extract(text).pairs]
    assert pairs == [(26, 6_027_000_000, ""), (5, 2_000_000_000, "九龙坡区"), (3, 4_500_000_000, "长寿区")]


def test_pair_with_amount_first():
    pairs = extract("此次签约总投资60亿元的12个项目,涵盖先进材料等领域。").pairs
    assert [(p.count, p.value) for p in pairs] == [(12, 6_000_000_000)]


# --- regions ---------------------------------------------------------------------------------


def _regions(text, published=datetime.date(2025, 10, 1)):
    return [(r.name, r.province, r.city) for r in extract(text, published=published).regions]


@pytest.mark.parametrize(
    "text",
    [
        "新型电池可提升长寿命表现,祝您健康长寿。",
        "在江北岸的江北嘴,可以看到长江南岸。",
        "两江四岸灯光秀吸引游客。",
        "长江北区域的水位上涨。",
        "这根石柱上刻着字,巫山云雨。",
    ],
)
def test_region_traps(text):
    assert _regions(text) == []


def test_short_forms_in_context():
    assert [r[0] for r in _regions("项目落地九龙坡,与长寿达成合作,落地大渡口。")] == ["九龙坡区", "长寿区", "大渡口区"]


def test_same_name_elsewhere_follows_its_city():
    assert _regions("宁波市江北区举行签约仪式") == [("江北区", "浙江省", "宁波市")]
    assert _regions("重庆江北区举行签约仪式") == [("江北区", "重庆市", "")]
    assert _regions("深圳市南山区和北京市海淀区") == [("南山区", "广东省", "深圳市"), ("海淀区", "北京市", "")]


def test_other_provinces_county_level():
    assert [r[0] for r in _regions("枣阳市、宜城市、南漳县和隆林各族自治县")] == ["枣阳市", "宜城市", "南漳县", "隆林各族自治县"]


def test_short_form_of_another_province_only_after_its_full_name():
    assert _regions("将在海淀建设算力中心") == []
    assert [r[0] for r in _regions("北京市海淀区签约项目。将在海淀建设算力中心")] == ["海淀区", "海淀区"]


def test_jiangbei_is_historical_after_the_change():
    (before,) = extract("重庆江北区", published=datetime.date(2025, 11, 5)).regions
    (after,) = extract("重庆江北区", published=datetime.date(2025, 11, 6)).regions
    assert (before.historical, after.historical) == (False, True)
    (liangjiang,) = extract("两江新区", published=datetime.date(2025, 12, 1)).regions
    assert (liangjiang.code, liangjiang.historical) == ("500157", False)


# --- organisations, projects, dates ------------------------------------------------------------


def test_org_names_cut_from_their_sentence():
    text = "璧山区与深圳市汇川技术股份有限公司签约;港资企业宝联国际控股有限公司(以下简称“宝联国际”)将投资;枣阳市湖北天合光能有限公司投产。"
    orgs = extract(text).orgs
    assert [o.name for o in orgs] == ["深圳市汇川技术股份有限公司", "宝联国际控股有限公司", "湖北天合光能有限公司"]
    assert orgs[1].short_names == ["宝联国际"]


def test_projects_generic_phrases_are_not_projects():
    text = "本次签约的18个项目中,10亿元以上项目5个,外资项目3个,智能网联新能源汽车零部件项目5个。这个外资项目是怎么引入的?"
    assert extract(text).projects == []


def test_dates_resolved_against_the_article():
    published = datetime.date(2026, 1, 5)
    dates = [d.date for d in extract("12月28日签约,昨天开工,2025年3月1日立项", published=published).dates]
    assert dates == [datetime.date(2025, 12, 28), datetime.date(2026, 1, 4), datetime.date(2025, 3, 1)]


# --- input formats ---------------------------------------------------------------------------


def test_traditional_and_full_width_text():
    result = extract("重慶市江津區簽約項目１２６個，協議引資１，０８５億元。")
    assert result.text == "重庆市江津区签约项目126个,协议引资1,085亿元。"
    assert [r.name for r in result.regions] == ["江津区"]
    assert [(p.count, p.value) for p in result.pairs] == [(126, 108_500_000_000)]


def test_html_furniture_dropped():
    html = """<html><head><title>标题_某某网</title></head><body>
    <div class="nav">首页 | 新闻</div><h1>萧山区签约20个项目</h1>
    <div class="info">2025-07-22 10:00 来源:浙江日报</div>
    <div class="share">分享到: 微信 微博</div>
    <div class="content"><p>7月21日,萧山区签约项目20个,总投资312亿元。</p><p>责任编辑:周敏</p></div>
    <div class="related"><p>相关推荐</p><p>余杭区签约11个项目,总投资90亿元</p></div></body></html>"""
    title, text, published = read_article(html.encode(), filename="a.html")
    assert title == "萧山区签约20个项目"
    assert published == datetime.date(2025, 7, 22)
    assert text == "7月21日,萧山区签约项目20个,总投资312亿元。"


def test_plain_text_related_block_and_editor_lines_dropped():
    raw = "标题\n2025-07-22 来源:某报\n正文第一段,签约项目2个,总投资3亿元。\n【编辑:张三】\n相关推荐\n别的文章 投资90亿元\n"
    title, text, published = read_article(raw)
    assert (title, text, published) == ("标题", "正文第一段,签约项目2个,总投资3亿元。", datetime.date(2025, 7, 22))


def test_gbk_and_docx_files():
    body = "合川区签约项目9个,协议投资额54.6亿元。"
    _, text, _ = read_article(("标题\n" + body).encode("gbk"), filename="a.txt")
    assert text == body
    document = docx.Document()
    document.add_paragraph("标题")
    document.add_paragraph(body)
    buffer = io.BytesIO()
    document.save(buffer)
    title, text, _ = read_article(buffer.getvalue(), filename="a.docx")
    assert (title, text) == ("标题", body)
