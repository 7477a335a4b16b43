"""Talent over JSON, mounted by config/api.py at /api/v1/talent: the same selectors and services as the
pages, so a district sees only its own (another unit's record is a 404), a leader reads and is refused
writes (403), and every stage rule answers with the sentence the page shows."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.accounts.models import Role, User
from apps.accounts.permissions import CHANGE, VIEW, actor_scope
from apps.chains.models import Cluster
from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, referenced
from apps.organisations.models import Organisation
from apps.projects.models import Project
from apps.talent.forms import TalentFilterForm
from apps.talent.schemas import (
    TalentArchiveIn,
    TalentDetailOut,
    TalentFilters,
    TalentHistoryOut,
    TalentIn,
    TalentOut,
    TalentPatch,
    TalentStageIn,
    TalentStageResultOut,
)
from apps.talent.selectors import talent_get, talent_history, talent_list
from apps.talent.services import talent_archive, talent_create, talent_move_stage, talent_update
from apps.units.models import Unit

router = Router(tags=["招才引智"])
PAGE_SIZE = 50


def _changeable(actor, talent_id: int, message: str):
    """404 if the actor may not even see the record, 403 with the reason if they may only read it (the
    pages' rule), before any id in the body is looked at."""
    talent_get(actor=actor, pk=talent_id)
    try:
        return talent_get(actor=actor, pk=talent_id, action=CHANGE)
    except Http404:
        raise PermissionDenied(message) from None


# 400: a filter value the list page's form refuses (an unknown stage or kind, a unit that names none).
@router.get("", response={200: list[TalentOut], **READ_ERRORS, 400: ErrorOut}, summary="人才列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def talent(request, filters: Query[TalentFilters]):
    data = {k: v for k, v in filters.model_dump().items() if v}
    return talent_list(actor=request.auth, **TalentFilterForm(data).checked_selector_kwargs())


@router.get("/{int:talent_id}", response={200: TalentDetailOut, **READ_ERRORS}, summary="人才详情")
def talent_one(request, talent_id: int):
    return talent_get(actor=request.auth, pk=talent_id)


@router.post("", response={201: TalentDetailOut, **WRITE_ERRORS}, summary="登记人才")
def talent_add(request, payload: TalentIn):
    actor = request.auth
    data = payload.dict()
    clusters = [referenced(Cluster.objects.all(), pk, label="产业集群", field="cluster_ids")
                for pk in data.pop("cluster_ids")]
    refs = {
        "affiliation_id": ("affiliation", Organisation.objects.restrict(actor, VIEW), "所在单位"),
        "unit_id": ("unit", Unit.objects.all(), "承接区县"),
        "source_unit_id": ("source_unit", Unit.objects.all(), "线索来源单位"),
        "specialist_id": ("specialist", User.objects.filter(is_active=True).exclude(role=Role.LEADER), "服务专员"),
        "project_id": ("project", Project.objects.restrict(actor, VIEW), "关联项目"),
    }
    for key, (name, queryset, label) in refs.items():
        data[name] = referenced(queryset, data.pop(key), label=label, field=key)
    return Status(201, talent_create(actor=actor, clusters=clusters, **data))


@router.post("/{int:talent_id}/stage", response={201: TalentStageResultOut, **WRITE_ERRORS}, summary="变更阶段")
def talent_stage(request, talent_id: int, payload: TalentStageIn):
    record = talent_get(actor=request.auth, pk=talent_id)
    move = payload.dict(include={"to_stage", "expected_stage", "note", "skip_reason", "evidence", "occurred_on"})
    values = payload.dict(include={"mode", "signed_date", "arrived_date"})
    change = talent_move_stage(actor=request.auth, talent=record, values=values, **move)
    return Status(201, {"change": change, "talent": change.talent})


@router.patch("/{int:talent_id}", response={200: TalentDetailOut, **WRITE_ERRORS}, summary="修改人才信息")
def talent_edit(request, talent_id: int, payload: TalentPatch):
    actor = request.auth
    record = _changeable(actor, talent_id, "您只能查看该人才记录，不能修改。")
    data = payload.dict(exclude_unset=True, exclude={"version", "handover_note"})
    clusters = None
    if "cluster_ids" in data:
        clusters = [referenced(Cluster.objects.all(), pk, label="产业集群", field="cluster_ids")
                    for pk in data.pop("cluster_ids")]
    refs = {
        "affiliation_id": ("affiliation", Organisation.objects.restrict(actor, VIEW), "所在单位"),
        "source_unit_id": ("source_unit", Unit.objects.all(), "线索来源单位"),
        "specialist_id": ("specialist", User.objects.filter(is_active=True).exclude(role=Role.LEADER), "服务专员"),
        "project_id": ("project", Project.objects.restrict(actor, VIEW), "关联项目"),
    }
    for key, (name, queryset, label) in refs.items():
        if key in data:
            data[name] = referenced(queryset, data.pop(key), label=label, field=key)
    talent_update(actor=actor, talent=record, version=payload.version, clusters=clusters,
                  handover_note=payload.handover_note, **data)
    # Read back through the selector: the linked project is named only if this reader may see it.
    return talent_get(actor=actor, pk=talent_id)


@router.post("/{int:talent_id}/archive", response={200: TalentDetailOut, **WRITE_ERRORS}, summary="归档人才记录")
def talent_archival(request, talent_id: int, payload: TalentArchiveIn):
    actor = request.auth
    record = _changeable(actor, talent_id, "您只能查看该人才记录，不能归档。")
    talent_archive(actor=actor, talent=record, reason=payload.reason)
    return talent_get(actor=actor, pk=talent_id)


@router.get("/{int:talent_id}/history", response={200: TalentHistoryOut, **READ_ERRORS},
            summary="人才历程（阶段变更、服务专员、修改）")
def talent_timeline(request, talent_id: int):
    record = talent_get(actor=request.auth, pk=talent_id)
    # As on the page: a reader who does not see every unit is not told which other unit's project was linked.
    timeline = talent_history(talent=record, hide_projects=not actor_scope(request.auth).all_units)
    return {
        "stage_changes": sorted((e["obj"] for e in timeline if e["kind"] == "stage"),
                                key=lambda change: (change.changed_at, change.pk)),
        "specialist_assignments": sorted((e["obj"] for e in timeline if e["kind"] == "specialist"),
                                         key=lambda row: (row.started_at, row.pk)),
        "timeline": timeline,
    }
