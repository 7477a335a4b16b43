"""Project names ("…项目"), the chain roles (强链/固链/补链/延链) and 33618 clusters mentioned, and what
ties them together within a sentence: a project's region (落地九龙坡), its planned investment (计划投资5亿元),
its chain role (这是“固链”), its cluster and its organisation (北京嘉岳的…项目)."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from functools import lru_cache

from apps.chains.reference import DATA as CLUSTER_DATA

from .amounts import is_output
from .types import Amount, Org, ProjectMention, Region, Span

CHAIN_ROLE_RE = re.compile(r"强链|固链|补链|延链")
# everyday names for a cluster, mapped to its name in the 33618 list
_CLUSTER_ALIASES = {
    "智能网联汽车": "智能网联新能源汽车",
    "新能源汽车": "智能网联新能源汽车",
    "电子信息制造": "新一代电子信息制造业",
    "电子信息产业": "新一代电子信息制造业",
    "软件信息": "软件信息服务",
    "软件和信息服务": "软件信息服务",
    "智能装备": "智能装备及智能制造",
    "智能制造": "智能装备及智能制造",
    "食品加工": "食品及农产品加工",
    "农产品加工": "食品及农产品加工",
    "新型储能": "新能源及新型储能",
    "服务机器人": "AI及服务机器人",
    "仪器仪表": "传感器及仪器仪表",
}


@lru_cache(maxsize=1)
def cluster_table() -> tuple[re.Pattern, dict[str, str]]:
    data = json.loads(CLUSTER_DATA.read_text(encoding="utf-8"))
    names: list[str] = []
    for key in ("trillion_level_leading_clusters", "five_hundred_billion_level_pillar_clusters",
                "hundred_billion_level_featured_clusters"):
        names.extend(data[key]["names"])
    names.extend(item["name"] for item in data["new_star_clusters"]["confirmed_individually"])
    table = {name: name for name in names}
    for alias, name in _CLUSTER_ALIASES.items():
        if name in table:
            table.setdefault(alias, name)
    pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    return pattern, table


def find_chain_roles(text: str) -> list[tuple[str, Span]]:
    return [(m.group(), Span(*m.span())) for m in CHAIN_ROLE_RE.finditer(text)]


def find_clusters(text: str) -> list[tuple[str, Span]]:
    pattern, table = cluster_table()
    out = []
    for match in pattern.finditer(text):
        # 轻纺 in 轻纺织品 is still the cluster; 先进材料 is never part of a longer word that matters
        out.append((table[match.group()], Span(*match.span())))
    return out


_SENTENCE_END = re.compile(r"[。!?;\n]")
_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9“”\"《》()·.\-]*")
_LEAD = sorted(
    """
    例如 又如 再如 比如 譬如 其中 包括 以及 签约 签下 落地 落户 引进 引入 实施 推动 推进 建设 新建 投资 计划 启动 开工
    竣工 投产 总投资 成功 正式 共同 分别 重点 还有 此外 同时 目前 该 此 本 由 与 和 将 是 为 在 对 把 并 其
    """.split(),
    key=len,
    reverse=True,
)
_CUT = re.compile(r"与|提供|开展|推动|促成|实现|围绕|聚焦|通过|对接|完成|达成|包括|涵盖|签约|引进|落地|落户|"
                  r"一批|以及|等|个|家|批|和|举办|举行|召开|联合|建设|新建|扩建|投资|实施|启动|开工|打造|建立|调度|坚持|"
                  r"一次|相继|推进|加快|加速|加紧|做好|抓好|谋划|保障|\)")
_NOT_A_NAME = re.compile(r"\d{4}年|季度|第[一二三四五六七八九十\d]+批|亿|万元|以上|以下|招商引资$")
_CATEGORY_COUNT = re.compile(r"\d+个")
_GENERIC_END = (
    "重点", "重大", "签约", "外资", "内资", "优质", "招商", "产业", "合作", "落地", "在建", "新建", "储备", "这些",
    "各类", "高质量", "上述", "所有", "好", "大", "新", "的", "类", "该", "此", "本", "示范", "样板", "工业",
    "制造业", "基础设施", "民生", "社会事业", "科技", "外商投资", "投资", "市级", "省级", "国家级", "亿元",
    "万元", "建设", "集中", "开工", "竣工", "一般", "单体", "储备", "备案", "引进", "技改", "入库", "续建",
    "企业", "先进制造", "智能制造", "高端制造", "先进", "高端", "同类", "相关", "同期",
)
# "港澳台资企业项目集中签约活动": 项目 inside an event's name
_EVENT_AFTER = re.compile(r"(?:集中)?(?:签约|推介|开工|竣工|观摩|路演)(?:活动|仪式|大会|会)|集中(?:签约|开工|竣工)")
# "属于“补链”项目", "是“链主”项目": a quoted kind of project, not a name
_QUOTED_KIND = re.compile(r"[“\"][^“”\"]{1,4}[”\"]$")
_NOT_ORG = re.compile(r"\d|投资|签约|计划|亿|万|本次|此次|这|其|该|发展|建设|推动|重点|地区|活动|领域|方面|年|月|日")
_GENERIC_NAMES = {"产业化", "示范", "中试", "试点", "招商引资", "双招双引", "合作", "工程"}


_LEAD_RE = re.compile("(?:" + "|".join(_LEAD) + ")+")


def _lead_strip(run: str) -> tuple[str, bool]:
    match = _LEAD_RE.match(run)
    if not match:
        return run, False
    lead = match.group()
    if len(lead) == len(run):
        return "", False
    return run[len(lead) :], "建设" in lead or "新建" in lead


def _sentence_start(bounds: list[int], pos: int) -> int:
    at = bisect_left(bounds, pos)
    return bounds[at - 1] + 1 if at else 0


def _region_by_context(text: str, regions: list[Region], region_starts: list[int], start: int) -> str:
    """No region in the project's sentence: the one region its paragraph names before it, else the one
    region the whole article names (a district's own press release)."""
    paragraph_start = text.rfind("\n", 0, start) + 1
    at = bisect_left(region_starts, start)
    before = {r.name for r in regions[:at] if r.span.start >= paragraph_start}
    if len(before) == 1:
        return before.pop()
    if not before:
        names = {r.name for r in regions}
        if len(names) == 1:
            return names.pop()
    return ""


_INVEST_BEFORE = re.compile(
    r"(?:投资|总投资|投资额|投资总额|计划投资|协议投资|签约金额|合同金额|合同额|增资|追加投资|出资|投入|总额|规模)"
    r"[^,。;、]{0,5}$"
)


def _project_amount(text: str, amounts: list[Amount], amount_starts: list[int], start: int, end: int,
                    floor: int, ceiling: int) -> Amount | None:
    """The project's investment: the figure introduced as one (投资42亿元 / 计划投资22亿元) nearest to the
    name, before it (back to the sentence start or the previous project) or after it (to the sentence end or
    the next project); output figures (年产值/营收/税收/注册资本) and thresholds never."""
    def usable(a: Amount) -> bool:
        return a.kind != "threshold" and not is_output(text, a)

    def invest(a: Amount) -> bool:
        return bool(_INVEST_BEFORE.search(text, max(0, a.span.start - 10), a.span.start))

    at = bisect_left(amount_starts, end)
    after = [a for a in amounts[at : at + 4] if a.span.start < ceiling and usable(a)]
    at = bisect_left(amount_starts, start)
    before = [a for a in amounts[max(0, at - 4) : at] if a.span.start >= floor and a.span.end <= start and usable(a)]
    before_invest = [a for a in before if invest(a) and start - a.span.end <= 30]
    after_invest = [a for a in after if invest(a)]
    if before_invest and after_invest:
        b, a = before_invest[-1], after_invest[0]
        return b if start - b.span.end <= a.span.start - end else a
    if after_invest:
        return after_invest[0]
    if before_invest:
        return before_invest[-1]
    if after:
        return after[0]
    if before and start - before[-1].span.end <= 12:
        return before[-1]
    return None


def _dominant_region(regions: list[Region]) -> str:
    """The region an article is about, when one stands out (named three times or more, and more than twice
    as often as any other): where its projects are when their own paragraph does not say."""
    counts: dict[str, int] = {}
    for r in regions:
        counts[r.name] = counts.get(r.name, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] > 2 * ranked[1][1]):
        return ranked[0][0]
    return ""


# A facility built or set up, named without "项目": 建设西部卫星遥感数据应用中心, 共建新材料中试基地,
# 扩建其位于…的亚太区生产中心. Taken only when the sentence names who builds it (an organisation before the
# verb) or what it costs (an investment figure in the sentence), so "加快建设西部金融中心" stays a goal.
_FACILITY = re.compile(
    r"(?:建设|新建|扩建|共建|投建|兴建|筹建|建立|设立)(?:其|了|一个|一座|一处)?"
    r"(?P<run>[\u4e00-\u9fffA-Za-z0-9()·\-]{2,30}?(?:基地|中心|总部|产业园|工业园|科技园|园区|工厂|生产线))"
    r"(?![\u4e00-\u9fffA-Za-z0-9])"
)
_FACILITY_NOT = re.compile(r"^(?:成|为)|城市$|一流|国际|全国|世界|重要|国家级|示范")


def _facility_candidates(text: str, bounds: list[int], amounts: list[Amount], orgs: list[Org]):
    out = []
    for match in _FACILITY.finditer(text):
        run, start = match["run"], match.start("run")
        if "的" in run:
            cut = run.rindex("的") + 1
            run, start = run[cut:], start + cut
        for o in orgs:
            if start <= o.span.start < match.end():
                run = ""  # an organisation's own name ("设立XX研究中心有限公司" is caught as an org)
        if len(run) < 5 or _FACILITY_NOT.search(run) or run in cluster_table()[1]:
            continue
        sentence_start = _sentence_start(bounds, match.start())
        has_org = any(sentence_start <= o.span.start and o.span.end <= match.start() for o in orgs)
        sentence_end = bounds[bisect_left(bounds, match.end())] if bisect_left(bounds, match.end()) < len(bounds) \
            else len(text)
        has_money = any(sentence_start <= a.span.start < sentence_end and a.kind != "threshold" and not is_output(text, a)
                        for a in amounts)
        if not (has_org or has_money):
            continue
        out.append((start, start + len(run), run, ""))
    return out


def _merge(candidates: list, facilities: list) -> list:
    """Both kinds of names in text order; a facility inside or overlapping a "…项目" name is that name."""
    merged = list(candidates)
    for f in facilities:
        if not any(f[0] < c[1] and c[0] < f[1] for c in candidates):
            merged.append(f)
    merged.sort(key=lambda c: c[0])
    return merged


def find_projects(
    text: str, amounts: list[Amount], regions: list[Region], orgs: list[Org],
    chain_roles: list[tuple[str, Span]], clusters: list[tuple[str, Span]],
) -> list[ProjectMention]:
    bounds = [m.start() for m in _SENTENCE_END.finditer(text)]
    candidates: list[tuple[int, int, str, str]] = []  # start, end, name, org prefix
    search_from = 0
    while True:
        at = text.find("项目", search_from)
        if at < 0:
            break
        search_from = at + 2
        if at and text[at - 1] in "“\"「":
            continue  # "坚持“项目为王”": 项目 opens a slogan
        if _EVENT_AFTER.match(text, at + 2):
            continue
        start = at - _RUN.match(text[max(0, at - 40) : at][::-1]).end()
        run = text[start:at]
        org_prefix = ""
        if "的" in run:
            cut = run.rindex("的")
            org_prefix, run, start = run[:cut], run[cut + 1 :], start + cut + 1
        # an organisation's full name written before the project: "浙江吉利控股集团有限公司新能源汽车…项目"
        for o in orgs:
            if start <= o.span.end < at and o.span.start >= start - 40:
                org_prefix = o.name
                run, start = text[o.span.end : at], o.span.end
        cut_words = list(_CUT.finditer(run))
        build = False
        if cut_words:
            last = cut_words[-1]
            build = last.group() in ("建设", "新建", "打造")
            start += last.end()
            run = run[last.end() :]
        if _QUOTED_KIND.search(run):
            continue
        stripped, was_build = _lead_strip(run)
        was_build = was_build or build
        start += len(run) - len(stripped)
        body = stripped.strip("“”\"《》")
        if body != stripped:
            start = text.find(body, start) if body else start
        if "项目" in body:
            continue  # "签约项目“一项目一专班”": a slogan, not a name
        if len(body) < 4 or body.endswith(_GENERIC_END) or body in _GENERIC_NAMES or _NOT_A_NAME.search(body):
            continue
        if _CATEGORY_COUNT.match(text, at + 2) or body in cluster_table()[1]:
            continue  # "零部件项目5个", "食品及农产品加工项目": a kind of project, not one
        sentence_start = _sentence_start(bounds, start)
        if was_build and candidates and candidates[-1][0] >= sentence_start:
            continue  # "…项目, 计划投资18亿元, 建设…示范项目": a description of the project just named
        if any(body in c[2] for c in candidates):
            continue  # "本次签约的电子元器件项目": a short second mention of a project named before
        candidates.append((start, at + 2, body + "项目", org_prefix))

    candidates = _merge(candidates, _facility_candidates(text, bounds, amounts, orgs))
    projects: list[ProjectMention] = []
    dominant = _dominant_region(regions)
    region_starts = [r.span.start for r in regions]
    amount_starts = [a.span.start for a in amounts]
    for index, (start, end, name, org_prefix) in enumerate(candidates):
        sentence_start = _sentence_start(bounds, start)
        sentence_end_match = _SENTENCE_END.search(text, end)
        sentence_end = sentence_end_match.start() if sentence_end_match else len(text)
        next_start = candidates[index + 1][0] if index + 1 < len(candidates) else len(text)
        scope_end = min(sentence_end, next_start)
        region = ""
        at = bisect_left(region_starts, start)
        if at < len(regions) and regions[at].span.end <= end:
            region = regions[at].name  # 青岛市黄岛区裕龙石化产业园二期项目
        at = bisect_left(region_starts, end)
        if region:
            pass
        elif at < len(regions) and regions[at].span.start < min(scope_end, end + 30):
            region = regions[at].name
        else:
            at = bisect_left(region_starts, start)
            if at > 0:
                r = regions[at - 1]
                if sentence_start <= r.span.start and r.span.end <= start and start - r.span.end <= 20:
                    region = r.name
        if not region:
            region = _region_by_context(text, regions, region_starts, start)
        prev_end = candidates[index - 1][1] if index else 0
        chosen = _project_amount(text, amounts, amount_starts, start, end, max(sentence_start, prev_end),
                                 min(scope_end, end + 40))
        value, currency = (chosen.value, chosen.currency) if chosen else (None, "")
        if not region and dominant:
            region = dominant
        chain_role = next((n for n, s in chain_roles if start <= s.start < scope_end), "")
        if not chain_role:
            # "…项目。…负责人说。该项目将…,这是典型的“强链”。": said of it later in the paragraph, before the
            # next project
            paragraph_end = text.find("\n", end)
            limit = min(next_start, paragraph_end if paragraph_end >= 0 else len(text), end + 150)
            chain_role = next((n for n, s in chain_roles if scope_end <= s.start < limit), "")
        cluster = next((n for n, s in clusters if start <= s.start < scope_end), "")
        org = ""
        if org_prefix:
            if 2 <= len(org_prefix) <= 12 and not _NOT_ORG.search(org_prefix):
                org = org_prefix
            for o in orgs:
                if org_prefix == o.name or org_prefix in o.short_names:
                    org = o.name
                    break
        else:
            for o in orgs:
                if sentence_start <= o.span.start and o.span.end <= start:
                    org = o.name
        projects.append(ProjectMention(
            name=name, region=region, value=value, currency=currency, chain_role=chain_role, cluster=cluster,
            org=org, span=Span(start, end),
        ))
    return projects
