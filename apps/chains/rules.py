"""强链、固链、补链、延链: the chain role a project's place on the map suggests. A suggestion only:
the role a person chose (projects.Project.chain_role, set through projects.services.project_update)
always wins; pages show both, the suggestion with the rule that produced it.

Rules, first that applies (a project on several links takes the first role in this order):
  1. 延链 — the link is an extension beyond the core map (ChainLink.extension), or the project is on
     no link and no link of its cluster's map fits it (classifier) — the chain grows a new link;
  2. 固链 — the link is a foundation the chain depends on (ChainLink.foundation: data security, key
     materials, base software);
  3. 补链 — the project's unit has no other firm on the link (a missing link);
  4. 强链 — the link already has firms in the unit: with a 链主 the project strengthens what it leads,
     without one it strengthens a weak link.
"""

from dataclasses import dataclass

from apps.chains.models import ChainLink, Placement
from apps.chains.selectors import live_projects
from apps.chains.services import link_path
from apps.projects.choices import ChainRole
from apps.projects.models import Project
from apps.units.selectors import unit_rollup_ids

ORDER = [ChainRole.EXTEND, ChainRole.CONSOLIDATE, ChainRole.FILL, ChainRole.STRENGTHEN]


@dataclass(frozen=True)
class RoleSuggestion:
    role: str | None
    rule: str
    link: ChainLink | None = None

    @property
    def label(self) -> str:
        return ChainRole(self.role).label if self.role else ""

    def __iter__(self):  # (role, rule text)
        return iter((self.role, self.rule))


def _others_on_link(link: ChainLink, project: Project) -> tuple[set[int], list[str]]:
    """Firms of the project's unit on the link other than the project's own organisation, and the
    names of the 链主 among them. Facts, not a view: counted over all records."""
    unit_ids = unit_rollup_ids(project.unit)
    unit_names = [name for name in project.unit.__class__.objects.filter(pk__in=unit_ids).values_list("name", flat=True)]
    firms: set[int] = set()
    leaders: list[str] = []
    live = live_projects(Project.objects.filter(unit_id__in=unit_ids)).exclude(organisation_id=project.organisation_id)
    firms.update(Placement.objects.filter(link=link, project__in=live.values("pk"))
                 .values_list("project__organisation_id", flat=True))
    with_project = set(live.values_list("organisation_id", flat=True))
    for placement in Placement.objects.filter(link=link, organisation__isnull=False).exclude(
            organisation_id=project.organisation_id).select_related("organisation"):
        org = placement.organisation
        if org.is_archived or org.merged_into_id:
            continue
        if org.id in with_project or any(name in (org.region or "") for name in unit_names):
            firms.add(org.id)
            if placement.is_chain_leader:
                leaders.append(org.name)
    return firms, leaders


def role_for_link(project: Project, link: ChainLink, prefix: str = "") -> RoleSuggestion:
    path = link_path(link)
    if link.extension:
        return RoleSuggestion(ChainRole.EXTEND, f"{prefix}环节“{path}”是链图原有范围之外的延伸环节 → 延链", link)
    if link.foundation:
        return RoleSuggestion(ChainRole.CONSOLIDATE,
                              f"{prefix}环节“{path}”是整条链依赖的基础环节 → 固链", link)
    firms, leaders = _others_on_link(link, project)
    unit = project.unit.name
    if not firms:
        return RoleSuggestion(ChainRole.FILL, f"{prefix}{unit}在环节“{path}”上还没有其他企业（缺失环节）→ 补链", link)
    if leaders:
        return RoleSuggestion(ChainRole.STRENGTHEN,
                              f"{prefix}{unit}在环节“{path}”上已有链主“{'、'.join(leaders[:2])}”，项目增强该环节 → 强链",
                              link)
    return RoleSuggestion(ChainRole.STRENGTHEN,
                          f"{prefix}{unit}在环节“{path}”上已有{len(firms)}家企业、尚无链主，项目增强该环节 → 强链", link)


def suggest_chain_role(project: Project) -> RoleSuggestion:
    """(role, rule text) for a project; role None when the project is neither placed nor in a cluster."""
    placements = list(Placement.objects.filter(project=project).select_related("link__parent__parent"))
    if placements:
        options = [role_for_link(project, p.link) for p in placements]
        return min(options, key=lambda s: ORDER.index(s.role))
    from apps.chains.classify import suggest

    text = " ".join(filter(None, [project.name, project.description]))
    suggestions = suggest(project.organisation.name, text, project.organisation.industry_section, limit=10)
    if project.cluster_id is None:
        if not suggestions:
            return RoleSuggestion(None, "项目尚未标注到产业链环节，也没有所属集群，无法建议链上作用。")
        best = suggestions[0]
        return role_for_link(project, best.link, prefix=f"按系统建议的环节（{best.reason}）：")
    in_cluster = [s for s in suggestions if s.cluster.pk == project.cluster_id]
    if in_cluster:
        best = in_cluster[0]
        return role_for_link(project, best.link, prefix=f"按系统建议的环节（{best.reason}）：")
    has_map = ChainLink.objects.filter(cluster_id=project.cluster_id).exists()
    where = "的链图中没有适合该项目的环节" if has_map else "还没有链图，项目在现有链图之外"
    return RoleSuggestion(ChainRole.EXTEND, f"所属集群“{project.cluster.name}”{where} → 延链")
