"""智库合作 over JSON, mounted by config/api.py at /api/v1/thinktanks: the same selectors and services as the
pages. Every signed-in person reads every cooperation with its activities and outcomes (an outcome's
project or talent the reader may not see stays unnamed); the office and the admins and staff of the unit
holding a cooperation change it and record what was done and what came of it; anyone else gets 403."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.accounts.models import Role, User
from apps.accounts.permissions import VIEW
from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, referenced
from apps.events.models import Event
from apps.organisations.models import Organisation
from apps.organisations.selectors import organisation_list
from apps.projects.models import Project
from apps.talent.models import Talent
from apps.thinktanks import services
from apps.thinktanks.models import PARTNER_KINDS, CooperationStatus
from apps.thinktanks.schemas import (
    CooperationDetailOut,
    CooperationFilters,
    CooperationIn,
    CooperationListOut,
    CooperationPatch,
    OutcomeIn,
    OutcomeOut,
    ThinktankActivityIn,
    ThinktankActivityOut,
)
from apps.thinktanks.selectors import (
    cooperation_activities,
    cooperation_get,
    cooperation_list,
    cooperation_outcomes,
    may_change_cooperation,
)
from apps.units.models import Unit

router = Router(tags=["智库合作"])
PAGE_SIZE = 50
CREATE_DENIED = "只有驻京办和区县的管理员、招商干部可以登记智库合作。"


def _references(actor, data: dict, refs: dict) -> dict:
    """API ids → the rows the service takes; an id that names nothing the actor may see is a 404 naming it."""
    values = dict(data)
    for key, (name, queryset, label) in refs.items():
        if key in values:
            values[name] = referenced(queryset, values.pop(key), label=label, field=key)
    return values


def _cooperation_refs(actor) -> dict:
    return {
        "partner_id": ("partner", Organisation.objects.restrict(actor, VIEW), "合作机构"),
        "unit_id": ("unit", Unit.objects.all(), "负责单位"),
        "contact_id": ("contact", User.objects.filter(is_active=True).exclude(role=Role.LEADER), "我方联系人"),
    }


def _detail(actor, pk: int):
    cooperation = cooperation_get(actor=actor, pk=pk)
    cooperation.shown_activities = cooperation_activities(actor=actor, cooperation=cooperation)
    cooperation.shown_outcomes = cooperation_outcomes(actor=actor, cooperation=cooperation)
    cooperation.may_change = may_change_cooperation(actor, cooperation)
    return cooperation


def _changeable(actor, pk: int):
    cooperation = cooperation_get(actor=actor, pk=pk)
    if not may_change_cooperation(actor, cooperation):
        raise PermissionDenied(_(services.NOT_HOLDER))
    return cooperation


@router.get("", response={200: list[CooperationListOut], **READ_ERRORS}, summary="智库合作列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def cooperations(request, filters: Query[CooperationFilters]):
    # The page's reading of the filters: an unknown status or kind is ignored, as on /thinktanks/.
    return cooperation_list(actor=request.auth, q=filters.q.strip()[:100],
                            status=filters.status if filters.status in CooperationStatus.values else "",
                            partner_kind=filters.partner_kind if filters.partner_kind in PARTNER_KINDS else "")


@router.get("/{int:cooperation_id}", response={200: CooperationDetailOut, **READ_ERRORS},
            summary="智库合作详情（含活动与成果）")
def cooperation(request, cooperation_id: int):
    return _detail(request.auth, cooperation_id)


@router.post("", response={201: CooperationDetailOut, **WRITE_ERRORS}, summary="登记智库合作")
def cooperation_add(request, payload: CooperationIn):
    actor = request.auth
    if not services.may_create_cooperations(actor):
        raise PermissionDenied(_(CREATE_DENIED))
    values = _references(actor, payload.dict(), _cooperation_refs(actor))
    created = services.cooperation_create(actor=actor, values=values)
    return Status(201, _detail(actor, created.pk))


@router.patch("/{int:cooperation_id}", response={200: CooperationDetailOut, **WRITE_ERRORS},
              summary="修改智库合作")
def cooperation_edit(request, cooperation_id: int, payload: CooperationPatch):
    actor = request.auth
    found = _changeable(actor, cooperation_id)
    changes = _references(actor, payload.dict(exclude_unset=True, exclude={"version"}), _cooperation_refs(actor))
    services.cooperation_update(actor=actor, cooperation=found, values=changes, expected_version=payload.version)
    return _detail(actor, found.pk)


@router.post("/{int:cooperation_id}/activities", response={201: ThinktankActivityOut, **WRITE_ERRORS},
             summary="登记合作活动")
def activity_add(request, cooperation_id: int, payload: ThinktankActivityIn):
    actor = request.auth
    found = _changeable(actor, cooperation_id)
    values = _references(actor, payload.dict(), {
        "event_id": ("event", Event.objects.restrict(actor, VIEW), "关联活动")})
    return Status(201, services.activity_add(actor=actor, cooperation=found, values=values))


@router.post("/{int:cooperation_id}/outcomes", response={201: OutcomeOut, **WRITE_ERRORS},
             summary="登记合作成果")
def outcome_add(request, cooperation_id: int, payload: OutcomeIn):
    actor = request.auth
    found = _changeable(actor, cooperation_id)
    values = _references(actor, payload.dict(), {
        "project_id": ("project", Project.objects.restrict(actor, VIEW), "带来的项目"),
        "organisation_id": ("organisation", organisation_list(actor=actor), "引荐的主体"),
        "talent_id": ("talent", Talent.objects.restrict(actor, VIEW), "带来的人才"),
    })
    outcome = services.outcome_add(actor=actor, cooperation=found, values=values)
    # Read back through the selector, so the new row says what this reader may see like every other row.
    shown = next(row for row in cooperation_outcomes(actor=actor, cooperation=found) if row.pk == outcome.pk)
    return Status(201, shown)
