"""Money amounts and (number of projects, total amount) pairs.

An amount is a number (Arabic, or Chinese numerals: 两百亿元) with a multiplier (万/亿/千亿/万亿 …)
and/or a currency (元, 美元 …). A bare "1.85亿" counts as yuan when money words stand before it and no
measure word (人、吨、平方米 …) after it. Values are exact: Decimal arithmetic, then int.

kind: "threshold" — a bar projects are counted against (10亿元以上项目55个, 超10亿元的项目, 单体投资…);
"total" — a sum (总投资、合计、累计、共 …, or paired with a number of projects); "value" — otherwise.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal, InvalidOperation

from .types import Amount, Pair, Region, Span

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MULTIPLIERS = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "十亿": 10**9, "亿": 10**8, "億": 10**8,
                "千万": 10**7, "百万": 10**6, "十万": 10**5, "万": 10**4, "千": 10**3}
_CURRENCIES = {"元": "CNY", "人民币": "CNY", "元人民币": "CNY", "美元": "USD", "美金": "USD", "港元": "HKD",
               "港币": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP"}

AMOUNT_RE = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十百千〇零]+)"
    r"(?P<q_in>余|多)?"
    r"(?:(?P<mult>万亿|千亿|百亿|十亿|亿|億|千万|百万|十万|万|千)(?P<q_in2>余|多)?"
    r"(?P<cur>元人民币|元|美元|美金|港元|港币|欧元|日元|英镑)?"
    r"|(?P<cur2>元人民币|元|美元|美金|港元|港币|欧元|日元|英镑))"
)
_PREFIX_QUALIFIERS = (("超过", "超"), ("超出", "超"), ("将近", "近"), ("接近", "近"), ("不足", "不足"),
                      ("不到", "不足"), ("逾", "逾"), ("超", "超"), ("近", "近"), ("约", "约"), ("大约", "约"),
                      ("高达", ""), ("多达", ""))
_NOT_QUALIFIER = {"约": "签合协节制预公", "近": "最附临接将靠", "超": "赶"}
_SUFFIX_QUALIFIERS = (("及以上", "以上"), ("以上", "以上"), ("左右", "左右"), ("上下", "左右"), ("余", "余"))
_MONEY_CONTEXT = re.compile(
    r"(投资|资金|金额|总额|产值|营收|收入|融资|估值|规模|签约|募|出资|资本|吸金|投入|合同|税|利润|销售|交易|"
    r"总投资|人民币|资产|拨付|补贴|奖励|贷款|授信|基金|经费|额|到位|计划|拟|预计|达)[^,。;,;]{0,8}$"
)
_MEASURE_AFTER = re.compile(
    r"(?:人|次|户|名|个|件|台|辆|吨|平方|平米|亩|千瓦|瓦|度|张|份|套|株|头|只|条|家|篇|字|册|部|年|天|小时|倍|股|"
    r"千米|公里|米|立方|标准|片|颗|粒|块|箱|支|枚|位|座|栋|间|亿|kW|kw|km|m)"
)
_THRESHOLD_AFTER = re.compile(r"(?:及以上|以上)?(?:的|级)?(?:重点|重大|产业|制造业|工业|签约|招商|优质|大)?(?:项目|企业)")
_THRESHOLD_BEFORE = re.compile(r"(?:单体|单个|单项|单笔|单宗|投资额在|投资在)[^,。;]{0,6}$")
_TOTAL_BEFORE = re.compile(r"(?:总投资|总额|总金额|合计|累计|共计|总计|吸金|共|总规模|总签约)[^,。;]{0,8}$")


def _cn_integer(text: str) -> int | None:
    """Chinese numerals below 万: 两百 → 200, 百 → 100, 一千八百六十 → 1860, 十五 → 15."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None:  # 二零二五-style digit strings
                digit = digit * 10 + _CN_DIGITS[ch]
            else:
                digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def parse_number(text: str) -> Decimal | None:
    if not text:
        return None
    if text[0].isdigit():
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    value = _cn_integer(text)
    return Decimal(value) if value is not None else None


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_BARE_THRESHOLD = re.compile(r"(?<![\d一二两三四五六七八九十百千万亿億余多.])(?P<unit>亿元|億元|万元|千万元)(?=及?以上)")


# "突破万亿元", "超万亿美元": one 万亿 with no number written (千亿 is read as the numeral 千 + 亿)
_BARE_TRILLION = re.compile(
    r"(?<![\d一二两三四五六七八九十百千万〇零.余多])万亿(?P<cur>元人民币|元|美元|港元|欧元)(?!级|以上)"
)
_BARE_TRILLION_QUALIFIERS = (("突破", "超"), ("超过", "超"), ("超", "超"), ("逾", "逾"), ("近", "近"), ("达", ""),
                             ("破", "超"))
# a range of sizes ("50亿元至100亿元项目4个", "1亿—5亿元的项目"): both ends are bars, not sums
_RANGE_JOIN = re.compile(r"\s*(?:至|到|-|—|~|–)\s*")
_RANGE_AFTER = re.compile(r"(?:之间)?(?:的)?[^,。;、\d]{0,6}?(?:项目|企业)")


def find_amounts(text: str) -> list[Amount]:
    amounts = _find_amounts(text)
    # "亿元以上项目612个": a threshold of one 亿元 with no number written
    for match in _BARE_THRESHOLD.finditer(text):
        unit = match["unit"].replace("億", "亿")
        value = {"亿元": 10**8, "万元": 10**4, "千万元": 10**7}[unit]
        amounts.append(Amount(text=match.group(), value=value, currency="CNY", qualifier="以上", kind="threshold",
                              span=Span(*match.span())))
    for match in _BARE_TRILLION.finditer(text):
        before = text[max(0, match.start() - 2) : match.start()]
        qualifier = next((q for word, q in _BARE_TRILLION_QUALIFIERS if before.endswith(word)), None)
        if qualifier is None:
            continue  # "万亿元" alone after a word that does not measure it: too unsure
        amounts.append(Amount(text=match.group(), value=10**12, currency=_CURRENCIES[match["cur"]],
                              qualifier=qualifier, kind="value", span=Span(*match.span())))
    amounts.sort(key=lambda a: a.span.start)
    for first, second in zip(amounts, amounts[1:], strict=False):
        join = _RANGE_JOIN.fullmatch(text, first.span.end, second.span.start)
        if join and _RANGE_AFTER.match(text, second.span.end):
            first.kind = second.kind = "threshold"
    return amounts


def _find_amounts(text: str) -> list[Amount]:
    amounts: list[Amount] = []
    for match in AMOUNT_RE.finditer(text):
        mult, cur = match["mult"], match["cur"] or match["cur2"]
        num = match["num"]
        arabic = num[0].isdigit()
        start, end = match.start(), match.end()
        if start and text[start - 1] in "0123456789.":
            continue
        if not arabic:
            # Chinese numerals: 两百亿元, 百亿元; never a bare 千万 (千万不要) or a 十 inside a word
            if not cur and "亿" not in (mult or "") and "億" not in (mult or ""):
                continue
            if start > 0 and _is_cjk(text[start - 1]) and text[start - 1] in "第数几":
                continue
        if not cur:
            after = text[end : end + 3]
            if _MEASURE_AFTER.match(after) or mult == "千":
                continue
            if not _MONEY_CONTEXT.search(text, max(0, start - 16), start):
                continue
        number = parse_number(num)
        if number is None or number == 0:
            continue
        currency = _CURRENCIES.get(cur or "元", "CNY")
        if cur == "元" and text.startswith("人民币", end):
            end += 3
        value = number * _MULTIPLIERS.get(mult or "", 1)
        before = text[max(0, start - 4) : start]
        qualifier = ""
        for word, q in _PREFIX_QUALIFIERS:
            if before.endswith(word):
                # 签约18亿元 / 最近5亿元: the 约 of 签约, the 近 of 最近, are no qualifiers
                if not (len(word) == 1 and before[-2:-1] in _NOT_QUALIFIER.get(word, "")):
                    qualifier = q
                break
        if not qualifier and (match["q_in"] or match["q_in2"]):
            qualifier = match["q_in"] or match["q_in2"]
        suffix_q = ""
        for word, q in _SUFFIX_QUALIFIERS:
            if text.startswith(word, end):
                suffix_q = q
                break
        if suffix_q == "余" or (suffix_q and not qualifier):
            qualifier = qualifier or suffix_q
        kind = "value"
        tail = text[end : end + 14]
        head = text[max(0, start - 14) : start]
        if text.startswith("级", end) or _THRESHOLD_BEFORE.search(head):
            kind = "threshold"
        elif _THRESHOLD_AFTER.match(tail) and (suffix_q == "以上" or qualifier in ("超", "逾", "以上")):
            kind = "threshold"
        elif _TOTAL_BEFORE.search(head):
            kind = "total"
        amounts.append(
            Amount(
                text=text[match.start() : end], value=int(value), currency=currency, qualifier=qualifier,
                kind=kind, span=Span(match.start(), end),
            )
        )
    return amounts


# --------------------------------------------------------------------------------------------
# pairs

_COUNT_RE = re.compile(r"(?<![\d.])(?P<num>\d+|[一二两三四五六七八九十百]+)(?:余|多)?个")
_CLAUSE_END = re.compile(r"[。;!?\n]")
_SUB_COUNT = re.compile(r"(?:及以上|以上)?(?:的)?[^,。;、\d]{0,8}?项目(?:共|达)?(?P<num>\d+|[一二两三四五六七八九十百]+)(?:余|多)?个")
_PROJECT_AFTER = re.compile(r"[^,。;、]{0,8}?项目")
# what a group's own sum is introduced by, right after its count: "项目9个,投资额合计201.5亿元"
_GROUP_SUM = re.compile(r"[,、]?(?:总|计划|协议|合同|签约)?(?:投资额?|金额|合同额)?(?:合计|共计|总计|共|达|为)?[约近超逾]?"
                        r"(?:过|出)?")
_TARGET = re.compile(r"力争|争取|目标|预计到|计划到|到20\d\d年")
# a figure that measures output, not investment: 年产值60亿元, 营收56亿元, 工业总产值超过2000亿元
_OUTPUT_BEFORE = re.compile(
    r"(?:产值|营收|营业收入|营业额|收入|税收|利税|纳税|销售额|销售收入|利润|增加值|生产总值|GDP|注册资本金?|市值|估值|"
    r"进出口额?|出口额?|交易额|成交额|规模以上|订单)[^,。;,;、]{0,5}$"
)


def is_output(text: str, amount: Amount) -> bool:
    """True when the words just before amount say it measures output, revenue or capital, not an
    investment (年产值约60亿元, 营收56.3亿港元, 注册资本金5亿元)."""
    return bool(_OUTPUT_BEFORE.search(text, max(0, amount.span.start - 12), amount.span.start))


def find_pairs(text: str, amounts: list[Amount], regions: list[Region]) -> list[Pair]:
    amount_starts = {a.span.start for a in amounts}
    after_threshold = set()
    for a in amounts:
        if a.kind == "threshold":
            m = _SUB_COUNT.match(text, a.span.end)
            if m:
                after_threshold.add(m.start("num"))
    usable = [a for a in amounts if a.kind != "threshold" and not is_output(text, a)]
    counts: list[tuple[int, int, int, bool]] = []  # (count, start, end, strict)
    for match in _COUNT_RE.finditer(text):
        start, end = match.span()
        is_project = bool(_PROJECT_AFTER.match(text, end)) or text[max(0, start - 6) : start].endswith(
            ("项目", "项目共", "项目达", "项目合计")
        )
        if not is_project and text[end : end + 1] in "、,":
            # 长寿区3个、45亿元 — one line of a breakdown: an amount follows at once
            is_project = end + 1 in amount_starts or end + 2 in amount_starts
        if not is_project:
            continue
        value = parse_number(match["num"])
        if value is None or value == 0:
            continue
        strict = False
        if start in after_threshold:
            sentence_start = max(text.rfind(c, 0, start) for c in "。!?\n") + 1
            before = text[sentence_start:start]
            if "其中" in before or "中," in before or (counts and counts[-1][1] >= sentence_start):
                # "其中10亿元以上项目11个": how many pass a bar — a pair only when that group's own sum
                # follows at once ("10亿元以上项目9个,投资额合计201.5亿元")
                strict = True
                following = next((a for a in usable if a.span.start >= end), None)
                if following is None or not _GROUP_SUM.fullmatch(text, end, following.span.start):
                    continue
        counts.append((int(value), start, end, strict))
    usable_starts = [a.span.start for a in usable]
    region_starts = [r.span.start for r in regions]
    pairs: list[Pair] = []
    for index, (count, start, end, strict) in enumerate(counts):
        clause_end = _CLAUSE_END.search(text, end)
        limit = min(clause_end.start() if clause_end else len(text), end + 45)
        next_count = counts[index + 1][1] if index + 1 < len(counts) else len(text)
        chosen = None
        at = bisect_left(usable_starts, end)
        window = [a for a in usable[at : at + 4] if a.span.start < min(limit, next_count)]
        if strict:
            window = [a for a in window[:1] if _GROUP_SUM.fullmatch(text, end, a.span.start)]
            if not window:
                continue
        elif _TARGET.search(text, max(text.rfind(c, 0, start) for c in "。!?;\n") + 1, start):
            continue  # "力争全年新签约项目55个以上": a goal, not a result
        if window:
            # "年度计划投资3,200亿元,总投资超过1.2万亿元": the total, when one is stated
            chosen = next((a for a in window if a.kind == "total"), window[0])
        if chosen is None and at > 0:
            # 总投资60亿元的12个项目: the amount just before, in the same clause
            prev_end = counts[index - 1][2] if index else 0
            amount = usable[at - 1]
            nearest = max((a for a in amounts if a.span.end <= start), key=lambda a: a.span.end, default=None)
            if nearest is amount and prev_end <= amount.span.end <= start and start - amount.span.end <= 12 and not _CLAUSE_END.search(
                text, amount.span.end, start
            ):
                chosen = amount
        if chosen is None:
            continue
        if chosen.kind == "value":
            chosen.kind = "total"
        region = ""
        paragraph_start = text.rfind("\n", 0, start) + 1
        breakdown = any(p.span.start >= paragraph_start for p in pairs)
        clause_start = max(text.rfind(c, 0, start) for c in "。;\n:")
        at = bisect_left(region_starts, start)
        if at > 0:
            r = regions[at - 1]
            if breakdown and clause_start < r.span.start and r.span.end <= start and start - r.span.end <= 12:
                region = r.name
        lo, hi = min(start, chosen.span.start), max(end, chosen.span.end)
        pairs.append(Pair(count=count, value=chosen.value, currency=chosen.currency, region=region, span=Span(lo, hi)))
    return pairs
