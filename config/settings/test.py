"""The test suite. SQLite in memory unless DATABASE_URL points at PostgreSQL."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]  # the test client and the live server use varying host names
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; prod uses PBKDF2
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            # The test database is a real file, as in production: in-memory shared-cache SQLite
            # fails concurrent writers with "table is locked" where a WAL file makes them wait.
            "TEST": {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")},  # noqa: F405  one per run
            "OPTIONS": SQLITE_OPTIONS,  # noqa: F405
        }
    }
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  quiets WhiteNoise; tests use the finders
