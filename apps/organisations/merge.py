"""Merging duplicate organisations, and undoing a merge.

An office admin merges a duplicate (`merged`) into the record that stays (`survivor`). Every row that
points at the duplicate is re-pointed at the survivor — found through Organisation._meta.related_objects,
so a foreign key added by a later app moves without a change here — and each move is written into the
OrganisationMerge row as [app_label.model, pk, field]. Undo re-points exactly those rows back.

The duplicate's name becomes a 曾用名 alias of the survivor; the duplicate itself stays in the table
with merged_into set (so its page says where it went), out of every list and out of the search index.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.permissions import actor_scope, may_merge_organisations, require
from apps.audit.services import AuditAction, audit_record
from apps.core.errors import ConflictError, DomainError
from apps.core.statements import CompiledRead
from apps.core.templatetags.display import cndatetime
from apps.organisations.choices import AliasKind
from apps.organisations.models import Organisation, OrganisationAlias, OrganisationMerge

NOT_ALLOWED = "只有驻京办管理员可以合并目标主体。"
# An entry of OrganisationMerge.moved with a fourth element is a value carried over, not a reference:
# [organisations.organisation, survivor pk, "credit_code", code].
CODE_MOVE = "credit_code"
ALIAS_LABEL = OrganisationAlias._meta.label_lower
ORG_LABEL = Organisation._meta.label_lower


def _reference_relations():
    """(model, field name, label) for every foreign key to Organisation that a merge re-points: all of
    them except the merge log itself and merged_into (which records the merge)."""
    relations = []
    for rel in Organisation._meta.related_objects:
        if rel.many_to_many or rel.related_model is OrganisationMerge:
            continue
        if rel.related_model is Organisation and rel.field.name == "merged_into":
            continue
        relations.append((rel.related_model, rel.field.name))
    return relations


def _kind_label(model, field_name: str) -> str:
    if model is Organisation and field_name == "parent":
        return "分公司"
    return str(model._meta.verbose_name)


@dataclass
class MergePreview:
    survivor: Organisation
    merged: Organisation
    counts: list[dict] = field(default_factory=list)  # [{"label": "招商项目", "count": 3}, …]
    aliases_moved: list[str] = field(default_factory=list)
    aliases_kept: list[str] = field(default_factory=list)  # the survivor already has them
    former_name: str = ""  # the alias that will be added, "" if the survivor already has that name
    code_moves: str = ""  # the duplicate's credit code, when it moves to a survivor without one
    claims: list[dict] = field(default_factory=list)  # live 首谈 claims on the two, by unit

    @property
    def total(self) -> int:
        return sum(c["count"] for c in self.counts)


def _name(org: Organisation) -> str:
    return f"“{org.name}”（编号{org.pk}）"


def _check_mergeable(survivor: Organisation, merged: Organisation) -> None:
    """The refusals, each naming the records. Called again after both rows are locked."""
    if survivor.pk == merged.pk:
        raise DomainError(f"不能把{_name(survivor)}合并到它自己，请选择另一条重复记录。", field="duplicate_id",
                          code="merge_self")
    if survivor.merged_into_id:
        target = survivor.merged_into
        raise ConflictError(
            f"{_name(survivor)}已合并到“{target.name}”，不能作为保留主体；请在“{target.name}”的页面上合并。",
            field="duplicate_id", code="survivor_merged",
        )
    if merged.merged_into_id:
        raise ConflictError(
            f"{_name(merged)}已合并到“{merged.merged_into.name}”，不能再次合并。",
            field="duplicate_id", code="already_merged",
        )
    if survivor.is_archived:
        raise DomainError(f"{_name(survivor)}已归档，不能作为保留主体。", field="duplicate_id", code="archived")
    absorbed = Organisation.objects.filter(merged_into=merged).order_by("pk").first()
    if absorbed is not None:
        raise ConflictError(
            f"{_name(merged)}本身是“{absorbed.name}”等记录的保留主体；合并会形成链条。请把重复记录改为合并到"
            f"{_name(merged)}，或先撤销那些合并。",
            field="duplicate_id", code="merge_chain",
        )
    if merged.parent_id == survivor.pk or survivor.parent_id == merged.pk:
        branch, parent = (merged, survivor) if merged.parent_id == survivor.pk else (survivor, merged)
        raise DomainError(
            f"“{branch.name}”是“{parent.name}”的分公司：分公司与总公司是两个主体，只关联、不合并。",
            field="duplicate_id", code="branch",
        )


def _live_claims(orgs: list[Organisation]) -> list[dict]:
    from apps.projects.choices import CLAIMING_STAGES
    from apps.projects.models import Project

    rows = (Project.objects.filter(organisation__in=orgs, stage__in=CLAIMING_STAGES, is_archived=False,
                                   protected_until__gte=timezone.localdate())
            .select_related("unit", "organisation").order_by("protected_until"))
    return [{"organisation": p.organisation.name, "unit": p.unit.name, "protected_until": p.protected_until}
            for p in rows]


def organisation_merge_preview(*, actor, survivor: Organisation, merged: Organisation) -> MergePreview:
    """What a merge would move, for the confirmation page; raises the same refusals the merge would."""
    require(may_merge_organisations(actor), NOT_ALLOWED)
    _check_mergeable(survivor, merged)
    preview = MergePreview(survivor=survivor, merged=merged)
    for model, field_name in _reference_relations():
        n = model._base_manager.filter(**{field_name: merged}).count()
        if model is OrganisationAlias:
            continue
        if n:
            preview.counts.append({"label": _kind_label(model, field_name), "count": n})
    survivor_names = set(survivor.aliases.values_list("name", flat=True)) | {survivor.name}
    for alias in merged.aliases.order_by("name"):
        (preview.aliases_kept if alias.name in survivor_names else preview.aliases_moved).append(alias.name)
    if merged.name not in survivor_names:
        preview.former_name = merged.name
    if merged.credit_code and not survivor.credit_code:
        preview.code_moves = merged.credit_code
    claims = _live_claims([survivor, merged])
    if len({c["unit"] for c in claims}) > 1:
        preview.claims = claims
    return preview


def _locked_pair(*ids: int) -> dict[int, Organisation]:
    # Always lock in id order: two admins merging A→B and B→A at once queue instead of deadlocking, and
    # the second then sees the first's result and is refused.
    rows = Organisation.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {org.pk: org for org in rows}


def _index(ids: list[int]) -> None:
    from apps.organisations.search import index_organisations

    index_organisations(ids)


@transaction.atomic
def organisation_merge(*, actor, survivor: Organisation, merged: Organisation, reason: str = "") -> OrganisationMerge:
    require(may_merge_organisations(actor), NOT_ALLOWED)
    if survivor.pk == merged.pk:
        _check_mergeable(survivor, merged)
    locked = _locked_pair(survivor.pk, merged.pk)
    if len(locked) != 2:
        raise DomainError("要合并的主体不存在（可能已被删除），请刷新后重试。", field="duplicate_id", code="not_found")
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    _check_mergeable(survivor, merged)
    reason = (reason or "").strip()

    moved: list[list] = []
    survivor_names = set(survivor.aliases.values_list("name", flat=True)) | {survivor.name}
    for model, field_name in _reference_relations():
        rows = model._base_manager.filter(**{field_name: merged})
        if model is OrganisationAlias:
            # The survivor keeps its own row for a name both have; the duplicate's stays behind with it.
            rows = rows.exclude(name__in=survivor_names)
        pks = list(rows.order_by("pk").values_list("pk", flat=True))
        if not pks:
            continue
        try:
            with transaction.atomic():
                model._base_manager.filter(pk__in=pks).update(**{field_name: survivor})
        except IntegrityError:
            # A relation with its own uniqueness rule (one open request per unit and organisation, …)
            # already has the survivor's row: the office settles that first, nothing is half-merged.
            raise ConflictError(
                f"无法合并：{_name(merged)}的{_kind_label(model, field_name)}与{_name(survivor)}的同类记录重复"
                "（同一主体只能有一条），请先处理其中一条再合并。",
                field="duplicate_id", code="merge_unique",
            ) from None
        label = model._meta.label_lower
        moved.extend([label, pk, field_name] for pk in pks)
        # Each re-pointed record's own history says which organisation it now belongs to.
        for row in model._base_manager.filter(pk__in=pks):
            audit_record(actor=actor, instance=row, action=AuditAction.UPDATE,
                         changes={field_name: [merged.name, survivor.name]},
                         note=f"主体合并：“{merged.name}”并入“{survivor.name}”")

    aliases_added = []
    if merged.name not in survivor_names:
        alias = OrganisationAlias.objects.create(organisation=survivor, name=merged.name, kind=AliasKind.FORMER)
        aliases_added.append({"id": alias.pk, "name": alias.name})

    code = ""
    if merged.credit_code and not survivor.credit_code:
        # credit_code is unique: free it on the duplicate before the survivor takes it.
        code = merged.credit_code
        Organisation.objects.filter(pk=merged.pk).update(credit_code=None)
        Organisation.objects.filter(pk=survivor.pk).update(credit_code=code, org_code=merged.org_code or
                                                           survivor.org_code)
        moved.append([ORG_LABEL, survivor.pk, CODE_MOVE, code])

    Organisation.objects.filter(pk=merged.pk).update(merged_into=survivor, version=F("version") + 1)
    Organisation.objects.filter(pk=survivor.pk).update(version=F("version") + 1)
    merge = OrganisationMerge.objects.create(survivor=survivor, merged=merged, reason=reason[:200], moved=moved,
                                             aliases_added=aliases_added, merged_by=actor)

    code_text = f"（统一社会信用代码 {merged.credit_code}）" if merged.credit_code else ""
    counts = _count_moved(moved)
    note = f"合并重复主体：“{merged.name}”{code_text}并入“{survivor.name}”；迁移{counts}。" + (
        f"原因：{reason}" if reason else "")
    survivor_changes = {"别名": [None, merged.name]} if aliases_added else {}
    if code:
        survivor_changes["credit_code"] = [None, code]
    audit_record(actor=actor, instance=survivor, action=AuditAction.UPDATE, changes=survivor_changes, note=note)
    merged_changes = {"merged_into": [None, survivor.name]}
    if code:
        merged_changes["credit_code"] = [code, None]
    audit_record(actor=actor, instance=merged, action=AuditAction.UPDATE, changes=merged_changes, note=note)
    _index([survivor.pk, merged.pk])
    return merge


def _count_moved(moved: list[list]) -> str:
    counts: dict[str, int] = {}
    for entry in moved:
        if len(entry) > 3:
            continue
        model = apps.get_model(entry[0])
        label = _kind_label(model, entry[2])
        counts[label] = counts.get(label, 0) + 1
    return "、".join(f"{label}{n}条" for label, n in counts.items()) or "无关联记录"


def merge_counts(merge: OrganisationMerge) -> list[dict]:
    """Moved references per kind, for the merge list."""
    counts: dict[str, int] = {}
    for entry in merge.moved or []:
        if len(entry) > 3:
            continue
        try:
            model = apps.get_model(entry[0])
        except LookupError:
            continue
        label = _kind_label(model, entry[2])
        counts[label] = counts.get(label, 0) + 1
    return [{"label": k, "count": v} for k, v in counts.items()]


@transaction.atomic
def organisation_merge_undo(*, actor, merge: OrganisationMerge) -> OrganisationMerge:
    require(may_merge_organisations(actor), "只有驻京办管理员可以撤销合并。")
    merge = OrganisationMerge.objects.select_for_update().filter(pk=merge.pk).first()
    if merge is None:
        raise DomainError("该合并记录不存在。", code="not_found")
    locked = _locked_pair(merge.survivor_id, merge.merged_id)
    survivor, merged = locked[merge.survivor_id], locked[merge.merged_id]
    if merge.undone_at:
        raise ConflictError(
            f"“{merged.name}”并入“{survivor.name}”的合并已于{cndatetime(merge.undone_at)}撤销，不能再次撤销。",
            code="already_undone",
        )
    if survivor.merged_into_id:
        raise ConflictError(
            f"“{survivor.name}”之后又合并到了“{survivor.merged_into.name}”，请先撤销那次合并。",
            code="survivor_merged",
        )
    later = (OrganisationMerge.objects.filter(undone_at__isnull=True, merged_at__gt=merge.merged_at)
             .filter(Q(survivor__in=[survivor, merged]) | Q(merged__in=[survivor, merged]))
             .select_related("survivor", "merged").order_by("-merged_at").first())
    if later is not None:
        raise ConflictError(
            f"之后还有一次合并（“{later.merged.name}”并入“{later.survivor.name}”，{cndatetime(later.merged_at)}），"
            "只能先撤销最近的一次。",
            code="not_latest",
        )

    code = ""
    for entry in merge.moved:
        label, pk, field_name = entry[:3]
        if len(entry) > 3:
            if field_name == CODE_MOVE:
                code = entry[3]
            continue
        try:
            model = apps.get_model(label)
        except LookupError:  # an app that was removed since; nothing of it to move back
            continue
        # Only rows still pointing at the survivor go back; one changed by hand since stays as it is.
        if model._base_manager.filter(pk=pk, **{field_name: survivor}).update(**{field_name: merged}):
            audit_record(actor=actor, instance=model._base_manager.get(pk=pk), action=AuditAction.UPDATE,
                         changes={field_name: [survivor.name, merged.name]},
                         note=f"撤销主体合并：“{merged.name}”从“{survivor.name}”中分出")
    added_ids = [a["id"] for a in merge.aliases_added]
    OrganisationAlias.objects.filter(pk__in=added_ids, organisation=survivor).delete()
    if code:
        if survivor.credit_code == code:
            Organisation.objects.filter(pk=survivor.pk).update(credit_code=None)
        if not Organisation.objects.filter(credit_code=code).exists():
            Organisation.objects.filter(pk=merged.pk).update(credit_code=code)
    # Its search_text is already empty (search.wanted_search_text): re-indexing writes every posting.
    Organisation.objects.filter(pk=merged.pk).update(merged_into=None, version=F("version") + 1)
    Organisation.objects.filter(pk=survivor.pk).update(version=F("version") + 1)
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by"])

    note = f"撤销合并：“{merged.name}”从“{survivor.name}”中分出，{_count_moved(merge.moved)}已迁回。"
    survivor_changes = {"别名": [merged.name, None]} if added_ids else {}
    if code:
        survivor_changes["credit_code"] = [code, None]
    audit_record(actor=actor, instance=survivor, action=AuditAction.UPDATE, changes=survivor_changes, note=note)
    merged_changes = {"merged_into": [survivor.name, None]}
    if code:
        merged_changes["credit_code"] = [None, code]
    audit_record(actor=actor, instance=merged, action=AuditAction.UPDATE, changes=merged_changes, note=note)
    _index([survivor.pk, merged.pk])
    return merge


# --- reads -----------------------------------------------------------------------------------------

def may_view_merges(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and scope.all_units


def merge_list(*, actor, organisation_id: int | None = None):
    require(may_view_merges(actor), "只有驻京办和领导可以查看主体合并记录。")
    qs = OrganisationMerge.objects.select_related("survivor", "merged", "merged_by", "undone_by")
    if organisation_id:
        qs = qs.filter(Q(survivor_id=organisation_id) | Q(merged_id=organisation_id))
    return qs.order_by("-merged_at", "-pk")


def merge_get(*, actor, pk: int) -> OrganisationMerge:
    return get_object_or_404(merge_list(actor=actor), pk=pk)


def merge_target_get(*, actor, pk: int) -> Organisation:
    """An organisation to merge, archived or not (a duplicate may have been archived already)."""
    require(may_merge_organisations(actor), NOT_ALLOWED)
    return get_object_or_404(Organisation.objects.select_related("merged_into"), pk=pk)


# The organisation page's branches and parent, by the record's id: whoever sees the record sees its family (the
# library is shared), so these are reads compiled once per process (core.statements). The page names and links
# them: id and name, not the whole rows (core.columns).
FAMILY_LIMIT = 20


def _branches(parent_id: int):
    return Organisation.objects.filter(parent_id=parent_id, merged_into__isnull=True, is_archived=False)


_BRANCHES = CompiledRead(Organisation, lambda parent_id: _branches(parent_id).only("id", "name").order_by(
    "name", "id")[:FAMILY_LIMIT], kinds=(int,), name="organisation page: branches")
_PARENT = CompiledRead(Organisation, lambda pk: Organisation.objects.filter(pk=pk).only("id", "name"), kinds=(int,),
                       name="organisation page: parent")


def organisation_family(organisation: Organisation) -> dict:
    """The record's parent company and its branches (分公司), for its page."""
    shown = _BRANCHES(organisation.pk)
    parent = next(iter(_PARENT(organisation.parent_id)), None) if organisation.parent_id else None
    return {
        "parent": parent,
        "branches": shown,
        # Counted only when there are more than it shows (most organisations have no branch at all).
        "branch_count": _branches(organisation.pk).count() if len(shown) == FAMILY_LIMIT else len(shown),
    }
