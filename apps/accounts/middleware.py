"""Django's AuthenticationMiddleware, letting the backend use the user the session was read with.

apps.accounts.sessions reads the signed-in user in the session's own statement. Django's auth.get_user — which
checks the user is active and the session's password hash still matches — asks the backend for the user by id
and knows nothing of the session store. While it runs for this request, the request's session is in a context
variable, and apps.accounts.backends.ModelBackend takes the user from it instead of reading it again.
Everything Django checks is still checked, on that row."""

import contextvars
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

# The session of the request whose user is being resolved; unset outside that moment, so a user read for
# one request can never reach another (threads and later requests see the default).
reading_session = contextvars.ContextVar("reading_session", default=None)


def get_user(request):
    if not hasattr(request, "_cached_user"):
        token = reading_session.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            reading_session.reset(token)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


class HtmxSignInRedirectMiddleware:
    """A part of a page fetched by htmx after the session has ended (the stage form, the search suggestions, a
    select's options) is answered by login_required with a redirect to the sign-in page. htmx would follow it and
    put the sign-in form inside the part. Instead the whole window goes to the sign-in page (HX-Redirect), and
    back afterwards to the page the person was on, not to the part."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 302 or request.headers.get("HX-Request") != "true":
            return response
        if urlsplit(response["Location"]).path != resolve_url(settings.LOGIN_URL):
            return response
        # HX-Current-URL is the page's whole address; only its path and query go into ?next= (the sign-in view
        # accepts only this site's paths anyway).
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = page.path + (f"?{page.query}" if page.query else "") if page.path.startswith("/") else request.path
        return HttpResponseClientRedirect(redirect_to_login(back).url)
