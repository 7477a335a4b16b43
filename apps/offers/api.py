"""区县资源 over JSON, mounted by config/api.py at /api/v1/offers: the same selectors and services as the
pages. Every signed-in person reads every district's parks, sites, policies and resources; only the
offer's own unit (its admins and staff) registers, changes and withdraws them — the office, leaders and
other districts get 403 with the reason. Need profiles are the office's: read by the office, leaders
and their author (anyone else gets 404), written and sent to districts by office admins and staff."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from apps.chains.models import ChainLink, Cluster
from apps.core.errors import DomainError
from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, choices_text, referenced
from apps.fairness.selectors import flags_for_object
from apps.offers import matching, services
from apps.offers.choices import ParkKind, ResourceKind, SiteKind, SiteStatus
from apps.offers.models import Park
from apps.offers.querysets import may_change_offers_of, may_manage_needs
from apps.offers.schemas import (
    MatchesOut,
    NeedIn,
    NeedOut,
    ParkDetailOut,
    ParkFilters,
    ParkIn,
    ParkOut,
    ParkPatch,
    PolicyDetailOut,
    PolicyFilters,
    PolicyIn,
    PolicyOut,
    PolicyPatch,
    ResourceDetailOut,
    ResourceFilters,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
    SendIn,
    SiteDetailOut,
    SiteFilters,
    SiteIn,
    SiteOut,
    SitePatch,
)
from apps.offers.selectors import may_change_offer, need_get, need_list, offer_get, offer_list
from apps.organisations.selectors import organisation_list
from apps.projects.models import Project
from apps.recommendations.schemas import RecommendationOut
from apps.recommendations.selectors import recommendation_get
from apps.units.models import Unit
from apps.units.selectors import unit_choices_for_date

router = Router(tags=["区县资源"])
PAGE_SIZE = 50


@dataclass(frozen=True)
class OfferKind:
    """One kind of offer as the API shows it; the four share their endpoints' shape."""

    key: str                 # selectors.KINDS
    path: str
    noun: str
    out: type[Schema]
    detail_out: type[Schema]
    create_in: type[Schema]
    patch_in: type[Schema]
    filters: type[Schema]
    create: object
    update: object
    retire: object
    fields: tuple            # what the service checks, read back from the row for a PATCH
    filter_choices: dict     # query parameter → (choices, label) it must be one of


KINDS = [
    OfferKind("park", "/parks", "园区", ParkOut, ParkDetailOut, ParkIn, ParkPatch, ParkFilters,
              services.park_create, services.park_update, services.park_retire,
              ("name", "kind", "address", "clusters", "leading_industries", "description"),
              {"kind": (ParkKind, "园区类型")}),
    OfferKind("site", "/sites", "载体", SiteOut, SiteDetailOut, SiteIn, SitePatch, SiteFilters,
              services.site_create, services.site_update, services.site_retire,
              ("name", "kind", "park", "area", "price", "price_unit", "power_kva", "water_tpd", "ready_date",
               "status", "note"),
              {"kind": (SiteKind, "载体类型"), "status": (SiteStatus, "状态")}),
    OfferKind("policy", "/policies", "政策", PolicyOut, PolicyDetailOut, PolicyIn, PolicyPatch, PolicyFilters,
              services.policy_create, services.policy_update, services.policy_retire,
              ("title", "doc_number", "summary", "conditions", "valid_from", "valid_until", "clusters"), {}),
    OfferKind("resource", "/resources", "资源", ResourceOut, ResourceDetailOut, ResourceIn, ResourcePatch,
              ResourceFilters, services.resource_create, services.resource_update, services.resource_retire,
              ("kind", "title", "description"), {"kind": (ResourceKind, "资源类型")}),
]


def _service_values(data: dict) -> dict:
    """API names → the service's: ids become the rows they name (404 naming the field if there is none)."""
    values = dict(data)
    if "cluster_ids" in values:
        values["clusters"] = [referenced(Cluster.objects.all(), pk, label="产业集群", field="cluster_ids")
                              for pk in values.pop("cluster_ids") or []]
    if "park_id" in values:
        # Any unit's park resolves here; the service refuses one of another district by name (400, park).
        values["park"] = referenced(Park.objects.all(), values.pop("park_id"), label="所在园区", field="park_id")
    return values


def _detail(actor, row):
    """The row with what its detail adds: its fair-competition flags and whether the reader may change it."""
    row.fairness_flags = flags_for_object(actor=actor, obj=row)
    row.may_change = may_change_offer(actor, row)
    return row


def _current_values(kind: OfferKind, row) -> dict:
    values = {}
    for name in kind.fields:
        value = getattr(row, name)
        values[name] = list(value.all()) if hasattr(value, "all") else value
    return values


def _filters(kind: OfferKind, filters) -> dict:
    data = filters.dict()
    for name, (choices, label) in kind.filter_choices.items():
        if data.get(name) and data[name] not in choices.values:
            raise DomainError(f"{label}（{name}）：“{data[name]}”不是可选值。{choices_text(choices)}", field=name)
    return {"unit_id": data.get("unit"), "offer_kind": data.get("kind") or "", "status": data.get("status") or "",
            "include_retired": data.get("include_retired", False)}


def _register(kind: OfferKind) -> None:
    """The five endpoints of one kind: list, one, create, PATCH, withdraw. Function names are set per kind
    so each operation keeps its own OpenAPI id."""

    def offers(request, filters: Query[kind.filters]):
        return offer_list(actor=request.auth, kind=kind.key, **_filters(kind, filters))

    def offer(request, offer_id: int):
        return _detail(request.auth, offer_get(actor=request.auth, kind=kind.key, pk=offer_id))

    def offer_add(request, payload: kind.create_in):
        actor = request.auth
        values = payload.dict()
        unit = referenced(Unit.objects.all(), values.pop("unit_id"), label="所属区县", field="unit_id")
        if not may_change_offers_of(actor, unit):
            raise PermissionDenied(_(services.NOT_OWN_UNIT))
        row = kind.create(actor=actor, unit=unit, values=_service_values(values))
        return Status(201, _detail(actor, row))

    def offer_edit(request, offer_id: int, payload: kind.patch_in):
        actor = request.auth
        row = offer_get(actor=actor, kind=kind.key, pk=offer_id)
        if not may_change_offer(actor, row):
            raise PermissionDenied(_(services.NOT_OWN_UNIT))
        changes = _service_values(payload.dict(exclude_unset=True))
        row = kind.update(actor=actor, values=_current_values(kind, row) | changes, **{kind.key: row})
        return _detail(actor, row)

    def offer_withdraw(request, offer_id: int):
        actor = request.auth
        row = offer_get(actor=actor, kind=kind.key, pk=offer_id)
        if not may_change_offer(actor, row):
            raise PermissionDenied(_(services.NOT_OWN_UNIT))
        return _detail(actor, kind.retire(actor=actor, **{kind.key: row}))

    for function, verb in ((offers, "list"), (offer, "get"), (offer_add, "create"), (offer_edit, "update"),
                           (offer_withdraw, "withdraw")):
        function.__name__ = f"{kind.key}_{verb}"
    one = f"{kind.path}/{{int:offer_id}}"
    router.get(kind.path, response={200: list[kind.out], 400: ErrorOut, **READ_ERRORS},
               summary=f"{kind.noun}列表")(paginate(PageNumberPagination, page_size=PAGE_SIZE)(offers))
    router.get(one, response={200: kind.detail_out, **READ_ERRORS}, summary=f"{kind.noun}详情")(offer)
    router.post(kind.path, response={201: kind.detail_out, **WRITE_ERRORS},
                summary=f"登记{kind.noun}（本区县）")(offer_add)
    router.patch(one, response={200: kind.detail_out, **WRITE_ERRORS},
                 summary=f"修改{kind.noun}（本区县）")(offer_edit)
    router.post(f"{one}/withdraw", response={200: kind.detail_out, **WRITE_ERRORS},
                summary=f"下架{kind.noun}（本区县）")(offer_withdraw)


for _kind in KINDS:
    _register(_kind)


# --- need profiles ---------------------------------------------------------------------------------

@router.get("/needs", response={200: list[NeedOut], **READ_ERRORS}, summary="企业需求列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def needs(request):
    return need_list(actor=request.auth).select_related("project", "created_by")


@router.get("/needs/{int:need_id}", response={200: NeedOut, **READ_ERRORS}, summary="企业需求详情")
def need(request, need_id: int):
    return need_get(actor=request.auth, pk=need_id)


@router.post("/needs", response={201: NeedOut, **WRITE_ERRORS}, summary="登记企业需求（驻京办）")
def need_add(request, payload: NeedIn):
    actor = request.auth
    if not may_manage_needs(actor):
        raise PermissionDenied(_(services.NOT_OFFICE))
    values = payload.dict()
    refs = {
        "organisation_id": ("organisation", organisation_list(actor=actor), "企业"),
        "project_id": ("project", Project.objects.restrict(actor), "关联项目"),
        "cluster_id": ("cluster", Cluster.objects.all(), "产业集群"),
        "chain_link_id": ("chain_link", ChainLink.objects.all(), "产业链环节"),
    }
    for key, (name, queryset, label) in refs.items():
        values[name] = referenced(queryset, values.pop(key), label=label, field=key)
    created = services.need_create(actor=actor, values=values)
    return Status(201, need_get(actor=actor, pk=created.pk))


@router.get("/needs/{int:need_id}/matches", response={200: MatchesOut, **READ_ERRORS},
            summary="与企业需求匹配的区县（按匹配度排序）")
def need_matches(request, need_id: int):
    profile = need_get(actor=request.auth, pk=need_id)
    ranked = matching.rank(profile)
    # As on the page: districts with nothing that fits are named once rather than listed as empty matches.
    shown = [m for m in ranked if m.reasons or m.score > 0 or m.sites]
    return {"need": profile, "matches": shown, "without": [m.unit for m in ranked if m not in shown]}


@router.post("/needs/{int:need_id}/send", response={201: RecommendationOut, **WRITE_ERRORS},
             summary="向所选区县推荐企业考察（驻京办）")
def need_send(request, need_id: int, payload: SendIn):
    actor = request.auth
    profile = need_get(actor=actor, pk=need_id)
    if not may_manage_needs(actor):
        raise PermissionDenied(_("只有驻京办可以推荐企业赴区县考察。"))
    # The districts the page offers: active districts, counties and zones.
    active = Unit.objects.filter(pk__in=[unit.pk for unit in unit_choices_for_date()])
    units = [referenced(active, pk, label="推荐区县", field="unit_ids") for pk in payload.unit_ids]
    recommendation = services.need_send_recommendations(actor=actor, need=profile, units=units,
                                                        matches=matching.rank(profile))
    return Status(201, recommendation_get(actor=actor, pk=recommendation.pk))
