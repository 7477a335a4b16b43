"""Django's AuthenticationMiddleware, letting the backend use the user the session was read with.

apps.accounts.sessions reads the signed-in user in the session's own statement. Django's auth.get_user — which
checks the user is active and the session's password hash still matches — asks the backend for the user by id
and knows nothing of the session store. While it runs for this request, the request's session is in a context
variable, and apps.accounts.backends.ModelBackend takes the user from it instead of reading it again.
Everything Django checks is still checked, on that row."""

import contextvars

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.utils.functional import SimpleLazyObject

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
