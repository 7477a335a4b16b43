"""Projects over JSON: the same selectors and services as the pages, so a district sees and changes
only its own projects (another unit's is a 404), a leader reads and is refused writes (403), and every
stage rule answers with the sentence the page shows."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.accounts.models import Role, User
from apps.chains.models import Cluster
from apps.core.errors import ConflictError
from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, referenced
from apps.organisations.selectors import organisation_list
from apps.projects.choices import PIPELINE, Stage
from apps.projects.claims import (
    CLAIMED,
    arbitration_decide,
    arbitration_get,
    arbitration_list,
    arbitration_request,
    arbitration_withdraw,
    claim_refusal_fields,
)
from apps.projects.filters import ProjectFilterForm
from apps.projects.schemas import (
    ArbitrationDecisionIn,
    ArbitrationFilters,
    ArbitrationIn,
    ArbitrationOut,
    ClaimConflictOut,
    HistoryOut,
    ProjectDetailOut,
    ProjectFilters,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    ProjectStageOut,
    StageChangeIn,
    StageChangeResultOut,
)
from apps.projects.selectors import project_get, project_list, project_timeline
from apps.projects.services import project_change_stage, project_create, project_update
from apps.projects.stages import STAGE_REQUIREMENTS
from apps.units.models import Unit

router = Router(tags=["招商项目"])
PAGE_SIZE = 50

# API name → service argument, where they differ: amounts say their unit, references are ids.
AMOUNT_NAMES = {"planned_investment_yuan": "planned_investment", "signed_amount_yuan": "signed_amount"}
REFERENCES = {
    "organisation_id": ("organisation", "目标主体"),
    "unit_id": ("unit", "承接区县"),
    "source_unit_id": ("source_unit", "线索来源单位"),
    "cluster_id": ("cluster", "产业集群"),
    "specialist_id": ("specialist", "服务专员"),
}
API_NAMES = {service: api for api, service in AMOUNT_NAMES.items()} | {
    service: api for api, (service, _) in REFERENCES.items()
}


def _choices(actor) -> dict:
    """What each id may point at: the organisations the actor can see, units and clusters (reference
    data, checked further by the service), and the same specialists the page's select offers."""
    return {
        "organisation_id": organisation_list(actor=actor),
        "unit_id": Unit.objects.all(),
        "source_unit_id": Unit.objects.all(),
        "cluster_id": Cluster.objects.all(),
        "specialist_id": User.objects.filter(is_active=True).exclude(role=Role.LEADER),
    }


def _service_fields(actor, data: dict) -> dict:
    choices = _choices(actor)
    out = {}
    for key, value in data.items():
        if key in REFERENCES:
            name, label = REFERENCES[key]
            out[name] = referenced(choices[key], value, label=label, field=key)
        else:
            out[AMOUNT_NAMES.get(key, key)] = value
    return out


@router.get("/stages", response={200: list[ProjectStageOut], **READ_ERRORS}, summary="阶段及各阶段须填写的字段")
def stage_list(request):
    return [
        {
            "value": stage.value, "label": str(stage.label), "in_pipeline": stage in PIPELINE,
            "position": PIPELINE.index(stage) if stage in PIPELINE else None,
            "required_fields": [{"field": API_NAMES.get(field, field), "label": label}
                                for field, label in STAGE_REQUIREMENTS.get(stage, [])],
        }
        for stage in Stage
    ]


# --- 首谈协调: literal paths, before the {int:project_id} routes ----------------------------------------

@router.get("/arbitrations", response={200: list[ArbitrationOut], **READ_ERRORS}, summary="首谈协调申请列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def arbitrations(request, filters: Query[ArbitrationFilters]):
    return arbitration_list(actor=request.auth, status=filters.status, organisation_id=filters.organisation)


@router.post("/arbitrations", response={201: ArbitrationOut, **WRITE_ERRORS}, summary="申请首谈协调")
def arbitration_add(request, payload: ArbitrationIn):
    organisation = referenced(organisation_list(actor=request.auth), payload.organisation_id, label="目标主体",
                              field="organisation_id")
    unit = referenced(Unit.objects.all(), payload.unit_id, label="申请单位", field="unit_id")
    return Status(201, arbitration_request(actor=request.auth, organisation=organisation, unit=unit,
                                           reason=payload.reason))


@router.post("/arbitrations/{int:arbitration_id}/decide", response={200: ArbitrationOut, **WRITE_ERRORS},
             summary="驻京办处理首谈协调")
def arbitration_decision(request, arbitration_id: int, payload: ArbitrationDecisionIn):
    arbitration = arbitration_get(actor=request.auth, pk=arbitration_id)
    return arbitration_decide(actor=request.auth, arbitration=arbitration, decision=payload.decision,
                              note=payload.note)


@router.post("/arbitrations/{int:arbitration_id}/withdraw", response={200: ArbitrationOut, **WRITE_ERRORS},
             summary="撤回首谈协调申请")
def arbitration_withdrawal(request, arbitration_id: int):
    return arbitration_withdraw(actor=request.auth, arbitration=arbitration_get(actor=request.auth, pk=arbitration_id))


# 400: a filter value the list page's form refuses (an unknown stage, a unit id that names none).
@router.get("", response={200: list[ProjectOut], **READ_ERRORS, 400: ErrorOut}, summary="项目列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def projects(request, filters: Query[ProjectFilters]):
    # The page's filter form reads the parameters, so the API and the list cannot disagree.
    kwargs = ProjectFilterForm(filters.form_data()).checked_selector_kwargs()
    return project_list(actor=request.auth, **kwargs)


@router.get("/{int:project_id}", response={200: ProjectDetailOut, **READ_ERRORS}, summary="项目详情")
def project(request, project_id: int):
    return project_get(actor=request.auth, pk=project_id)


@router.post("", response={201: ProjectDetailOut, **WRITE_ERRORS, 409: ClaimConflictOut}, summary="登记项目")
def project_add(request, payload: ProjectIn):
    fields = _service_fields(request.auth, payload.dict())
    try:
        project = project_create(actor=request.auth, **fields)
    except ConflictError as error:
        if error.code == CLAIMED:
            # The holder and the end date as fields, beside the sentence that names them.
            error.extra.update(claim_refusal_fields(organisation=fields["organisation"], unit=fields["unit"]))
        raise
    return Status(201, project)


@router.patch("/{int:project_id}", response={200: ProjectDetailOut, **WRITE_ERRORS}, summary="修改项目")
def project_edit(request, project_id: int, payload: ProjectPatch):
    project = project_get(actor=request.auth, pk=project_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    return project_update(actor=request.auth, project=project, version=payload.version,
                          **_service_fields(request.auth, changes))


@router.post("/{int:project_id}/stage", response={201: StageChangeResultOut, **WRITE_ERRORS},
             summary="变更阶段")
def project_stage(request, project_id: int, payload: StageChangeIn):
    project = project_get(actor=request.auth, pk=project_id)
    move = payload.dict(include={"to_stage", "expected_stage", "note", "skip_reason", "evidence", "occurred_on"})
    values = _service_fields(request.auth, payload.dict(exclude=set(move)))
    change = project_change_stage(actor=request.auth, project=project, values=values, **move)
    return Status(201, {"change": change, "project": change.project})


@router.get("/{int:project_id}/history", response={200: HistoryOut, **READ_ERRORS}, summary="项目历程")
def project_history(request, project_id: int):
    timeline = project_timeline(project=project_get(actor=request.auth, pk=project_id))
    changes = sorted((e.obj for e in timeline if e.kind == "stage"), key=lambda c: (c.changed_at, c.id))
    return {"stage_changes": changes, "timeline": timeline}
