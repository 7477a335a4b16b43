"""Fulfilment over JSON: the same selectors and services as the pages. Alerts and funds follow their
project's visibility: another unit's project is a 404, a leader reads and is refused writes (403)."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.core.errors import DomainError
from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, yuan, yuan_display
from apps.fulfilment.schemas import (
    AlertFilters,
    AlertOut,
    FulfilmentOut,
    FundsEntryCreatedOut,
    FundsEntryIn,
    PlanIn,
    PlanItemOut,
)
from apps.fulfilment.selectors import alerts_for, project_fulfilment
from apps.fulfilment.services import funds_entry_add, funds_plan_set
from apps.projects.selectors import project_get

router = Router(tags=["履约监测"])
PAGE_SIZE = 50
# Service field → API field, where they differ: amounts say their unit.
API_NAMES = {"amount": "amount_yuan"}


def _api_field(error: DomainError) -> DomainError:
    error.field = API_NAMES.get(error.field, error.field)
    return error


def _summary(fulfilment: dict) -> dict:
    project = fulfilment["project"]
    return {
        **fulfilment,
        "project": project,
        "stage": project.stage,
        "stage_label": project.get_stage_display(),
        "signed_amount_yuan": yuan(fulfilment["signed_amount"]),
        "signed_amount_display": yuan_display(fulfilment["signed_amount"]),
        "funds_total_yuan": yuan(fulfilment["funds_total"]),
        "funds_total_display": yuan_display(fulfilment["funds_total"]),
        "funds_percent": None if fulfilment["funds_percent"] is None else str(fulfilment["funds_percent"]),
        "plan_total_yuan": yuan(fulfilment["plan_total"]),
        "plan_due_yuan": yuan(fulfilment["plan_due"]),
        "plan_due_display": yuan_display(fulfilment["plan_due"]),
        "behind_by_yuan": yuan(fulfilment["behind_by"]),
        "key_dates": [{**row, "label": str(row["label"])} for row in fulfilment["key_dates"]],
    }


@router.get("/alerts", response={200: list[AlertOut], **READ_ERRORS}, summary="履约预警列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def alerts(request, filters: Query[AlertFilters]):
    return alerts_for(actor=request.auth, open_only=filters.open, kind=filters.kind, unit_id=filters.unit,
                      project_id=filters.project)


@router.get("/projects/{int:project_id}", response={200: FulfilmentOut, **READ_ERRORS}, summary="项目履约情况")
def project_fulfilment_detail(request, project_id: int):
    project = project_get(actor=request.auth, pk=project_id)
    return _summary(project_fulfilment(actor=request.auth, project=project))


@router.post("/projects/{int:project_id}/funds", response={201: FundsEntryCreatedOut, **WRITE_ERRORS},
             summary="登记到位资金")
def funds_add(request, project_id: int, payload: FundsEntryIn):
    project = project_get(actor=request.auth, pk=project_id)
    try:
        entry = funds_entry_add(actor=request.auth, project=project, date=payload.date, amount=payload.amount_yuan,
                                note=payload.note, evidence=payload.evidence)
    except DomainError as error:
        raise _api_field(error) from None
    fulfilment = project_fulfilment(actor=request.auth, project=project)
    entry.cumulative = next(e.cumulative for e in fulfilment["entries"] if e.pk == entry.pk)
    entry.funds_total_yuan = yuan(fulfilment["funds_total"])
    entry.funds_total_display = yuan_display(fulfilment["funds_total"])
    entry.warning = fulfilment["warning"]
    return Status(201, entry)


@router.put("/projects/{int:project_id}/plan", response={200: list[PlanItemOut], **WRITE_ERRORS},
            summary="设置资金到位计划（整份替换）")
def plan_set(request, project_id: int, payload: PlanIn):
    project = project_get(actor=request.auth, pk=project_id)
    funds_plan_set(actor=request.auth, project=project,
                   items=[{"due_date": item.due_date, "amount": item.amount_yuan, "note": item.note}
                          for item in payload.items])
    return project_fulfilment(actor=request.auth, project=project)["plan_items"]
