"""Writes to chain maps and placements. Every map edit (add, rename, move, delete, import, restore)
goes through `_map_changed`, which stores the whole map as a new ChainMapVersion in the same
transaction, so any earlier state can be viewed and restored. Maps are edited by office admins; a
placement by anyone who may change its subject (the shared library: every working role; a project:
Project.restrict(actor, CHANGE))."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, Max, Value
from django.db.models.functions import Cast, Concat

from apps.accounts.models import Role
from apps.accounts.permissions import CHANGE, actor_scope, may_write_library, require
from apps.audit.services import AuditAction, audit_record, diff
from apps.chains.maps import SEP, Row, build_tree, flatten, parse_map, split_keywords, validate_rows
from apps.chains.models import ChainLink, ChainMapVersion, Cluster, Placement, PlacementMethod
from apps.core.errors import DomainError
from apps.organisations.models import Organisation
from apps.projects.models import Project

LINK_FIELDS = {"name", "keywords", "description", "source_note", "foundation", "extension"}


def may_edit_maps(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and (
        scope.role == Role.OFFICE_ADMIN or getattr(actor, "is_superuser", False)
    )


def _require_map_editor(actor) -> None:
    require(may_edit_maps(actor), "只有驻京办管理员可以修改产业链图。")


# --- the map as data -------------------------------------------------------------------------------

def map_snapshot(cluster: Cluster) -> dict:
    """The cluster's current map in the shared plain form (maps.py), two queries."""
    links = list(ChainLink.objects.filter(cluster=cluster).order_by("position", "id"))
    children: dict[int | None, list[ChainLink]] = {}
    for link in links:
        children.setdefault(link.parent_id, []).append(link)

    def node(link):
        return {"id": link.id, "name": link.name, "keywords": list(link.keywords or []), "description": link.description,
                "source_note": link.source_note, "foundation": link.foundation, "extension": link.extension,
                "children": [node(c) for c in children.get(link.id, [])]}

    return {"cluster": cluster.name, "sources": list(cluster.map_sources or []),
            "links": [node(top) for top in children.get(None, [])]}


def _map_changed(actor, cluster: Cluster, note: str, changes: dict | None = None) -> ChainMapVersion:
    # Lock the cluster row so two editors' versions get consecutive numbers, not a unique violation.
    Cluster.objects.select_for_update().filter(pk=cluster.pk).first()
    number = (ChainMapVersion.objects.filter(cluster=cluster).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ChainMapVersion.objects.create(cluster=cluster, number=number, snapshot=map_snapshot(cluster),
                                             changed_by=actor if getattr(actor, "pk", None) else None,
                                             note=note[:300])
    audit_record(actor=actor, instance=cluster, action=AuditAction.UPDATE, note=f"链图第{number}版：{note}",
                 changes={"chain_map_version": [number - 1, number], **(changes or {})})
    return version


def _renumber(cluster: Cluster) -> None:
    """Positions follow pre-order (parent before children, siblings in order), so one ORDER BY position
    lists a whole map in reading order."""
    links = list(ChainLink.objects.filter(cluster=cluster).order_by("position", "id"))
    children: dict[int | None, list[ChainLink]] = {}
    for link in links:
        children.setdefault(link.parent_id, []).append(link)
    order: list[ChainLink] = []

    def walk(parent_id):
        for link in children.get(parent_id, []):
            order.append(link)
            walk(link.id)

    walk(None)
    changed = []
    for position, link in enumerate(order):
        if link.position != position:
            link.position = position
            changed.append(link)
    ChainLink.objects.bulk_update(changed, ["position"])


def _clean_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写环节名称。", field=field)
    if SEP in name:
        raise DomainError(f"环节名称不能含“{SEP}”（它用来分隔层级路径）。", field=field)
    if len(name) > 60:
        raise DomainError("环节名称不能超过60个字。", field=field)
    return name


def _check_sibling_name(cluster, parent, name, exclude_id=None) -> None:
    clash = ChainLink.objects.filter(cluster=cluster, parent=parent, name=name)
    if exclude_id:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        raise DomainError(f"同一级下已有名为“{name}”的环节，请换一个名称。", field="name")


def _place_among_siblings(link: ChainLink, after: ChainLink | None, first: bool = False) -> None:
    """Order `link` among its siblings (after `after`, first, or last); `_renumber` then rewrites the
    whole map's positions in reading order — only the order within a parent matters to it."""
    siblings = [s for s in ChainLink.objects.filter(cluster_id=link.cluster_id, parent_id=link.parent_id)
                .order_by("position", "id") if s.pk != link.pk]
    if after is not None:
        index = next(i for i, s in enumerate(siblings) if s.pk == after.pk) + 1
    else:
        index = 0 if first else len(siblings)
    siblings.insert(index, link)
    for position, sibling in enumerate(siblings):
        sibling.position = position
    ChainLink.objects.bulk_update(siblings, ["position"])
    _renumber(link.cluster)


@transaction.atomic
def link_create(*, actor, cluster: Cluster, parent: ChainLink | None = None, name: str, keywords=(),
                description: str = "", source_note: str = "", foundation: bool = False,
                extension: bool = False) -> ChainLink:
    _require_map_editor(actor)
    name = _clean_name(name)
    if parent is not None and parent.cluster_id != cluster.pk:
        raise DomainError("上级环节不属于这个产业集群。", field="parent")
    _check_sibling_name(cluster, parent, name)
    link = ChainLink.objects.create(
        cluster=cluster, parent=parent, name=name, position=0, keywords=split_keywords(keywords),
        description=description.strip(), source_note=source_note.strip(), foundation=foundation,
        extension=extension,
    )
    _place_among_siblings(link, after=None)
    _map_changed(actor, cluster, f"新增环节“{link_path(link)}”")
    return link


@transaction.atomic
def link_update(*, actor, link: ChainLink, **fields) -> ChainLink:
    _require_map_editor(actor)
    unknown = set(fields) - LINK_FIELDS
    if unknown:
        raise DomainError(f"不支持的字段：{'、'.join(sorted(unknown))}。")
    link = ChainLink.objects.select_for_update().get(pk=link.pk)
    old_path = link_path(link)
    if "name" in fields:
        fields["name"] = _clean_name(fields["name"])
        _check_sibling_name(link.cluster, link.parent, fields["name"], exclude_id=link.pk)
    if "keywords" in fields:
        fields["keywords"] = split_keywords(fields["keywords"])
    for key, value in fields.items():
        setattr(link, key, value.strip() if isinstance(value, str) else value)
    link.save()
    new_path = link_path(link)
    note = f"重命名环节“{old_path}”为“{link.name}”" if new_path != old_path else f"修改环节“{new_path}”"
    _map_changed(actor, link.cluster, note)
    return link


@transaction.atomic
def link_move(*, actor, link: ChainLink, parent: ChainLink | None, after: ChainLink | None = None) -> ChainLink:
    """Put `link` (with its subtree) under `parent`, after sibling `after` (None: first)."""
    _require_map_editor(actor)
    link = ChainLink.objects.select_for_update().get(pk=link.pk)
    if parent is not None:
        if parent.cluster_id != link.cluster_id:
            raise DomainError("只能在同一产业集群的链图内移动环节。", field="parent")
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == link.pk:
                raise DomainError("不能把环节移到它自己或它的下级环节之下。", field="parent")
            ancestor = ancestor.parent
    if after is not None and (after.parent_id != (parent.pk if parent else None) or after.pk == link.pk):
        raise DomainError("“排在……之后”须是新上级下的另一个环节。", field="after")
    _check_sibling_name(link.cluster, parent, link.name, exclude_id=link.pk)
    old_path = link_path(link)
    link.parent = parent
    link.save(update_fields=["parent"])
    _place_among_siblings(link, after=after, first=after is None)
    _map_changed(actor, link.cluster, f"移动环节“{old_path}”到“{link_path(link)}”")
    return link


def _subtree_ids(link: ChainLink) -> list[int]:
    pairs = list(ChainLink.objects.filter(cluster_id=link.cluster_id).values_list("id", "parent_id"))
    ids, frontier = [link.pk], [link.pk]
    while frontier:
        frontier = [i for i, p in pairs if p in frontier]
        ids.extend(frontier)
    return ids


def _log_needs_losing_links(actor, link_ids) -> None:
    # A need pointing at a deleted link loses it (SET_NULL): a change of the need, logged on the need.
    from apps.offers.models import NeedProfile

    for need in NeedProfile.objects.filter(chain_link_id__in=link_ids).select_related("chain_link"):
        audit_record(actor=actor, instance=need, action=AuditAction.UPDATE,
                     changes={"chain_link": [str(need.chain_link), None]},
                     note=f"链图环节“{link_path(need.chain_link)}”已删除，需求不再指向该环节")


@transaction.atomic
def link_delete(*, actor, link: ChainLink) -> None:
    """Deletes the link and its sub-links. Refused while anything is placed on them: the placements
    must be moved first (placements_move), so nobody's work disappears with a map edit."""
    _require_map_editor(actor)
    ids = _subtree_ids(link)
    placed = Placement.objects.filter(link_id__in=ids).count()
    path = link_path(link)
    if placed:
        raise DomainError(f"环节“{path}”（含下级环节）上有{placed}个标注，不能删除。请先把这些标注移到其他环节，再删除。",
                          field="link", code="has_placements")
    cluster = link.cluster
    _log_needs_losing_links(actor, ids)
    # Children before parents (parent is PROTECT).
    for link_id in reversed(ids):
        ChainLink.objects.filter(pk=link_id).delete()
    _renumber(cluster)
    _map_changed(actor, cluster, f"删除环节“{path}”")


@transaction.atomic
def placements_move(*, actor, source: ChainLink, target: ChainLink) -> int:
    """Move every placement of `source` to `target` (before deleting `source`). A subject already on
    `target` keeps that placement (and becomes 链主 there if it was 链主 on `source`)."""
    _require_map_editor(actor)
    if source.pk == target.pk:
        raise DomainError("请选择另一个环节。", field="target")
    moved = 0
    for placement in Placement.objects.select_for_update().filter(link=source):
        existing = Placement.objects.filter(link=target, organisation_id=placement.organisation_id,
                                            project_id=placement.project_id).first()
        # Each placement's own history says where it went, as placement_create and placement_delete do.
        if existing:
            if placement.is_chain_leader and not existing.is_chain_leader:
                existing.is_chain_leader = True
                existing.save(update_fields=["is_chain_leader"])
                audit_record(actor=actor, instance=existing, action=AuditAction.UPDATE,
                             changes={"is_chain_leader": [False, True]}, note=f"由“{link_path(source)}”移入时合并")
            audit_record(actor=actor, instance=placement, action=AuditAction.UPDATE,
                         changes={"link": [link_path(source), None]},
                         note=f"“{link_path(target)}”上已有同一标注，合并后删除")
            placement.delete()
        else:
            placement.link = target
            placement.save(update_fields=["link"])
            audit_record(actor=actor, instance=placement, action=AuditAction.UPDATE,
                         changes={"link": [link_path(source), link_path(target)]})
        moved += 1
    audit_record(actor=actor, instance=source.cluster, action=AuditAction.UPDATE,
                 note=f"把“{link_path(source)}”上的{moved}个标注移到“{link_path(target)}”")
    return moved


def link_path(link: ChainLink) -> str:
    parts = []
    node = link
    while node is not None:
        parts.append(node.name)
        node = node.parent
    return SEP.join(reversed(parts))


# --- whole maps: import and restore ---------------------------------------------------------------

@transaction.atomic
def map_replace(*, actor, cluster: Cluster, data: dict, note: str) -> ChainMapVersion:
    """Make the cluster's map equal to `data` (the plain form). Links are matched by path, so a link
    that stays keeps its id and its placements; a link that would disappear while something is placed
    on it refuses the whole change. Nothing is written when anything is wrong."""
    _require_map_editor(actor)
    data, errors = parse_map(data)
    if errors:
        raise DomainError("；".join(errors[:20]), field="file", code="invalid_map", extra={"errors": errors})
    rows = flatten(data["links"])
    return _apply_rows(actor, cluster, rows, data["sources"], note)


def map_import_rows(*, actor, cluster: Cluster, rows: list[Row], sources: list[str] | None, note: str):
    _require_map_editor(actor)
    errors = validate_rows(rows)
    if errors:
        raise DomainError("；".join(errors[:20]), field="file", code="invalid_map", extra={"errors": errors})
    with transaction.atomic():
        return _apply_rows(actor, cluster, rows, sources if sources is not None else list(cluster.map_sources),
                           note)


def _apply_rows(actor, cluster: Cluster, rows: list[Row], sources: list[str], note: str) -> ChainMapVersion:
    Cluster.objects.select_for_update().filter(pk=cluster.pk).first()
    current = {link.pk: link for link in ChainLink.objects.filter(cluster=cluster).select_related(
        "parent__parent__parent__parent")}
    by_path = {link_path(link): link for link in current.values()}
    # A row keeps an existing link when it names its id (snapshots, JSON exports) or, failing that, its path.
    matched: dict[int, ChainLink] = {}
    for row in rows:
        link = current.get(row.id) if row.id is not None else None
        if link is None or link.pk in {m.pk for m in matched.values()}:
            link = by_path.get(row.path_text)
            if link is not None and link.pk in {m.pk for m in matched.values()}:
                link = None
        if link is not None:
            matched[row.number] = link
    kept = {link.pk for link in matched.values()}
    removed = [link for link in current.values() if link.pk not in kept]
    placed = dict(Placement.objects.filter(link__in=removed).values("link_id")
                  .annotate(n=Count("id")).values_list("link_id", "n"))
    blocked = [f"“{link_path(link)}”（{placed[link.pk]}个标注）" for link in removed if link.pk in placed]
    if blocked:
        message = ("新链图中没有以下环节，但它们上面有标注：" + "、".join(blocked)
                   + "。请先把标注移到其他环节，或在文件中保留这些环节。")
        raise DomainError(message, field="file", code="has_placements")
    _log_needs_losing_links(actor, [link.pk for link in removed])  # while their paths still read right
    # Detach the kept links under unique temporary names, so renames, moves and swaps in any order
    # never collide with the sibling-name constraints; then drop the rest, deepest first.
    ChainLink.objects.filter(pk__in=kept).update(parent=None, name=Concat(Value(SEP), Cast("id", CharField())))
    removed_ids = {link.pk for link in removed}
    while removed_ids:
        leaves = removed_ids - set(ChainLink.objects.filter(parent_id__in=removed_ids).values_list("parent_id", flat=True))
        ChainLink.objects.filter(pk__in=leaves).delete()
        removed_ids -= leaves
    ids: dict[str, int] = {}
    for position, row in enumerate(rows):
        values = {"parent_id": ids.get(SEP.join(row.path[:-1])), "name": row.path[-1], "position": position,
                  "keywords": row.keywords, "description": row.description, "source_note": row.source_note,
                  "foundation": row.foundation, "extension": row.extension}
        link = matched.get(row.number)
        if link is None:
            link = ChainLink.objects.create(cluster=cluster, **values)
        else:
            ChainLink.objects.filter(pk=link.pk).update(**values)
        ids[row.path_text] = link.pk
    before = {"map_sources": list(cluster.map_sources or [])}
    cluster.map_sources = [s for s in (sources or []) if s]
    cluster.save(update_fields=["map_sources"])
    return _map_changed(actor, cluster, note, diff(before, {"map_sources": cluster.map_sources}))


@transaction.atomic
def version_restore(*, actor, version: ChainMapVersion) -> ChainMapVersion:
    return map_replace(actor=actor, cluster=version.cluster, data=version.snapshot,
                       note=f"恢复到第{version.number}版")


def rows_to_map(cluster: Cluster, rows: list[Row], sources: list[str]) -> dict:
    return {"cluster": cluster.name, "sources": sources, "links": build_tree(rows)}


# --- placements -----------------------------------------------------------------------------------

def may_place(actor, *, organisation: Organisation | None = None, project: Project | None = None) -> bool:
    if organisation is not None:
        return may_write_library(actor)
    return Project.objects.restrict(actor, CHANGE).filter(pk=project.pk).exists()


@transaction.atomic
def placement_create(*, actor, link: ChainLink, organisation: Organisation | None = None,
                     project: Project | None = None, is_chain_leader: bool = False,
                     method: str = PlacementMethod.MANUAL, reason: str = "") -> Placement:
    if (organisation is None) == (project is None):
        raise DomainError("请选择一个目标主体或一个项目（二选一）。", field="subject")
    if project is not None and is_chain_leader:
        raise DomainError("链主只能标注在目标主体（企业）上，不能标注在项目上。", field="is_chain_leader")
    if method not in PlacementMethod.values:
        raise DomainError("标注方式无效。", field="method")
    if not may_place(actor, organisation=organisation, project=project):
        raise PermissionDenied("您没有修改该项目或目标主体的权限，不能标注到产业链上。")
    subject = organisation or project
    clash = Placement.objects.filter(link=link, organisation=organisation, project=project)
    if clash.exists():
        raise DomainError(f"“{subject}”已标注在环节“{link_path(link)}”上。", field="link", code="duplicate")
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                link=link, organisation=organisation, project=project, is_chain_leader=is_chain_leader,
                method=method, reason=reason.strip()[:300], by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:  # a concurrent identical placement won
        raise DomainError(f"“{subject}”已标注在环节“{link_path(link)}”上。", field="link",
                          code="duplicate") from None
    audit_record(actor=actor, instance=placement, action=AuditAction.CREATE,
                 note=f"标注“{subject}”到“{link_path(link)}”" + ("（链主）" if is_chain_leader else ""))
    return placement


@transaction.atomic
def placement_set_leader(*, actor, placement: Placement, is_chain_leader: bool) -> Placement:
    if placement.project_id and is_chain_leader:
        raise DomainError("链主只能标注在目标主体（企业）上，不能标注在项目上。", field="is_chain_leader")
    if not may_place(actor, organisation=placement.organisation, project=placement.project):
        raise PermissionDenied("您没有修改该项目或目标主体的权限。")
    placement.is_chain_leader = is_chain_leader
    placement.save(update_fields=["is_chain_leader"])
    audit_record(actor=actor, instance=placement, action=AuditAction.UPDATE,
                 changes={"is_chain_leader": [not is_chain_leader, is_chain_leader]})
    return placement


@transaction.atomic
def placement_delete(*, actor, placement: Placement) -> None:
    if not may_place(actor, organisation=placement.organisation, project=placement.project):
        raise PermissionDenied("您没有修改该项目或目标主体的权限。")
    audit_record(actor=actor, instance=placement, action=AuditAction.UPDATE,
                 note=f"取消标注“{placement.subject}”在“{link_path(placement.link)}”")
    placement.delete()
