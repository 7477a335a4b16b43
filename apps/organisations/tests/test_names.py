"""Company-name intelligence: normalisation, the four-part split, 简称 notes and pinyin initials.

The split follows 《企业名称登记管理规定》 第六条: 行政区划 + 字号 + 行业或者经营特点 + 组织形式, with the
orderings the registration agencies allow (字号+行业(地区)+组织形式, no region, no industry) and 分公司
names (the parent's full name + place/identifier + 分公司)."""

import unicodedata

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.organisations.names import (
    NameParts,
    canonical_region,
    initials,
    parse_name,
    search_form,
    short_names_in,
    strip_short_name_note,
)

_S2T = opencc.OpenCC("s2t")

# name, region, 字号, industry, form, branch, parent_name
PARSE_CASES = [
    ('北京信技源信息服务有限公司', '北京市', '信技源', '信息服务', '有限公司', '', ''),
    ('信技源信息服务（北京）有限公司', '北京市', '信技源', '信息服务', '有限公司', '', ''),
    ('信技源信息服务(北京)有限公司', '北京市', '信技源', '信息服务', '有限公司', '', ''),
    ('北京市信技源信息服务有限责任公司', '北京市', '信技源', '信息服务', '有限责任公司', '', ''),
    ('嘉兴天上地下汽车销售有限公司', '嘉兴市', '天上地下', '汽车销售', '有限公司', '', ''),
    ('北京天拓力行科技有限公司', '北京市', '天拓力行', '科技', '有限公司', '', ''),
    ('甘肃企帮宝信息科技有限公司', '甘肃省', '企帮宝', '信息科技', '有限公司', '', ''),
    ('企帮宝信息科技（甘肃）有限公司', '甘肃省', '企帮宝', '信息科技', '有限公司', '', ''),
    ('甘肃企帮宝有限公司', '甘肃省', '企帮宝', '', '有限公司', '', ''),
    ('企帮宝有限公司', '', '企帮宝', '', '有限公司', '', ''),
    ('重庆长安汽车股份有限公司', '重庆市', '长安', '汽车', '股份有限公司', '', ''),
    ('重慶長安汽車股份有限公司', '重庆市', '长安', '汽车', '股份有限公司', '', ''),
    ('重庆长安汽车(集团)有限公司', '重庆市', '长安', '汽车', '(集团)有限公司', '', ''),
    ('重庆长安汽车集团有限公司', '重庆市', '长安', '汽车', '集团有限公司', '', ''),
    ('京东方科技集团股份有限公司', '', '京东方', '科技', '集团股份有限公司', '', ''),
    ('重庆市渝中区明远科技有限公司', '重庆市渝中区', '明远', '科技', '有限公司', '', ''),
    ('重庆渝中明远科技有限公司', '重庆市渝中区', '明远', '科技', '有限公司', '', ''),
    ('重庆渝中区明远科技有限公司', '重庆市渝中区', '明远', '科技', '有限公司', '', ''),
    ('重庆市渝中明远科技有限公司', '重庆市渝中区', '明远', '科技', '有限公司', '', ''),
    ('重庆两江新区宏图智能装备有限公司', '重庆市两江新区', '宏图', '智能装备', '有限公司', '', ''),
    ('重庆市九龙坡区光启半导体有限公司', '重庆市九龙坡区', '光启', '半导体', '有限公司', '', ''),
    ('重庆石柱金岭农业有限公司', '重庆市石柱土家族自治县', '金岭', '农业', '有限公司', '', ''),
    ('广东省深圳市华强电子有限公司', '深圳市', '华强', '电子', '有限公司', '', ''),
    ('深圳市腾讯计算机系统有限公司', '深圳市', '腾讯', '计算机系统', '有限公司', '', ''),
    ('腾讯科技(深圳)有限公司', '深圳市', '腾讯', '科技', '有限公司', '', ''),
    ('北京市海淀区信技源科技有限公司', '北京市海淀区', '信技源', '科技', '有限公司', '', ''),
    ('西门子(中国)有限公司', '中国', '西门子', '', '有限公司', '', ''),
    ('IBM（中国）有限公司', '中国', 'ibm', '', '有限公司', '', ''),
    ('华为技术有限公司', '', '华为', '技术', '有限公司', '', ''),
    ('重庆银行股份有限公司', '', '重庆', '银行', '股份有限公司', '', ''),
    ('中国建设银行股份有限公司', '中国', '建设', '银行', '股份有限公司', '', ''),
    ('北京天上地下汽车销售有限公司宏力祥和分公司', '北京市', '天上地下', '汽车销售', '有限公司', '宏力祥和分公司', '北京天上地下汽车销售有限公司'),
    ('北京天上地下汽车销售有限公司重庆技术开发分公司', '北京市', '天上地下', '汽车销售', '有限公司', '重庆技术开发分公司', '北京天上地下汽车销售有限公司'),
    ('上海未来网络科技有限公司杨浦分公司', '上海市', '未来', '网络科技', '有限公司', '杨浦分公司', '上海未来网络科技有限公司'),
    ('中国建设银行股份有限公司重庆市分行', '中国', '建设', '银行', '股份有限公司', '重庆市分行', '中国建设银行股份有限公司'),
    ('招商银行股份有限公司重庆渝中支行', '', '招商', '银行', '股份有限公司', '重庆渝中支行', '招商银行股份有限公司'),
    ('中国电信重庆分公司', '中国', '电信', '', '', '重庆分公司', '中国电信'),
    ('北京信技源信息服务有限公司（以下简称“信技源”）', '北京市', '信技源', '信息服务', '有限公司', '', ''),
    ('重庆两江德润股权投资基金合伙企业（有限合伙）', '重庆市两江新区', '德润', '股权投资基金', '合伙企业(有限合伙)', '', ''),
    ('清华大学', '', '清华', '', '大学', '', ''),
    ('重庆邮电大学', '重庆市', '邮电', '', '大学', '', ''),
    ('重庆市科学技术研究院', '重庆市', '科学', '技术', '研究院', '', ''),
    ('重庆市软件行业协会', '重庆市', '软件行业', '', '协会', '', ''),
    ('重庆市浙江商会', '重庆市', '浙江', '', '商会', '', ''),
    ('信技源', '', '信技源', '', '', '', ''),
    ('北京信技源', '北京市', '信技源', '', '', '', ''),
    ('重庆大数据科技有限公司', '', '重庆', '大数据科技', '有限公司', '', ''),
    ('ABC Technology Co., Ltd.', '', 'abctechnology', '', 'co.,ltd.', '', ''),
    ('有限公司', '', '有限公司', '', '', '', ''),
    ('中信证券股份有限公司', '', '中信', '证券', '股份有限公司', '', ''),
    ('【北京】信技源', '北京市', '信技源', '', '', '', ''),
    ('内蒙古伊利实业集团股份有限公司', '内蒙古自治区', '伊利', '实业', '集团股份有限公司', '', ''),
    ('广西壮族自治区柳工机械有限公司', '广西壮族自治区', '柳工', '机械', '有限公司', '', ''),
    ('长春藤教育科技有限公司', '', '长春藤', '教育科技', '有限公司', '', ''),
    ('长春常青藤教育科技有限公司', '长春市', '常青藤', '教育科技', '有限公司', '', ''),
    ('重庆市银行股份有限公司', '', '重庆', '银行', '股份有限公司', '', ''),
    ('ABC Technology Limited', '', 'abctechnology', '', 'limited', '', ''),
    ('成都天拓力行医药有限公司重庆分公司', '成都市', '天拓力行', '医药', '有限公司', '重庆分公司', '成都天拓力行医药有限公司'),
]


@pytest.mark.parametrize(
    ("name", "region", "trade_name", "industry", "form", "branch", "parent_name"), PARSE_CASES,
    ids=[case[0] for case in PARSE_CASES],
)
def test_parse_name_splits_every_ordering(name, region, trade_name, industry, form, branch, parent_name):
    assert parse_name(name) == NameParts(
        region=region, trade_name=trade_name, industry=industry, form=form, branch=branch,
        parent_name=parent_name, short_names=parse_name(name).short_names,
    )


def test_parse_name_keeps_the_declared_short_name():
    parts = parse_name("北京信技源信息服务有限公司（以下简称“信技源”）")
    assert parts.short_names == ("信技源",)
    assert (parts.region, parts.trade_name, parts.form) == ("北京市", "信技源", "有限公司")


def test_the_two_orderings_and_the_traditional_form_give_the_same_parts():
    a = parse_name("北京信技源信息服务有限公司")
    assert parse_name("信技源信息服务（北京）有限公司") == a
    assert parse_name("北京市 信技源 信息服務 有限公司") == a
    assert parse_name("信技源信息服务〔北京〕有限公司") == a


def test_a_branch_is_linked_to_its_parent_not_merged_with_it():
    parts = parse_name("北京天上地下汽车销售有限公司宏力祥和分公司")
    assert parts.is_branch
    assert parts.parent_name == "北京天上地下汽车销售有限公司"
    assert parse_name(parts.parent_name).is_branch is False
    assert parts.trade_name == parse_name(parts.parent_name).trade_name


def test_bare_names_have_no_form():
    assert parse_name("信技源").is_bare
    assert parse_name("北京信技源").is_bare
    assert not parse_name("北京信技源有限公司").is_bare


@pytest.mark.parametrize(
    ("text", "expected"),
    [("北京", "北京市"), ("北京市", "北京市"), ("重庆渝中", "重庆市渝中区"), ("九龙坡区", "重庆市九龙坡区"),
     ("两江新区", "重庆市两江新区"), ("广东", "广东省"), ("中国", "中国"), ("", ""), ("火星", "火星")],
)
def test_canonical_region(text, expected):
    assert canonical_region(text) == expected


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_parse_name_never_fails_and_always_finds_a_trade_name(text):
    parts = parse_name(text)
    if search_form(text):
        assert parts.trade_name
    for part in (parts.region, parts.trade_name, parts.industry, parts.form, parts.branch, parts.parent_name):
        assert search_form(part) == part


# ---------------------------------------------------------------------------------------------- search_form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("骅远科技（北京）有限公司", "骅远科技(北京)有限公司"),
        ("ＩＢＭ（中国）有限公司", "ibm(中国)有限公司"),
        ("  北京 信技源\u3000信息服务\t有限公司\n", "北京信技源信息服务有限公司"),
        ("北京信技源信息服務有限公司", "北京信技源信息服务有限公司"),
        ("重慶長安汽車股份有限公司", "重庆长安汽车股份有限公司"),
        ("信技源〔北京〕", "信技源(北京)"),
        ("信技源【北京】", "信技源(北京)"),
        ("信技源［北京］", "信技源(北京)"),
        ("信技源[北京]", "信技源(北京)"),
        ("信技\u200b源\ufeff", "信技源"),
        ("ABC Technology Co., Ltd.", "abctechnologyco.,ltd."),
        ("", ""),
    ],
)
def test_search_form(text, expected):
    assert search_form(text) == expected


def _full_width(text: str) -> str:
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text
    )


_NAME_CHARS = st.sampled_from(list("北京重庆信技源长安汽车科技有限公司分") + list("（）()【】〔〕［］ \t"))
_ASCII_OR_CJK = st.text(
    alphabet=st.one_of(st.characters(min_codepoint=0x20, max_codepoint=0x7E), _NAME_CHARS), max_size=40
)


@given(st.text(max_size=60))
@settings(max_examples=500, deadline=None)
def test_search_form_is_idempotent(text):
    once = search_form(text)
    assert search_form(once) == once


@given(_ASCII_OR_CJK)
@settings(max_examples=300, deadline=None)
def test_full_width_and_half_width_give_the_same_search_form(text):
    assert search_form(_full_width(text)) == search_form(text)
    assert search_form(unicodedata.normalize("NFKC", _full_width(text))) == search_form(text)


@given(_ASCII_OR_CJK, st.lists(st.sampled_from([" ", "\u3000", "\t", "\n", "\u00a0"]), max_size=5), st.randoms())
@settings(max_examples=200, deadline=None)
def test_whitespace_anywhere_is_ignored(text, spaces, rnd):
    chars = list(text)
    for space in spaces:
        chars.insert(rnd.randint(0, len(chars)), space)
    assert search_form("".join(chars)) == search_form(text)


_REGIONS = ["北京", "重庆市", "重庆渝中", "广东省深圳市", "上海", "杭州", ""]
_TRADES = ["信技源", "长安", "华强", "腾讯", "光启", "瑞星", "天上地下", "宏图", "明远", "企帮宝", "华为", "龙头"]
_INDUSTRIES = ["信息服务", "汽车销售", "电子", "网络科技", "医药", "新材料", "物流", "半导体", "", "软件开发"]
_FORMS = ["有限公司", "股份有限公司", "有限责任公司", "（集团）有限公司", "集团股份有限公司"]


@given(st.sampled_from(_REGIONS), st.sampled_from(_TRADES), st.sampled_from(_INDUSTRIES), st.sampled_from(_FORMS))
@settings(max_examples=200, deadline=None)
def test_traditional_characters_give_the_same_search_form_and_parts(region, trade, industry, form):
    name = f"{region}{trade}{industry}{form}"
    traditional = _S2T.convert(name)
    assert search_form(traditional) == search_form(name)
    assert parse_name(traditional) == parse_name(name)
    parts = parse_name(name)
    assert parts.trade_name == trade
    assert parts.industry == industry
    assert parts.form == search_form(form)


@given(st.sampled_from(_TRADES), st.sampled_from(_INDUSTRIES), st.sampled_from(["北京", "重庆", "深圳", "中国"]))
@settings(max_examples=100, deadline=None)
def test_region_in_brackets_before_the_form_is_the_region(trade, industry, region):
    for left, right in ("（）", "()", "〔〕", "【】"):
        parts = parse_name(f"{trade}{industry}{left}{region}{right}有限公司")
        assert parts.trade_name == trade
        assert parts.region == canonical_region(region)
        assert parts.form == "有限公司"


# ---------------------------------------------------------------------------------------------- 简称 notes


@pytest.mark.parametrize(
    ("text", "short", "name"),
    [
        ("北京信技源信息服务有限公司（以下简称“信技源”）", ["信技源"], "北京信技源信息服务有限公司"),
        ("北京信技源信息服务有限公司(以下简称\"信技源\")", ["信技源"], "北京信技源信息服务有限公司"),
        ("北京信技源信息服务有限公司（以下简称：信技源）", ["信技源"], "北京信技源信息服务有限公司"),
        ("北京信技源信息服务有限公司（以下简称信技源）", ["信技源"], "北京信技源信息服务有限公司"),
        ("北京信技源信息服务有限公司(以下简称'信技源')", ["信技源"], "北京信技源信息服务有限公司"),
        ("北京信技源信息服务有限公司 （简称“信技源”）", ["信技源"], "北京信技源信息服务有限公司"),
        ("北京信技源信息服务有限公司（下称“信技源”）", ["信技源"], "北京信技源信息服务有限公司"),
        ("北京信技源信息服务有限公司，以下简称“信技源”", ["信技源"], "北京信技源信息服务有限公司"),
        ("北京信技源信息服务有限公司，以下简称：信技源。", ["信技源"], "北京信技源信息服务有限公司"),
        ("重庆长安汽车股份有限公司（以下简称“长安汽车”或“公司”）", ["长安汽车", "公司"], "重庆长安汽车股份有限公司"),
        ("甲方：北京信技源信息服务有限公司（以下简称“甲方”）", ["甲方"], "甲方：北京信技源信息服务有限公司"),
        ("北京信技源信息服务有限公司", [], "北京信技源信息服务有限公司"),
        ("信技源信息服务（北京）有限公司", [], "信技源信息服务（北京）有限公司"),
        ("", [], ""),
    ],
)
def test_short_name_notes(text, short, name):
    assert short_names_in(text) == short
    assert strip_short_name_note(text) == name


# ---------------------------------------------------------------------------------------------- initials


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("信技源", "xjy"),
        ("北京信技源信息服务有限公司", "bjxjyxxfwyxgs"),
        ("重庆长安汽车股份有限公司", "cqcaqcgfyxgs"),
        ("重慶長安汽車", "cqcaqc"),
        ("重庆市长寿区", "cqscsq"),
        ("IBM（中国）有限公司", "ibmzgyxgs"),
        ("ＡＢＣ１２３", "abc123"),
        ("华为 技术", "hwjs"),
        ("——、。", ""),
        ("", ""),
    ],
)
def test_initials(text, expected):
    assert initials(text) == expected


@given(st.text(alphabet=st.sampled_from(list("北京信技源长安重庆科技有限公司ABCxyz019 （）")), max_size=30))
@settings(max_examples=200, deadline=None)
def test_initials_are_lower_case_letters_and_digits(text):
    result = initials(text)
    assert result == result.lower()
    assert all(ch.isascii() and ch.isalnum() for ch in result)
    assert len(result) == sum(1 for ch in search_form(text) if ch.isalnum())
