"""Service requests (诉求) over JSON: the same selectors and services as the pages. A request the caller
may not see is a 404; one they may only read (a leader) refuses writes with 403."""

import os

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from apps.accounts.models import Role, User
from apps.accounts.permissions import VIEW
from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, referenced
from apps.projects.selectors import project_list
from apps.servicedesk import selectors, services
from apps.servicedesk.schemas import (
    AssignIn,
    ReplyOut,
    ServiceRequestDetailOut,
    ServiceRequestFilters,
    ServiceRequestIn,
    ServiceRequestOut,
    StatusIn,
)
from apps.talent.models import Talent
from apps.units.models import Unit

router = Router(tags=["企业诉求"])
PAGE_SIZE = 50


def _owners():
    return User.objects.filter(is_active=True).exclude(role=Role.LEADER)


@router.get("", response={200: list[ServiceRequestOut], **READ_ERRORS}, summary="企业诉求列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def request_list(request, filters: Query[ServiceRequestFilters]):
    return selectors.request_list(actor=request.auth, status=filters.status, category=filters.category,
                                  overdue=filters.overdue, mine=filters.mine, project_id=filters.project,
                                  talent_id=filters.talent, subject=filters.subject, q=filters.q)


@router.get("/{int:request_id}", response={200: ServiceRequestDetailOut, **READ_ERRORS}, summary="诉求详情（含答复）")
def request_detail(request, request_id: int):
    return selectors.request_get(actor=request.auth, pk=request_id)


@router.post("", response={201: ServiceRequestDetailOut, **WRITE_ERRORS}, summary="登记诉求")
def request_add(request, payload: ServiceRequestIn):
    project = referenced(project_list(actor=request.auth, include_archived=True), payload.project_id,
                         label="所属项目", field="project_id")
    talent = referenced(Talent.objects.restrict(request.auth, VIEW), payload.talent_id, label="所属人才",
                        field="talent_id")
    owner_unit = referenced(Unit.objects.all(), payload.owner_unit_id, label="承办单位", field="owner_unit_id")
    owner = referenced(_owners(), payload.owner_id, label="承办人", field="owner_id")
    created = services.request_create(actor=request.auth, project=project, talent=talent, category=payload.category,
                                      title=payload.title, description=payload.description,
                                      owner_unit=owner_unit, owner=owner)
    return Status(201, created)


@router.post("/{int:request_id}/replies", response={201: ReplyOut, **WRITE_ERRORS},
             summary="答复（multipart/form-data：body，可附 attachment）")
def request_reply(request, request_id: int, body: Form[str], attachment: File[UploadedFile] = None):
    obj = selectors.request_get(actor=request.auth, pk=request_id)
    return Status(201, services.request_reply(actor=request.auth, request=obj, body=body, attachment=attachment))


@router.post("/{int:request_id}/status", response={200: ServiceRequestDetailOut, **WRITE_ERRORS},
             summary="变更状态（受理、办结、关闭、重新办理）")
def request_status(request, request_id: int, payload: StatusIn):
    obj = selectors.request_get(actor=request.auth, pk=request_id)
    changed = services.request_change_status(actor=request.auth, request=obj, to_status=payload.to_status,
                                             note=payload.note, version=payload.version)
    return changed


@router.post("/{int:request_id}/assign", response={200: ServiceRequestDetailOut, **WRITE_ERRORS},
             summary="交办（承办单位、承办人）")
def request_assign(request, request_id: int, payload: AssignIn):
    obj = selectors.request_get(actor=request.auth, pk=request_id)
    owner_unit = referenced(Unit.objects.all(), payload.owner_unit_id, label="承办单位", field="owner_unit_id")
    owner = referenced(_owners(), payload.owner_id, label="承办人", field="owner_id")
    changed = services.request_assign(actor=request.auth, request=obj, owner_unit=owner_unit, owner=owner,
                                      version=payload.version)
    return changed


@router.get("/{int:request_id}/replies/{int:reply_id}/attachment", response={200: None, **READ_ERRORS},
            summary="下载答复附件")
def reply_attachment(request, request_id: int, reply_id: int):
    obj = selectors.request_get(actor=request.auth, pk=request_id)
    reply = get_object_or_404(obj.replies, pk=reply_id)
    if not reply.attachment:
        raise Http404
    name = reply.attachment_name or os.path.basename(reply.attachment.name)
    return FileResponse(reply.attachment.open("rb"), as_attachment=True, filename=name,
                        content_type="application/octet-stream")
