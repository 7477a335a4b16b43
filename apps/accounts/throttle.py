"""Login throttling (登录失败处理), on django-axes: failed logins are counted per account and per client
address over a window; past the limit, that account or that address is refused for the window — on the
login page, the admin login and the API's token endpoint alike (all go through authenticate()).

Axes compares every lockout parameter against one limit. One limit does not fit both: five wrong
passwords is a lot for one account, but a whole office reaches the server from one NAT address, so the
address needs a far higher bound or one clumsy morning locks everyone out. LoginThrottle therefore
counts the address's failures in units of its own limit (see get_failures)."""

import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

LOCKED_MESSAGE = gettext_noop("登录失败次数过多，该账号或当前网络地址已被暂时锁定，请%(minutes)s分钟后再试；如需立即解锁，请联系驻京办管理员。")


def account_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def address_limit() -> int:
    return max(1, int(getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 50)))


def window_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler (the counts live in the database, so every gunicorn worker and every
    restart sees the same), with a separate limit for the address (settings.LOGIN_FAILURES_PER_ADDRESS)."""

    def get_failures(self, request, credentials=None) -> int:
        # AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"]: one queryset each, in that order.
        by_account, by_address = (self._count(qs) for qs in self.get_user_attempts(request, credentials))
        # Axes locks at failures >= AXES_FAILURE_LIMIT; the address reaches that number when its own
        # count reaches its own limit.
        scaled = math.floor(by_address * account_limit() / address_limit())
        return max(by_account, scaled)

    @staticmethod
    def _count(attempts) -> int:
        return sum(attempts.values_list("failures_since_start", flat=True))


def client_ip(request) -> str:
    """The client's address. Behind nginx every request comes from 127.0.0.1; nginx appends the address it
    saw to X-Forwarded-For, so from a trusted proxy (settings.TRUSTED_PROXIES) the last hop is the client.
    Earlier hops are whatever the client wrote and are never believed."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in getattr(settings, "TRUSTED_PROXIES", ()):
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return remote


def lockout_response(request, credentials=None, *args, **kwargs):
    """429 in Chinese: JSON for the API (its error shape), the login page's own look for people."""
    message = _(LOCKED_MESSAGE) % {"minutes": window_minutes()}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
