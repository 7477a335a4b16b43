"""Realistic organisation records for benchmarks and demo/import tests.

A name follows 《企业名称登记管理规定》第六条: 行政区划 + 字号 + 行业或经营特点 + 组织形式
(reference/company-name-structure.md), with the orders and variants a purchased enterprise dataset
really has: "字号+行业（地区）+组织形式", names without a region, universities, institutes,
associations, think tanks and funds with their own patterns, 分公司 named after an earlier company,
half-width brackets and full-width letters, traditional characters and stray spaces.

Row ``i`` of seed ``s`` is a pure function of ``(s, i, attempt)``: ``generate`` walks the indexes and
only keeps a 64-bit hash table of the names already used (8 bytes a slot, about 16 MB at 1,000,000
rows), retrying an index with the next ``attempt`` when its canonical name was taken. Because the
variant spelling of a name is itself a function of the canonical name, the attempt-0 name of any row
is always present in the output (at that row or an earlier one): branches name an earlier company
and ``sample_queries`` draws fragments of real output names without generating everything.

Credit codes are derived from the index through a bijection, so they are unique by construction
(up to 100,000,000 rows); the check characters follow GB 32100 / GB 11714 exactly as
apps.core.codes computes them (a table-driven fast path, tested against ``make_uscc``).

    python -m bench.generator --rows 1000000 --format csv --encoding gb18030 --out /tmp/orgs.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import time
from array import array
from collections.abc import Iterator

from apps.core.codes import ORG_ALPHABET, ORG_WEIGHTS, USCC_ALPHABET, USCC_WEIGHTS, make_uscc

# The importer's canonical columns, in file order, with the Chinese header labels.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "名称"),
    ("credit_code", "统一社会信用代码"),
    ("org_code", "组织机构代码"),
    ("kind", "类型"),
    ("region", "所在地区"),
    ("industry_section", "行业门类"),
    ("size", "规模"),
    ("short_names", "简称"),
    ("former_names", "曾用名"),
    ("parent_name", "所属总公司"),
    ("source", "来源"),
    ("is_fortune500", "世界500强"),
    ("is_specialised", "专精特新"),
    ("is_listed", "上市企业"),
    ("description", "简介"),
)
KEYS: tuple[str, ...] = tuple(key for key, _ in COLUMNS)
HEADER: tuple[str, ...] = tuple(label for _, label in COLUMNS)
MAX_ROWS = 100_000_000  # the credit-code bijection covers 10^8 indexes

YES = "是"


def _weighted(items) -> tuple:
    """Expand (value, weight) pairs into a tuple indexed by a uniform draw."""
    out = []
    for value, weight in items:
        out.extend([value] * weight)
    return tuple(out)


# --- Places: GB/T 2260 codes; weights per mille of all rows -------------------------------------

class _Place:
    __slots__ = ("province", "province_short", "city", "city_short", "abbr", "city_code", "district",
                 "dshort", "code", "region", "prefixes")

    def __init__(self, province, city, abbr, city_code, district, code, prefixes):
        self.province = province
        self.province_short = province[:-1] if province else ""
        self.city = city
        self.city_short = city[:-1]
        self.abbr = abbr
        self.city_code = city_code
        self.district = district
        self.dshort = _district_short(district)
        self.code = code
        self.region = f"{province}{city}{district}"
        self.prefixes = prefixes


def _district_short(name: str) -> str:
    if "自治县" in name:
        return name[:2]
    for suffix in ("新区", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


# (province or "" for a municipality, city, abbreviation used in 简称, city code, weight,
#  name-prefix templates with weights, districts "name code weight, …")
_CITY_DATA = [
    ("", "北京市", "京", "110000", 380, (("{short}", 85), ("{city}", 10), ("{city}{district}", 3), ("{short}{dshort}", 2)),
     "东城区 110101 4,西城区 110102 5,朝阳区 110105 14,丰台区 110106 6,石景山区 110107 2,海淀区 110108 16,"
     "门头沟区 110109 1,房山区 110111 2,通州区 110112 4,顺义区 110113 4,昌平区 110114 5,大兴区 110115 5,"
     "怀柔区 110116 1,平谷区 110117 1,密云区 110118 1,延庆区 110119 1"),
    ("", "天津市", "津", "120000", 90, (("{short}", 85), ("{city}", 10), ("{city}{district}", 5)),
     "和平区 120101 3,河东区 120102 2,河西区 120103 3,南开区 120104 3,河北区 120105 2,红桥区 120106 1,"
     "东丽区 120110 2,西青区 120111 3,津南区 120112 2,北辰区 120113 2,武清区 120114 3,宝坻区 120115 1,"
     "滨海新区 120116 10,宁河区 120117 1,静海区 120118 1,蓟州区 120119 1"),
    ("河北省", "石家庄市", "冀", "130100", 30, None,
     "长安区 130102 3,桥西区 130104 3,新华区 130105 2,裕华区 130108 3,藁城区 130109 1,鹿泉区 130110 1,"
     "栾城区 130111 1,正定县 130123 1"),
    ("河北省", "唐山市", "冀", "130200", 12, None, "路南区 130202 2,路北区 130203 3,丰润区 130208 1,曹妃甸区 130209 1,迁安市 130283 1"),
    ("河北省", "秦皇岛市", "冀", "130300", 5, None, "海港区 130302 3,北戴河区 130304 1"),
    ("河北省", "邯郸市", "冀", "130400", 8, None, "邯山区 130402 2,丛台区 130403 2,复兴区 130404 1"),
    ("河北省", "邢台市", "冀", "130500", 5, None, "襄都区 130502 2,信都区 130503 2"),
    ("河北省", "保定市", "冀", "130600", 14, None,
     "竞秀区 130602 3,莲池区 130606 3,满城区 130607 1,徐水区 130609 1,涿州市 130681 2,高碑店市 130684 1,"
     "容城县 130629 1,安新县 130632 1,雄县 130638 1"),
    ("河北省", "张家口市", "冀", "130700", 4, None, "桥东区 130702 1,桥西区 130703 1,宣化区 130705 1,崇礼区 130709 1"),
    ("河北省", "承德市", "冀", "130800", 3, None, "双桥区 130802 2"),
    ("河北省", "沧州市", "冀", "130900", 6, None, "运河区 130903 2,新华区 130902 1,黄骅市 130983 1,任丘市 130982 1"),
    ("河北省", "廊坊市", "冀", "131000", 12, None,
     "安次区 131002 2,广阳区 131003 3,三河市 131082 3,霸州市 131081 1,固安县 131022 2,香河县 131024 1,"
     "大厂回族自治县 131028 1"),
    ("河北省", "衡水市", "冀", "131100", 3, None, "桃城区 131102 2"),
    ("", "上海市", "沪", "310000", 80, (("{short}", 95), ("{city}", 5)),
     "黄浦区 310101 3,徐汇区 310104 3,长宁区 310105 2,静安区 310106 3,普陀区 310107 2,虹口区 310109 1,"
     "杨浦区 310110 2,闵行区 310112 4,宝山区 310113 2,嘉定区 310114 4,浦东新区 310115 10,金山区 310116 2,"
     "松江区 310117 3,青浦区 310118 3,奉贤区 310120 3,崇明区 310151 2"),
    ("广东省", "深圳市", "深", "440300", 70, (("{city}", 70), ("{short}", 30)),
     "罗湖区 440303 2,福田区 440304 4,南山区 440305 6,宝安区 440306 5,龙岗区 440307 5,盐田区 440308 1,"
     "龙华区 440309 3,坪山区 440310 1,光明区 440311 1"),
    ("", "重庆市", "渝", "500000", 110, (("{short}", 80), ("{city}", 15), ("{city}{district}", 5)),
     "渝中区 500103 4,大渡口区 500104 1,江北区 500105 1,沙坪坝区 500106 3,九龙坡区 500107 4,南岸区 500108 3,"
     "北碚区 500109 2,渝北区 500112 1,巴南区 500113 2,两江新区 500157 5,万州区 500101 1,涪陵区 500102 1,"
     "綦江区 500110 1,大足区 500111 1,黔江区 500114 1,长寿区 500115 1,江津区 500116 1,合川区 500117 1,"
     "永川区 500118 1,南川区 500119 1,璧山区 500120 1,铜梁区 500151 1,潼南区 500152 1,荣昌区 500153 1,"
     "开州区 500154 1,梁平区 500155 1,武隆区 500156 1,城口县 500229 1,丰都县 500230 1,垫江县 500231 1,"
     "忠县 500233 1,云阳县 500235 1,奉节县 500236 1,巫山县 500237 1,巫溪县 500238 1,石柱土家族自治县 500240 1,"
     "秀山土家族苗族自治县 500241 1,酉阳土家族苗族自治县 500242 1,彭水苗族土家族自治县 500243 1"),
    ("广东省", "广州市", "穗", "440100", 25, None,
     "越秀区 440104 2,海珠区 440105 2,天河区 440106 5,黄埔区 440112 3,番禺区 440113 2,白云区 440111 2"),
    ("浙江省", "杭州市", "杭", "330100", 22, None,
     "上城区 330102 2,拱墅区 330105 2,西湖区 330106 3,滨江区 330108 4,余杭区 330110 3,萧山区 330109 2"),
    ("江苏省", "南京市", "宁", "320100", 15, None, "玄武区 320102 2,秦淮区 320104 1,建邺区 320105 2,鼓楼区 320106 2,江宁区 320115 3"),
    ("江苏省", "苏州市", "苏", "320500", 15, None, "姑苏区 320508 2,吴中区 320506 2,相城区 320507 1,虎丘区 320505 3,昆山市 320583 3"),
    ("四川省", "成都市", "蓉", "510100", 22, None,
     "锦江区 510104 2,青羊区 510105 2,金牛区 510106 2,武侯区 510107 4,成华区 510108 2,双流区 510116 2,郫都区 510117 1"),
    ("湖北省", "武汉市", "汉", "420100", 15, None,
     "江岸区 420102 2,江汉区 420103 2,武昌区 420106 2,洪山区 420111 3,东西湖区 420112 1,江夏区 420115 1"),
    ("陕西省", "西安市", "陕", "610100", 12, None,
     "新城区 610102 1,碑林区 610103 1,莲湖区 610104 1,雁塔区 610113 4,未央区 610112 2,长安区 610116 1"),
    ("安徽省", "合肥市", "皖", "340100", 8, None, "瑶海区 340102 1,庐阳区 340103 1,蜀山区 340104 2,包河区 340111 2"),
    ("山东省", "济南市", "鲁", "370100", 8, None, "历下区 370102 2,市中区 370103 1,槐荫区 370104 1,历城区 370112 2"),
    ("山东省", "青岛市", "鲁", "370200", 8, None, "市南区 370202 2,市北区 370203 1,黄岛区 370211 2,崂山区 370212 1,城阳区 370214 1"),
    ("湖南省", "长沙市", "湘", "430100", 8, None, "芙蓉区 430102 1,天心区 430103 1,岳麓区 430104 2,开福区 430105 1,雨花区 430111 2"),
    ("河南省", "郑州市", "豫", "410100", 7, None, "中原区 410102 1,二七区 410103 1,管城回族区 410104 1,金水区 410105 3"),
    ("福建省", "厦门市", "厦", "350200", 5, None, "思明区 350203 2,湖里区 350206 2"),
    ("贵州省", "贵阳市", "筑", "520100", 5, None, "南明区 520102 1,云岩区 520103 1,观山湖区 520115 2"),
    ("云南省", "昆明市", "昆", "530100", 4, None, "五华区 530102 1,盘龙区 530103 1,官渡区 530111 2"),
]
_PROVINCE_PREFIXES = (("{short}", 65), ("{city}", 10), ("{pshort}", 20), ("{city}{district}", 5))


def _build_places():
    places: list[tuple[_Place, int]] = []
    for province, city, abbr, city_code, weight, templates, districts in _CITY_DATA:
        parts = [d.split() for d in districts.split(",")]
        total = sum(int(w) for _, _, w in parts)
        for district, code, dweight in parts:
            fmt = {"short": city[:-1], "city": city, "district": district, "dshort": _district_short(district),
                   "pshort": province[:-1]}
            items = [(t.format(**fmt), w) for t, w in (templates or _PROVINCE_PREFIXES)]
            if district.endswith("市"):  # a county-level city may name itself
                items += [(district[:-1], 10), (district, 4)]
            place = _Place(province, city, abbr, city_code, district, code, _weighted(items))
            places.append((place, max(1, round(weight * 40 * int(dweight) / total))))
    return places


_PLACE_LIST = _build_places()
PLACES = _weighted(_PLACE_LIST)
_BEIJING_CORE = tuple(p for p, _ in _PLACE_LIST if p.district in ("西城区", "东城区", "海淀区", "朝阳区")
                      and p.city == "北京市")
_CITY_SHORTS = tuple(sorted({p.city_short for p, _ in _PLACE_LIST}))

# Place names may not be a 字号 (规定: 不得使用县以上行政区划名称作字号), nor the reserved words.
_BANNED = {"中国", "中华", "全国", "国家", "国际"}
for _p, _ in _PLACE_LIST:
    _BANNED.update({_p.city_short, _p.dshort, _p.province_short, _p.city, _p.district})
_BANNED.discard("")
_BANNED2 = frozenset(b for b in _BANNED if len(b) == 2)
_BANNED3 = frozenset(b for b in _BANNED if len(b) == 3)

# --- 字号: characters in the proportions 字号 use them (tier weight 8 / 3 / 1) ------------------------

_POOL_TIERS = (
    (8, "华信达源恒泰瑞祥鑫宏盛安康博创新通联天汇和丰隆兴顺利德诚嘉亿金睿智荣远鼎晟凯航海宇星辰光明东方正合"
        "万佳昌众永润云宝龙腾飞成昊志高君弘"),
    (3, "泽锦恩翔诺欣启晨铭浩卓越峰磊辉旭阳春秋景维力驰捷迅广美优尚品誉益惠福寿喜乐友邦家世纪时代未来融图帆舟"
        "川山林森桥岩石泉江河湖洋清澜霖雨雪风雷红绿蓝青紫白银铜铁钢玉珠晶彩艺文思仁义礼立本元朗园坤乾宸轩豪杰"
        "英雄伟超群巨精准易简快好真实卫宁静谐科技网数智汉唐宋明清京沪渝津冀粤湘楚蜀"),
    (1, "拓行途径臻璟琪琳璐瑾珑钰铠锐钧炜烨煜熠灿曦晖昕晓昱暄朔杉桐柏松竹梅兰菊荷莲芯芮苗茂艾菲萌薇蔚语诗书墨"
        "雅致极索微纳格特斯奥克普赛迪尔贝欧亚非澳加菱鹏鹰鹤麒麟凤鸿雁燕鲲骏驹马牛象熊虎豹狮蜂蚁方圆点线面心"
        "意念想望梦怡悦欢笑童真善慧灵秀巧妙奇异壹贰叁佰仟鲸鲨蛟鲤鹭鸥雀莺蝶萤禾稻穗谷麦粮农田耕垦牧渔樵"
        "工匠艾伦威廉姆泰坦途拓展蓝图宏图远景前程锦程鹏程通达畅达丰泽润泽昊天翰墨砚笔纸印章典籍册卷页册"
        "亨通吉贵富裕昶蜀楚粤湘港"),
)


def _build_pool():
    weights: dict[str, int] = {}
    for weight, chars in _POOL_TIERS:
        for ch in chars:
            weights[ch] = max(weights.get(ch, 0), weight)
    return weights


_POOL_WEIGHTS = _build_pool()
POOL = _weighted(sorted(_POOL_WEIGHTS.items()))
_LATIN = "ABCDEFGHJKLMNPRSTUVWXYZ"

# --- 行业或经营特点 (name term, GB/T 4754 门类, weight) --------------------------------------------
_INDUSTRY_DATA = """
科技 M 30|技术 M 6|技术服务 M 4|技术开发 M 4|科技发展 M 6|生物技术 M 4|生物科技 M 6|检测技术 M 3|检测 M 2|
认证 M 1|工程设计 M 2|工程技术 M 3|环保科技 M 6|环境科技 M 4|节能科技 M 4|新能源科技 M 6|能源科技 M 4|
设计 M 2|工业设计 M 1|测绘 M 1|勘察设计 M 1|规划设计 M 1|医疗科技 M 3|健康科技 M 3|航空科技 M 1|航天科技 M 1|
信息技术 I 14|信息科技 I 10|网络科技 I 14|软件 I 3|软件技术 I 5|软件开发 I 3|数据科技 I 4|数字科技 I 6|
云计算 I 1|人工智能科技 I 3|智能科技 I 10|互联网科技 I 4|通信技术 I 4|通信科技 I 2|计算机系统 I 1|
系统集成 I 2|物联网科技 I 3|区块链科技 I 1|信息服务 I 2|网络技术 I 4|大数据科技 I 2|数码科技 I 2|
新材料科技 C 6|医疗器械 C 5|智能装备 C 4|汽车零部件 C 4|电子 C 4|电子科技 C 8|电气 C 4|机械 C 4|
机械设备 C 4|机电设备 C 3|精密机械 C 2|精密制造 C 2|化工 C 3|生物医药 C 4|医药 C 3|制药 C 2|
光电科技 C 3|半导体 C 2|集成电路 C 1|微电子 C 1|仪器仪表 C 2|环保设备 C 2|包装 C 2|印刷 C 2|纺织 C 2|
服装 C 3|服饰 C 3|食品 C 5|饮料 C 1|家具 C 2|建材 C 3|塑料制品 C 1|橡胶制品 C 1|金属制品 C 2|钢铁 C 1|
铝业 C 1|模具 C 1|电池 C 1|电机 C 1|汽车 C 1|新能源汽车 C 1|工程机械 C 1|机器人 C 2|无人机 C 1|
船舶 C 1|轨道交通装备 C 1|光学 C 1|照明 C 1|陶瓷 C 1|玻璃 C 1|涂料 C 1|化妆品 C 1|日用品 C 1|
酒业 C 1|茶业 C 1|药业 C 2|复合材料 C 1|智能制造 C 2|
贸易 F 10|商贸 F 14|进出口 F 3|国际贸易 F 3|供应链管理 F 4|汽车销售 F 2|百货 F 1|超市 F 1|五金 F 1|
农产品 F 1|食品销售 F 1|能源贸易 F 1|电子商务 F 6|医药销售 F 1|建材销售 F 1|
建筑工程 E 8|建设工程 E 4|建设 E 3|装饰工程 E 5|建筑装饰 E 3|市政工程 E 2|园林绿化工程 E 2|
安装工程 E 2|钢结构工程 E 1|路桥工程 E 1|水利工程 E 1|电力工程 E 2|幕墙工程 E 1|
物流 G 6|运输 G 2|货运 G 1|快递 G 1|仓储 G 1|国际物流 G 1|航运 G 1|冷链物流 G 1|
餐饮管理 H 4|酒店管理 H 3|餐饮 H 2|
资产管理 J 2|融资租赁 J 2|小额贷款 J 1|保险代理 J 1|金融信息服务 J 1|融资担保 J 1|商业保理 J 1|
房地产开发 K 3|置业 K 3|物业管理 K 4|房地产经纪 K 1|地产 K 1|
企业管理 L 5|企业管理咨询 L 8|商务咨询 L 4|咨询 L 2|管理咨询 L 2|人力资源 L 2|人力资源服务 L 2|广告 L 3|
文化传播 L 8|文化传媒 L 5|会展服务 L 1|知识产权代理 L 1|劳务派遣 L 1|租赁 L 1|设备租赁 L 1|项目管理 L 1|
营销策划 L 1|品牌管理 L 1|投资管理 L 4|投资咨询 L 2|投资 L 4|旅行社 L 1|
环境工程 N 2|园林绿化 N 2|水处理 N 1|生态环境 N 1|
家政服务 O 1|汽车维修 O 1|保洁服务 O 1|
教育科技 P 3|教育咨询 P 2|培训 P 1|职业技能培训 P 1|
医院管理 Q 1|健康管理 Q 2|养老服务 Q 1|
文化发展 R 2|影视传媒 R 1|影视文化 R 1|体育发展 R 1|体育文化 R 1|动漫 R 1|演艺 R 1|文化旅游 R 1|
农业科技 A 3|农业发展 A 2|生态农业 A 1|种业 A 1|畜牧 A 1|养殖 A 1|林业 A 1|
矿业 B 1|煤业 B 1|
电力 D 1|能源 D 2|燃气 D 1|热力 D 1|供水 D 1|新能源 D 2|光伏 D 1|风电 D 1|水务 D 1
"""
_INDUSTRY_LIST = tuple((term, sec, int(w)) for term, sec, w in
                       (item.split() for item in _INDUSTRY_DATA.replace("\n", "").split("|")))
INDUSTRIES = _weighted(((term, sec), w) for term, sec, w in _INDUSTRY_LIST)

FORMS = _weighted((("有限公司", 60), ("有限责任公司", 18), ("股份有限公司", 10), ("集团有限公司", 6),
                   ("（集团）有限公司", 1), ("股份公司", 1), ("集团股份有限公司", 1)))
_FORMS_BARE = _weighted((("有限公司", 8), ("集团有限公司", 2), ("股份有限公司", 1)))
_SUFFIXES = ("集团股份有限公司", "（集团）有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "股份公司",
             "有限公司", "合伙企业（有限合伙）")

_UNI_SUBJECTS = ("理工", "科技", "交通", "师范", "财经", "工商", "工业", "农业", "医科", "中医药", "外国语",
                 "信息科技", "建筑", "石油化工", "电子科技", "邮电", "传媒", "体育", "林业", "化工", "航空航天",
                 "联合", "城市", "文理", "电力", "水利", "海洋", "经贸", "工程", "商务", "艺术", "警官")
_FIELDS = ("人工智能", "智能制造", "新材料", "集成电路", "生物医药", "工业技术", "环境科学", "建筑科学", "农业科学",
           "计量测试", "电子信息", "先进制造", "智能网联汽车", "量子信息", "区块链", "新能源", "节能环保",
           "产业技术", "科技信息", "机械工业", "化工", "轨道交通", "空天信息", "数字经济", "医疗器械", "食品科学",
           "水利科学", "地质调查", "交通科学", "标准化", "大数据", "工业互联网", "光电技术", "半导体", "储能技术")
_ASSOC_FIELDS = ("软件", "电子商务", "信息技术", "人工智能", "汽车工业", "机械工业", "医药", "医疗器械", "建筑业",
                 "房地产业", "物流与采购", "餐饮", "服装", "食品工业", "中小企业", "民营企业", "外商投资企业",
                 "企业家", "企业联合", "物业管理", "家具", "建材", "化工", "半导体", "集成电路", "新能源汽车",
                 "大数据", "物联网", "区块链", "文化产业", "旅游", "电力", "环保产业", "节能", "新材料",
                 "生物医药", "农业产业化", "茶叶", "酒类流通", "火锅", "美容美发", "家政服务", "养老服务",
                 "会展", "广告", "进出口商", "个体劳动者", "私营企业", "质量管理", "安全生产", "标准化",
                 "知识产权", "跨境电商", "供应链", "工业设计", "低空经济", "数字经济", "智能网联汽车")
_THINK_TANKS = ("发展研究院", "经济研究院", "战略研究院", "智库研究中心", "产业研究院", "政策研究中心",
                "经济发展研究中心", "城市发展研究院", "区域经济研究院")
_FUND_KINDS = ("产业", "股权", "创业", "科创", "新兴产业", "并购", "天使", "产业引导")
_SOURCES = _weighted((("企业名录采购", 60), ("数据导入", 20), ("走访", 6), ("推介会", 5), ("新闻线索", 4),
                      ("商协会推荐", 3), ("", 2)))
_SIZES = _weighted((("大型", 3), ("中型", 10), ("小型", 30), ("微型", 37), ("", 20)))
_SIZES_GROUP = _weighted((("大型", 3), ("中型", 4), ("小型", 2), ("", 1)))
_CN_NUMS = "一二三四五六七八九"

# --- Traditional characters (only those GBK has, so "gbk" output stays encodable) -------------------
_TRAD_PAIRS = (
    "电電 网網 资資 贸貿 讯訊 业業 华華 东東 发發 术術 务務 为為 国國 际際 广廣 药藥 医醫 疗療 机機 设設 备備 "
    "制製 车車 装裝 饰飾 筑築 进進 运運 输輸 仓倉 储儲 饮飲 咨諮 询詢 传傳 检檢 测測 认認 证證 环環 节節 农農 "
    "产產 开開 庆慶 乐樂 兴興 达達 创創 联聯 汇匯 丰豐 顺順 诚誠 亿億 荣榮 远遠 凯凱 万萬 众眾 润潤 云雲 宝寶 "
    "龙龍 腾騰 飞飛 泽澤 锦錦 诺諾 启啟 铭銘 辉輝 阳陽 维維 驰馳 优優 誉譽 寿壽 纪紀 时時 来來 图圖 桥橋 "
    "澜瀾 风風 红紅 绿綠 蓝藍 银銀 铜銅 铁鐵 钢鋼 艺藝 义義 礼禮 园園 轩軒 杰傑 伟偉 准準 简簡 实實 卫衛 "
    "静靜 谐諧 责責 团團 经經 济濟 计計 软軟 数數 据據 统統 络絡 码碼 视視 声聲 动動 画畫 体體 养養 护護 "
    "鸿鴻 鹏鵬 凤鳳 鹤鶴 麟麟 骏駿 驹駒 马馬 狮獅 赛賽 贝貝 欧歐 亚亞 纳納 极極 诗詩 书書 语語 梦夢 "
    "悦悅 欢歡 笑笑 灵靈 岩巖 汉漢 宁寧 广廣 厦廈 陕陝 鲁魯 苏蘇 湘湘 闽閩 赣贛 贵貴 亨亨 门門 层層 级級 "
    "锐銳 钰鈺 鹰鷹 轮輪 陆陸 陈陳 齐齊 总總 张張 强強 应應 杨楊 标標 树樹 样樣 楼樓 气氣 汤湯 沟溝 洁潔 "
    "浓濃 涛濤 湾灣 满滿 滨濱 灯燈 点點 炼煉 烟煙 热熱 焕煥 状狀 独獨 现現 珑瓏 琼瓊 畅暢 盐鹽 盘盤 矿礦 "
    "础礎 硕碩 确確 种種 积積 稳穩 竞競 笔筆 签簽 粮糧 纤纖 约約 纬緯 纯純 纺紡 织織 纸紙 线線 组組 细細 "
    "终終 绘繪 综綜 编編 罗羅 聪聰 胜勝 脑腦 舰艦 芦蘆 苍蒼 荐薦 莱萊 获獲 营營 萧蕭 虾蝦 蚁蟻 补補 观觀 "
    "规規 览覽 订訂 讨討 训訓 议議 记記 讲講 论論 评評 识識 试試 话話 详詳 说說 读讀 谊誼 谱譜 贞貞 负負 "
    "贡貢 财財 贤賢 货貨 质質 购購 贷貸 费費 赋賦 赏賞 赢贏 赵趙 跃躍 轨軌 转轉 轻輕 载載 辅輔 边邊 过過 "
    "还還 连連 选選 递遞 邮郵 郑鄭 钧鈞 铃鈴 铝鋁 铠鎧 铸鑄 链鏈 销銷 锂鋰 锋鋒 键鍵 镇鎮 长長 闪閃 阁閣 "
    "队隊 险險 顶頂 项項 顾顧 领領 频頻 颜顏 馆館 鲜鮮 鸟鳥 鸣鳴 麦麥 黄黃 鲸鯨 鲨鯊 鲤鯉 鹭鷺 鸥鷗 莺鶯 "
    "鲲鯤 荟薈 烨燁 炜煒 灿燦 晖暉 侨僑 贰貳 伦倫 页頁 砚硯 粤粵 兰蘭 莲蓮 庐廬 肃肅 坝壩 碚碚 滩灘 岭嶺 "
    "宫宮 区區 县縣 协協 会會 学學 院院 研研 术術 师師 范範 职職 业業 岛島 庄莊 头頭 沧滄 张張 邯邯 坊坊 "
    "缆纜 电電 仪儀 表錶 涂塗 陶陶 酒酒 茶茶 复複 合合 无無 机機 器器 航航 船船 轨軌 种種 养養 殖殖 渔漁 "
    "猎獵 矿礦 煤煤 热熱 燃燃 供供 光光 伏伏 风風 资資 担擔 保保 险險 代代 理理 贷貸 贸貿 货貨 运運 递遞 "
    "仓倉 储儲 链鏈 监監 测測 绿綠 态態 维維 设設 计計 划劃 绘繪 检檢 验驗 认認 证證 节節 环環 境境 质質"
)


def _gbk_ok(ch: str) -> bool:
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _build_trad():
    mapping: dict[int, str] = {}
    targets: set[str] = set()
    for pair in _TRAD_PAIRS.split():
        simp, trad = pair[0], pair[1]
        if simp == trad or trad in targets or not _gbk_ok(trad):
            continue
        mapping[ord(simp)] = trad
        targets.add(trad)
    return mapping, targets


_TRAD, _TRAD_CHARS = _build_trad()
_TO_SIMP = {ord(t): chr(s) for s, t in _TRAD.items()}
_TO_WIDE = {ord(c): chr(ord(c) + 0xFEE0) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}
_TO_WIDE.update({ord("（"): "(", ord("）"): ")"})  # the dataset's variant: half-width brackets
_WIDE_RE = re.compile("[（A-Z]")


def canonical_of(name: str) -> str:
    """Undo the generator's variant spellings (used by the tests; names.search_form folds more)."""
    text = "".join(name.split()).translate(_TO_SIMP)
    text = text.replace("(", "（").replace(")", "）")
    return "".join(chr(ord(c) - 0xFEE0) if "Ａ" <= c <= "Ｚ" or "０" <= c <= "９" else c for c in text)


# --- Credit codes: table-driven GB 32100 / GB 11714 check characters --------------------------------

_UV = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_OV = {ch: i for i, ch in enumerate(ORG_ALPHABET)}
_MOD = 10**8
_MUL = 48_271_853  # coprime to 10^8, so i -> (MUL * i + offset) mod 10^8 is a bijection


def _chunk_tables(strings, org_weights, uscc_weights):
    org = array("l", (sum(_OV[c] * w for c, w in zip(s, org_weights, strict=True)) for s in strings))
    uscc = array("l", (sum(_UV[c] * w for c, w in zip(s, uscc_weights, strict=True)) for s in strings))
    return tuple(strings), org, uscc


# Digit bodies "DDDDDDDD": two 4-digit chunks.  "MA" bodies "MA" + 6 base-31 characters: two chunks of 3.
_D4 = _chunk_tables([f"{x:04d}" for x in range(10_000)], ORG_WEIGHTS[0:4], USCC_WEIGHTS[8:12])
_D4L = _chunk_tables(_D4[0], ORG_WEIGHTS[4:8], USCC_WEIGHTS[12:16])
_B31 = [a + b + c for a in USCC_ALPHABET for b in USCC_ALPHABET for c in USCC_ALPHABET]
_M3H = _chunk_tables(_B31, ORG_WEIGHTS[2:5], USCC_WEIGHTS[10:13])
_M3L = _chunk_tables(_B31, ORG_WEIGHTS[5:8], USCC_WEIGHTS[13:16])
_MA_ORG = _OV["M"] * ORG_WEIGHTS[0] + _OV["A"] * ORG_WEIGHTS[1]
_MA_USCC = _UV["M"] * USCC_WEIGHTS[8] + _UV["A"] * USCC_WEIGHTS[9]
_ORG_CHECK = tuple({10: "X", 11: "0"}.get(11 - t, str(11 - t)) for t in range(11))
_W17 = USCC_WEIGHTS[16]
_PREFIX_SUMS: dict[str, int] = {}


def credit_code(prefix8: str, v: int, ma: bool) -> str:
    """The 18-character code for registration prefix ``prefix8`` (e.g. "91110108") and body number
    ``v`` (0 <= v < 10^8, distinct v give distinct codes); equal to make_uscc(first 17)."""
    s8 = _PREFIX_SUMS.get(prefix8)
    if s8 is None:
        s8 = _PREFIX_SUMS[prefix8] = sum(_UV[c] * w for c, w in zip(prefix8, USCC_WEIGHTS, strict=False))
    if ma:
        hi, lo = divmod(v, 29_791)
        strs, oh, uh = _M3H
        _, ol, ul = _M3L
        body = "MA" + strs[hi] + strs[lo]
        org = _MA_ORG + oh[hi] + ol[lo]
        uscc = s8 + _MA_USCC + uh[hi] + ul[lo]
    else:
        hi, lo = divmod(v, 10_000)
        strs, oh, uh = _D4
        _, ol, ul = _D4L
        body = strs[hi] + strs[lo]
        org = oh[hi] + ol[lo]
        uscc = s8 + uh[hi] + ul[lo]
    c9 = _ORG_CHECK[org % 11]
    uscc += _UV[c9] * _W17
    return prefix8 + body + c9 + USCC_ALPHABET[(31 - uscc % 31) % 31]


def credit_code_slow(prefix8: str, v: int, ma: bool) -> str:
    """Reference implementation through apps.core.codes (the tests compare the two)."""
    from apps.core.codes import make_org_code

    if ma:
        hi, lo = divmod(v, 29_791)
        body = "MA" + _B31[hi] + _B31[lo]
    else:
        body = f"{v:08d}"
    return make_uscc(prefix8 + make_org_code(body))


# --- The generator ------------------------------------------------------------------------------

_ENTERPRISE, _BRANCH, _SOE, _UNIVERSITY, _INSTITUTE, _ASSOCIATION, _THINK_TANK, _FUND = range(8)


def _category(cat: int, i: int) -> int:
    if cat < 30:
        return _BRANCH if i > 0 else _ENTERPRISE
    if cat < 35:
        return _SOE
    if cat < 41:
        return _UNIVERSITY
    if cat < 56:
        return _INSTITUTE
    if cat < 71:
        return _ASSOCIATION
    if cat < 75:
        return _THINK_TANK
    if cat < 85:
        return _FUND
    return _ENTERPRISE


# A generated row is a tuple: (fields in COLUMNS order, canonical name, its hash, 字号, the searchable
# part of the name (no 组织形式), may be a parent company, place).
_FIELDS_, _CANON, _HASH, _TRADE, _CORE, _COMPANY, _PLACE = range(7)


def name_hash(canon: str) -> int:
    """63-bit hash of a canonical name (never 0): the dedup key and the variant's dice."""
    return (int.from_bytes(hashlib.blake2b(canon.encode(), digest_size=8).digest(), "little") >> 1) | 1


def spell(canon: str, h: int) -> str:
    """The spelling a purchased dataset uses for this canonical name: a pure function of the name, so
    every row that refers to it (a branch's parent, a query) sees the same string."""
    v = (h >> 16) % 1000
    if v < 10:  # ~1 %: traditional characters
        return canon.translate(_TRAD)
    if v < 20:  # ~1 %: a stray space
        where = (h >> 32) % 4
        if where == 0:
            return " " + canon
        if where == 1:
            return canon + " "
        for suffix in _SUFFIXES:
            if canon.endswith(suffix) and len(canon) > len(suffix):
                return canon[: -len(suffix)] + " " + suffix
        k = 2 + (h >> 40) % max(1, len(canon) - 3)
        return canon[:k] + " " + canon[k:]
    if v >= 480 and _WIDE_RE.search(canon):
        # ~half the names with brackets or Latin letters: half-width brackets, full-width letters
        return canon.translate(_TO_WIDE)
    return canon


class Generator:
    """Rows for one seed. ``row(i)`` is pure; ``rows(n)`` dedups names with a bounded hash table."""

    def __init__(self, seed: int = 1):
        self.seed = seed
        self._base = hashlib.blake2b(f"bench.generator:{seed}".encode(), digest_size=64)
        self._offset = int.from_bytes(hashlib.blake2b(f"offset:{seed}".encode(), digest_size=8).digest(),
                                      "little") % _MOD

    # -- randomness
    def _bits(self, i: int, attempt: int) -> int:
        h = self._base.copy()
        h.update(i.to_bytes(8, "little") + attempt.to_bytes(2, "little"))
        return int.from_bytes(h.digest(), "little")

    @staticmethod
    def _trade_name(r: int) -> tuple[str, int]:
        r, x = divmod(r, 100)
        pool, lp = POOL, len(POOL)
        if x < 1:  # Latin letters (foreign-invested names), sometimes with a character
            r, a = divmod(r, 23 * 23 * 23)
            r, k = divmod(r, 3)
            tn = _LATIN[a % 23] + _LATIN[a // 23 % 23] + (_LATIN[a // 529] if k else "")
            if k == 2:
                r, c = divmod(r, lp)
                tn += pool[c]
            return tn, r
        length = 2 if x < 36 else 3 if x < 76 else 4
        while True:
            r, a = divmod(r, lp)
            r, b = divmod(r, lp)
            if length == 2:
                tn = pool[a] + pool[b]
                if tn not in _BANNED2:
                    return tn, r
                continue
            r, c = divmod(r, lp)
            tn = pool[a] + pool[b] + pool[c]
            if length == 3:
                if tn[:2] in _BANNED2 or tn[1:] in _BANNED2 or tn in _BANNED3:
                    continue
                return tn, r
            r, d = divmod(r, lp)
            tn += pool[d]
            if tn[:2] in _BANNED2 or tn[1:3] in _BANNED2 or tn[2:] in _BANNED2 or tn[:3] in _BANNED3 \
                    or tn[1:] in _BANNED3:
                continue
            return tn, r

    def category(self, i: int) -> int:
        return _category(self._bits(i, 0) % 1000, i)

    def row(self, i: int, attempt: int = 0) -> tuple:
        r = self._bits(i, attempt)
        r, cat = divmod(r, 1000)
        kind = _category(cat, i)
        places = PLACES
        r, x = divmod(r, len(places))
        place = places[x]
        r, x = divmod(r, 100)  # the pattern within the kind
        r, p = divmod(r, len(place.prefixes))
        prefix = place.prefixes[p]
        tn, r = self._trade_name(r)
        r, y = divmod(r, len(INDUSTRIES))
        industry, section = INDUSTRIES[y]
        short: list[str] = []
        former = ""
        parent = ""
        company = False
        auth = "91"
        size = ""
        fortune = specialised = listed = ""
        r, d100 = divmod(r, 100)  # a general-purpose die for the flags below
        r, d1000 = divmod(r, 1000)
        if kind == _ENTERPRISE:
            company = True
            r, f = divmod(r, len(FORMS))
            form = FORMS[f]
            if x < 75:
                core = prefix + tn + industry
                canon = core + form
            elif x < 83:
                core = tn + industry
                bracket = place.city_short if d100 < 85 or not place.province else place.province_short
                canon = f"{core}（{bracket}）{form}"
            elif x < 91:
                core = tn + industry
                canon = core + form
            elif x < 97:
                form = _FORMS_BARE[f % len(_FORMS_BARE)]
                core = prefix + tn
                canon = core + form
            else:
                form = _FORMS_BARE[f % len(_FORMS_BARE)]
                core = tn
                canon = core + form
            if d1000 < 400:  # 简称: the 字号, or the region's one-character abbreviation + 字号
                short.append(tn if d1000 < 220 else place.abbr + tn)
                if d1000 < 40:
                    short.append(place.abbr + tn)
            r, g = divmod(r, 1000)
            if g < 55:  # 曾用名 (~5 %): same 字号, another industry or form, or another city
                r, y2 = divmod(r, len(INDUSTRIES))
                r, f2 = divmod(r, len(FORMS))
                former = prefix + tn + INDUSTRIES[y2][0] + FORMS[f2]
                if former == canon:
                    former = prefix + tn + INDUSTRIES[y2][0] + "有限责任公司"
                if g < 11:
                    r, q = divmod(r, len(places))
                    former += "、" + places[q].prefixes[0] + tn + industry + form
            if "集团" in form:
                size = _SIZES_GROUP[d100 % len(_SIZES_GROUP)]
            else:
                r, s = divmod(r, len(_SIZES))
                size = _SIZES[s]
            if "集团" in form and size == "大型" and d1000 < 10:
                fortune = YES
            if section in "CIM" and size in ("中型", "小型") and d1000 % 100 < 12:
                specialised = YES
            if ("股份" in form and d100 < 25) or ("集团" in form and d100 < 10):
                listed = YES
        elif kind == _BRANCH:
            return self._branch(i, r, place, x, section, industry)
        elif kind == _SOE:
            company = True
            place = _BEIJING_CORE[x % len(_BEIJING_CORE)]
            while any(c.isascii() for c in tn[:2]):
                tn, r = self._trade_name(r)
            tn = tn[:2]
            core = "中国" + tn + (industry if x < 60 else "")
            canon = core + "集团有限公司"
            short = [tn + "集团"] if d1000 < 600 else []
            size = "大型"
            fortune = YES if d100 < 15 else ""
            listed = YES if d1000 % 100 < 30 else ""
            auth = "91"
        elif kind == _UNIVERSITY:
            section = "P"
            auth = "12"
            loc = place.province_short if (place.province and d100 < 30) else place.city_short
            r, s = divmod(r, len(_UNI_SUBJECTS))
            subject = _UNI_SUBJECTS[s]
            if x < 40:
                canon = f"{loc}{subject}大学"
                if d1000 < 300:
                    short.append(loc[0] + subject[0] + "大")
            elif x < 65:
                canon = f"{loc}{subject}学院"
            elif x < 80:
                canon = f"{loc}{subject}职业技术学院"
            elif x < 92:
                canon = f"{loc}{tn}学院"
            else:
                canon = f"{loc}{tn}职业学院"
            core = canon
            tn = tn if x >= 80 else ""
        elif kind == _INSTITUTE:
            section = "M"
            r, s = divmod(r, len(_FIELDS))
            field = _FIELDS[s]
            if x < 35:
                auth, tn = "12", ""
                canon = core = f"{place.city}{field}研究院"
            elif x < 55:
                auth, tn = "12", ""
                canon = core = f"{place.city}{place.district}{field}研究所"
            elif x < 85:
                core = f"{prefix}{tn}{field}研究院"
                canon = core + "有限公司"
                if d1000 < 300:
                    short.append(tn + "研究院")
            else:
                auth = "52"
                canon = core = f"{prefix}{tn}{field}技术研究院"
        elif kind == _ASSOCIATION:
            section = "S"
            auth = "51"
            tn = ""
            r, s = divmod(r, len(_ASSOC_FIELDS))
            field = _ASSOC_FIELDS[s]
            if x < 35:
                canon = f"{place.city}{field}协会"
            elif x < 55:
                canon = f"{place.city}{field}行业协会"
            elif x < 72:
                canon = f"{place.city}{place.district}{field}协会"
            elif x < 87:
                other = _CITY_SHORTS[s % len(_CITY_SHORTS)]
                if other == place.city_short:
                    other = _CITY_SHORTS[(s + 1) % len(_CITY_SHORTS)]
                canon = f"{place.city}{other}{'企业' if d100 < 50 else ''}商会"
            elif x < 94:
                canon = f"{place.city}{field}促进会"
            else:
                canon = f"{place.province or place.city}{field}学会"
            core = canon
        elif kind == _THINK_TANK:
            section = "M"
            r, s = divmod(r, len(_THINK_TANKS))
            core = f"{prefix}{tn}{_THINK_TANKS[s]}"
            if x < 70:
                auth = "52"
                canon = core
            else:
                canon = core + "有限公司"
        else:  # _FUND
            section = "J"
            r, s = divmod(r, len(_FUND_KINDS))
            if x < 35:
                core = f"{prefix}{tn}{_FUND_KINDS[s]}投资基金"
                canon = core + "合伙企业（有限合伙）"
            elif x < 55:
                core = f"{prefix}{tn}私募基金管理"
                canon = core + "有限公司"
            elif x < 75:
                core = f"{prefix}{tn}股权投资基金管理"
                canon = core + "有限公司"
            else:
                core = f"{prefix}{tn}创业投资"
                canon = core + "有限公司"
            if d1000 < 250:
                short.append(tn + "资本")
        h = name_hash(canon)
        name = spell(canon, h)
        r, e = divmod(r, 1000)  # credit code, source, description
        region_code = place.code if d100 % 4 else place.city_code
        if kind == _SOE:
            region_code = "110000"
        code = ""
        if e % 25 != 7 and e % 25 != 19:  # ~92 % carry a credit code
            v = (_MUL * i + self._offset) % _MOD
            code = credit_code(auth + region_code, v, auth == "91" and (h >> 8) % 10 < 6)
        description = ""
        if e % 40 == 3:
            description = f"主要从事{industry}相关业务，注册地{place.region}。"
        fields = (name, code, "", _KIND_LABELS[kind], place.region, section, size, "、".join(short), former,
                  parent, _SOURCES[e % len(_SOURCES)], fortune, specialised, listed, description)
        return fields, canon, h, tn, core, company, place

    def _branch(self, i: int, r: int, place: _Place, x: int, section: str, industry: str) -> tuple:
        parent = None
        for _ in range(6):
            r, j = divmod(r, i)
            if self.category(j) in (_ENTERPRISE, _SOE):
                parent = self.row(j)
                break
        if parent is None:  # no company among the draws: a plain company instead (rare)
            return self.row(i, 0x8000 + 1)
        pname = parent[_FIELDS_][0]
        ppl = parent[_PLACE]
        if place.city == ppl.city:
            where = place.dshort
        else:
            where = place.city_short if x % 3 else place.city_short + place.dshort
        r, d = divmod(r, 100)
        if d < 80:
            branch = f"{where}分公司"
        elif d < 86:
            branch = f"{where}第{_CN_NUMS[d % 9]}分公司"
        elif d < 94:
            branch = f"{where}{industry}分公司"
        else:
            tn, r = self._trade_name(r)
            branch = f"{tn}分公司"
        canon = pname + branch
        r, s = divmod(r, 1000)
        code = ""
        if s % 25 not in (7, 19):
            v = (_MUL * i + self._offset) % _MOD
            code = credit_code("91" + (place.code if s % 4 else place.city_code), v, s % 10 < 6)
        fields = (canon, code, "", "企业", place.region, parent[_FIELDS_][5] or section, "", "", "", pname,
                  _SOURCES[s % len(_SOURCES)], "", "", "", "")
        return fields, canon, name_hash(canon), "", parent[_CORE], False, place

    def records(self, n: int) -> Iterator[tuple]:
        """The n accepted row tuples (see _FIELDS_ …), names unique. Bounded memory: an open-addressing
        table of 64-bit name hashes, two slots per row (16 MB at 1,000,000 rows)."""
        if n > MAX_ROWS:
            raise ValueError(f"at most {MAX_ROWS} rows")
        size = 1024
        while size < 2 * n:
            size *= 2
        table = array("q", bytes(8 * size))
        mask = size - 1
        row = self.row
        for i in range(n):
            attempt = 0
            while True:
                rec = row(i, attempt)
                h = rec[_HASH]
                slot = h & mask
                while True:
                    v = table[slot]
                    if v == 0 or v == h:
                        break
                    slot = (slot + 1) & mask
                if v == 0:
                    table[slot] = h
                    break
                attempt += 1
            yield rec

    def rows(self, n: int) -> Iterator[tuple]:
        """n output tuples in COLUMNS order."""
        for rec in self.records(n):
            yield rec[_FIELDS_]


_KIND_LABELS = ("企业", "企业", "央企", "高校", "科研院所", "商协会", "智库", "基金")


def generate(n: int, *, seed: int = 1) -> Iterator[dict]:
    """Yield n organisation dicts keyed like the importer's canonical columns (KEYS)."""
    keys = KEYS
    for fields in Generator(seed).rows(n):
        yield dict(zip(keys, fields, strict=True))


def write_csv(path, n: int, *, seed: int = 1, encoding: str = "utf-8") -> int:
    """Write a header row of the Chinese labels and n rows; returns n. Encodings: utf-8, utf-8-sig,
    gb18030, gbk (every generated character is GBK-encodable)."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(Generator(seed).rows(n))
    return n


def write_xlsx(path, n: int, *, seed: int = 1) -> int:
    """Write an .xlsx with the same header (openpyxl write-only mode, bounded memory)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("目标主体")
    ws.append(list(HEADER))
    for fields in Generator(seed).rows(n):
        ws.append(list(fields))
    wb.save(path)
    return n


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def sample_queries(n_queries: int, *, seed: int, orgs_n: int, query_seed: int = 0) -> dict[str, list[str]]:
    """Search strings drawn from names that ``generate(orgs_n, seed=seed)`` produces, n_queries per
    class: "2char" and "3char" fragments, "tradename" (a whole 字号), "4plus" (4-8 characters).
    Fragments come from the name without its 组织形式 and are Chinese characters only; each row is
    regenerated on its own (row i is a pure function of seed and i)."""
    gen = Generator(seed)
    rng = random.Random(f"bench.queries:{seed}:{query_seed}")
    out: dict[str, list[str]] = {"2char": [], "3char": [], "tradename": [], "4plus": []}
    wanted = {"2char": (2, 2), "3char": (3, 3), "4plus": (4, 8)}
    while any(len(v) < n_queries for v in out.values()):
        rec = gen.row(rng.randrange(orgs_n))
        tn = rec[_TRADE]
        if len(out["tradename"]) < n_queries and tn and all(map(_is_cjk, tn)):
            out["tradename"].append(tn)
        core = rec[_CORE]
        runs = [run for run in "".join(c if _is_cjk(c) else " " for c in core).split() if len(run) >= 2]
        if not runs:
            continue
        for cls, (lo, hi) in wanted.items():
            if len(out[cls]) >= n_queries:
                continue
            run = max(runs, key=len)
            if len(run) < lo:
                continue
            length = rng.randint(lo, min(hi, len(run)))
            start = rng.randrange(len(run) - length + 1)
            out[cls].append(run[start:start + length])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成用于基准测试与导入测试的目标主体数据")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--encoding", default="utf-8", choices=("utf-8", "utf-8-sig", "gb18030", "gbk"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.format == "csv":
        write_csv(args.out, args.rows, seed=args.seed, encoding=args.encoding)
    else:
        write_xlsx(args.out, args.rows, seed=args.seed)
    seconds = time.perf_counter() - start
    report = {"rows": args.rows, "format": args.format, "seconds": round(seconds, 2),
              "rows_per_s": round(args.rows / seconds)}
    if args.format == "csv":
        report["encoding"] = args.encoding
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
