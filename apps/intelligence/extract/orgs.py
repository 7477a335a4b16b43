"""Organisations: full registered names, anchored on their 组织形式 (有限公司, 股份有限公司, 大学 …),
with the 简称 a "(以下简称…)" note declares (parsed by apps.organisations.names.short_names_in).

From each form the name runs back over name characters to punctuation, then loses the words that
introduce it in a sentence (成立、落户、与、是 …).
"""

from __future__ import annotations

import re

from apps.organisations.names import short_names_in

from .regions import tables
from .types import Org, Span

_FORMS = (
    "集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "股份公司", "集团公司",
    "研究院", "研究所", "大学", "学院", "银行", "集团", "株式会社",
)
# a branch is its own registered name: "中信泰和融资租赁有限公司重庆分公司"
_BRANCH = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:分公司|分行|支行|分院|分所)")
# a university's institute in another city: "清华大学合肥公共安全研究院"
_SUB_INSTITUTE = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:研究院|研究所)")
# a foreign group's Chinese name written with its country: "德国博世公司", "美国康宁公司"
_COUNTRIES = (
    "美国 德国 日本 法国 英国 韩国 新加坡 瑞士 荷兰 意大利 瑞典 丹麦 芬兰 挪威 西班牙 加拿大 澳大利亚 以色列 奥地利 "
    "比利时 沙特 阿联酋 泰国 印度 马来西亚 越南 印度尼西亚 巴西 墨西哥 俄罗斯 新西兰 卢森堡 爱尔兰 葡萄牙"
).split()
_FOREIGN_GROUP = re.compile(
    "(?:" + "|".join(_COUNTRIES) + r")(?:(?![与和及同的是在将对、])[\u4e00-\u9fff]){2,12}?"
    r"(?<!有限)(?<!责任)(?<!股份)(?<!会社)(?<![分子母该本])公司"
)
# Latin forms: "Siemens AG", "Bosch GmbH", "Apple Inc.", "Foxconn Technology Co., Ltd."
_LATIN_ORG = re.compile(
    r"(?<![A-Za-z\u00c0-\u024f&])(?:[A-Z][A-Za-z\u00c0-\u024f0-9&'\-]*\.?\s+){0,5}?"
    r"[A-Z][A-Za-z\u00c0-\u024f0-9&'\-]*\s*,?\s*"
    r"(?:GmbH|AG|Inc\.|Inc(?![A-Za-z])|Corporation|Corp\.|Co\.,\s*Ltd\.|Ltd\.|Limited|LLC|PLC|S\.A\.|SE|N\.V\.|B\.V\.|"
    r"K\.K\.)(?![A-Za-z])"
)
# most articles have no Latin company form at all: one cheap search decides whether to run _LATIN_ORG
_LATIN_FORM = re.compile(r"GmbH|Inc|Corp|Ltd|Limited|LLC|PLC|(?<![A-Za-z])(?:AG|SE)(?![A-Za-z])|[SNBK]\.[AVK]\.")
_FORM_RE = re.compile("|".join(sorted(map(re.escape, _FORMS), key=len, reverse=True)))
# characters a name is made of (CJK, Latin, digits, brackets of a (重庆) region part, · and &)
_NAME_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()·&\-]*")
_LEAD_WORDS = sorted(
    """
    成立了 成立 设立 注册 组建 新设 落户 引进 引入 携手 联合 签约 牵手 包括 以及 例如 比如 其中 分别 还有 作为
    由 与 和 及 同 跟 向 对 在 于 是 为 将 把 被 让 从 据 等 即 也 并 就 已 又 而 再 如 经 之 了 的 请 邀请 来自
    旗下 所属 下属 控股 投资 出资 合资 独资 共同 全资 一家 这家 该 本 其 系 属 位于 总部 此次 今年 近日 日前 目前 同时
    服务对象 合作伙伴 主要 重点 分别是 企业 公司 集团 单位 机构 客户 包含 涵盖 涉及 代表 嘉宾 负责人 董事长 总经理
    """.split(),
    key=len,
    reverse=True,
)
_MAX_NAME = 40
_GENERIC_BODIES = {"有限", "股份", "该", "本", "其", "这家", "一家", "子", "分", "母", "控股", "集团", "产业", "企业",
                   "投资", "外资", "民营", "国有", "上市", "合资", "独资", "科技", "平台", "商业", "地方", "各"}


_LEAD_RE = re.compile("(?:" + "|".join(_LEAD_WORDS) + ")")


def _trim_lead(name: str) -> str:
    while True:
        match = _LEAD_RE.match(name)
        if not match or len(name) - match.end() < 4:
            return name
        name = name[match.end() :]


def _balanced(name: str) -> str:
    # an opening bracket before the name ("(北京信技源…") or an unclosed one at its start
    while name.startswith(")"):
        name = name[1:]
    if name.count("(") < name.count(")"):
        name = name[name.index(")") + 1 :]
    if name.startswith("(") and ")" not in name:
        name = name[1:]
    return name


_SPLIT_MARKERS = re.compile(
    r"成立了|成立|落户|引进|引入|携手|签约|包括|牵手|联合|旗下|子公司|(?:资|营|头|干|市)企业|内的|是|与|同|和|及|向|在|由|将|被|把|为|对|的"
)


def _place_at(text: str, at: int = 0) -> tuple[str, int]:
    """("place" | "county" | "", length) of the longest region name starting at text[at]."""
    t = tables()
    for size in t.lengths.get(text[at : at + 1], ()):
        key = text[at : at + size]
        if key in t.full:
            return "county", size
        if key in t.places:
            return "place", size
    return "", 0


def _starts_with_place(text: str) -> bool:
    return bool(_place_at(text)[0])


def _split_inside(name: str, form: str) -> str:
    """"姜锺焕是北京信技源信息服务有限公司" → "北京信技源信息服务有限公司": cut after a sentence word when what
    follows starts with a place name, or after 是/与/同/旗下/子公司… when a 字号 is left; "枣阳市湖北天合…"
    (a county, then a province or city) starts at the second place."""
    room = len(name) - len(form)
    cuts = [m.end() for m in _SPLIT_MARKERS.finditer(name, 0, room)]
    for cut in cuts:
        if _starts_with_place(name[cut:]) and room - cut >= 2:
            return _split_inside(name[cut:], form) if cut else name
    for cut in reversed(cuts):
        shortest = 2 if form in ("集团", "大学", "学院", "银行") else 3  # 川大学 is no name, 四川大学 is
        if room - cut >= shortest and (name[cut - 1] in "是与同" or name[max(0, cut - 2) : cut] in ("旗下", "公司", "企业", "内的")):
            return name[cut:]
    kind, size = _place_at(name)
    if kind == "county" and size < room:
        second, size2 = _place_at(name, size)
        if second == "place" and room - size - size2 >= 2:
            return name[size:]
    return name


def find_orgs(text: str) -> list[Org]:
    orgs: list[Org] = []
    taken_until = -1
    for match in _FORM_RE.finditer(text):
        end = match.end()
        form = match.group()
        # 有限公司 inside 集团有限公司 was consumed whole; a 大学 followed by 学院 … keep the longest
        if text.startswith(("有限公司", "股份有限公司", "有限责任公司"), end) and form in ("集团", "研究院"):
            continue
        if form in ("学院", "大学") and text.startswith(("附属", "学院"), end):
            continue
        if form in ("大学", "学院") and _SUB_INSTITUTE.match(text, end):
            continue  # the institute's own match takes the whole name
        branch = _BRANCH.match(text, end) if "公司" in form or form == "银行" else None
        if branch and not re.search(r"[与和及的是在将]", branch.group()[:-3]):
            end = branch.end()
        start = match.start()
        window = text[max(0, end - _MAX_NAME) : start][::-1]
        start -= _NAME_RUN.match(window).end()
        if start <= taken_until:
            start = taken_until + 1
        name = text[start:end]
        trimmed = _balanced(_split_inside(_trim_lead(name), form))
        if trimmed != name:
            # re-cut the lead words from the cleaned name's start
            start = end - len(trimmed)
            name = trimmed
        body = name[: -(len(form) + (end - match.end()))]
        inner = body.rfind("公司")
        if inner >= 0 and len(body) - inner - 2 >= 2 and not body.startswith(("分", "子"), inner + 2):
            # "香港上市公司华星控股集团有限公司": a description ending in 公司 before the name itself
            cut = inner + 2
            name, body, start = name[cut:], body[cut:], start + cut
        if len(body) < 2 or body in _GENERIC_BODIES or body.endswith(("的", "家", "个", "级")):
            continue
        if form in ("集团", "银行", "学院") and len(body) < 2:
            continue
        if form == "集团" and body.endswith(("企业", "产业", "龙头")):
            continue
        if any(ch.isdigit() for ch in body[:1]):
            continue
        shorts: list[str] = []
        note = re.match(r"\s*\((?:以下|下文|下)?(?:简称|称)[^)]{0,30}\)", text[end:])
        if note:
            shorts = short_names_in(note.group())
            taken_until = end + note.end()
        else:
            taken_until = end
        orgs.append(Org(name=name, short_names=shorts, span=Span(start, end)))
    _add_foreign(text, orgs)
    return orgs


def _add_foreign(text: str, orgs: list[Org]) -> None:
    """Foreign forms the 组织形式 scan does not know: Latin names (GmbH, Inc., Co., Ltd.) and a foreign group
    called "X国…公司" in Chinese. Skipped where a name found already covers the span."""
    taken = [(o.span.start, o.span.end) for o in orgs]
    found: list[Org] = []
    patterns = (_FOREIGN_GROUP, _LATIN_ORG) if _LATIN_FORM.search(text) else (_FOREIGN_GROUP,)
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            name = match.group().strip()
            if pattern is _FOREIGN_GROUP and re.search(r"[,的与和在是将对某]|一家|这家|多家|几家|企业|投资者|客户", name):
                continue
            found.append(Org(name=name, short_names=[], span=Span(start, end)))
            taken.append((start, end))
    if found:
        orgs.extend(found)
        orgs.sort(key=lambda o: o.span.start)
