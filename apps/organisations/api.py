"""The target library (目标主体) and its people. The library is shared: every signed-in person reads it,
every working role adds to it, leaders only read. Which unit works an organisation is private to that
unit; others learn only that it is held, by whom and until when (`claims`).

People live at /api/v1/organisations/persons, as on the pages (/organisations/persons/)."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, referenced
from apps.organisations.matching import match_organisation
from apps.organisations.schemas import (
    MatchQuery,
    OrganisationDetailOut,
    OrganisationFilters,
    OrganisationIn,
    OrganisationMatchOut,
    OrganisationPatch,
    OrganisationSearchOut,
    PersonFilters,
    PersonIn,
    PersonOut,
)
from apps.organisations.selectors import organisation_get, organisation_list, person_list
from apps.organisations.services import organisation_create, organisation_update, person_create
from apps.projects.selectors import organisation_claims

router = Router(tags=["目标主体"])
PAGE_SIZE = 50


# Persons first: literal paths before the {id} ones keeps the routing obvious to a reader.
@router.get("/persons", response={200: list[PersonOut], **READ_ERRORS}, summary="人员列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def persons(request, filters: Query[PersonFilters]):
    return person_list(actor=request.auth, q=filters.q, organisation_id=filters.organisation)


@router.post("/persons", response={201: PersonOut, **WRITE_ERRORS}, summary="登记人员")
def person_add(request, payload: PersonIn):
    data = payload.dict(exclude={"organisation_id"})
    data["organisation"] = referenced(organisation_list(actor=request.auth), payload.organisation_id,
                                      label="所在单位", field="organisation_id")
    return Status(201, person_create(actor=request.auth, **data))


@router.get("", response={200: list[OrganisationSearchOut], **READ_ERRORS}, summary="目标主体列表与检索")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def organisations(request, filters: Query[OrganisationFilters]):
    """With `q`: two or more characters of a name, 字号, 简称 or 曾用名, a credit-code prefix, or the
    字号's pinyin initials; ranked exact, then prefix, then fragment (`match` says which). With `q` the list
    is the best 200: `count` is exact up to 200, and 200 means "200 or more" (pages past the 200th match are
    empty) — narrow a long list with a longer `q`, `kind` or `industry_section`."""
    return organisation_list(actor=request.auth, **filters.dict(), as_rows=True)


@router.get("/match", response={200: OrganisationMatchOut, **READ_ERRORS}, summary="查重：是否已在目标库中")
def match(request, query: Query[MatchQuery]):
    """Ranked candidates with a score and a verdict (same / likely / different). Equal credit codes
    are the same organisation; otherwise the name's parts (行政区划、字号、行业、组织形式) decide."""
    return match_organisation(query.name, credit_code=query.credit_code, limit=query.limit)


def _detail(request, organisation):
    organisation.claims = organisation_claims(actor=request.auth, organisation=organisation)
    return organisation


@router.get("/{int:organisation_id}", response={200: OrganisationDetailOut, **READ_ERRORS}, summary="目标主体详情")
def organisation(request, organisation_id: int):
    return _detail(request, organisation_get(actor=request.auth, pk=organisation_id))


@router.post("", response={201: OrganisationDetailOut, **WRITE_ERRORS}, summary="登记目标主体")
def organisation_add(request, payload: OrganisationIn):
    return Status(201, _detail(request, organisation_create(actor=request.auth, **payload.dict())))


@router.patch("/{int:organisation_id}", response={200: OrganisationDetailOut, **WRITE_ERRORS}, summary="修改目标主体")
def organisation_edit(request, organisation_id: int, payload: OrganisationPatch):
    org = organisation_get(actor=request.auth, pk=organisation_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    return _detail(request, organisation_update(actor=request.auth, organisation=org, version=payload.version,
                                                **changes))
