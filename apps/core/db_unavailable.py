"""A 503 instead of the generic 500 while the database cannot be reached.

While PostgreSQL restarts (an upgrade, a failover, a cut network) every request that needs it fails.
Django's generic 500 page says "系统出错了…如果反复出现，请联系系统管理员", which reads like a bug in the
system and makes people file tickets; what they should do is wait a minute. So a failure *to reach* the
database becomes a 503 with Retry-After: a standalone Chinese page (templates/503_db.html — it must render
with no database, so no base layout, no context processors) and, under /api/, the API's usual error
shape with code "database_unavailable". Every other database error (a constraint, a deadlock, a bad
query) stays a 500: a retry would not fix a bug, and saying "cannot connect" would mislead the operator.

Why a signal and not a try/except around get_response: Django turns an exception into a response at every
middleware layer (convert_exception_to_response), so an outer middleware never sees it — and the session
and authentication middlewares need the database too (reading the session, saving it after the view).
got_request_exception is sent for every uncaught exception while it is being handled, wherever it was
raised; the receiver marks the request, and this middleware, listed outside SessionMiddleware, swaps the
resulting 500. The 500 is still logged by Django as usual, so the operator's log shows the cause.

Wiring (config/settings/base.py), right after WhiteNoiseMiddleware — outside the session, so a session
read or save that fails is covered; inside SecurityMiddleware and CSPMiddleware, so the 503 gets their
headers:
    "apps.core.db_unavailable.DatabaseUnavailableMiddleware","""

import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

MESSAGE = "数据库暂时无法连接，请稍后重试"
RETRY_AFTER_SECONDS = 10
_MARK = "_database_unavailable"

# PostgreSQL's SQLSTATEs for "cannot reach / cannot use the server right now" (appendix A of its manual):
# class 08 connection exceptions; 57P01-57P03 admin/crash shutdown and "cannot connect now" (starting up);
# 53300 too many connections. psycopg leaves sqlstate empty when it never reached a server (refused port,
# DNS, socket gone) — that is unavailability too.
_UNAVAILABLE_PREFIXES = ("08", "57P01", "57P02", "57P03", "53300")
# SQLite's own equivalent: the database file cannot be opened (disk detached, permissions changed).
_SQLITE_UNAVAILABLE = {"SQLITE_CANTOPEN"}


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True when ``exc`` says the database could not be reached, not that a statement failed."""
    if isinstance(exc, InterfaceError):
        # "connection already closed": a connection that died under the request (the server went away).
        return True
    if isinstance(exc, OperationalError):
        driver_error = exc.__cause__
    else:
        # A driver error Django did not wrap: code that runs statements on the raw psycopg cursor (the
        # organisation search does, for prepared statements) lets psycopg's own OperationalError through.
        driver_error = exc
    if getattr(driver_error, "sqlite_errorname", None) is not None:
        return driver_error.sqlite_errorname in _SQLITE_UNAVAILABLE
    if not _is_psycopg_operational_error(driver_error):
        return False
    sqlstate = getattr(driver_error, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_UNAVAILABLE_PREFIXES)


def _is_psycopg_operational_error(error: BaseException | None) -> bool:
    try:
        import psycopg
    except ImportError:  # SQLite-only installation
        return False
    return isinstance(error, psycopg.OperationalError)


def _mark_request(sender, request=None, **kwargs) -> None:
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        setattr(request, _MARK, True)


def database_unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": f"{MESSAGE}。", "field": None, "code": "database_unavailable"},
                                status=503, json_dumps_params={"ensure_ascii": False})
    else:
        # No request context: the context processors (navigation, the signed-in user) would need the database.
        response = HttpResponse(render_to_string("503_db.html", {"message": MESSAGE,
                                                                 "retry_after": RETRY_AFTER_SECONDS}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_mark_request, dispatch_uid="apps.core.db_unavailable")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            return database_unavailable_response(request)
        return response
