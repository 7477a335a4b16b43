from django.conf import settings
from ninja import Router, Schema
from ninja.security import APIKeyCookie, HttpBearer

from apps.accounts.services import api_token_issue, api_token_user
from apps.core.schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["认证"])


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (the pages' own HTMX calls). CSRF is enforced for writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # Without a session cookie there is nothing for CSRF to protect; checking anyway would answer
        # a script whose bearer token expired with "CSRF check Failed" instead of the 401 it needs.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@router.post("/token", auth=None, response={200: TokenOut, 400: ErrorOut, 422: ValidationErrorOut},
             summary="用用户名和密码换取令牌")
def token(request, payload: TokenIn):
    return {"token": api_token_issue(username=payload.username, password=payload.password, request=request)}


__all__ = ["BearerAuth", "ErrorOut", "SessionAuth", "router"]
