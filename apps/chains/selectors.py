"""Reads about chain maps, placements and gaps. Projects are always read through
Project.objects.restrict(actor, VIEW), so a district sees its own projects on the map and nobody
else's; the organisations (the shared library) and the maps are visible to every signed-in person."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from apps.accounts.permissions import VIEW, actor_scope
from apps.chains.maps import SEP
from apps.chains.models import ChainLink, ChainMapVersion, Cluster, ClusterTier, Placement, PlacementMethod
from apps.organisations.models import Organisation
from apps.projects.choices import Stage
from apps.projects.models import Project
from apps.units.models import Unit
from apps.units.selectors import unit_rollup_ids

STRONG, WEAK, MISSING = "strong", "weak", "missing"
STATUS_LABELS = {STRONG: "强", WEAK: "弱", MISSING: "缺失"}
STRONG_MIN_FIRMS = 3
CANDIDATES_PER_LINK = 10


def live_projects(qs):
    """Projects still being worked on or landed: not archived, not terminated."""
    return qs.filter(is_archived=False).exclude(stage=Stage.TERMINATED)


def _require_user(actor) -> None:
    if actor_scope(actor).user_id is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("请先登录。")


def cluster_list(*, actor) -> list[dict]:
    """The 33618 clusters by tier, each with the size of its map (one query)."""
    _require_user(actor)
    clusters = Cluster.objects.annotate(
        link_count=Count("links", distinct=True),
        placement_count=Count("links__placements", distinct=True),
    ).order_by("sort_order", "id")
    tiers = {value: {"tier": value, "label": label, "clusters": []} for value, label in ClusterTier.choices}
    for cluster in clusters:
        tiers[cluster.tier]["clusters"].append(cluster)
    return list(tiers.values())


def cluster_get(*, actor, pk: int) -> Cluster:
    _require_user(actor)
    return get_object_or_404(Cluster, pk=pk)


def link_get(*, actor, pk: int) -> ChainLink:
    _require_user(actor)
    return get_object_or_404(ChainLink.objects.select_related("cluster"), pk=pk)


@dataclass
class MapNode:
    link: ChainLink
    depth: int
    path: str
    children: list["MapNode"] = field(default_factory=list)


def cluster_tree(cluster: Cluster) -> list[MapNode]:
    """Every link of the map in reading order (pre-order), with depth and path; one query."""
    links = list(ChainLink.objects.filter(cluster=cluster).order_by("position", "id"))
    children = defaultdict(list)
    for link in links:
        children[link.parent_id].append(link)
    out: list[MapNode] = []

    def walk(parent_id, depth, prefix):
        nodes = []
        for link in children.get(parent_id, []):
            node = MapNode(link, depth, f"{prefix}{SEP}{link.name}" if prefix else link.name)
            out.append(node)
            node.children = walk(link.id, depth + 1, node.path)
            nodes.append(node)
        return nodes

    walk(None, 0, "")
    return out


def map_versions(*, cluster: Cluster):
    return ChainMapVersion.objects.filter(cluster=cluster).select_related("changed_by").order_by("-number")


def version_get(*, actor, cluster: Cluster, number: int) -> ChainMapVersion:
    _require_user(actor)
    return get_object_or_404(ChainMapVersion, cluster=cluster, number=number)


# --- gap analysis ---------------------------------------------------------------------------------

@dataclass
class Candidate:
    organisation: Organisation
    score: float
    reasons: list[str]

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


@dataclass
class LinkGap:
    node: MapNode
    firms: dict = field(default_factory=dict)  # organisation id → Organisation present on the link
    projects: list = field(default_factory=list)  # live projects placed on the link
    leaders: dict = field(default_factory=dict)  # organisation id → Organisation (链主)
    candidates: list = field(default_factory=list)
    is_leaf: bool = True

    @property
    def status(self) -> str:
        if not self.firms:
            return MISSING
        if self.leaders and len(self.firms) >= STRONG_MIN_FIRMS:
            return STRONG
        return WEAK

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class GapReport:
    cluster: Cluster
    unit: Unit | None
    rows: list[LinkGap]

    def counts(self) -> dict[str, int]:
        leaves = [r for r in self.rows if r.is_leaf]
        return {status: sum(1 for r in leaves if r.status == status) for status in (STRONG, WEAK, MISSING)}

    def row_for(self, link_id: int) -> LinkGap | None:
        return next((r for r in self.rows if r.node.link.id == link_id), None)


def gap_analysis(*, actor, cluster: Cluster, unit: Unit | None = None) -> GapReport:
    """Per link: the firms present — organisations placed on it that are there (their region names the
    unit, or Chongqing when no unit is asked, or they have a live project in it) and the organisations
    of live projects placed on it —, the live projects, the 链主 among the firms, a status (strong: a
    链主 and ≥ 3 firms; weak: some; missing: none) and, for weak and missing leaves, candidate targets:
    organisations placed on the link that are not there and have no project in the unit yet, ranked by
    fit with the reasons. A parent link counts the firms of its whole subtree.
    A fixed number of queries whatever the size of the map."""
    _require_user(actor)
    tree = cluster_tree(cluster)
    unit_ids = unit_rollup_ids(unit) if unit is not None else None
    visible = Project.objects.restrict(actor, VIEW)
    live = live_projects(visible)
    if unit_ids is not None:
        live = live.filter(unit_id__in=unit_ids)

    project_placements = list(
        Placement.objects.filter(link__cluster=cluster, project__in=live.values("pk"))
        .select_related("project__organisation", "project__unit")
    )
    org_placements = list(
        Placement.objects.filter(link__cluster=cluster, organisation__isnull=False,
                                 organisation__is_archived=False, organisation__merged_into__isnull=True)
        .select_related("organisation")
    )
    placed_org_ids = {p.organisation_id for p in org_placements}
    # Which placed organisations already have a (visible) project: live ones make a firm present in
    # the unit; any project in the unit takes it off the candidate list.
    in_unit = visible if unit_ids is None else visible.filter(unit_id__in=unit_ids)
    worked = defaultdict(set)  # organisation id → {"live", "any"}
    for org_id, stage, archived in in_unit.filter(organisation_id__in=placed_org_ids).values_list(
            "organisation_id", "stage", "is_archived"):
        worked[org_id].add("any")
        if not archived and stage != Stage.TERMINATED:
            worked[org_id].add("live")
    leader_anywhere = {p.organisation_id for p in org_placements if p.is_chain_leader}

    by_link = {node.link.id: LinkGap(node=node, is_leaf=not node.children) for node in tree}
    for placement in project_placements:
        gap = by_link[placement.link_id]
        gap.projects.append(placement.project)
        gap.firms[placement.project.organisation_id] = placement.project.organisation
    region_names = ["重庆"] if unit is None else [u.name for u in Unit.objects.filter(pk__in=unit_ids)]
    pending_candidates = defaultdict(list)
    for placement in org_placements:
        gap = by_link[placement.link_id]
        org = placement.organisation
        local = any(name in (org.region or "") for name in region_names)
        if local or "live" in worked.get(org.id, ()):
            gap.firms[org.id] = org
            if placement.is_chain_leader:
                gap.leaders[org.id] = org
        elif "any" not in worked.get(org.id, ()):
            pending_candidates[placement.link_id].append(placement)
    # Organisations of placed projects that are 链主 on this link count as its leaders too.
    for gap in by_link.values():
        for org_id, org in gap.firms.items():
            if any(p.organisation_id == org_id and p.is_chain_leader and p.link_id == gap.node.link.id
                   for p in org_placements):
                gap.leaders[org_id] = org

    # Parents count their subtree.
    for node in reversed(tree):
        gap = by_link[node.link.id]
        for child in node.children:
            child_gap = by_link[child.link.id]
            gap.firms.update(child_gap.firms)
            gap.leaders.update(child_gap.leaders)
            gap.projects.extend(p for p in child_gap.projects if p not in gap.projects)

    for link_id, placements in pending_candidates.items():
        gap = by_link[link_id]
        if not gap.is_leaf or gap.status == STRONG:
            continue
        gap.candidates = sorted(
            (_candidate(p, leader_anywhere, gap) for p in placements if p.organisation_id not in gap.firms),
            key=lambda c: (-c.score, c.organisation.name),
        )[:CANDIDATES_PER_LINK]
    return GapReport(cluster=cluster, unit=unit, rows=[by_link[node.link.id] for node in tree])


def _candidate(placement: Placement, leader_anywhere: set, gap: LinkGap) -> Candidate:
    org = placement.organisation
    score, reasons = 1.0, []
    if placement.method == PlacementMethod.MANUAL:
        reasons.append("已人工标注在此环节")
    else:
        score -= 0.2
        reasons.append("系统建议后确认在此环节")
    if placement.is_chain_leader:
        score += 3
        reasons.append("是此环节的链主")
    elif org.id in leader_anywhere:
        score += 1.5
        reasons.append("在本集群其他环节是链主")
    for flag, weight, label in ((org.is_fortune500, 2, "世界500强"), (org.is_listed, 1, "上市企业"),
                                (org.is_specialised, 1, "专精特新")):
        if flag:
            score += weight
            reasons.append(label)
    if gap.status == "missing":
        reasons.append("可补上缺失环节")
    else:
        reasons.append("可加强薄弱环节")
    return Candidate(org, round(score, 1), reasons)


def placements_for_link(*, actor, link: ChainLink, unit: Unit | None = None):
    """The organisations and visible live projects placed on one link (the gap table's lists)."""
    _require_user(actor)
    live = live_projects(Project.objects.restrict(actor, VIEW))
    if unit is not None:
        live = live.filter(unit_id__in=unit_rollup_ids(unit))
    qs = Placement.objects.filter(link=link).filter(Q(organisation__isnull=False) | Q(project__in=live.values("pk")))
    return list(qs.select_related("organisation", "project__organisation", "project__unit", "by")
                .order_by("-is_chain_leader", "id"))


def project_placements(*, project: Project) -> list[Placement]:
    return list(Placement.objects.filter(project=project).select_related("link__cluster", "link__parent__parent"))


def organisation_placements(*, organisation: Organisation) -> list[Placement]:
    return list(Placement.objects.filter(organisation=organisation).select_related("link__cluster"))
