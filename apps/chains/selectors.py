"""Reads about chain maps, placements and gaps. Projects are always read through
Project.objects.restrict(actor, VIEW), so a district sees its own projects on the map and nobody
else's; the organisations (the shared library) and the maps are visible to every signed-in person."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS as DB_ALIAS
from django.db.models import Count, Q
from django.db.models.base import ModelState
from django.shortcuts import get_object_or_404

from apps.accounts.permissions import VIEW, actor_scope
from apps.chains.maps import SEP
from apps.chains.models import ChainLink, ChainMapVersion, Cluster, ClusterTier, Placement, PlacementMethod
from apps.core.sql import ids_in
from apps.organisations.models import Organisation
from apps.projects.choices import Stage
from apps.projects.models import Project
from apps.units.models import Unit
from apps.units.selectors import unit_rollup_ids

STRONG, WEAK, MISSING = "strong", "weak", "missing"
STATUS_LABELS = {STRONG: "强", WEAK: "弱", MISSING: "缺失"}
STRONG_MIN_FIRMS = 3
CANDIDATES_PER_LINK = 10
# What gap_analysis reads of a placed organisation, in this order.
ORG_FIELDS = ("id", "name", "region", "kind", "is_fortune500", "is_listed", "is_specialised", "is_sample")
ORG_FLAGS = slice(4, 7)  # is_fortune500, is_listed, is_specialised
# What the gap pages and the chain-role rules read of a project.
PROJECT_FIELDS = ("id", "name", "organisation_id", "unit_id", "stage", "cluster_id", "chain_role", "description",
                  "is_archived")


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
    # (firms, leaders, projects) when the row was read from a GapSummary: it keeps the counts and only the
    # first SUMMARY_PROJECTS projects, not every firm.
    counts: tuple | None = None

    @property
    def firm_count(self) -> int:
        return self.counts[0] if self.counts else len(self.firms)

    @property
    def leader_count(self) -> int:
        return self.counts[1] if self.counts else len(self.leaders)

    @property
    def project_count(self) -> int:
        return self.counts[2] if self.counts else len(self.projects)

    @property
    def status(self) -> str:
        if not self.firm_count:
            return MISSING
        if self.leader_count and self.firm_count >= STRONG_MIN_FIRMS:
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
    computed_at: object = None  # when read from a GapSummary: the time it was computed

    def counts(self) -> dict[str, int]:
        leaves = [r for r in self.rows if r.is_leaf]
        return {status: sum(1 for r in leaves if r.status == status) for status in (STRONG, WEAK, MISSING)}

    def row_for(self, link_id: int) -> LinkGap | None:
        return next((r for r in self.rows if r.node.link.id == link_id), None)


def gap_analysis(*, actor, cluster: Cluster, unit: Unit | None = None) -> GapReport:
    """The gaps of a cluster for the whole city or one unit, as the actor may see them (compute_gaps says
    what is counted). Read from the cluster's GapSummary when one is current and the actor sees every
    project it counts (the office and leaders; a district for its own unit); computed afresh otherwise."""
    _require_user(actor)
    if summary_serves(actor, unit):
        report = _from_summary(cluster, unit)
        if report is not None:
            return report
    return compute_gaps(cluster=cluster, unit=unit, visible=Project.objects.restrict(actor, VIEW))


def link_gaps(*, actor, link: ChainLink, unit: Unit | None = None) -> LinkGap:
    """One link's row with its whole lists (every firm, leader, live project and candidate), computed afresh
    over the link's subtree only."""
    _require_user(actor)
    report = compute_gaps(cluster=link.cluster, unit=unit, visible=Project.objects.restrict(actor, VIEW),
                          only=link)
    return report.row_for(link.id)


def link_statuses(*, actor, cluster: Cluster, unit: Unit | None) -> dict[int, str] | None:
    """{link id: strong / weak / missing} for the leaves of `cluster` in `unit`, from its current GapSummary
    (two small queries), or None when there is none the actor may be shown."""
    from apps.chains.models import GapSummary

    if not summary_serves(actor, unit):
        return None
    rows = GapSummary.objects.filter(cluster=cluster, unit=unit, is_stale=False).values_list("rows", flat=True).first()
    if rows is None:
        return None
    leaves = set(ChainLink.objects.filter(cluster=cluster, children__isnull=True).values_list("id", flat=True))
    out = {}
    for link_id, row in rows.items():
        if int(link_id) in leaves:
            gap = LinkGap(node=None, counts=(row["f"], row["l"], row["p"]))
            out[int(link_id)] = gap.status
    return out


def summary_serves(actor, unit: Unit | None) -> bool:
    """A GapSummary counts every project of its scope: it may be shown to whoever sees them all."""
    scope = actor_scope(actor)
    if scope.all_units:
        return True
    return unit is not None and unit_rollup_ids(unit) <= scope.unit_ids


# Projects kept per leaf link in a summary: the gap page shows the chain roles of the first 20 on leaves, and
# each kept one is read with its organisation and unit when the page is drawn.
SUMMARY_PROJECTS = 5


def _from_summary(cluster: Cluster, unit: Unit | None) -> GapReport | None:
    from apps.chains.models import GapSummary

    summary = GapSummary.objects.filter(cluster=cluster, unit=unit, is_stale=False).order_by().first()
    if summary is None:
        return None
    tree = cluster_tree(cluster)
    stored = summary.rows
    if any(str(node.link.id) not in stored for node in tree):  # the map changed under it: not current
        return None
    project_ids = {pk for row in stored.values() for pk in row["pi"]}
    org_ids = {c[0] for row in stored.values() for c in row["c"]}
    projects = {p.pk: p for p in Project.objects.filter(ids_in(Project, "id", project_ids)).order_by()
                .select_related("organisation", "unit")} if project_ids else {}
    orgs = Organisation.objects.filter(ids_in(Organisation, "id", org_ids)).order_by().in_bulk() if org_ids else {}
    rows = []
    for node in tree:
        row = stored[str(node.link.id)]
        gap = LinkGap(node=node, is_leaf=not node.children, counts=(row["f"], row["l"], row["p"]))
        gap.projects = [projects[pk] for pk in row["pi"] if pk in projects]
        gap.candidates = [Candidate(orgs[pk], score, reasons) for pk, score, reasons in row["c"] if pk in orgs]
        rows.append(gap)
    return GapReport(cluster=cluster, unit=unit, rows=rows, computed_at=summary.computed_at)


def summary_rows(report: GapReport) -> dict:
    """What a GapSummary keeps of a report computed afresh: per link id the counts, the first projects and
    the candidates with their scores and reasons."""
    return {str(row.node.link.id): {
        "f": row.firm_count, "l": row.leader_count, "p": row.project_count,
        "pi": [p.pk for p in row.projects[:SUMMARY_PROJECTS]] if row.is_leaf else [],
        "c": [[c.organisation.pk, c.score, c.reasons] for c in row.candidates],
    } for row in report.rows}


def compute_gaps(*, cluster: Cluster, unit: Unit | None, visible, only: ChainLink | None = None) -> GapReport:
    """Per link: the firms present — organisations placed on it that are there (their region names the
    unit, or Chongqing when no unit is asked, or they have a live project in it) and the organisations
    of live projects placed on it —, the live projects, the 链主 among the firms, a status (strong: a
    链主 and ≥ 3 firms; weak: some; missing: none) and, for weak and missing leaves, candidate targets:
    organisations placed on the link that are not there and have no project in the unit yet, ranked by
    fit with the reasons. A parent link counts the firms of its whole subtree. `visible` is the projects
    the reader may see; `only` limits the report to one link's subtree.
    A fixed number of queries whatever the size of the map."""
    tree = cluster_tree(cluster)
    if only is not None:
        tree = _subtree(tree, only.id)
    unit_ids = unit_rollup_ids(unit) if unit is not None else None
    live = live_projects(visible)
    if unit_ids is not None:
        live = live.filter(unit_id__in=unit_ids)

    # The cluster's placements by link id (the links are known from the map): joined to the map in SQL, the
    # planner cannot tell one cluster's share of the placements and may read every project there is.
    # One read of them all: (id, link, 链主, method, organisation, project), in id order.
    link_ids = [node.link.id for node in tree]
    placement_rows, project_rows = [], []
    for row in sorted(Placement.objects.filter(link_id__in=link_ids).order_by().values_list(
            "id", "link_id", "is_chain_leader", "method", "organisation_id", "project_id")):
        if row[4] is not None:
            placement_rows.append(row)
        else:
            project_rows.append((row[0], row[1], row[5]))
    # Only what the gap pages and the chain-role rules read of a project and its organisation, as rows
    # (thousands for the whole city), made into objects without Model.__init__ (see _instance); the units'
    # small table once.
    units = Unit.objects.in_bulk()
    made: dict[int, Organisation] = {}  # one object per organisation
    projects = {}
    for row in (live.filter(ids_in(Project, "id", {row[2] for row in project_rows})).order_by()
                .values_list(*PROJECT_FIELDS, *(f"organisation__{name}" for name in ORG_FIELDS))):
        project = _instance(Project, PROJECT_FIELDS, row[:len(PROJECT_FIELDS)])
        org_id = row[len(PROJECT_FIELDS)]
        if org_id not in made:
            made[org_id] = _instance(Organisation, ORG_FIELDS, row[len(PROJECT_FIELDS):])
        project.organisation = made[org_id]
        project.unit = units[project.unit_id]
        projects[project.pk] = project
    placed_ids = {row[4] for row in placement_rows}
    library = {row[0]: row for row in Organisation.objects.filter(
        ids_in(Organisation, "id", placed_ids), is_archived=False, merged_into__isnull=True,
    ).order_by().values_list(*ORG_FIELDS)}
    # Which placed organisations already have a (visible) project: live ones make a firm present in
    # the unit; any project in the unit takes it off the candidate list.
    # For the whole city, their projects by organisation id; a district's own projects are fewer than
    # the cluster's placed organisations, so there they are read whole.
    if unit_ids is None:
        in_unit = visible.filter(ids_in(Project, "organisation", library))
    else:
        in_unit = visible.filter(unit_id__in=unit_ids)
    worked = defaultdict(set)  # organisation id → {"live", "any"}
    for org_id, stage, archived in in_unit.order_by().values_list("organisation_id", "stage", "is_archived"):
        if org_id not in library:
            continue
        worked[org_id].add("any")
        if not archived and stage != Stage.TERMINATED:
            worked[org_id].add("live")
    if only is None:
        leader_anywhere = {row[4] for row in placement_rows if row[2] and row[4] in library}
    else:  # 链主 elsewhere in the cluster, beyond the subtree read
        leader_anywhere = set(Placement.objects.filter(link__cluster=cluster, is_chain_leader=True)
                              .values_list("organisation_id", flat=True))

    by_link = {node.link.id: LinkGap(node=node, is_leaf=not node.children) for node in tree}
    for _pk, link_id, project_id in project_rows:
        project = projects.get(project_id)
        if project is not None:  # a live project the actor sees
            gap = by_link[link_id]
            gap.projects.append(project)
            gap.firms[project.organisation_id] = project.organisation
    region_names = ["重庆"] if unit is None else [u.name for pk, u in units.items() if pk in unit_ids]
    pending_candidates = defaultdict(list)
    leader_on = set()
    for row in placement_rows:
        _pk, link_id, is_leader, _method, org_id, _project_id = row
        org_row = library.get(org_id)
        if org_row is None:  # archived or merged
            continue
        gap = by_link[link_id]
        if is_leader:
            leader_on.add((org_id, link_id))
        region = org_row[2] or ""
        if any(name in region for name in region_names) or "live" in worked.get(org_id, ()):
            if org_id not in made:
                made[org_id] = _instance(Organisation, ORG_FIELDS, org_row)
            org = made[org_id]
            gap.firms[org_id] = org
            if is_leader:
                gap.leaders[org_id] = org
        elif "any" not in worked.get(org_id, ()):
            pending_candidates[link_id].append(row)
    # Organisations of placed projects that are 链主 on this link count as its leaders too.
    for gap in by_link.values():
        link_id = gap.node.link.id
        for org_id, org in gap.firms.items():
            if (org_id, link_id) in leader_on:
                gap.leaders[org_id] = org

    # Parents count their subtree (a project once, compared by primary key as models are).
    for node in reversed(tree):
        gap = by_link[node.link.id]
        listed = {p.pk for p in gap.projects}
        for child in node.children:
            child_gap = by_link[child.link.id]
            gap.firms.update(child_gap.firms)
            gap.leaders.update(child_gap.leaders)
            for project in child_gap.projects:
                if project.pk not in listed:
                    listed.add(project.pk)
                    gap.projects.append(project)

    for link_id, placements in pending_candidates.items():
        gap = by_link[link_id]
        if not gap.is_leaf or gap.status == STRONG:
            continue
        ranked = sorted(
            (_candidate(row, library[row[4]], leader_anywhere, gap) for row in placements if row[4] not in gap.firms),
            key=lambda c: (-c[0], c[2][1]),
        )[:CANDIDATES_PER_LINK]
        for _score, _reasons, org_row in ranked:
            if org_row[0] not in made:
                made[org_row[0]] = _instance(Organisation, ORG_FIELDS, org_row)
        gap.candidates = [Candidate(made[org_row[0]], score, reasons) for score, reasons, org_row in ranked]
    return GapReport(cluster=cluster, unit=unit, rows=[by_link[node.link.id] for node in tree])


def _subtree(tree: list[MapNode], link_id: int) -> list[MapNode]:
    """The nodes of one link's subtree, in the tree's reading order."""
    root = next((node for node in tree if node.link.id == link_id), None)
    if root is None:
        return []
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def _instance(model, attnames, values):
    """A model instance with these fields loaded, built as Model.from_db builds one with deferred fields
    but without the cost of Model.__init__ (thousands per analysis; no model here has an init hook): a
    field missing from __dict__ is deferred and loaded if it is ever asked for."""
    obj = model.__new__(model)
    obj.__dict__.update(zip(attnames, values, strict=True))
    obj._state = ModelState()
    obj._state.adding = False
    obj._state.db = DB_ALIAS
    return obj


def _candidate(row, org_row, leader_anywhere: set, gap: LinkGap) -> tuple[float, list[str], tuple]:
    """(score, reasons, organisation row) of a placement row of gap_analysis as a candidate for the gap's link."""
    _pk, _link_id, is_leader, method, org_id, _project_id = row
    is_fortune500, is_listed, is_specialised = org_row[ORG_FLAGS]
    score, reasons = 1.0, []
    if method == PlacementMethod.MANUAL:
        reasons.append("已人工标注在此环节")
    else:
        score -= 0.2
        reasons.append("系统建议后确认在此环节")
    if is_leader:
        score += 3
        reasons.append("是此环节的链主")
    elif org_id in leader_anywhere:
        score += 1.5
        reasons.append("在本集群其他环节是链主")
    for flag, weight, label in ((is_fortune500, 2, "世界500强"), (is_listed, 1, "上市企业"),
                                (is_specialised, 1, "专精特新")):
        if flag:
            score += weight
            reasons.append(label)
    if gap.status == "missing":
        reasons.append("可补上缺失环节")
    else:
        reasons.append("可加强薄弱环节")
    return round(score, 1), reasons, org_row


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
