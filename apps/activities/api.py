"""Visits, talks and site visits. An activity on a project is seen by whoever sees the project; one
without a project by the unit that recorded it (activities.models.ActivityQuerySet)."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.activities.schemas import ActivityFilters, ActivityIn, ActivityOut
from apps.activities.selectors import activity_list
from apps.activities.services import activity_complete_next_step, activity_create
from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, referenced
from apps.organisations.selectors import organisation_list
from apps.projects.selectors import project_list

router = Router(tags=["走访洽谈"])
PAGE_SIZE = 50


@router.get("", response={200: list[ActivityOut], **READ_ERRORS}, summary="走访洽谈列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def activities(request, filters: Query[ActivityFilters]):
    return activity_list(actor=request.auth, project_id=filters.project, organisation_id=filters.organisation,
                         kind=filters.kind)


@router.post("", response={201: ActivityOut, **WRITE_ERRORS}, summary="记录走访洽谈")
def activity_add(request, payload: ActivityIn):
    data = payload.dict(exclude={"project_id", "organisation_id"})
    data["project"] = referenced(project_list(actor=request.auth), payload.project_id,
                                 label="关联项目", field="project_id")
    data["organisation"] = referenced(organisation_list(actor=request.auth), payload.organisation_id,
                                      label="对象单位", field="organisation_id")
    return Status(201, activity_create(actor=request.auth, **data))


@router.post("/{int:activity_id}/done", response={200: ActivityOut, **WRITE_ERRORS}, summary="下一步标记为已完成")
def activity_done(request, activity_id: int):
    activity = get_object_or_404(activity_list(actor=request.auth), pk=activity_id)
    return activity_complete_next_step(actor=request.auth, activity=activity)
