"""The demo: `make demo`. Embedded SQLite, a fixed throwaway key, served on loopback only."""

from .base import *  # noqa: F403

SECRET_KEY = SECRET_KEY or "demo-only-not-secret-7f3c1b9e2d"  # noqa: F405
DEBUG = env_bool("DEBUG", False)  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEMO = True
