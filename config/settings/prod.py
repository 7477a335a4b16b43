"""Production. Everything secret or site-specific comes from the environment; nothing defaults open.

It refuses to start rather than run unsafe: no SECRET_KEY or a known/weak one (the demo's and the tests'
keys are in the repository), DEBUG asked for, or — checked by the WSGI entry point against the database
(apps/core/checks.py) — the demo accounts present."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

# Keys that are in this repository, and Django's own placeholder prefix.
KNOWN_KEYS = {"demo-only-not-secret-7f3c1b9e2d", "test-only-not-secret"}
MIN_KEY_LENGTH, MIN_KEY_CHARS = 50, 5  # Django's own bar (security.W009)

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY 环境变量 (SECRET_KEY must be set)")
if (SECRET_KEY in KNOWN_KEYS or SECRET_KEY.startswith("django-insecure-")  # noqa: F405
        or len(SECRET_KEY) < MIN_KEY_LENGTH or len(set(SECRET_KEY)) < MIN_KEY_CHARS):  # noqa: F405
    raise ImproperlyConfigured(
        f"SECRET_KEY 不安全：不能使用演示或测试的默认值，须为至少{MIN_KEY_LENGTH}个字符的随机串，"
        "可用 python -c \"import secrets; print(secrets.token_urlsafe(50))\" 生成 (SECRET_KEY is a default or too weak)")
if env_bool("DEBUG", False):  # noqa: F405
    raise ImproperlyConfigured("生产环境不能开启 DEBUG：请去掉 DEBUG 环境变量 (DEBUG must be off in production)")
DEBUG = False
REFUSE_UNSAFE_START = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = 8 * 3600
# nginx on this machine (deploy/nginx.conf) appends the client's address to X-Forwarded-For.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1")  # noqa: F405
# HSTS preload commits the domain, for every browser, to HTTPS for good; a government intranet name is not
# for the public preload list. The header itself (a year) is sent.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
