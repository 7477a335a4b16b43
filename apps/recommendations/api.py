"""推荐考察 over JSON: the same selectors and services as the pages. A district sees only the
recommendations made to it and only its own answer (another's is a 404); only the office recommends
and withdraws, only the district answers (403 otherwise); a leader reads."""

from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, referenced
from apps.organisations.selectors import organisation_list
from apps.projects.selectors import project_list
from apps.recommendations.schemas import (
    AcceptIn,
    DeclineIn,
    FunnelOut,
    FunnelQuery,
    RecommendationFilters,
    RecommendationIn,
    RecommendationOut,
    RecommendationWithdrawIn,
    SiteVisitIn,
    TargetOut,
)
from apps.recommendations.selectors import (
    default_period,
    funnel,
    recommendation_get,
    recommendation_list,
    target_get,
)
from apps.recommendations.services import (
    recommendation_accept,
    recommendation_create,
    recommendation_decline,
    recommendation_withdraw,
    target_log_site_visit,
)
from apps.units.models import Unit

router = Router(tags=["推荐考察"])
PAGE_SIZE = 50


def _units(ids: list[int]) -> list[Unit]:
    return [referenced(Unit.objects.all(), pk, label="推荐区县", field="unit_ids") for pk in ids]


def _target(request, target_id: int):
    return target_get(actor=request.auth, pk=target_id)


@router.get("", response={200: list[RecommendationOut], **READ_ERRORS}, summary="推荐考察列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def recommendations(request, filters: Query[RecommendationFilters]):
    return recommendation_list(actor=request.auth, status=filters.status, organisation_id=filters.organisation,
                               unit_id=filters.unit)


@router.post("", response={201: RecommendationOut, **WRITE_ERRORS}, summary="推荐企业赴区县考察（驻京办）")
def recommendation_add(request, payload: RecommendationIn):
    actor = request.auth
    recommendation = recommendation_create(
        actor=actor,
        organisation=referenced(organisation_list(actor=actor), payload.organisation_id, label="推荐企业",
                                field="organisation_id"),
        project=referenced(project_list(actor=actor), payload.project_id, label="关联项目", field="project_id"),
        units=_units(payload.unit_ids), reason=payload.reason, date=payload.date,
    )
    return Status(201, recommendation_get(actor=actor, pk=recommendation.pk))


@router.get("/funnel", response={200: FunnelOut, 400: ErrorOut, **READ_ERRORS}, summary="推荐成效（拜访、推荐、达成意向或落地）")
def recommendation_funnel(request, query: Query[FunnelQuery]):
    default_start, default_end = default_period(timezone.localdate())
    numbers = funnel(actor=request.auth, start=query.start or default_start, end=query.end or default_end,
                     unit_id=query.unit)
    sentence = (f"拜访企业{numbers['visited']}家，推荐{numbers['recommended']}家企业赴渝实地考察，"
                f"其中{numbers['reached_intention_or_landed']}家已达成合作意向或实现落地")
    return {**numbers, "sentence": sentence}


@router.get("/{int:recommendation_id}", response={200: RecommendationOut, **READ_ERRORS}, summary="推荐详情")
def recommendation_detail(request, recommendation_id: int):
    return recommendation_get(actor=request.auth, pk=recommendation_id)


@router.post("/{int:recommendation_id}/withdraw", response={200: RecommendationOut, **WRITE_ERRORS},
             summary="撤回尚未答复的推荐（驻京办）")
def recommendation_withdraw_endpoint(request, recommendation_id: int, payload: RecommendationWithdrawIn):
    actor = request.auth
    recommendation = recommendation_get(actor=actor, pk=recommendation_id)
    recommendation_withdraw(actor=actor, recommendation=recommendation, reason=payload.reason,
                            units=_units(payload.unit_ids) or None)
    return recommendation_get(actor=actor, pk=recommendation_id)


@router.post("/targets/{int:target_id}/accept", response={200: TargetOut, **WRITE_ERRORS}, summary="区县接受推荐")
def target_accept(request, target_id: int, payload: AcceptIn):
    target = recommendation_accept(actor=request.auth, target=_target(request, target_id), reason=payload.reason)
    return _target(request, target.pk)


@router.post("/targets/{int:target_id}/decline", response={200: TargetOut, **WRITE_ERRORS}, summary="区县婉拒推荐")
def target_decline(request, target_id: int, payload: DeclineIn):
    target = recommendation_decline(actor=request.auth, target=_target(request, target_id), reason=payload.reason)
    return _target(request, target.pk)


@router.post("/targets/{int:target_id}/site-visit", response={201: TargetOut, **WRITE_ERRORS},
             summary="记录推荐企业的实地考察")
def target_site_visit(request, target_id: int, payload: SiteVisitIn):
    target = _target(request, target_id)
    target_log_site_visit(actor=request.auth, target=target, **payload.dict())
    return Status(201, _target(request, target_id))
