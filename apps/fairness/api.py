"""公平竞争审查 over JSON, mounted by config/api.py at /api/v1/fairness: the one-off check of a text (nothing
stored, like /fairness/check/), the review queue and the office's review of a flag. The same selectors and
service as the pages: a district sees the flags of its own unit's records (another unit's is a 404), and
only office admins and staff review (403 for a district or a leader)."""

from ninja import Query, Router
from ninja.pagination import paginate

from apps.core.errors import DomainError
from apps.core.pagination import PageNumberPagination
from apps.core.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, ValidationErrorOut
from apps.fairness.check import check_text, source
from apps.fairness.models import FlagStatus
from apps.fairness.schemas import CheckIn, CheckOut, FlagFilters, FlagOut, FlagReviewIn
from apps.fairness.selectors import flag_get, flag_queue
from apps.fairness.services import flag_review

router = Router(tags=["公平竞争审查"])
PAGE_SIZE = 50
# The page's status filter: "all" is every status, an unknown value is refused rather than widened.
STATUS_FILTERS = {"open": FlagStatus.OPEN, "cleared": FlagStatus.CLEARED, "amended": FlagStatus.AMENDED, "all": ""}
# The page's limit (apps/fairness/forms.py MAX_TEXT): a longer draft is checked in parts.
MAX_TEXT = 200_000


@router.post("/check", response={200: CheckOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
             summary="检查一段文字（不保存）")
def check(request, payload: CheckIn):
    # Any signed-in person may check a draft: it reads nothing of the platform's and writes nothing.
    text = payload.text
    if not text.strip():
        raise DomainError("条款文字（text）：请粘贴要检查的条款文字。", field="text")
    if len(text) > MAX_TEXT:
        raise DomainError("条款文字（text）：超过 20 万字，请分段检查。", field="text")
    findings = [
        {"rule_id": f.rule_id, "rule_name": f.name, "article": f.article, "matched": f.matched,
         "excerpt": f.sentence, "start": f.start, "end": f.end, "explanation": f.explanation,
         "severity": f.severity}
        for f in check_text(text)
    ]
    return {"count": len(findings), "findings": findings, "source": source()}


@router.get("/flags", response={200: list[FlagOut], **READ_ERRORS, 400: ErrorOut},
            summary="公平竞争审查提示（审查队列）")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def flags(request, filters: Query[FlagFilters]):
    status = filters.status or "open"
    if status not in STATUS_FILTERS:
        raise DomainError(f"状态（status）：“{status}”不是可选值，请用 open、cleared、amended 或 all。", field="status")
    return flag_queue(actor=request.auth, status=STATUS_FILTERS[status], q=filters.q.strip()[:100])


@router.get("/flags/{int:flag_id}", response={200: FlagOut, **READ_ERRORS}, summary="一条审查提示")
def flag(request, flag_id: int):
    return flag_get(actor=request.auth, pk=flag_id)


@router.post("/flags/{int:flag_id}/review", response={200: FlagOut, **WRITE_ERRORS},
             summary="审查一条提示（驻京办）")
def flag_decide(request, flag_id: int, payload: FlagReviewIn):
    found = flag_get(actor=request.auth, pk=flag_id)
    return flag_review(actor=request.auth, flag=found, status=payload.status, note=payload.note)
