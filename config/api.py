"""The JSON API at /api/v1. Each app contributes a router; all share the auth and error handling
defined here, so a DomainError is the same Chinese sentence in the API as on the page."""

import re

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DataError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from apps.accounts.api import BearerAuth, SessionAuth
from apps.accounts.api import router as auth_router
from apps.activities.api import router as activities_router
from apps.cockpit.api import router as stats_router
from apps.core.errors import DomainError
from apps.core.middleware import RefuseNulInApiMiddleware
from apps.events.api import router as events_router
from apps.events.api import signings_router
from apps.fairness.api import router as fairness_router
from apps.fulfilment.api import router as fulfilment_router
from apps.notifications.api import router as notifications_router
from apps.offers.api import router as offers_router
from apps.organisations.api import router as organisations_router
from apps.organisations.api_merge import router as organisation_merges_router
from apps.projects.api import router as projects_router
from apps.recommendations.api import router as recommendations_router
from apps.servicedesk.api import router as servicedesk_router
from apps.talent.api import router as talent_router
from apps.thinktanks.api import router as thinktanks_router
from apps.units.api import router as units_router


class ChineseJSONRenderer(JSONRenderer):
    # Chinese as itself, not \uXXXX: what an officer sees with curl is what the page says.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="双招双引工作平台 API",
    version="1",
    description=(
        "驻京办与区县的招商项目、目标库、走访记录。与页面使用同一套服务和权限：看不到的记录一律 404。\n\n"
        "- 认证：POST /api/v1/auth/token 取得令牌，之后在请求头中发送 Authorization: Bearer <token>；"
        "令牌请求不需要 CSRF。浏览器会话（Cookie）的写请求需带 X-CSRFToken。\n"
        "- 金额：以元为单位。输出 *_yuan 为精确到分的字符串（\"500000000.00\"）并附 *_display（\"5亿元\"）；"
        "输入 *_yuan 须为数字，\"5亿\" 这类写法返回 422（签约接口另可用 amount_text 传“5亿元”“3000万元”）。日期为 ISO 格式（YYYY-MM-DD）。\n"
        "- 列表分页：?page=（从 1 开始，每页 50 条），返回 {items, count}。\n"
        "- 修改（PATCH）须带读取时的 version，他人已先修改返回 409；阶段变更可带 expected_stage。\n"
        "- 错误：{detail, field, code}，detail 为中文说明。400 数据不符合规则，401 未登录，403 角色无权，"
        "404 记录不存在或无权查看，409 冲突，422 格式错误。\n"
        "- 人员（联系人、专家）在 /api/v1/organisations/persons。"
    ),
    auth=[BearerAuth(), SessionAuth()],
    renderer=ChineseJSONRenderer(),
    urls_namespace="api",
)

api.add_router("/auth", auth_router)
api.add_router("/units", units_router)
api.add_router("/organisations", organisations_router)
# Merges share the /organisations prefix; their literal paths (/merges) never match {int:...} routes.
api.add_router("/organisations", organisation_merges_router)
api.add_router("/projects", projects_router)
api.add_router("/activities", activities_router)
api.add_router("/notifications", notifications_router)
api.add_router("/recommendations", recommendations_router)
api.add_router("/service-requests", servicedesk_router)
api.add_router("/fulfilment", fulfilment_router)
api.add_router("/talent", talent_router)
api.add_router("/events", events_router)
api.add_router("/signings", signings_router)
api.add_router("/stats", stats_router)
api.add_router("/offers", offers_router)
api.add_router("/thinktanks", thinktanks_router)
api.add_router("/fairness", fairness_router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {**getattr(exc, "extra", {}), "detail": exc.message, "field": exc.field, "code": exc.code}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "没有权限。", "code": "forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "记录不存在或您无权查看。", "code": "not_found"}, status=404)


@api.exception_handler(DataError)
def database_refused_value(request, exc):
    """PostgreSQL refuses a NUL character in text (a multipart form's field, which the middleware does not
    read): the transaction is rolled back, nothing is stored, and the caller gets a 400 that says why."""
    if _INTEGER_OUT_OF_RANGE.search(str(exc)):  # PostgreSQL: a number beyond its integer column in a write
        return number_out_of_range(request, exc)
    if "NUL" not in str(exc):
        raise exc
    return api.create_response(request, {"detail": RefuseNulInApiMiddleware.MESSAGE, "field": None,
                                         "code": "nul_character"}, status=400)


# The largest whole number a database column holds (a signed 64-bit integer): an id or count beyond it
# names no record and can be stored nowhere.
OUT_OF_RANGE = ("数值超出范围：请求中的记录 id 和整数须在 -9223372036854775808 到 9223372036854775807 之间，"
                "请检查是否多写了数字。")


_INTEGER_OUT_OF_RANGE = re.compile(r"(smallint|integer|bigint) out of range|out of range for type (smallint|integer|bigint)")


@api.exception_handler(OverflowError)
def number_out_of_range(request, exc):
    """SQLite's driver cannot bind a Python int beyond 64 bits (OverflowError; found by the API fuzz test
    as a 500 for ?unit=1282833090340942512128). Every operation that takes a number documents 422."""
    return api.create_response(request, {"detail": OUT_OF_RANGE, "errors": [], "code": "out_of_range"}, status=422)


# A service that re-reads a row through restrict() raises Model.DoesNotExist when the caller may not see
# it (or it was deleted meanwhile): the same 404 as a lookup, never a 500.
api.exception_handler(ObjectDoesNotExist)(not_found)


def not_found_page_or_json(request, exception):
    """The site's handler404 (config/urls.py). A path under the API that no operation matches — an
    unknown endpoint, or an id that is not an integer (/api/v1/projects/abc fails {int:project_id}) —
    never reaches ninja, so without this it got Django's HTML page; an API client gets the API's JSON
    404 instead, and every page keeps the HTML one."""
    if request.path.startswith(reverse("api:api-root")):
        detail = _("接口地址不存在：%(path)s。请对照接口文档 /api/v1/docs 检查路径；路径中的记录 id 须为整数。") % {
            "path": request.path}
        return api.create_response(request, {"detail": detail, "code": "not_found"}, status=404)
    return page_not_found(request, exception)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录或提供有效的令牌（Authorization: Bearer …）。",
                                         "code": "unauthenticated"}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """ninja's own refusals (CSRF, unreadable body) in Chinese."""
    known = {403: ("CSRF 校验失败：请刷新页面后重试；脚本请改用 Authorization: Bearer 令牌。", "csrf"),
             400: ("请求体无法解析：请发送 JSON（Content-Type: application/json）。", "bad_body")}
    detail, code = known.get(exc.status_code, (exc.message, "error"))
    return api.create_response(request, {"detail": detail, "code": code}, status=exc.status_code)


def _validation_message(field: str, err: dict) -> str:
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return f"{field}：必填。"
    if "decimal" in kind or "float" in kind or kind == "finite_number":
        return f"{field}：应为数字，金额以元为单位（如 500000000），不要写“亿”“万”等单位。"
    if kind.startswith("int"):
        return f"{field}：应为整数。"
    if "date" in kind:
        return f"{field}：日期格式应为 YYYY-MM-DD（如 2025-11-01）。"
    if kind.startswith("string"):
        return f"{field}：应为文字。"
    if kind.startswith("bool"):
        return f"{field}：应为 true 或 false。"
    if kind.startswith("list"):
        return f"{field}：应为列表。"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "不小于", "greater_than": "大于", "less_than_equal": "不大于", "less_than": "小于"}
        limit = next(iter(ctx.values()), "")
        return f"{field}：应{words[kind]} {limit}。"
    return f"{field}：{err.get('msg')}"


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    """Pydantic's English errors become Chinese sentences naming the field; `errors` keeps the
    machine-readable original."""
    messages = []
    for err in exc.errors:
        loc = [str(x) for x in err.get("loc", []) if x not in ("body", "payload", "query", "path")]
        messages.append(_validation_message(".".join(loc) or "请求", err))
    return api.create_response(request, {"detail": " ".join(messages), "errors": exc.errors, "code": "invalid"},
                               status=422)
