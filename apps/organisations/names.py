"""Company names: normalise, split into 行政区划 + 字号 + 行业/经营特点 + 组织形式, compare.

Pure functions, no database. search.py, bulk.py, match and the services build on them.

The split follows 《企业名称登记管理规定》 第六条 and the orderings the registration agencies list
(see the company-name-structure reference): 组织形式 is the anchor, stripped longest-first from the
end; an optional 行政区划 leads the name or stands in brackets before the form
(信技源信息服务(北京)有限公司); industry words are then stripped from the end as long as at least two
characters of 字号 remain. A 分公司 name is the parent's full name + place/identifier + 分公司.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

# Brackets NFKC leaves alone (or maps to ASCII square brackets), made round; invisible characters dropped.
_TRANSLATE = str.maketrans(
    {
        "〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〖": "(", "〗": ")",
        "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    }
)


def search_form(text: str) -> str:
    """The form every index key and comparison uses: NFKC (full-width → half-width, （） → ()),
    〔〕【】［］ → (), no whitespace, lower-case Latin, traditional → simplified Chinese."""
    if not text:
        return ""
    text = "".join(unicodedata.normalize("NFKC", text).split()).translate(_TRANSLATE).lower()
    if text.isascii():
        return text
    # joining across removed spaces or lower-casing can leave a string NFKC would change again
    # ("A ́" → "á"); repeat until stable so that search_form is idempotent
    for _ in range(3):
        if unicodedata.is_normalized("NFKC", text):
            break
        text = "".join(unicodedata.normalize("NFKC", text).split()).translate(_TRANSLATE).lower()
    return _T2S.convert(text)


# --------------------------------------------------------------------------------------------
# 行政区划


_PROVINCES = {
    "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市",
    "河北": "河北省", "山西": "山西省", "辽宁": "辽宁省", "吉林": "吉林省", "黑龙江": "黑龙江省",
    "江苏": "江苏省", "浙江": "浙江省", "安徽": "安徽省", "福建": "福建省", "江西": "江西省",
    "山东": "山东省", "河南": "河南省", "湖北": "湖北省", "湖南": "湖南省", "广东": "广东省",
    "海南": "海南省", "四川": "四川省", "贵州": "贵州省", "云南": "云南省", "陕西": "陕西省",
    "甘肃": "甘肃省", "青海": "青海省", "台湾": "台湾省",
    "内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区",
    "香港": "香港特别行政区", "澳门": "澳门特别行政区",
}
_PROVINCE_LONG = {
    "广西壮族自治区": "广西壮族自治区", "宁夏回族自治区": "宁夏回族自治区",
    "新疆维吾尔自治区": "新疆维吾尔自治区", "内蒙古自治区": "内蒙古自治区", "西藏自治区": "西藏自治区",
    "广西自治区": "广西壮族自治区", "宁夏自治区": "宁夏回族自治区", "新疆自治区": "新疆维吾尔自治区",
    "香港特别行政区": "香港特别行政区", "澳门特别行政区": "澳门特别行政区",
}

# 地级市 (and a few well-known 县级市 / 新区), by province.
_CITIES = """
石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 雄安
太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁
呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布
沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛
长春 吉林 四平 辽源 通化 白山 松原 白城
哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化
南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 昆山 江阴 张家港 常熟
杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌 慈溪 余姚
合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城
福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 晋江 石狮
南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶
济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽
郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源
武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州
长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底
广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮
南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左
海口 三亚 三沙 儋州
成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳
贵阳 六盘水 遵义 安顺 毕节 铜仁
昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧
拉萨 日喀则 昌都 林芝 山南 那曲
西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛
兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南
西宁 海东
银川 石嘴山 吴忠 固原 中卫
乌鲁木齐 克拉玛依 吐鲁番 哈密
""".split()

# 重庆市's county-level divisions (reference/chongqing-divisions.json, incl. 两江新区 from 2025-11).
_CQ_DIVISIONS = """
万州区 涪陵区 渝中区 大渡口区 江北区 沙坪坝区 九龙坡区 南岸区 北碚区 綦江区 大足区 渝北区 巴南区
黔江区 长寿区 江津区 合川区 永川区 南川区 璧山区 铜梁区 潼南区 荣昌区 开州区 梁平区 武隆区 两江新区
城口县 丰都县 垫江县 忠县 云阳县 奉节县 巫山县 巫溪县
石柱土家族自治县 秀山土家族苗族自治县 酉阳土家族苗族自治县 彭水苗族土家族自治县
""".split()


def _cq_short(full: str) -> str:
    for suffix in ("土家族苗族自治县", "苗族土家族自治县", "土家族自治县", "新区", "区", "县"):
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return full


def _build_regions() -> tuple[dict[str, str], dict[str, str]]:
    """literal → canonical, for the leading 行政区划 of a name; and the bare district table used only
    to canonicalise a separately given region (region_a / region_b in compare)."""
    table: dict[str, str] = {}
    for short, full in _PROVINCES.items():
        table[short] = full
        table[full] = full
    table.update(_PROVINCE_LONG)
    for city in _CITIES:
        table.setdefault(city, city + "市")
        table[city + "市"] = city + "市"
    table["吉林"] = "吉林省"
    bare: dict[str, str] = {}
    for full in _CQ_DIVISIONS:
        short = _cq_short(full)
        canonical = "重庆市" + full
        for prefix in ("重庆市", "重庆"):
            table[prefix + full] = canonical
            table[prefix + short] = canonical
        bare[full] = canonical
        bare[short] = canonical
        bare[canonical] = canonical
    return table, bare


_REGIONS, _BARE_DISTRICTS = _build_regions()
_REGION_MAXLEN = max(map(len, _REGIONS))
# After an explicit "X市", a 市辖区 / 县 of 2–4 characters may follow (北京市海淀区, 深圳市南山区).
_DISTRICT_AFTER_CITY = re.compile(r"(.{1,3}?(?:新区|区|县))")


def _leading_region(text: str) -> tuple[str, int]:
    """The canonical 行政区划 at the start of text and how many characters it takes (0 if none)."""
    for n in range(min(len(text), _REGION_MAXLEN), 1, -1):
        canonical = _REGIONS.get(text[:n])
        if canonical is not None:
            break
    else:
        return "", 0
    end = n
    # a province followed by one of its cities: keep the more specific one (广东省深圳市 → 深圳市)
    if canonical.endswith(("省", "自治区")):
        for m in range(min(len(text) - end, _REGION_MAXLEN), 1, -1):
            city = _REGIONS.get(text[end : end + m])
            if city is not None and city.endswith("市") and city not in _PROVINCES.values():
                canonical, end = city, end + m
                break
    if text[end - 1 : end] == "市" and canonical.endswith("市"):
        match = _DISTRICT_AFTER_CITY.match(text, end)
        if match and len(text) - match.end() >= 2:
            canonical, end = canonical + match.group(1), match.end()
    return canonical, end


def canonical_region(text: str) -> str:
    """A region as written (北京, 北京市, 重庆渝中, 九龙坡区) in the form parse_name returns it."""
    text = search_form(text)
    if not text:
        return ""
    if text in _BARE_DISTRICTS:
        return _BARE_DISTRICTS[text]
    if text in ("中国", "中华人民共和国"):
        return "中国"
    canonical, end = _leading_region(text)
    if end == len(text):
        return canonical
    return text


# --------------------------------------------------------------------------------------------
# 组织形式, branches, industry words

_COMPANY_FORMS = [
    "co.,ltd.", "co.,ltd", "co.ltd.", "co.ltd", "company,limited", "companylimited", "limited", "ltd.", "ltd",
    "corporation", "corp.", "inc.", "inc", "gmbh", "llc", "plc",
    "集团股份有限公司", "(集团)股份有限公司", "股份有限公司", "(集团)有限责任公司", "集团有限责任公司",
    "有限责任公司", "(集团)有限公司", "集团有限公司", "有限公司", "股份公司", "集团公司", "总公司",
]
_OTHER_FORMS = [
    "合伙企业(特殊普通合伙)", "合伙企业(有限合伙)", "合伙企业(普通合伙)", "(特殊普通合伙)", "(有限合伙)",
    "(普通合伙)", "合伙企业", "个人独资企业", "股份经济合作社", "专业合作社", "合作社",
    "律师事务所", "会计师事务所", "事务所", "职业技术学院", "职业学院", "研究院", "研究所", "研究中心",
    "设计院", "大学", "学院", "学校", "中学", "小学", "幼儿园", "医院", "卫生院", "管理委员会", "委员会",
    "管委会", "研究会", "促进会", "联合会", "基金会", "协会", "商会", "学会", "工作室", "经营部", "门市部",
    "商行", "中心", "集团", "公司", "厂",
]
_FORMS = sorted(_COMPANY_FORMS + _OTHER_FORMS, key=len, reverse=True)
_FORM_TUPLE = tuple(_FORMS)
_FORM_SET = set(_FORMS)
_FORM_LENGTHS = sorted({len(f) for f in _FORMS}, reverse=True)
_COMPANY_FORM_SET = set(_COMPANY_FORMS) | {"公司", "集团"}

# Kinds of form for comparison: two company forms are interchangeable, a company and a 大学 are not.
_FORM_KIND = {f: "company" for f in _COMPANY_FORM_SET}
_FORM_KIND.update({f: "partnership" for f in _OTHER_FORMS if "合伙" in f})

_BRANCH_SUFFIXES = (
    "分公司", "分行", "支行", "营业部", "办事处", "代表处", "分店", "分厂", "分部", "分所", "分院",
    "分校", "分中心", "分理处", "分社",
)
# Where a parent's name can end inside a branch name (last match wins).
_PARENT_END = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|股份公司|集团公司|(?<!分)公司|集团|银行|大学|研究院|研究所|医院|学院)"
)

_INDUSTRIES = set(
    """
信息技术 信息服务 信息科技 信息产业 电子信息 信息 科技 技术 技术服务 科技服务 科技发展 网络科技 网络技术 网络
软件 软件技术 软件开发 电子 电子科技 电子技术 微电子 光电 光电子 智能 智能科技 智能装备 智能制造 智造 人工智能
机器人 自动化 新能源 能源 新能源汽车 汽车 汽车销售 汽车服务 汽车科技 汽车零部件 汽车部件 零部件 配件 摩托车
车辆 销售 医药 药业 制药 医疗 医疗器械 器械 医学 生物 生物科技 生物技术 生物医药 健康 健康管理 材料 新材料
装备 制造 贸易 商贸 国际贸易 进出口 工贸 投资 投资管理 投资发展 股权投资 股权 基金 资产管理 资本 咨询
管理 企业管理 管理咨询 建设 建设开发 开发建设 城市建设 城市发展 城建 工程 建筑 建筑工程 建材 文化 传媒
文化传媒 文化传播 传播 文化创意 创意 影视 出版 广告 设计 营销 物流 供应链 运输 交通 轨道交通 航空 船舶
半导体 集成电路 芯片 传感 数据 大数据 数字 数字科技 云计算 互联网 物联网 区块链 计算机 系统 系统集成 集成
通信 通讯 通信技术 服务 发展 实业 实业发展 控股 产业 产业发展 机械 设备 电气 电器 机电 精密 模具 五金 光学
照明 显示 新型显示 储能 电池 动力 光伏 风电 氢能 锂电 食品 农业 农产品 食品加工 粮油 饮料 酒业 茶业
化工 化学 塑料 橡胶 纺织 服饰 服装 印刷 包装 环保 环境 环境科技 生态 节能 园林 绿化 市政 路桥 水利 勘察
测绘 规划 监理 造价 房地产 房地产开发 置业 地产 开发 物业 物业管理 金融 保险 证券 银行 商业银行 商业 信托
租赁 融资租赁 担保 小额贷款 教育 教育科技 培训 旅游 酒店 餐饮 电力 水务 燃气 热力 钢铁 冶金 矿业 石油
石化 终端 金属 有色金属 合金 铝业 检测 认证 检验检测 人力资源 劳务 安全 消防 安防 创新 孵化 科创 智慧 网联
电子商务 电商 商务 研究 研发 工业 仪器 仪表 家居 养老 家政 体育 会展 黄金 珠宝 日化 化妆品 机器 国际
""".split()
)
_INDUSTRY_MAXLEN = max(map(len, _INDUSTRIES))


@dataclass(frozen=True)
class NameParts:
    region: str = ""            # canonical 行政区划: 北京市, 重庆市渝中区, 广东省, 中国
    trade_name: str = ""        # 字号, never empty for a non-empty name
    industry: str = ""          # 行业或经营特点, e.g. 信息服务
    form: str = ""              # 组织形式, e.g. 有限公司, (集团)有限公司, 大学; empty for a bare name
    branch: str = ""            # the part after the parent's name in a 分公司 name, e.g. "重庆分公司"
    parent_name: str = ""       # the full parent company name for a branch
    short_names: tuple[str, ...] = ()   # 简称 given in a "(以下简称…)" note, if the name carried one

    @property
    def is_branch(self) -> bool:
        return bool(self.branch)

    @property
    def is_bare(self) -> bool:
        """No 组织形式: a 简称 or 字号 typed on its own (信技源, 北京信技源)."""
        return not self.form


def _split_branch(text: str) -> tuple[str, str] | None:
    """(parent, branch) if text is a branch name, else None."""
    if not text.endswith(_BRANCH_SUFFIXES):
        return None
    suffix = next(s for s in _BRANCH_SUFFIXES if text.endswith(s))
    head_end = len(text) - len(suffix)
    end = 0
    for match in _PARENT_END.finditer(text, 0, head_end):
        if match.start() >= 2:
            end = match.end()
    if end:
        return text[:end], text[end:]
    # no 组织形式 in the parent (中国电信重庆分公司): split before the last place name
    for i in range(head_end - 2, 1, -1):
        for n in range(min(head_end - i, _REGION_MAXLEN), 1, -1):
            if text[i : i + n] in _REGIONS:
                return text[:i], text[i:]
    if head_end >= 2:
        return text[:head_end], suffix
    return None


def _parse_plain(text: str) -> NameParts:
    if text in _FORM_SET:
        return NameParts(trade_name=text[:50])
    form = ""
    body = text
    if text.endswith(_FORM_TUPLE):
        # The longest form that leaves two characters: a slice and a set lookup per length, not an
        # endswith per form (the matcher parses up to a hundred names a query).
        for n in _FORM_LENGTHS:
            if len(text) - n >= 2 and text[-n:] in _FORM_SET:
                form, body = text[-n:], text[:-n]
                break
    region = ""
    # 字号+行业(地区)+组织形式, or a (中国)/(集团) just before the form
    while body.endswith(")") and "(" in body:
        start = body.rindex("(")
        inner = body[start + 1 : -1]
        if start < 2:
            break
        if inner == "集团" and form:
            form, body = "(集团)" + form, body[:start]
            continue
        if inner in ("中国", "中华人民共和国"):
            region, body = region or "中国", body[:start]
            continue
        canonical, end = _leading_region(inner)
        if canonical and end == len(inner):
            region, body = region or canonical, body[:start]
            continue
        break
    if form in ("有限公司", "股份有限公司", "有限责任公司") and body.endswith("集团") and len(body) >= 4:
        form, body = "集团" + form, body[:-2]
    if not region and body.startswith("(") and ")" in body:
        # 【北京】信技源
        inner = body[1 : body.index(")")]
        canonical, end = _leading_region(inner)
        if canonical and end == len(inner) and len(body) - len(inner) - 2 >= 2:
            region, body = canonical, body[len(inner) + 2 :]
    if not region:
        canonical, end = _leading_region(body)
        # a place name followed only by industry words, or by one character and industry words, is part
        # of the 字号 itself (重庆银行, 北京大学, 长春藤教育科技)
        if end and len(body) - end >= 2 and _core_len(body[end:]) >= 2:
            region, body = canonical, body[end:]
        elif not end and body.startswith("中国") and len(body) >= 4:
            region, body = "中国", body[2:]
        elif end and body[end - 1] in "市省" and body[: end - 1] in _REGIONS:
            # the place is the 字号 (重庆市银行 → 重庆, as in 重庆银行)
            body = body[: end - 1] + body[end:]
    trade, industry = _strip_industries(body)
    return NameParts(region=region, trade_name=trade[:50], industry=industry[:50], form=form[:30])


def _core_len(text: str) -> int:
    """Length of what is left of text once every industry word is stripped from its end."""
    while text:
        for n in range(min(_INDUSTRY_MAXLEN, len(text)), 1, -1):
            if text[-n:] in _INDUSTRIES:
                text = text[:-n]
                break
        else:
            break
    return len(text)


def _strip_industries(body: str) -> tuple[str, str]:
    """(字号, 行业) — industry words stripped from the end while ≥ 2 characters of 字号 remain."""
    industry = ""
    while True:
        for n in range(min(_INDUSTRY_MAXLEN, len(body) - 2), 1, -1):
            if body[-n:] in _INDUSTRIES:
                industry = body[-n:] + industry
                body = body[:-n]
                break
        else:
            return body, industry


_MAX_PARSE = 300


@lru_cache(maxsize=4096)
def parse_name(name: str) -> NameParts:
    """Split a name into its parts (all in search form). Never raises; trade_name is never empty for
    a name that has any character left after normalising."""
    return _parse_name(name)[0]


def _parse_name(name: str) -> tuple[NameParts, str]:
    """parse_name's parts, and the search form of the name it started from (before a 简称 note is
    cut off), which compare() needs too: normalised once instead of twice per candidate."""
    whole = text = search_form(name if len(name or "") <= 4 * _MAX_PARSE else name[: 4 * _MAX_PARSE])
    shorts: tuple[str, ...] = ()
    if "简称" in text or "下称" in text:
        shorts = tuple(search_form(s) for s in short_names_in(text))
        text = search_form(strip_short_name_note(text))
    if not text:
        return NameParts(), whole
    text = text[:_MAX_PARSE]  # a 10-MB cell is not a name; keep the work bounded
    split = _split_branch(text)
    if split:
        parent, branch = split
        parts = _parse_plain(parent)
        return NameParts(
            region=parts.region, trade_name=parts.trade_name, industry=parts.industry, form=parts.form,
            branch=branch[:50], parent_name=parent, short_names=shorts,
        ), whole
    parts = _parse_plain(text)
    if not parts.trade_name:
        parts = NameParts(trade_name=text[:50])
    if shorts:
        parts = NameParts(**{**parts.__dict__, "short_names": shorts})
    return parts, whole


# --------------------------------------------------------------------------------------------
# 简称 notes: (以下简称“信技源”), （以下简称：信技源）, 以下简称'X'

_QUOTED = re.compile(r"[“\"'‘「『]([^”\"'’」』“‘「『]+)[”\"'’」』]")
_NOTE_BRACKETED = re.compile(
    r"\s*[(（\[［【]\s*(?:以下|下文|下)?(?:简称|简称为|称|称为)\s*[:：]?\s*([^()（）\[\]［］【】]*?)\s*[)）\]］】]"
)
_NOTE_TRAILING = re.compile(r"\s*[,，;；]?\s*(?:以下|下文)(?:简称|简称为|称|称为)\s*[:：]?\s*(.+?)\s*[。.]?\s*$")
_NOTE_TRAILING_SHORT = re.compile(r"\s*[,，;；]\s*(?:简称|下称)\s*[:：]?\s*(.+?)\s*[。.]?\s*$")


def _note_names(inner: str) -> list[str]:
    quoted = [q.strip() for q in _QUOTED.findall(inner) if q.strip()]
    if quoted:
        return quoted
    inner = inner.strip(" \"'“”‘’「」『』:：,，。")
    return [inner] if inner else []


def short_names_in(text: str) -> list[str]:
    """The 简称 a text declares: "北京信技源信息服务有限公司（以下简称“信技源”）" → ["信技源"]."""
    if not text:
        return []
    names: list[str] = []
    for match in _NOTE_BRACKETED.finditer(text):
        names.extend(_note_names(match.group(1)))
    if not names:
        for pattern in (_NOTE_TRAILING, _NOTE_TRAILING_SHORT):
            match = pattern.search(text)
            if match:
                names.extend(_note_names(match.group(1)))
                break
    seen: list[str] = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return seen


def strip_short_name_note(text: str) -> str:
    """The name without its "(以下简称…)" note, trimmed."""
    if not text:
        return ""
    stripped = _NOTE_BRACKETED.sub("", text)
    if stripped == text:
        stripped = _NOTE_TRAILING.sub("", text)
        if stripped == text:
            stripped = _NOTE_TRAILING_SHORT.sub("", text)
    return stripped.strip()


# --------------------------------------------------------------------------------------------
# pinyin initials

_PHRASE_DEPENDENT = "重长行乐朝单藏曾传调都还降解觉率差参省会区期员秘沈"
_FIRST_LETTER: dict[int, str] | None = None  # codepoint -> initial, "" when readings disagree


def _first_letters() -> dict[int, str]:
    """One initial per character from pypinyin's single-character table. Characters whose readings
    start differently (重 zhòng/chóng, 长 cháng/zhǎng) map to "" and send their chunk through
    pypinyin's phrase-aware conversion; the rest cost a dict lookup instead of ~5 µs a character,
    which matters when a million names are indexed."""
    global _FIRST_LETTER
    if _FIRST_LETTER is None:
        from pypinyin.pinyin_dict import pinyin_dict

        table = {}
        for codepoint, readings in pinyin_dict.items():
            first = readings.split(",")[0].strip()
            table[codepoint] = unicodedata.normalize("NFD", first)[:1].lower()
        # pypinyin lists the usual reading first; only where a 字号 commonly uses another one does the
        # phrase-aware conversion decide (重庆 cq, 长安 ca, 银行 yh).
        for ch in _PHRASE_DEPENDENT:
            table[ord(ch)] = ""
        _FIRST_LETTER = table
    return _FIRST_LETTER


@lru_cache(maxsize=65536)
def _phrase_initials(chunk: str) -> str:
    from pypinyin import Style, lazy_pinyin

    pieces = lazy_pinyin(chunk, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for piece in pieces for ch in piece.lower() if ch.isascii() and ch.isalnum())


def _chunk_initials(chunk: str) -> str:
    if chunk.isascii():
        return "".join(ch for ch in chunk if ch.isalnum())
    table = _first_letters()
    out = []
    for ch in chunk:
        if ch.isascii():
            if ch.isalnum():
                out.append(ch)
            continue
        letter = table.get(ord(ch))
        if letter == "":
            return _phrase_initials(chunk)
        if letter:
            out.append(letter)
    return "".join(out)


def _chunks(text: str) -> list[str]:
    """Split a name where pypinyin's phrase segmentation would split it anyway (region, 字号, industry,
    form), so the frequent chunks hit the cache: pypinyin costs ~5 µs a character."""
    if len(text) <= 4:
        return [text]
    tail: list[str] = []
    split = _split_branch(text)
    if split:
        text, branch = split
        tail.append(branch)
    for form in _FORMS:
        if text.endswith(form) and len(text) > len(form):
            text = text[: -len(form)]
            tail.insert(0, form)
            break
    head: list[str] = []
    _canonical, end = _leading_region(text)
    if end:
        # 重庆市|长寿区: keep pypinyin from reading 市长 as one word
        head.extend(piece for piece in re.split(r"(?<=[省市])", text[:end]) if piece)
        text = text[end:]
    if not text:
        return head + tail
    trade, industry = _strip_industries(text)
    return head + [trade] + ([industry] if industry else []) + tail


def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters in text ("信技源" → "xjy", 重庆 → "cq"); Latin letters
    and digits are kept, lower-case; everything else is dropped."""
    text = search_form(text)
    if not text:
        return ""
    return "".join(_chunk_initials(chunk) for chunk in _chunks(text))


# --------------------------------------------------------------------------------------------
# compare


@dataclass(frozen=True)
class Comparison:
    score: float        # 0..1; same ≥ 0.9 > likely ≥ 0.6 > different
    verdict: str        # "same" | "likely" | "different"
    reason: str         # Chinese, shown to the user


def _distance(a: str, b: str) -> int:
    """Levenshtein distance. Plain Python, but a match compares its query with dozens of candidates:
    a common prefix and suffix, which never change the distance, are cut off first (字号 found
    through a shared fragment share it), and the inner loop does without min()."""
    if a == b:
        return 0
    start, end_a, end_b = 0, len(a), len(b)
    while start < end_a and start < end_b and a[start] == b[start]:
        start += 1
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        left, diagonal = i, i - 1
        for up, cb in zip(previous[1:], b, strict=True):
            cost = diagonal if ca == cb else diagonal + 1
            if up + 1 < cost:
                cost = up + 1
            if left + 1 < cost:
                cost = left + 1
            current.append(cost)
            left, diagonal = cost, up
        previous = current
    return previous[-1]


def _similarity(a: str, b: str, distance: int | None = None) -> float:
    if not a or not b:
        return 0.0
    return 1.0 - (_distance(a, b) if distance is None else distance) / max(len(a), len(b))


def _normal_code(code: str | None) -> str:
    if not code:
        return ""
    from apps.core.codes import normalise_code

    return normalise_code(code)


@lru_cache(maxsize=1024)
def _compared(name: str) -> tuple[NameParts, str]:
    """What compare() reads of a name: its parts and its search form without a 简称 note. Cached: the
    matcher compares one query with up to a hundred candidates and their aliases."""
    parts, whole = _parse_name(name)
    if parts.short_names:
        return parts, search_form(strip_short_name_note(name))
    return parts, whole if len(name or "") <= 4 * _MAX_PARSE else search_form(name)


def _same_parent(pa: NameParts, pb: NameParts) -> bool:
    a, b = pa.parent_name, pb.parent_name
    if a == b:
        return True
    qa, qb = _parse_plain(a), _parse_plain(b)
    return qa.trade_name == qb.trade_name and qa.region == qb.region and qa.industry == qb.industry


def _is_parent_of(parent_text: str, parent: NameParts, branch: NameParts) -> bool:
    if parent.is_branch or parent.is_bare:
        return False
    if branch.parent_name == parent_text:
        return True
    return (
        branch.trade_name == parent.trade_name
        and branch.region == parent.region
        and branch.industry == parent.industry
        and _FORM_KIND.get(branch.form, branch.form) == _FORM_KIND.get(parent.form, parent.form)
    )


def _branch_key(branch: str) -> str:
    """重庆市分公司 and 重庆分公司 are the same branch."""
    canonical, end = _leading_region(branch)
    return (canonical + branch[end:]) if end else branch


def _different(ta: str, tb: str, sa: str, sb: str, reason: str, distance: int | None = None) -> Comparison:
    sim = max(_similarity(ta, tb, distance), 0.0)
    set_a, set_b = set(sa), set(sb)
    overlap = len(set_a & set_b) / len(set_a | set_b)
    score = 0.05 + 0.35 * sim + 0.15 * overlap
    return Comparison(round(min(score, 0.55), 3), "different", reason)


def compare(
    a: str,
    b: str,
    *,
    code_a: str | None = None,
    code_b: str | None = None,
    region_a: str = "",
    region_b: str = "",
) -> Comparison:
    """Do names a and b (with their credit codes and regions, when known) denote the same organisation?

    same: the same legal entity (equal credit code, or the same name up to normalisation or 组织形式);
    likely: worth a person's look (same 字号 elsewhere, a 简称, a branch and its parent);
    different: otherwise. score orders candidates: same > likely > different, higher = closer."""
    ca = _normal_code(code_a)
    cb = _normal_code(code_b) if ca else ""  # read only beside code_a
    if ca and cb and ca == cb:
        return Comparison(1.0, "same", "统一社会信用代码相同")
    (pa, sa), (pb, sb) = _compared(a), _compared(b)
    if not sa or not sb:
        return Comparison(0.0, "different", "名称为空")
    codes_differ = bool(ca and cb)

    # a branch and its parent
    for px, y, py in ((pa, sb, pb), (pb, sa, pa)):
        if px.is_branch and _is_parent_of(y, py, px):
            reason = "分公司与总公司" + ("（各有统一社会信用代码）" if codes_differ else "")
            return Comparison(0.84, "likely", reason)

    if sa == sb:
        if codes_differ:
            return Comparison(0.7, "likely", "名称相同但统一社会信用代码不同，请核对代码")
        return Comparison(1.0, "same", "名称相同")

    if pa.is_branch and pb.is_branch:
        if _same_parent(pa, pb):
            if _branch_key(pa.branch) == _branch_key(pb.branch) and not codes_differ:
                return Comparison(0.93, "same", "同一公司的同一分支机构，写法不同")
            return _different(pa.branch, pb.branch, sa, sb, "同一公司的不同分支机构")
        # else fall through and compare the parents' 字号

    if codes_differ:
        return _different(pa.trade_name, pb.trade_name, sa, sb, "统一社会信用代码不同")

    region_x = pa.region or canonical_region(region_a)
    region_y = pb.region or canonical_region(region_b)
    ta, tb = pa.trade_name, pb.trade_name

    if ta == tb:
        one_branch = pa.is_branch != pb.is_branch
        if pa.is_bare or pb.is_bare:
            bare, full = (pa, pb) if pa.is_bare else (pb, pa)
            if pa.is_bare and pb.is_bare:
                if region_x == region_y:
                    return Comparison(0.88, "likely", "字号相同，未写组织形式")
                return Comparison(0.8, "likely", "字号相同，地区不同或未写地区")
            if bare.region and bare.region != full.region:
                return Comparison(0.7, "likely", "简称与对方字号相同，但地区不同")
            if bare.industry and bare.industry != full.industry:
                return Comparison(0.76, "likely", "简称与对方字号相同，但行业不同")
            if bare.region:
                return Comparison(0.89, "likely", "地区、字号与对方相同，未写组织形式")
            return Comparison(0.86, "likely", "简称与对方字号相同")
        if one_branch:
            return Comparison(0.66, "likely", "字号相同，一方为分支机构")
        if region_x != region_y:
            if region_x and region_y:
                return Comparison(0.72, "likely", "字号相同，地区不同")
            return Comparison(0.75, "likely", "字号相同，一方名称未写地区")
        if pa.industry != pb.industry:
            return Comparison(0.8, "likely", "字号、地区相同，行业不同")
        if pa.form == pb.form:
            # identical parts but different text (e.g. 北京 vs 北京市): same name
            return Comparison(0.97, "same", "名称相同（行政区划写法不同）")
        kind_a, kind_b = _FORM_KIND.get(pa.form, pa.form), _FORM_KIND.get(pb.form, pb.form)
        if kind_a != kind_b:
            return Comparison(0.78, "likely", "字号、地区相同，组织形式类别不同")
        if ("集团" in pa.form) != ("集团" in pb.form):
            return Comparison(0.82, "likely", "字号、地区相同，一方为集团公司")
        return Comparison(0.95, "same", "字号、地区相同，组织形式不同")

    # a 简称 that is the other's region + 字号 run together, or a name missing its form
    for stem, bare, full_text, full in ((sa, pa, sb, pb), (sb, pb, sa, pa)):
        if bare.is_bare and not full.is_bare and not full.is_branch:
            if full_text.endswith(full.form) and full_text[: -len(full.form)] == stem:
                return Comparison(0.89, "likely", "名称相同，未写组织形式")
            if stem in full.short_names:
                return Comparison(0.87, "likely", "与对方声明的简称相同")

    if pa.is_branch or pb.is_branch:
        return _different(ta, tb, sa, sb, "字号不同")
    distance = _distance(ta, tb)
    if distance == 1 and min(len(ta), len(tb)) >= 2:
        return _different(ta, tb, sa, sb, f"字号相近但不同（{ta}/{tb}）", distance)
    return _different(ta, tb, sa, sb, "字号不同", distance)
