"""Reads of 招商情报: the article list, one article, its highlighted text and its candidates each
beside the best match in the library. Everything here only reads: opening the review page writes
nothing (tests/test_review_views.py checks it)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.safestring import mark_safe

from apps.accounts.permissions import VIEW
from apps.core.money import format_amount, format_foreign
from apps.events.models import Event
from apps.intelligence import services
from apps.intelligence.models import Article, ArticleLink
from apps.organisations.models import Organisation
from apps.projects.models import Project
from apps.units.selectors import unit_choices_for_date

MARK_KINDS = {
    "org": "企业机构", "project": "项目", "event": "活动", "amount": "金额", "pair": "项目数与金额",
    "region": "区县", "date": "日期", "chain": "链上作用", "cluster": "产业集群",
}


def article_list(*, actor):
    return (Article.objects.restrict(actor, VIEW).select_related("created_by", "unit").defer("text")
            .annotate(link_count=Count("links")).order_by("-created_at", "-id"))


def article_get(*, actor, pk: int) -> Article:
    return get_object_or_404(Article.objects.restrict(actor, VIEW).select_related("created_by", "unit"), pk=pk)


def article_links(article: Article) -> list[ArticleLink]:
    return list(article.links.select_related("organisation", "project", "project__unit", "event",
                                             "signing", "signing__project", "created_by").order_by("id"))


def article_relations(article: Article) -> list:
    """The organisation relations a person recorded from this article (以商招商's source "news")."""
    from apps.relations.models import Relation

    return list(Relation.objects.filter(article=article).select_related("organisation", "related").order_by("id"))


def linked_organisations(links: list[ArticleLink]) -> list:
    """The organisations linked on the article, once each, in the order they were linked: the two ends a
    relation stated in it can join."""
    seen, out = set(), []
    for link in links:
        if link.organisation_id and link.organisation_id not in seen:
            seen.add(link.organisation_id)
            out.append(link.organisation)
    return out


# --- the highlighted text ----------------------------------------------------------------------


def highlighted_text(article: Article) -> str:
    """The article's text, escaped, with one <mark> per stored span. Spans that cross are split so
    the marks nest properly: a span cut in two keeps its data-mark number on both pieces."""
    text = article.text
    marks = [m for m in (article.extraction or {}).get("marks", [])
             if 0 <= m["start"] < m["end"] <= len(text)]
    starts = defaultdict(list)
    for i, mark in enumerate(marks):
        starts[mark["start"]].append(i)
    points = sorted({0, len(text), *(m["start"] for m in marks), *(m["end"] for m in marks)})
    out: list[str] = []
    stack: list[int] = []

    def open_mark(i: int) -> None:
        mark = marks[i]
        kind = mark["kind"] if mark["kind"] in MARK_KINDS else "other"
        item = f' data-item="{escape(mark["label"])}"' if kind in ("org", "project", "event") else ""
        out.append(f'<mark class="hl hl-{kind}" data-mark="{i}" data-kind="{kind}"{item} '
                   f'title="{escape(MARK_KINDS.get(kind, ""))}">')
        stack.append(i)

    for n, point in enumerate(points):
        if any(marks[i]["end"] == point for i in stack):
            reopen = []
            while any(marks[i]["end"] == point for i in stack):
                i = stack.pop()
                out.append("</mark>")
                if marks[i]["end"] != point:
                    reopen.append(i)
            for i in reversed(reopen):
                open_mark(i)
        for i in sorted(starts.get(point, []), key=lambda j: (-marks[j]["end"], j)):
            open_mark(i)
        if n + 1 < len(points):
            out.append(escape(text[point:points[n + 1]]))
    out.extend("</mark>" for _ in stack)
    return mark_safe("".join(out))  # noqa: S308 — every piece of text above went through escape()


# --- candidates --------------------------------------------------------------------------------


@dataclass
class Candidate:
    key: str
    kind: str
    data: dict
    link: ArticleLink | None = None
    match: object = None
    match_label: str = ""
    match_reason: str = ""
    strong: bool = False
    others: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def index(self) -> int:
        return int(self.key.split(":")[1])

    @property
    def match_name(self) -> str:
        match = self.match
        return getattr(match, "name", None) or getattr(match, "title", None) or str(match or "")

    @property
    def money(self) -> str:
        return money_text(self.data.get("value"), self.data.get("currency") or "CNY")

    @property
    def date(self):
        import datetime

        return datetime.date.fromisoformat(self.data["date"]) if self.data.get("date") else None

    @property
    def dom_id(self) -> str:
        return "item-" + self.key.replace(":", "-")


def money_text(value, currency: str = "CNY") -> str:
    """5亿元 / 3亿美元 for an amount in its currency's base unit; "" when the article gives none."""
    if value in (None, ""):
        return ""
    if currency == "CNY":
        return format_amount(Decimal(value))
    return format_foreign(Decimal(value), currency)


def _org_candidate(actor, key: str, data: dict) -> Candidate:
    from apps.organisations.matching import match_organisation

    candidate = Candidate(key=key, kind="org", data=data)
    result = match_organisation(data["name"], limit=5)
    visible = set(Organisation.objects.restrict(actor, VIEW).filter(
        pk__in=[c.organisation.pk for c in result.candidates]).values_list("pk", flat=True))
    shown = [c for c in result.worth_showing if c.organisation.pk in visible
             and not c.organisation.merged_into_id]
    if shown:
        best = shown[0]
        candidate.match = best.organisation
        candidate.match_label = f"{best.verdict_label} · {best.score:.2f}"
        candidate.match_reason = best.reason
        candidate.strong = best.verdict == "same"
        candidate.others = [c.organisation for c in shown[1:4]]
    return candidate


def _project_core(name: str) -> str:
    return name[:-2] if name.endswith("项目") and len(name) > 4 else name


def _project_candidate(actor, key: str, data: dict, article: Article, units: list) -> Candidate:
    candidate = Candidate(key=key, kind="project", data=data)
    visible = Project.objects.restrict(actor, VIEW).select_related("unit", "organisation")
    exact = list(visible.filter(name=data["name"])[:3])
    if exact:
        candidate.match, candidate.strong = exact[0], True
        candidate.match_label, candidate.match_reason = "同名项目", "项目名称完全相同"
        candidate.others = exact[1:]
    else:
        near = list(visible.filter(name__icontains=_project_core(data["name"])).order_by("-created_at")[:3])
        if near:
            candidate.match = near[0]
            candidate.match_label, candidate.match_reason = "名称相近", f"项目名称包含“{_project_core(data['name'])}”"
            candidate.others = near[1:]
    unit = services.region_unit(data.get("region", ""))
    candidate.extra = {
        "unit": unit,
        "units": units,
        "organisation": services.default_project_organisation(article, data),
        "organisations": [link.organisation for link in services.linked(article, "org") if link.organisation_id],
    }
    return candidate


def _event_candidate(actor, key: str, data: dict) -> Candidate:
    import datetime

    candidate = Candidate(key=key, kind="event", data=data)
    if data.get("date"):
        day = datetime.date.fromisoformat(data["date"])
        same_day = list(Event.objects.restrict(actor, VIEW)
                        .filter(Q(date=day) | Q(date__lt=day, end_date__gte=day)).order_by("id")[:5])
        name = data.get("name") or ""
        titled = [e for e in same_day if name and (name in e.title or e.title in name)]
        if titled:
            candidate.match, candidate.strong = titled[0], True
            candidate.match_label, candidate.match_reason = "同日同名", "日期相同，活动名称相互包含"
        elif same_day:
            candidate.match = same_day[0]
            candidate.match_label, candidate.match_reason = "同日活动", "日期相同，名称不同，请核对"
        candidate.others = [e for e in same_day if e != candidate.match][:3]
    return candidate


def _signing_candidate(key: str, data: dict, article: Article) -> Candidate:
    candidate = Candidate(key=key, kind="signing", data=data)
    project, event = services.signing_defaults(article, key)
    candidate.extra = {"project": project, "event": event, "needs_rate": (data.get("currency") or "CNY") != "CNY"}
    existing = services.existing_signing(project, event)
    if existing is not None:
        candidate.match, candidate.match_label = existing, "已登记签约"
        candidate.match_reason = "该项目在该活动已有签约记录"
    return candidate


def article_candidates(*, actor, article: Article, only: str | None = None) -> dict[str, list[Candidate]]:
    """Candidates grouped by kind (org, project, event, signing), each with its link if clicked and
    otherwise its best match. only="project:1" builds just that one (the card an htmx click swaps)."""
    data = article.extraction or {}
    # One read of the links for every card (the services' helpers read article.links.all()).
    getattr(article, "_prefetched_objects_cache", {}).pop("links", None)
    prefetch_related_objects([article], Prefetch("links", queryset=ArticleLink.objects.select_related(
        "organisation", "project", "event", "signing").order_by("id")))
    links = {link.item_key: link for link in article.links.all()}
    units = None
    groups: dict[str, list[Candidate]] = {"org": [], "project": [], "event": [], "signing": []}
    sources = [("org", data.get("org_details", [])), ("project", data.get("projects", [])),
               ("event", data.get("events", [])),
               ("signing", data.get("projects", []) if data.get("events") else [])]
    for kind, items in sources:
        for i, item in enumerate(items):
            key = f"{kind}:{i}"
            if only and key != only:
                continue
            if kind == "signing" and item.get("value") is None:
                continue
            if key in links:
                candidate = Candidate(key=key, kind=kind, data=item, link=links[key])
            elif kind == "org":
                candidate = _org_candidate(actor, key, item)
            elif kind == "project":
                if units is None:
                    units = unit_choices_for_date()
                candidate = _project_candidate(actor, key, item, article, units)
            elif kind == "event":
                candidate = _event_candidate(actor, key, item)
            else:
                candidate = _signing_candidate(key, item, article)
            groups[kind].append(candidate)
    return groups


def article_facts(article: Article) -> dict:
    """What the side panel shows as facts only: amounts, (count, amount) pairs, regions, roles, clusters."""
    data = article.extraction or {}
    return {
        "amounts": data.get("amount_details", []),
        "pairs": [{**pair, "money": money_text(pair["value"], pair.get("currency") or "CNY")}
                  for pair in data.get("pair_details", [])],
        "regions": data.get("region_details", []),
        "chain_roles": data.get("chain_roles", []),
        "clusters": data.get("clusters", []),
        "dates": data.get("dates", []),
    }
