"""Project names ("…项目"), the chain roles (强链/固链/补链/延链) and 33618 clusters mentioned, and what
ties them together within a sentence: a project's region (落地九龙坡), its planned investment (计划投资5亿元),
its chain role (这是“固链”), its cluster and its organisation (北京嘉岳的…项目)."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from functools import lru_cache

from apps.chains.reference import DATA as CLUSTER_DATA

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
                  r"一批|以及|等|个|家|批|和|举办|举行|召开|联合|建设|新建|扩建|投资|实施|启动|开工|\)")
_NOT_A_NAME = re.compile(r"\d{4}年|季度|第[一二三四五六七八九十\d]+批|亿|万元|以上|以下|招商引资$")
_CATEGORY_COUNT = re.compile(r"\d+个")
_GENERIC_END = (
    "重点", "重大", "签约", "外资", "内资", "优质", "招商", "产业", "合作", "落地", "在建", "新建", "储备", "这些",
    "各类", "高质量", "上述", "所有", "好", "大", "新", "的", "类", "该", "此", "本", "示范", "样板", "工业",
    "制造业", "基础设施", "民生", "社会事业", "科技", "外商投资", "投资", "市级", "省级", "国家级", "亿元",
    "万元", "建设", "集中", "开工", "竣工", "一般", "单体", "储备", "备案", "引进", "技改", "入库", "续建",
)
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
            build = last.group() in ("建设", "新建")
            start += last.end()
            run = run[last.end() :]
        stripped, was_build = _lead_strip(run)
        was_build = was_build or build
        start += len(run) - len(stripped)
        body = stripped.strip("“”\"《》")
        if body != stripped:
            start = text.find(body, start) if body else start
        if len(body) < 4 or body.endswith(_GENERIC_END) or body in _GENERIC_NAMES or _NOT_A_NAME.search(body):
            continue
        if _CATEGORY_COUNT.match(text, at + 2) or body in cluster_table()[1]:
            continue  # "零部件项目5个", "食品及农产品加工项目": a kind of project, not one
        sentence_start = _sentence_start(bounds, start)
        if was_build and candidates and candidates[-1][0] >= sentence_start:
            continue  # "…项目, 计划投资18亿元, 建设…示范项目": a description of the project just named
        candidates.append((start, at + 2, body + "项目", org_prefix))

    projects: list[ProjectMention] = []
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
        value, currency = None, ""
        at = bisect_left(amount_starts, end)
        for a in amounts[at : at + 4]:
            if a.span.start >= min(scope_end, end + 40):
                break
            if a.kind != "threshold":
                value, currency = a.value, a.currency
                break
        if value is None:
            at = bisect_left(amount_starts, start)
            if at > 0:
                a = amounts[at - 1]
                if sentence_start <= a.span.start and a.span.end <= start and start - a.span.end <= 12 \
                        and a.kind != "threshold":
                    value, currency = a.value, a.currency
        chain_role = next((n for n, s in chain_roles if start <= s.start < scope_end), "")
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
