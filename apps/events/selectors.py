"""Reads of events and signings: lists, the totals (always computed from signings), the live tally,
and the facts a public page or a poster may show.

Counting once. A project may sign more than once (an intention, later a contract; at an event and on
its own). Any total over a set of signings counts each project once, at its latest signing in the
set (latest date, then the more binding agreement, then the later entry). Within one event the
database allows one active signing per project, so an event's total is simply its active signings."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, Max, OuterRef, Q, Subquery, Sum, Value
from django.shortcuts import get_object_or_404
from django.urls import reverse

from apps.accounts.permissions import CHANGE, VIEW
from apps.core.money import conversion_rates, format_amount, rates_sentence
from apps.core.templatetags.display import cndate
from apps.events.models import Event, EventPhoto, PublicPage, Signing, SigningStatus
from apps.events.querysets import WITHDRAW
from apps.projects.choices import AgreementType
from apps.projects.models import Project

AGREEMENT_RANK = {AgreementType.INTENTION: 0, AgreementType.FRAMEWORK: 1, AgreementType.CONTRACT: 2}
ACTIVE = Q(signings__status=SigningStatus.ACTIVE)


@dataclass
class Totals:
    count: int = 0                      # projects, each once
    amount: Decimal = Decimal("0")      # sum of the disclosed amounts
    undisclosed: int = 0                # projects whose counted signing has no amount
    by_type: dict = field(default_factory=dict)       # agreement type → count
    by_cluster: list = field(default_factory=list)    # [(cluster name or "", count, amount)], largest first
    rates: list = field(default_factory=list)         # [ConversionRate] of the counted signings in other currencies

    @property
    def amount_text(self) -> str:
        return format_amount(self.amount) if self.amount else "0元"

    @property
    def rates_text(self) -> str:
        return rates_sentence(self.rates)


def signing_rows(signings, *, clusters: bool = True) -> list[tuple]:
    """The active signings of a queryset as (project_id, date, agreement_type, id, amount, cluster name,
    event_id), in the signings' order: what totals_of counts, for a caller that also needs the rows.
    Without ``clusters`` the name is None (and totals_of leaves by_cluster empty): it is the costly
    column, and the cockpit does not show it."""
    if clusters:
        # Looked up per signing, not joined: a join to the projects makes PostgreSQL read every project
        # (200,000 for the cockpit's year) to find the clusters of a few thousand signings.
        cluster_name = Subquery(Project.objects.filter(pk=OuterRef("project_id")).order_by().values("cluster__name"))
    else:
        cluster_name = Value(None, output_field=CharField())
    return list(signings.filter(status=SigningStatus.ACTIVE).annotate(cluster_name=cluster_name).values_list(
        "project_id", "date", "agreement_type", "id", "amount", "cluster_name", "event_id",
        "currency", "original_amount", "exchange_rate"))


def signing_totals(signings) -> Totals:
    """Totals of a queryset of signings (any filter), counting each project once (module doc)."""
    return totals_of(signing_rows(signings))


def totals_of(rows: list[tuple], *, by_cluster: bool = True) -> Totals:
    """signing_totals of rows from signing_rows (by_cluster only if asked, from rows with clusters)."""
    latest: dict[int, tuple] = {}
    for row in rows:
        key = (row[1], AGREEMENT_RANK.get(row[2], 0), row[3])
        if row[0] not in latest or key > latest[row[0]][0]:
            latest[row[0]] = (key, row)
    totals = Totals()
    clusters: dict[str, list] = defaultdict(lambda: [0, Decimal("0")])
    foreign = []
    for _, row in latest.values():
        agreement_type, amount, cluster = row[2], row[4], row[5]
        if row[7] != "CNY":
            foreign.append((row[7], row[9], row[8]))
        totals.count += 1
        totals.by_type[agreement_type] = totals.by_type.get(agreement_type, 0) + 1
        clusters[cluster or ""][0] += 1
        if amount is None:
            totals.undisclosed += 1
        else:
            totals.amount += amount
            clusters[cluster or ""][1] += amount
    totals.rates = conversion_rates(foreign)
    if by_cluster:
        totals.by_cluster = sorted(((name, n, a) for name, (n, a) in clusters.items()),
                                   key=lambda item: (-item[2], -item[1], item[0] == "", item[0]))
    return totals


def event_totals(event: Event) -> Totals:
    return signing_totals(Signing.objects.filter(event=event))


def event_list(*, actor, q: str = "", year: int | None = None, kind: str = ""):
    events = Event.objects.restrict(actor, VIEW).select_related("unit").annotate(
        signing_count=Count("signings", filter=ACTIVE),
        signing_amount=Sum("signings__amount", filter=ACTIVE),
    )
    if q:
        events = events.filter(Q(title__icontains=q) | Q(city__icontains=q) | Q(venue__icontains=q)
                               | Q(hosts__icontains=q))
    if year:
        events = events.filter(date__year=year)
    if kind:
        events = events.filter(kind=kind)
    return events.order_by("-date", "-id")


def event_get(*, actor, pk: int, action: str = VIEW) -> Event:
    return get_object_or_404(Event.objects.restrict(actor, action).select_related("unit", "created_by"), pk=pk)


def may_change_event(actor, event: Event) -> bool:
    return Event.objects.restrict(actor, CHANGE).filter(pk=event.pk).exists()


@dataclass
class SigningRows:
    rows: list                 # the signings the reader may see, in order of signing
    hidden: int                # active signings at the event the reader may not see
    withdrawn: list            # withdrawn signings the reader may see (history)


def event_signings(*, actor, event: Event) -> SigningRows:
    base = Signing.objects.filter(event=event)
    visible = base.restrict(actor, VIEW).select_related(
        "project", "project__unit", "project__organisation", "project__cluster", "created_by")
    changeable = set(base.restrict(actor, CHANGE).values_list("pk", flat=True))
    rows = list(visible.filter(status=SigningStatus.ACTIVE).order_by("order", "id"))
    for row in rows:
        row.may_change = row.pk in changeable
    hidden = base.filter(status=SigningStatus.ACTIVE).count() - len(rows)
    withdrawn = list(visible.filter(status=SigningStatus.WITHDRAWN).select_related("withdrawn_by")
                     .order_by("-withdrawn_at"))
    return SigningRows(rows=rows, hidden=hidden, withdrawn=withdrawn)


def signing_get(*, actor, pk: int, action: str = VIEW) -> Signing:
    return get_object_or_404(Signing.objects.restrict(actor, action).select_related("event", "project"), pk=pk)


def project_signings(*, actor, project) -> list[Signing]:
    return list(Signing.objects.restrict(actor, VIEW).filter(project=project).select_related("event")
                .order_by("-date", "-id"))


def signable_projects(*, actor, q: str = "", exclude_event: Event | None = None, limit: int = 20):
    """Projects the actor may record a signing for (their own, live), for the signing form's search."""
    from apps.projects.choices import Stage
    from apps.projects.models import Project

    projects = (Project.objects.restrict(actor, CHANGE).filter(is_archived=False)
                .exclude(stage=Stage.TERMINATED).select_related("unit", "organisation"))
    if q:
        projects = projects.filter(Q(name__icontains=q) | Q(organisation__name__icontains=q))
    if exclude_event is not None:
        projects = projects.exclude(signings__event=exclude_event, signings__status=SigningStatus.ACTIVE)
    return list(projects.order_by("-updated_at", "-id")[:limit])


# --- the live tally --------------------------------------------------------------------------------


@dataclass
class Tally:
    totals: Totals
    latest: list          # [(order, project name or None when hidden, unit name, amount text, agreement label)]
    stamp: str            # changes whenever anything on the screen would


def tally_stamp(event: Event) -> str:
    """What the hall screen compares on each poll, from one aggregate query: every change to the
    screen's figures adds a signing or moves a signing's updated_at (edits, withdrawals and reorders
    all set it), so an unchanged stamp means nothing to redraw and the poll costs no more than this."""
    row = Signing.objects.filter(event=event).aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"{row['n']}-{row['last'].isoformat() if row['last'] else ''}"


def tally(*, actor, event: Event, latest: int = 6) -> Tally:
    totals = event_totals(event)
    visible = set(Signing.objects.filter(event=event).restrict(actor, VIEW).values_list("pk", flat=True))
    recent = (Signing.objects.filter(event=event, status=SigningStatus.ACTIVE)
              .select_related("project", "project__unit").order_by("-created_at", "-id")[:latest])
    rows = []
    for signing in recent:
        seen = signing.pk in visible
        # A row the reader may not see shows only that a signing happened: it is in the totals already.
        rows.append({
            "order": signing.order,
            "name": signing.project.name if seen else None,
            "unit": signing.project.unit.name if seen else None,
            "amount": format_amount(signing.amount) if seen and signing.amount is not None else None,
            "agreement": AgreementType(signing.agreement_type).label if seen else None,
        })
    return Tally(totals=totals, latest=rows, stamp=tally_stamp(event))


# --- public pages --------------------------------------------------------------------------------


def public_page_for(*, actor, event=None, project=None) -> PublicPage | None:
    pages = PublicPage.objects.live()
    pages = pages.filter(event=event) if event is not None else pages.filter(project=project)
    page = pages.first()
    if page is None:
        return None
    if PublicPage.objects.restrict(actor, VIEW).filter(pk=page.pk).exists() or \
            PublicPage.objects.restrict(actor, WITHDRAW).filter(pk=page.pk).exists():
        return page
    return None


def public_page_by_token(token: str) -> PublicPage | None:
    """The page at this address, live or withdrawn (a withdrawn one says so), or None."""
    if not token or len(token) > 40:
        return None
    return PublicPage.objects.select_related("event", "event__unit", "project", "project__unit",
                                             "project__organisation", "project__cluster").filter(token=token).first()


def _attendees_text(event: Event) -> str:
    if event.attendee_count is None:
        return ""
    return f"{event.attendee_count}{'余' if event.attendee_count_is_floor else ''}人"


def public_event_facts(page: PublicPage) -> dict:
    """What the public page of an event shows: only the ticked fields (publicity.py)."""
    event = page.event
    ticked = set(page.fields)
    facts: dict = {"title": event.title, "date": cndate(event.date),
                   "end_date": cndate(event.end_date) if event.end_date else ""}
    if "kind" in ticked:
        facts["kind"] = event.get_kind_display()
    if "place" in ticked and event.place:
        facts["place"] = event.place
    if "hosts" in ticked and event.hosts:
        facts["hosts"] = event.hosts
    if "attendees" in ticked and event.attendee_count is not None:
        facts["attendees"] = _attendees_text(event)
    if "summary" in ticked and event.summary:
        facts["summary"] = event.summary
    if "agenda" in ticked and event.agenda:
        facts["agenda"] = [line.strip() for line in event.agenda.splitlines() if line.strip()]
    if "totals" in ticked:
        totals = event_totals(event)
        facts["totals"] = {"count": totals.count, "amount": totals.amount_text if totals.amount else "",
                           "undisclosed": totals.undisclosed}
    if "signings" in ticked:
        facts["signings"] = [_public_signing(s) for s in _public_signings(event)]
    if "photos" in ticked:
        facts["photos"] = [{"url": reverse("events:public_photo", args=[page.token, p.pk]), "caption": p.caption}
                           for p in EventPhoto.objects.filter(event=event, removed_at__isnull=True)]
    return facts


def _public_signings(event: Event):
    from apps.projects.choices import Confidentiality

    # A confidential project counts in the announced totals but is never named in public.
    return (Signing.objects.filter(event=event, status=SigningStatus.ACTIVE,
                                   project__confidentiality=Confidentiality.NORMAL)
            .select_related("project", "project__unit", "project__organisation").order_by("order", "id"))


def _public_signing(signing: Signing) -> dict:
    return {
        "project": signing.project.name,
        "organisation": signing.project.organisation.name,
        "unit": signing.project.unit.name,
        "agreement": AgreementType(signing.agreement_type).label,
        "amount": format_amount(signing.amount) if signing.amount is not None else "",
        "yuan": signing.amount,
    }


def public_project_facts(page: PublicPage) -> dict:
    project = page.project
    ticked = set(page.fields)
    facts: dict = {"name": project.name}
    if "organisation" in ticked:
        facts["organisation"] = project.organisation.name
    if "unit" in ticked:
        facts["unit"] = project.unit.name
        # The issuer names the district too: shown only when the district is public.
        facts["issuer"] = project.unit.full_name or project.unit.name
    if "cluster" in ticked and project.cluster_id:
        facts["cluster"] = project.cluster.name
    if "chain_role" in ticked and project.chain_role:
        facts["chain_role"] = project.get_chain_role_display()
    if "planned_investment" in ticked and project.planned_investment:
        facts["planned_investment"] = format_amount(project.planned_investment)
    if "signing" in ticked and project.signed_date:
        facts["signing"] = {
            "date": cndate(project.signed_date),
            "agreement": project.get_agreement_type_display() if project.agreement_type else "",
            "amount": format_amount(project.signed_amount) if project.signed_amount else "",
        }
    if "registration" in ticked and project.registered_date:
        facts["registration"] = {"entity": project.registered_entity, "date": cndate(project.registered_date)}
    if "construction" in ticked and project.construction_start_date:
        facts["construction"] = cndate(project.construction_start_date)
    if "production" in ticked and project.production_date:
        facts["production"] = cndate(project.production_date)
    if "description" in ticked and project.description:
        facts["description"] = project.description
    return facts


def event_photos(event: Event) -> list[EventPhoto]:
    return list(EventPhoto.objects.filter(event=event, removed_at__isnull=True))


def events_of_project(project) -> list[Event]:
    return list(Event.objects.filter(signings__project=project, signings__status=SigningStatus.ACTIVE).distinct())



# --- posters ---------------------------------------------------------------------------------------
# A poster shows what the public page shows, built from the same facts, so it can never carry a field
# the editor did not tick.

POSTER_LINES = 8


def event_poster_spec(page: PublicPage, *, url: str):
    from apps.events.posters import Figure, Line, PosterSpec

    event, facts = page.event, public_event_facts(page)
    figures = []
    if "totals" in facts:
        figures.append(Figure(label="签约项目", value=f"{facts['totals']['count']}个"))
        if facts["totals"]["amount"]:
            figures.append(Figure(label="签约总额", value=facts["totals"]["amount"]))
    if "attendees" in facts:
        figures.append(Figure(label="参会嘉宾", value=facts["attendees"]))
    lines = []
    if "signings" in facts:
        ranked = sorted(facts["signings"], key=lambda s: _amount_key(s), reverse=True)
        lines = [Line(title=s["project"], detail=" · ".join(p for p in (s["unit"], s["amount"]) if p))
                 for s in ranked]
    subtitle = facts["date"] + (f"至{facts['end_date']}" if facts.get("end_date") else "")
    if facts.get("place"):
        subtitle += f" · {facts['place']}"
    return PosterSpec(
        template="event", kicker=facts.get("kind", ""), title=event.title, subtitle=subtitle,
        figures=tuple(figures), lines_heading="签约项目" if lines else "", lines=tuple(lines),
        issuer=event.unit.full_name or event.unit.name, url=url,
    )


def _amount_key(signing_facts: dict):
    # Rank by the exact amount behind the text; undisclosed last.
    return signing_facts.get("yuan") or 0


def project_poster_spec(page: PublicPage, *, url: str):
    from apps.events.posters import Figure, Line, PosterSpec

    project, facts = page.project, public_project_facts(page)
    figures, lines = [], []
    signing = facts.get("signing") or {}
    if signing.get("amount"):
        figures.append(Figure(label="签约金额", value=signing["amount"]))
    if facts.get("planned_investment"):
        figures.append(Figure(label="计划总投资", value=facts["planned_investment"]))
    for key, label in (("organisation", "投资企业"), ("unit", "落地区县"), ("cluster", "产业集群"),
                       ("chain_role", "链上作用")):
        if facts.get(key):
            lines.append(Line(title=f"{label}：{facts[key]}"))
    if signing:
        lines.append(Line(title=f"签约：{signing['date']}", detail=signing.get("agreement", "")))
    if facts.get("registration"):
        lines.append(Line(title=f"注册落地：{facts['registration']['date']}", detail=facts["registration"]["entity"]))
    if facts.get("construction"):
        lines.append(Line(title=f"开工：{facts['construction']}"))
    if facts.get("production"):
        lines.append(Line(title=f"投产：{facts['production']}"))
    subtitle = " · ".join(p for p in (f"{signing['date']}签约" if signing else "", facts.get("unit", "")) if p)
    return PosterSpec(
        template="xibao", kicker="喜报", title=project.name, subtitle=subtitle, figures=tuple(figures),
        lines_heading="项目概况" if lines else "", lines=tuple(lines[:POSTER_LINES]),
        issuer=facts.get("issuer", ""), url=url,
    )


def event_talent(*, actor, event: Event) -> list:
    """The talent records (academicians, experts, teams) recorded as taking part, those the actor may see."""
    from apps.talent.models import Talent

    return list(Talent.objects.restrict(actor, VIEW).filter(events=event, is_archived=False)
                .select_related("affiliation").order_by("kind", "name"))
