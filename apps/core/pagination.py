"""The API's page-number pagination, with an upper bound on ?page=: ninja's own accepts any integer, and
(page − 1) × page size past 2**63 is not an SQL OFFSET either database can take — a 500 where a 422 is
the answer. A million pages of 50 is far past any list here."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 1_000_000


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, le=1000)
