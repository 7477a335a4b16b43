"""The JSON API at /api/v1. Each app contributes a router; all share the auth and error handling
defined here, so a DomainError is the same Chinese sentence in the API as on the page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from apps.accounts.api import BearerAuth, SessionAuth, router as auth_router
from apps.activities.api import router as activities_router
from apps.core.errors import DomainError
from apps.organisations.api import router as organisations_router
from apps.projects.api import router as projects_router
from apps.units.api import router as units_router

api = NinjaAPI(
    title="双招双引工作平台 API",
    version="1",
    description="驻京办与区县的招商项目、目标库、走访记录。认证：POST /api/v1/auth/token 取得令牌，"
    "之后在请求头中发送 Authorization: Bearer <token>。",
    auth=[BearerAuth(), SessionAuth()],
    urls_namespace="api",
)

api.add_router("/auth", auth_router)
api.add_router("/units", units_router)
api.add_router("/organisations", organisations_router)
api.add_router("/projects", projects_router)
api.add_router("/activities", activities_router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, {"detail": exc.message, "field": exc.field, "code": exc.code},
                               status=exc.status)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "没有权限。", "code": "forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "记录不存在或您无权查看。", "code": "not_found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录或提供有效的令牌（Authorization: Bearer …）。",
                                         "code": "unauthenticated"}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    """Pydantic's English errors become Chinese sentences naming the field."""
    messages = []
    for err in exc.errors:
        loc = [str(x) for x in err.get("loc", []) if x not in ("body", "payload", "query", "path")]
        field = ".".join(loc) or "请求"
        kind = err.get("type", "")
        if kind == "missing":
            messages.append(f"{field}：必填。")
        elif "decimal" in kind or "float" in kind or "int" in kind:
            messages.append(f"{field}：应为数字（金额以元为单位，如 500000000），收到的是“{err.get('input')}”。")
        elif "date" in kind:
            messages.append(f"{field}：日期格式应为 YYYY-MM-DD，收到的是“{err.get('input')}”。")
        else:
            messages.append(f"{field}：{err.get('msg')}")
    return api.create_response(request, {"detail": " ".join(messages), "errors": exc.errors, "code": "invalid"},
                               status=422)
