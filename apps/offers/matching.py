"""Matching an enterprise's needs against every district's offers: a ranked list of districts, each
with the concrete offers that fit, the reasons (Chinese sentences) and what is missing.

Two halves. `load_book` reads the offers in a fixed number of queries into plain rows; `rank_book`
is a pure function over those rows, so the evaluation (evaluation.py) runs the very same scoring over
a JSON fixture without a database.

Scoring. Each criterion the need states gets a weight and a fit between 0 and 1; a district's score
is Σ weight·fit / Σ weight of the criteria stated, ×100 — so a need that says nothing about water is
not judged on water, and scores of different needs are on the same 0–100 scale. Weights:

  space (site kind, area, ready in time)  30  — without a place to build or move in there is no
                                                 project; the one thing a district cannot promise later
  cluster (a park leads it)              25  — 33618 placement: where the chain, suppliers and
                                                 the district's attention already are
  chain link (park names the link)       15  — finer than the cluster: a battery maker belongs where
                                                 batteries are named, not just "automotive"
  power                                  10  — a hard limit for manufacturing, but a grid upgrade
                                                 is possible, so partial credit below the need
  policy in force for the cluster        10  — helps the decision, rarely decides it
  water                                   5  — binding only for process industries
  talent                                  5  — soft: resources describe programmes, not people
  market                                  5  — soft, as talent

These were set from the reasoning above before the labelled set was scored; evaluation.py reports
how they rank on it (docs/benchmarks-offers.md)."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from apps.offers.choices import MU, SiteKind, SiteStatus

WEIGHTS = {
    "space": 30,
    "cluster": 25,
    "link": 15,
    "power": 10,
    "policy": 10,
    "water": 5,
    "talent": 5,
    "market": 5,
}
# Buildings of these kinds can stand in for each other (a 研发楼 floor can be let as offices); land
# and a standard factory cannot.
NEAR_KINDS = {frozenset({SiteKind.OFFICE, SiteKind.RND}): Decimal("0.6")}
# A site bigger than the need's maximum still fits if it can be split or the surplus kept in reserve;
# beyond this factor it is a different project.
OVERSIZE_LIMIT = Decimal("1.5")
# Cluster credit for a district none of whose parks leads the cluster but one names the need's link
# (added after the first dev run: see docs/benchmarks-offers.md).
LINK_WITHOUT_CLUSTER = 0.8
# Link credit for a park naming the link without leading the cluster.
LINK_OUTSIDE_CLUSTER = 0.6
KIND_LABELS = {SiteKind.LAND: "工业用地", SiteKind.FACTORY: "标准厂房", SiteKind.OFFICE: "写字楼",
               SiteKind.RND: "研发楼"}
# Share of a long term's character pairs that must occur in a text for it to count as mentioned.
TERM_OVERLAP = 0.7
SPLIT = re.compile(r"[\s,，、;；/和及与等的]+")


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    sort_order: int = 0


@dataclass(frozen=True)
class ParkRow:
    id: int
    unit_id: int
    name: str
    cluster_ids: frozenset
    cluster_names: tuple = ()
    leading_industries: str = ""
    description: str = ""


@dataclass(frozen=True)
class SiteRow:
    id: int
    unit_id: int
    name: str
    kind: str
    area: Decimal
    park_name: str = ""
    power_kva: int | None = None
    water_tpd: Decimal | None = None
    ready_date: datetime.date | None = None
    status: str = SiteStatus.AVAILABLE
    price: Decimal | None = None
    price_unit: str = ""


@dataclass(frozen=True)
class PolicyRow:
    id: int
    unit_id: int
    title: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    cluster_ids: frozenset
    doc_number: str = ""


@dataclass(frozen=True)
class ResourceRow:
    id: int
    unit_id: int
    kind: str
    title: str
    description: str = ""


@dataclass
class Book:
    units: list
    parks: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    policies: list = field(default_factory=list)
    resources: list = field(default_factory=list)


@dataclass(frozen=True)
class Need:
    cluster_id: int
    cluster_name: str
    link_name: str = ""
    link_keywords: tuple = ()
    site_kind: str = ""
    area_min: Decimal | None = None
    area_max: Decimal | None = None
    power_kva: int | None = None
    water_tpd: Decimal | None = None
    needs_talent: str = ""
    needs_market: str = ""
    needed_by: datetime.date | None = None


@dataclass
class SiteFit:
    site: SiteRow
    fit: float
    notes: list


@dataclass
class DistrictMatch:
    unit: object
    score: float
    sites: list = field(default_factory=list)       # [SiteFit], best first
    policies: list = field(default_factory=list)    # [PolicyRow] in force for the cluster (or general)
    parks: list = field(default_factory=list)       # [ParkRow] leading the cluster
    resources: list = field(default_factory=list)   # [ResourceRow] answering talent/market needs
    reasons: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    fits: dict = field(default_factory=dict)        # criterion → fit, for the page and the evaluation


def number_text(value) -> str:
    """12000 → "12,000"; 12000.5 → "12,000.5"."""
    value = Decimal(value).quantize(Decimal("0.1"))
    return f"{value:,.1f}" if value != value.to_integral_value() else f"{value:,.0f}"


def area_text(area, kind: str = "") -> str:
    """Land is talked about in 亩, buildings in 平方米."""
    if kind == SiteKind.LAND:
        return f"{number_text(Decimal(area) / MU)}亩（{number_text(area)}平方米）"
    return f"{number_text(area)}平方米"


def range_text(need: Need) -> str:
    lo, hi = need.area_min, need.area_max
    if lo and hi:
        return f"{number_text(lo)}–{number_text(hi)}平方米"
    if lo:
        return f"不少于{number_text(lo)}平方米"
    return f"不超过{number_text(hi)}平方米"


def terms(text: str) -> list[str]:
    return [t for t in SPLIT.split(text or "") if len(t) >= 2]


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def text_hits(wanted: list[str], text: str) -> list[str]:
    """The wanted terms found in text: verbatim, or — for a longer term written differently
    ("整车厂配套" against "整车厂二级配套") — when most of its character pairs occur in it."""
    found = []
    pairs = _bigrams(text)
    for term in wanted:
        if term in text:
            found.append(term)
        elif len(term) >= 4:
            own = _bigrams(term)
            if len(own & pairs) / len(own) >= TERM_OVERLAP:
                found.append(term)
    return found


def _kind_fit(need: Need, site: SiteRow) -> Decimal:
    if not need.site_kind or need.site_kind == site.kind:
        return Decimal(1)
    return NEAR_KINDS.get(frozenset({need.site_kind, site.kind}), Decimal(0))


def _area_fit(need: Need, area: Decimal) -> Decimal:
    lo, hi = need.area_min, need.area_max
    if lo and area < lo:
        return Decimal("0.4") if area >= lo * Decimal("0.8") else Decimal(0)
    if hi and area > hi:
        return Decimal("0.7") if area <= hi * OVERSIZE_LIMIT else Decimal("0.2")
    return Decimal(1)


def site_fit(need: Need, site: SiteRow) -> SiteFit:
    notes = []
    kind = _kind_fit(need, site)
    area = _area_fit(need, site.area) if (need.area_min or need.area_max) else Decimal(1)
    timing = Decimal(1)
    if need.needed_by and site.ready_date and site.ready_date > need.needed_by:
        timing = Decimal("0.5")
        notes.append(f"{site.ready_date.year}年{site.ready_date.month}月{site.ready_date.day}日才可交付，"
                     f"晚于需要日期")
    return SiteFit(site, float(kind * area * timing), notes)


def _in_force(policy: PolicyRow, day: datetime.date) -> bool:
    return policy.valid_from <= day and (policy.valid_until is None or day <= policy.valid_until)


def _score_unit(need: Need, unit, parks, sites, policies, resources, day) -> DistrictMatch:
    match = DistrictMatch(unit=unit, score=0.0)
    fits = match.fits

    leading = [p for p in parks if need.cluster_id in p.cluster_ids]
    match.parks = leading

    # Chain link: named in a park's leading industries or description (leading parks count more).
    link_park = None
    if need.link_name:
        words = [need.link_name, *need.link_keywords]
        best, where = 0.0, None
        for park in parks:
            hits = text_hits(words, f"{park.leading_industries} {park.description}")
            if hits:
                value = 1.0 if park in leading else LINK_OUTSIDE_CLUSTER
                if value > best:
                    best, where = value, (park, hits[0])
        fits["link"] = best
        if where:
            link_park = where[0]
            match.reasons.append(f"{where[0].name}主导产业含{where[1]}（{need.link_name}环节）")
        else:
            match.missing.append(f"园区主导产业未提及{need.link_name}")

    # Cluster: a park that leads it. A park that names the need's very link (电解液 in a chemical
    # park filed under 先进材料) is where that link lives even if its cluster label differs: most credit.
    if leading:
        fits["cluster"] = 1.0
        match.reasons.insert(0, f"{leading[0].name}主导产业含{need.cluster_name}")
    elif link_park is not None:
        fits["cluster"] = LINK_WITHOUT_CLUSTER
        match.missing.insert(0, f"没有以{need.cluster_name}为主导产业的园区（{link_park.name}有相关环节）")
    else:
        fits["cluster"] = 0.0
        match.missing.insert(0, f"没有以{need.cluster_name}为主导产业的园区")

    # Space: the best available site of the right kind and size, in time.
    available = [s for s in sites if s.status == SiteStatus.AVAILABLE]
    fitted = sorted((site_fit(need, s) for s in available), key=lambda f: (-f.fit, -f.site.area))
    fitted = [f for f in fitted if f.fit > 0]
    match.sites = fitted
    wants_space = bool(need.site_kind or need.area_min or need.area_max)
    label = KIND_LABELS.get(need.site_kind, "载体")
    if wants_space:
        fits["space"] = fitted[0].fit if fitted else 0.0
        if fitted:
            s = fitted[0].site
            when = f"（{s.ready_date.year}年{s.ready_date.month}月{s.ready_date.day}日可交付）" if s.ready_date else ""
            offered = f"可用{KIND_LABELS.get(s.kind, '')}{area_text(s.area, s.kind)}{when}"
            sized = need.area_min or need.area_max
            if fitted[0].fit >= 1:
                match.reasons.append(f"{offered}，满足{range_text(need)}" if sized else offered)
            elif fitted[0].notes:
                match.reasons.append(offered)
                match.missing.append(f"{s.name}{fitted[0].notes[0]}")
            elif need.site_kind and s.kind != need.site_kind:
                match.reasons.append(f"{offered}（可替代）")
                match.missing.append(f"无可用{label}")
            elif need.area_max and s.area > need.area_max:
                match.reasons.append(f"{offered}，超出所需上限，需分割或预留")
                match.missing.append(f"无面积合适的可用{label}（需{range_text(need)}）")
            else:
                match.reasons.append(f"{offered}，略小于所需")
                match.missing.append(f"无满足面积的可用{label}（需{range_text(need)}）")
        else:
            same_kind = [s for s in available if _kind_fit(need, s) > 0]
            match.missing.append(f"无满足面积的可用{label}" if same_kind else f"无可用{label}")

    # Power and water: on the sites that fit (the enterprise moves into one of them), else on any
    # available site — a district with capacity somewhere can say so.
    candidates = [f.site for f in fitted] or available
    for key, needed, unit_label, attr in (("power", need.power_kva, "千伏安", "power_kva"),
                                          ("water", need.water_tpd, "吨/日", "water_tpd")):
        if not needed:
            continue
        known = [getattr(s, attr) for s in candidates if getattr(s, attr)]
        word = "电力容量" if key == "power" else "供水能力"
        if not known:
            fits[key] = 0.0
            match.missing.append(f"{word}未知或无可用载体")
            continue
        top = max(known)
        if top >= needed:
            fits[key] = 1.0
            match.reasons.append(f"{word}{number_text(top)}{unit_label} ≥ 需求{number_text(needed)}")
        else:
            fits[key] = 0.5 * float(Decimal(top) / Decimal(needed))
            short = "供电容量不足" if key == "power" else "供水能力不足"
            match.missing.append(f"{short}：最大{number_text(top)}{unit_label} < {number_text(needed)}")

    # Policies in force on the day the enterprise needs them: for its cluster, or general ones.
    in_force = [p for p in policies if _in_force(p, day)]
    for_cluster = [p for p in in_force if need.cluster_id in p.cluster_ids]
    general = [p for p in in_force if not p.cluster_ids]
    match.policies = for_cluster + general
    if for_cluster:
        fits["policy"] = 1.0
        p = for_cluster[0]
        number = f"（{p.doc_number}）" if p.doc_number else ""
        match.reasons.append(f"{need.cluster_name}专项政策：{p.title}{number}")
    elif general:
        fits["policy"] = 0.5
        match.reasons.append(f"普惠政策：{general[0].title}")
        match.missing.append(f"无针对{need.cluster_name}的专项政策")
    else:
        fits["policy"] = 0.0
        match.missing.append("无在有效期内的相关政策")

    for key, wanted_text, kind, word in (("talent", need.needs_talent, "talent", "人才"),
                                         ("market", need.needs_market, "market", "市场")):
        if not wanted_text.strip():
            continue
        wanted = terms(wanted_text)
        of_kind = [r for r in resources if r.kind == kind]
        best, hit_row, hit_terms = 0.0, None, []
        for r in of_kind:
            hits = text_hits(wanted, f"{r.title} {r.description}")
            if hits and len(hits) / max(len(wanted), 1) >= best:
                best, hit_row, hit_terms = max(0.6, len(hits) / max(len(wanted), 1)), r, hits
        if hit_row:
            fits[key] = min(best, 1.0)
            match.resources.append(hit_row)
            match.reasons.append(f"{word}资源：{hit_row.title}（{'、'.join(hit_terms[:3])}）")
        elif of_kind:
            fits[key] = 0.3
            match.resources.append(of_kind[0])
            match.missing.append(f"{word}资源与需求不对口（有{of_kind[0].title}）")
        else:
            fits[key] = 0.0
            match.missing.append(f"无登记的{word}资源")

    stated = {k: WEIGHTS[k] for k in fits}
    if wants_space:
        stated["space"] = WEIGHTS["space"]
    total = sum(stated.values())
    match.score = round(100 * sum(WEIGHTS[k] * fits.get(k, 0.0) for k in stated) / total, 1) if total else 0.0
    return match


def rank_book(need: Need, book: Book, *, today: datetime.date | None = None) -> list[DistrictMatch]:
    """Pure: the districts of `book`, best first. Ties go to the district with more fitting sites,
    then to the usual unit order."""
    day = need.needed_by or today or datetime.date.today()
    by_unit = {u.id: ([], [], [], []) for u in book.units}
    for index, rows in enumerate((book.parks, book.sites, book.policies, book.resources)):
        for row in rows:
            if row.unit_id in by_unit:
                by_unit[row.unit_id][index].append(row)
    matches = [_score_unit(need, unit, *by_unit[unit.id], day) for unit in book.units]
    matches.sort(key=lambda m: (-m.score, -len(m.sites), getattr(m.unit, "sort_order", 0), m.unit.id))
    return matches


# ---- loading from the database -------------------------------------------------------------------

def load_book(units=None) -> Book:
    """Every live offer of the given units (default: every active district, county and zone), in six
    queries whatever the number of offers."""
    from django.utils import timezone

    from apps.offers.models import Park, Policy, Resource, Site
    from apps.units.selectors import unit_choices_for_date

    units = list(units) if units is not None else unit_choices_for_date(timezone.localdate())
    ids = [u.pk for u in units]
    parks = [ParkRow(p.pk, p.unit_id, p.name, frozenset(c.pk for c in p.clusters.all()),
                     tuple(c.name for c in p.clusters.all()), p.leading_industries, p.description)
             for p in Park.objects.live().filter(unit_id__in=ids).prefetch_related("clusters")]
    sites = [SiteRow(s.pk, s.unit_id, s.name, s.kind, s.area, s.park.name if s.park_id else "", s.power_kva,
                     s.water_tpd, s.ready_date, s.status, s.price, s.price_unit)
             for s in Site.objects.live().filter(unit_id__in=ids).select_related("park")]
    policies = [PolicyRow(p.pk, p.unit_id, p.title, p.valid_from, p.valid_until,
                          frozenset(c.pk for c in p.clusters.all()), p.doc_number)
                for p in Policy.objects.live().filter(unit_id__in=ids).prefetch_related("clusters")]
    resources = [ResourceRow(r.pk, r.unit_id, r.kind, r.title, r.description)
                 for r in Resource.objects.live().filter(unit_id__in=ids)]
    return Book(units=units, parks=parks, sites=sites, policies=policies, resources=resources)


def need_from_profile(profile) -> Need:
    link = profile.chain_link
    return Need(
        cluster_id=profile.cluster_id, cluster_name=profile.cluster.name,
        link_name=link.name if link else "", link_keywords=tuple(link.keywords or ()) if link else (),
        site_kind=profile.site_kind, area_min=profile.area_min, area_max=profile.area_max,
        power_kva=profile.power_kva, water_tpd=profile.water_tpd, needs_talent=profile.needs_talent,
        needs_market=profile.needs_market, needed_by=profile.needed_by,
    )


def rank(need, units=None, *, today: datetime.date | None = None) -> list[DistrictMatch]:
    """Rank districts for a NeedProfile (or a Need): loads the offers once, then scores them."""
    if not isinstance(need, Need):
        need = need_from_profile(need)
    return rank_book(need, load_book(units), today=today)
