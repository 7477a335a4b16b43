from ninja import Router, Schema
from ninja.security import APIKeyCookie, HttpBearer

from apps.accounts.services import api_token_issue, api_token_user

router = Router(tags=["认证"])


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (the pages' own HTMX calls). CSRF is enforced for writes."""

    param_name = "sessionid"

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


class ErrorOut(Schema):
    detail: str
    code: str | None = None
    field: str | None = None


@router.post("/token", auth=None, response={200: TokenOut, 400: ErrorOut}, summary="用用户名和密码换取令牌")
def token(request, payload: TokenIn):
    return {"token": api_token_issue(username=payload.username, password=payload.password, request=request)}
