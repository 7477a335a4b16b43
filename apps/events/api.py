"""Events and signings over JSON: the same selectors and services as the pages. Every signed-in person
sees every event and its totals (the announced figures); the signing rows behind them only where
apps/events/querysets.py allows (another unit's signing is a 404, and counted in `hidden`). Events are
changed by the office or the unit that runs them, signings by whoever may change their project or
their event; a leader reads and is refused every write (403). Public pages and posters are pages,
not API."""

from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.core.errors import DomainError
from apps.core.money import parse_money
from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, referenced
from apps.events.schemas import (
    EventDetailOut,
    EventFilters,
    EventIn,
    EventListOut,
    EventPatch,
    EventSigningsOut,
    ReorderIn,
    SigningIn,
    SigningOut,
    SigningPatch,
    SigningWithdrawIn,
    TallyOut,
)
from apps.events.selectors import (
    event_get,
    event_list,
    event_signings,
    event_totals,
    may_change_event,
    signing_get,
    tally,
)
from apps.events.services import (
    event_create,
    event_update,
    signing_create,
    signing_reorder,
    signing_update,
    signing_withdraw,
)
from apps.projects.selectors import project_list
from apps.units.models import Unit

router = Router(tags=["活动与签约"])
signings_router = Router(tags=["活动与签约"])
PAGE_SIZE = 50
# Service field → API field, where they differ: references are ids.
API_NAMES = {"unit": "unit_id", "project": "project_id"}
AMOUNT_LABEL = "签约金额"


@contextmanager
def _as_api(*, amount_field: str = "amount"):
    """A service's refusal in the API's terms: a row it could not see (Model.DoesNotExist, which the
    API's handlers do not know) is the 404 of a hidden row, and a DomainError names the field the
    client sent."""
    try:
        yield
    except ObjectDoesNotExist:
        raise Http404 from None
    except DomainError as error:
        error.field = {**API_NAMES, "amount": amount_field}.get(error.field, error.field)
        raise


def _yuan(value) -> Decimal:
    text = str(value).strip()
    try:
        number = value if isinstance(value, Decimal) else Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise DomainError(f"{AMOUNT_LABEL}：无法识别“{text}”。amount 以元为单位填写数字（如 500000000）；"
                          "“5亿元”“3000万元”这类写法请填在 amount_text。", field="amount")
    return number


def _amount(data: dict) -> tuple[dict, str]:
    """({"amount": yuan or None}, the API field it came from) from whichever of amount / amount_text
    was sent; ({}, "amount") when neither key was sent (a PATCH leaving the amount alone)."""
    given = [key for key in ("amount", "amount_text") if data.get(key) is not None and str(data[key]).strip()]
    if len(given) > 1:
        raise DomainError(f"{AMOUNT_LABEL}：amount 与 amount_text 只填一个。", field="amount")
    if given == ["amount_text"]:
        return {"amount": parse_money(data["amount_text"], field=AMOUNT_LABEL, key="amount_text")}, "amount_text"
    if given == ["amount"]:
        return {"amount": _yuan(data["amount"])}, "amount"
    sent = "amount" in data or "amount_text" in data
    return ({"amount": None} if sent else {}), "amount"


def _signing_values(data: dict) -> tuple[dict, str]:
    amount, amount_field = _amount(data)
    values = {key: value for key, value in data.items() if key not in ("amount", "amount_text")}
    return values | amount, amount_field


def _unit(unit_id: int | None):
    return referenced(Unit.objects.all(), unit_id, label="组织单位", field="unit_id")


def _event(request, event_id: int):
    return event_get(actor=request.auth, pk=event_id)


def _detail(request, event_id: int):
    event = _event(request, event_id)
    event.totals = event_totals(event)
    event.may_change = may_change_event(request.auth, event)
    return event


def _signing(request, signing_id: int):
    return signing_get(actor=request.auth, pk=signing_id)


def _create_signing(request, payload: SigningIn, event=None):
    actor = request.auth
    data = payload.dict()
    # Archived projects are found, so the service can say why they cannot sign.
    project = referenced(project_list(actor=actor, include_archived=True), data.pop("project_id"),
                         label="签约项目", field="project_id")
    advance_stage = data.pop("advance_stage")
    values, amount_field = _signing_values(data)
    with _as_api(amount_field=amount_field):
        signing = signing_create(actor=actor, project=project, event=event, values=values,
                                 advance_stage=advance_stage)
    return Status(201, _signing(request, signing.pk))


# --- events ------------------------------------------------------------------------------------------

@router.get("", response={200: list[EventListOut], **READ_ERRORS}, summary="活动列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def events(request, filters: Query[EventFilters]):
    return event_list(actor=request.auth, q=filters.q.strip(), year=filters.year,
                      kind=filters.kind).select_related("created_by")


@router.post("", response={201: EventDetailOut, **WRITE_ERRORS}, summary="登记活动")
def event_add(request, payload: EventIn):
    values = payload.dict()
    values["unit"] = _unit(values.pop("unit_id"))
    with _as_api():
        event = event_create(actor=request.auth, values=values)
    return Status(201, _detail(request, event.pk))


@router.get("/{int:event_id}", response={200: EventDetailOut, **READ_ERRORS}, summary="活动详情与签约合计")
def event_detail(request, event_id: int):
    return _detail(request, event_id)


@router.patch("/{int:event_id}", response={200: EventDetailOut, **WRITE_ERRORS}, summary="修改活动")
def event_edit(request, event_id: int, payload: EventPatch):
    event = _event(request, event_id)
    values = payload.dict(exclude_unset=True, exclude={"version"})
    if "unit_id" in values:
        values["unit"] = _unit(values.pop("unit_id"))
    with _as_api():
        event_update(actor=request.auth, event=event, values=values, expected_version=payload.version)
    return _detail(request, event_id)


@router.get("/{int:event_id}/signings", response={200: EventSigningsOut, **READ_ERRORS},
            summary="活动的签约名单（当前用户可查看的部分）")
def event_signing_list(request, event_id: int):
    return event_signings(actor=request.auth, event=_event(request, event_id))


@router.post("/{int:event_id}/signings", response={201: SigningOut, **WRITE_ERRORS}, summary="在活动中登记签约")
def event_signing_add(request, event_id: int, payload: SigningIn):
    return _create_signing(request, payload, event=_event(request, event_id))


@router.post("/{int:event_id}/signings/order", response={200: EventSigningsOut, **WRITE_ERRORS},
             summary="调整签约顺序（活动组织单位）")
def event_signing_order(request, event_id: int, payload: ReorderIn):
    event = _event(request, event_id)
    with _as_api():
        signing_reorder(actor=request.auth, event=event, ordered_ids=payload.ids)
    return event_signings(actor=request.auth, event=event)


@router.get("/{int:event_id}/tally", response={200: TallyOut, **READ_ERRORS}, summary="签约实时统计（大屏数据）")
def event_tally(request, event_id: int):
    result = tally(actor=request.auth, event=_event(request, event_id))
    latest = [{**row, "agreement": str(row["agreement"]) if row["agreement"] is not None else None}
              for row in result.latest]
    return {"totals": result.totals, "latest": latest, "stamp": result.stamp}


# --- signings (also those without an event) ---------------------------------------------------------------

@signings_router.post("", response={201: SigningOut, **WRITE_ERRORS}, summary="登记单独签约（不在活动中）")
def signing_add(request, payload: SigningIn):
    return _create_signing(request, payload)


@signings_router.patch("/{int:signing_id}", response={200: SigningOut, **WRITE_ERRORS}, summary="修改签约")
def signing_edit(request, signing_id: int, payload: SigningPatch):
    signing = _signing(request, signing_id)
    values, amount_field = _signing_values(payload.dict(exclude_unset=True, exclude={"version"}))
    with _as_api(amount_field=amount_field):
        signing_update(actor=request.auth, signing=signing, values=values, expected_version=payload.version)
    return _signing(request, signing_id)


@signings_router.post("/{int:signing_id}/withdraw", response={200: SigningOut, **WRITE_ERRORS},
                      summary="撤回签约（保留记录，不再计入合计）")
def signing_withdrawal(request, signing_id: int, payload: SigningWithdrawIn):
    signing = _signing(request, signing_id)
    with _as_api():
        signing_withdraw(actor=request.auth, signing=signing, reason=payload.reason)
    return _signing(request, signing_id)
