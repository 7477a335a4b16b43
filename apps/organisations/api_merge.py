"""Merging duplicate organisations over JSON (office admins), mounted under /api/v1/organisations beside
the library's own router. The same services as the pages (merge.py), so the refusals are the same
Chinese sentences."""

import datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from apps.core.pagination import PageNumberPagination
from apps.core.schemas import NOT_FOUND, READ_ERRORS, WRITE_ERRORS, ErrorOut, Ref, ReferenceNotFound, UserRef
from apps.organisations.merge import (
    merge_counts,
    merge_get,
    merge_list,
    merge_target_get,
    organisation_merge,
    organisation_merge_undo,
)

router = Router(tags=["目标主体合并"])
PAGE_SIZE = 50


class MergeIn(Schema):
    duplicate_id: int = Field(description="重复登记、要并入本主体的记录 id")
    reason: str = Field("", description="合并原因")


class MovedCountOut(Schema):
    label: str = Field(description="关联记录的种类，如“招商项目”")
    count: int


class MergeOut(Schema):
    id: int
    survivor: Ref = Field(description="保留主体")
    merged: Ref = Field(description="被合并主体")
    reason: str
    moved: list[MovedCountOut] = Field(description="转到保留主体名下的关联记录，按种类计数")
    aliases_added: list[str] = Field(description="保留主体新增的曾用名")
    credit_code_moved: str | None = Field(description="保留主体原无代码时，从被合并主体移来的统一社会信用代码")
    merged_by: UserRef | None
    merged_at: datetime.datetime
    undone_by: UserRef | None
    undone_at: datetime.datetime | None

    @staticmethod
    def resolve_moved(obj) -> list[dict]:
        return merge_counts(obj)

    @staticmethod
    def resolve_aliases_added(obj) -> list[str]:
        return [a["name"] for a in obj.aliases_added]

    @staticmethod
    def resolve_credit_code_moved(obj) -> str | None:
        return next((e[3] for e in obj.moved if len(e) > 3), None)


@router.get("/merges", response={200: list[MergeOut], **READ_ERRORS, 403: ErrorOut},
            summary="主体合并记录")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def merges(request, organisation: int | None = None):
    return merge_list(actor=request.auth, organisation_id=organisation)


@router.post("/merges/{int:merge_id}/undo", response={200: MergeOut, **WRITE_ERRORS}, summary="撤销合并")
def merge_undo(request, merge_id: int):
    return organisation_merge_undo(actor=request.auth, merge=merge_get(actor=request.auth, pk=merge_id))


@router.post("/{int:organisation_id}/merge", response={201: MergeOut, **WRITE_ERRORS},
             summary="把重复主体合并到本主体")
def merge(request, organisation_id: int, payload: MergeIn):
    survivor = merge_target_get(actor=request.auth, pk=organisation_id)
    try:
        duplicate = merge_target_get(actor=request.auth, pk=payload.duplicate_id)
    except Http404:
        raise ReferenceNotFound(f"重复主体（duplicate_id={payload.duplicate_id}）：{NOT_FOUND}", field="duplicate_id",
                                code="not_found") from None
    return Status(201, organisation_merge(actor=request.auth, survivor=survivor, merged=duplicate,
                                          reason=payload.reason))
