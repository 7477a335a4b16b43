"""Reads: an organisation's relations, 以商招商 proposals for a landed firm, the referrals each firm brought
(带动一串), and who can introduce us to a target. Always through restrict()."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.permissions import VIEW, actor_scope
from apps.core.sql import ids_in
from apps.organisations.models import Organisation
from apps.projects.choices import CLAIMING_STAGES, PIPELINE, Stage
from apps.relations.choices import INVERSE_LABEL, RelationKind, Strength, TieChannel, Warmth
from apps.relations.models import PersonTie, Referral, Relation
from apps.units.models import Unit
from apps.units.selectors import unit_current, unit_rollup_ids, unit_successors

# A firm counts as landed (落地) once one of its projects is registered, under construction or producing.
LANDED_STAGES = [Stage.REGISTERED, Stage.CONSTRUCTION, Stage.PRODUCTION]
# How many relations of one firm a proposal reads from each end of the pair, strongest first. A 链主 with
# thousands of recorded suppliers still costs two short index range scans (bench_relations measures it).
RELATION_SCAN = 200
KIND_LABEL = {value: str(label) for value, label in RelationKind.choices}
STRENGTH_LABEL = {value: str(label) for value, label in Strength.choices}
CHANNEL_LABEL = {value: str(label) for value, label in TieChannel.choices}
WARMTH_LABEL = {value: str(label) for value, label in Warmth.choices}


# --- an organisation's relations -------------------------------------------------------------------

@dataclass
class RelatedRow:
    relation: Relation
    other: Organisation
    label: str  # what `other` is to the organisation whose page this is

    @property
    def strength_label(self) -> str:
        return STRENGTH_LABEL[self.relation.strength]


def organisation_get(*, actor, pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.restrict(actor, VIEW).filter(merged_into__isnull=True), pk=pk)


def relations_of(*, actor, organisation: Organisation, limit: int = RELATION_SCAN) -> list[RelatedRow]:
    """Both ends of the pair, strongest first: one query per end, bounded."""
    base = Relation.objects.restrict(actor, VIEW).select_related("organisation", "related", "created_by")
    rows = [*base.filter(organisation=organisation).order_by("-strength", "id")[:limit],
            *base.filter(related=organisation).order_by("-strength", "id")[:limit]]
    out = [RelatedRow(r, r.related if r.organisation_id == organisation.pk else r.organisation,
                      r.label_from(organisation.pk)) for r in rows]
    out.sort(key=lambda row: (-row.relation.strength, row.other.name))
    return out[:limit]


# --- 以商招商 proposals ---------------------------------------------------------------------------------

@dataclass
class Proposal:
    organisation: Organisation | None
    relation_id: int
    relation_label: str  # what the candidate is to the landed firm: 供应商, 客户, 合作伙伴 …
    strength: int
    landed_project: object
    unit: object  # the unit whose pipeline it would join (the landed project's, as of today)
    cluster: object | None = None  # the landed project's cluster when the candidate fits it
    gap_note: str = ""
    held_by: str = ""  # another unit holding the candidate under 首谈 protection
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    organisation_id: int = 0

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)

    @property
    def strength_label(self) -> str:
        return STRENGTH_LABEL[self.strength]


def landed_projects(*, actor, organisation: Organisation | None = None):
    """The actor's visible projects at 注册落地/开工/投产, most advanced and most recent first."""
    from apps.projects.models import Project

    qs = (Project.objects.restrict(actor, VIEW)
          .filter(stage__in=LANDED_STAGES, is_archived=False)
          .select_related("organisation", "unit", "unit__successor", "cluster"))
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-stage_changed_at", "-id")


def _related_ends(organisation_id: int) -> list[tuple[int, int, str, int]]:
    """(relation id, other organisation id, what the other is to this one, strength), strongest first."""
    forward = (Relation.objects.filter(organisation_id=organisation_id).order_by("-strength")
               .values_list("id", "related_id", "kind", "strength")[:RELATION_SCAN])
    backward = (Relation.objects.filter(related_id=organisation_id).order_by("-strength")
                .values_list("id", "organisation_id", "kind", "strength")[:RELATION_SCAN])
    rows = [(pk, other, KIND_LABEL[kind], strength) for pk, other, kind, strength in forward]
    rows += [(pk, other, INVERSE_LABEL[kind], strength) for pk, other, kind, strength in backward]
    return rows


def placed_clusters(organisation_ids) -> dict[int, set[int]]:
    """Clusters the chain maps place these organisations in (apps.chains' Placement on a ChainLink)."""
    from apps.chains.models import Placement

    if not organisation_ids:
        return {}
    rows = Placement.objects.filter(ids_in(Placement, "organisation", organisation_ids)).order_by().values_list(
        "organisation_id", "link__cluster_id")
    out: dict[int, set[int]] = {}
    for org_id, cluster_id in rows:
        out.setdefault(org_id, set()).add(cluster_id)
    return out


def gaps_filled(actor, unit, cluster, organisation_ids) -> dict[int, str]:
    """{organisation id: "可补九龙坡区动力电池电芯环节（缺失）"} for candidates placed on a link of `cluster` that
    is missing or weak in `unit`, read from the cluster's current gap summary (chains.selectors.link_statuses:
    a few rows, not the gap analysis). Without a current summary — for the seconds after a change, until the
    worker has recomputed it — no candidate gets this reason rather than a stale one."""
    from apps.chains.models import Placement
    from apps.chains.selectors import MISSING, link_statuses

    statuses = link_statuses(actor=actor, cluster=cluster, unit=unit)
    gaps = {link_id: status for link_id, status in (statuses or {}).items() if status != "strong"}
    if not gaps or not organisation_ids:
        return {}
    notes: dict[int, str] = {}
    rows = (Placement.objects.filter(ids_in(Placement, "organisation", organisation_ids), link_id__in=list(gaps))
            .order_by("organisation_id", "id").values_list("organisation_id", "link_id", "link__name"))
    for org_id, link_id, name in rows:
        if org_id not in notes or gaps[link_id] == MISSING:  # a missing link says more than a weak one
            notes[org_id] = f"可补{unit.name}{name}环节（{'缺失' if gaps[link_id] == MISSING else '薄弱'}）"
    return notes


def proposals_for(actor, organisation: Organisation, limit: int | None = 20) -> list[Proposal]:
    """For a landed enterprise, its related organisations not yet in the pipeline of the unit where it
    landed (no live project of theirs there), ranked by relation strength, chain fit (same cluster as the
    landed project) and gaps filled, each with its reason in Chinese. A bounded number of queries."""
    from apps.projects.models import Project

    # The firm is known: its row is not read again with each project (select_related would join it).
    landed = list(landed_projects(actor=actor, organisation=organisation).select_related(None)
                  .select_related("unit", "unit__successor", "cluster")[:5])
    if not landed:
        return []
    for project in landed:
        project.organisation = organisation
    primary = landed[0]
    unit = unit_current(primary.unit)
    successors = unit_successors()
    unit_ids = set()
    for project in landed:
        unit_ids |= unit_rollup_ids(unit_current(project.unit), successors=successors)

    best: dict[int, tuple[int, str, int]] = {}
    for pk, other, label, strength in _related_ends(organisation.pk):
        if other not in best or strength > best[other][2]:
            best[other] = (pk, label, strength)
    if not best:
        return []

    scope = actor_scope(actor)
    today = timezone.localdate()
    in_pipeline, held, clusters = set(), {}, {}
    # No join to the unit and no ORDER BY (Project's default sorts by updated_at): the few names needed
    # come from the units' small table once. The candidates' ids as one parameter (core.sql.ids_in).
    projects = (Project.objects.filter(ids_in(Project, "organisation", best), is_archived=False).order_by()
                .values_list("organisation_id", "unit_id", "stage", "protected_until", "cluster_id"))
    unit_names = None
    for org_id, unit_id, stage, protected_until, cluster_id in projects:
        if unit_id in unit_ids and stage != Stage.TERMINATED:
            in_pipeline.add(org_id)
        elif stage in CLAIMING_STAGES and protected_until and protected_until >= today:
            if unit_names is None:
                unit_names = dict(Unit.objects.order_by().values_list("id", "name"))
            held[org_id] = unit_names[unit_id]  # districts may see who holds a firm (projects.selectors.organisation_claims)
        if cluster_id and (scope.all_units or unit_id in scope.unit_ids):
            clusters.setdefault(org_id, set()).add(cluster_id)
    for org_id, cluster_ids in placed_clusters(best.keys()).items():
        clusters.setdefault(org_id, set()).update(cluster_ids)

    cluster = primary.cluster
    open_ids = [pk for pk in best if pk not in in_pipeline]
    gap_notes = gaps_filled(actor, unit, cluster, open_ids) if cluster else {}
    proposals = []
    for pk in open_ids:
        relation_id, label, strength = best[pk]
        proposal = Proposal(organisation=None, relation_id=relation_id, relation_label=label, strength=strength,
                            landed_project=primary, unit=unit, held_by=held.get(pk, ""))
        proposal.organisation_id = pk
        proposal.reasons.append(f"{organisation.name}的{label}（关系{STRENGTH_LABEL[strength]}）")
        proposal.score = strength * 10
        if cluster is not None and cluster.pk in clusters.get(pk, ()):
            proposal.cluster = cluster
            proposal.reasons.append(f"同属{cluster.name}集群")
            proposal.score += 5
        if pk in gap_notes:
            proposal.gap_note = gap_notes[pk]
            proposal.reasons.append(proposal.gap_note)
            proposal.score += 8
        if proposal.held_by:
            proposal.reasons.append(f"已由{proposal.held_by}登记跟进")
            proposal.score -= 20  # still shown, so the person knows why it cannot become their lead
        proposals.append(proposal)
    proposals.sort(key=lambda p: (-p.score, p.organisation_id))
    # Only the shown ones are read from the library (a few dozen rows, not every related firm's: at a
    # million organisations each is a random page read). Archived or merged ones drop out; read on until
    # the list is full.
    out: list[Proposal] = []
    step = (limit or len(proposals)) * 2 or 1
    for start in range(0, len(proposals), step):
        chunk = proposals[start:start + step]
        # By primary key alone, archived and merged ones dropped here: with `merged_into IS NULL` in SQL,
        # PostgreSQL may AND the primary key with the merged_into index, i.e. read an entry per organisation
        # of the library (40 ms at a million). Not Organisation's default ORDER BY name either: with it
        # PostgreSQL may walk the name index of the whole library to find a few dozen ids.
        rows = (Organisation.objects.filter(pk__in=[p.organisation_id for p in chunk])
                .only("id", "name", "region", "kind", "is_sample", "is_archived", "merged_into_id")
                .order_by().in_bulk())
        for proposal in chunk:
            org = rows.get(proposal.organisation_id)
            if org is not None and not org.is_archived and org.merged_into_id is None:
                proposal.organisation = org
                out.append(proposal)
        if limit is not None and len(out) >= limit:
            break
    out.sort(key=lambda p: (-p.score, p.organisation.name, p.organisation.pk))
    return out if limit is None else out[:limit]


@dataclass
class LandedFirm:
    organisation: Organisation
    project: object
    proposals: list[Proposal]


def landed_firms(*, actor, q: str = ""):
    """Distinct landed organisations the actor sees, for the 以商招商 page (paginated by the view)."""
    qs = landed_projects(actor=actor)
    if q:
        qs = qs.filter(Q(organisation__name__icontains=q) | Q(name__icontains=q))
    seen, out = set(), []
    for project in qs[:2000]:
        if project.organisation_id in seen:
            continue
        seen.add(project.organisation_id)
        out.append(project)
    return out


def with_proposals(*, actor, projects, per_firm: int = 5) -> list[LandedFirm]:
    return [LandedFirm(p.organisation, p, proposals_for(actor, p.organisation, limit=per_firm)) for p in projects]


# --- 带动一串: what each landed firm brought ---------------------------------------------------------

@dataclass
class ReferralStat:
    organisation_id: int
    organisation_name: str
    count: int = 0
    signed_count: int = 0
    signed_amount: Decimal = Decimal(0)
    by_stage: dict = field(default_factory=dict)  # {stage label: count}, pipeline order
    units: set = field(default_factory=set)


def referral_stats(actor, start: datetime.date | None, end: datetime.date | None,
                   unit_id: int | None = None) -> list[ReferralStat]:
    """Per referring firm: the projects its referrals brought in the period (credited_at), how many,
    their signed amount (yuan) and how many stand at each stage. One query. A unit filter rolls up ended
    units (江北区/渝北区 into 两江新区)."""
    qs = Referral.objects.restrict(actor, VIEW).filter(project__is_archived=False)
    if start:
        qs = qs.filter(credited_at__date__gte=start)
    if end:
        qs = qs.filter(credited_at__date__lte=end)
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).first()
        qs = qs.filter(referring_unit_id__in=unit_rollup_ids(unit) if unit else [])
    rows = (qs.values("referring_organisation_id", "referring_organisation__name", "referring_unit__name",
                      "project__stage")
            .annotate(n=Count("id"), signed_n=Count("project__signed_amount"), amount=Sum("project__signed_amount"))
            .order_by())
    stats: dict[int, ReferralStat] = {}
    order = {stage: index for index, stage in enumerate([*PIPELINE, Stage.PAUSED, Stage.TERMINATED])}
    labels = dict(Stage.choices)
    for row in rows:
        stat = stats.setdefault(row["referring_organisation_id"], ReferralStat(
            row["referring_organisation_id"], row["referring_organisation__name"]))
        stat.count += row["n"]
        stat.signed_count += row["signed_n"]
        stat.signed_amount += row["amount"] or Decimal(0)
        stat.units.add(row["referring_unit__name"])
        stat.by_stage[row["project__stage"]] = stat.by_stage.get(row["project__stage"], 0) + row["n"]
    for stat in stats.values():
        stat.by_stage = {str(labels[s]): n for s, n in sorted(stat.by_stage.items(), key=lambda kv: order[kv[0]])}
    return sorted(stats.values(), key=lambda s: (-s.count, -s.signed_amount, s.organisation_name))


def referral_list(*, actor, organisation_id: int | None = None):
    qs = Referral.objects.restrict(actor, VIEW).select_related(
        "project", "project__organisation", "project__unit", "referring_organisation", "referring_unit")
    if organisation_id:
        qs = qs.filter(referring_organisation_id=organisation_id)
    return qs


# --- who can introduce us ---------------------------------------------------------------------------

@dataclass
class IntroductionPath:
    person: object
    tie: PersonTie
    via: Organisation | None  # None: the person knows the target directly
    via_label: str  # what `via` is to the target
    score: int
    reason: str


def introduction_paths(actor, target_org: Organisation, limit: int = 5) -> list[IntroductionPath]:
    """Best path first: people tied to the target itself (score warmth × 3, as strong as a relation can be),
    then people tied to an organisation related to the target, one hop (warmth × relation strength).
    One person appears once, on their best path. Three queries."""
    ends = _related_ends(target_org.pk)
    via: dict[int, tuple[str, int]] = {}
    for _pk, other, label, strength in ends:
        if other not in via or strength > via[other][1]:
            via[other] = (label, strength)
    ties = (PersonTie.objects.restrict(actor, VIEW)
            .filter(Q(organisation=target_org) | Q(organisation_id__in=list(via)))
            .select_related("person", "person__organisation", "organisation"))
    best: dict[int, IntroductionPath] = {}
    for tie in ties:
        channel = CHANNEL_LABEL[tie.channel]
        warmth = WARMTH_LABEL[tie.warmth]
        if tie.organisation_id == target_org.pk:
            path = IntroductionPath(tie.person, tie, None, "", tie.warmth * Strength.STRONG,
                                    f"{tie.person.name}通过{channel}直接联系{target_org.name}（{warmth}）")
        else:
            label, strength = via[tie.organisation_id]
            path = IntroductionPath(
                tie.person, tie, tie.organisation, label, tie.warmth * strength,
                f"{tie.person.name}通过{channel}联系{tie.organisation.name}（{warmth}），"
                f"{tie.organisation.name}是{target_org.name}的{label}（关系{STRENGTH_LABEL[strength]}）")
        current = best.get(tie.person_id)
        if current is None or (path.score, path.via is None) > (current.score, current.via is None):
            best[tie.person_id] = path
    return sorted(best.values(), key=lambda p: (-p.score, p.via is not None, p.person.name))[:limit]


def ties_of(*, actor, organisation: Organisation):
    return (PersonTie.objects.restrict(actor, VIEW).filter(organisation=organisation)
            .select_related("person", "person__organisation", "created_by"))
