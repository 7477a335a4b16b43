import json

from django.conf import settings
from django.utils import translation
from django.utils.translation import check_for_language


class ChineseFirstLocaleMiddleware:
    """Chinese unless the person chose English with the language switch (the cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC with an
    English browser would show English pages nobody asked for; here the choice is explicit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class RefuseNulInApiMiddleware:
    """A NUL character (U+0000) in an API request's text is refused with a 400 naming it.

    PostgreSQL text cannot hold NUL (the driver raises, a 500); SQLite would store it and hand it back.
    The pages' forms already refuse it (Django's ProhibitNullCharactersValidator); ninja's schemas do not,
    so the API checks here, once, before any view: the query string, a JSON body (raw or as the \\u0000
    escape) and a url-encoded form — not multipart uploads (see _has_nul)."""

    MESSAGE = "请求中含有空字符（U+0000），无法保存或查询：请删去后重试。"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and self._has_nul(request):
            from django.http import JsonResponse

            return JsonResponse({"detail": self.MESSAGE, "field": None, "code": "nul_character"}, status=400,
                                json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/form-data"):
            # Not read here: reading it as a form would stop a JSON endpoint reading it as a body, and an
            # upload may be larger than a body is allowed to be. Its text fields are caught when the
            # database refuses them (config/api.py's DataError handler).
            return False
        if content_type.startswith("application/x-www-form-urlencoded"):
            return any("\x00" in value for _name, values in request.POST.lists() for value in values)
        body = request.body
        if b"\x00" in body:
            return True
        if b"\\u0000" not in body.lower():
            return False
        # The escape may be text someone typed ("\\u0000" in JSON is a backslash and "u0000"): decode and look.
        try:
            return _contains_nul(json.loads(body))
        except ValueError:
            return False  # not JSON: the API answers it with its own 400


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False
