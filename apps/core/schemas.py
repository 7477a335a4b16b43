"""Pieces every app's API shares: the error bodies (so the OpenAPI document says what a refusal looks
like), references to other records, and amounts written the two ways clients need them."""

from decimal import Decimal

from django.db.models import QuerySet
from ninja import Schema

from apps.core.errors import DomainError
from apps.core.money import format_amount

NOT_FOUND = "记录不存在或您无权查看。"


class ErrorOut(Schema):
    detail: str
    code: str | None = None
    field: str | None = None


class ValidationErrorOut(ErrorOut):
    errors: list[dict] = []


# The refusals each kind of endpoint can give; merged into `response=` so the document is honest.
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}


class Ref(Schema):
    id: int
    name: str


class UserRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class ReferenceNotFound(DomainError):
    """A record named in the request body that does not exist or that the actor may not see: the same
    404 as for a hidden record in the path, but naming the field so the client knows which id."""

    status = 404


def referenced(queryset: QuerySet, pk: int | None, *, label: str, field: str):
    """The row ``pk`` of ``queryset`` (already restricted by the caller), None for no id."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ReferenceNotFound(f"{label}（{field}={pk}）：{NOT_FOUND}", field=field, code="not_found")
    return obj


def choices_text(choices) -> str:
    """The allowed values of a choice field, for the OpenAPI description."""
    return "可选值：" + "、".join(f"{value}（{label}）" for value, label in choices.choices)


def yuan(value: Decimal | None) -> str | None:
    """Exact yuan as a string ("500000000.00"): a JSON number would pass through floats somewhere."""
    return None if value is None else f"{value:.2f}"


def yuan_display(value: Decimal | None) -> str | None:
    return None if value is None else format_amount(value)
