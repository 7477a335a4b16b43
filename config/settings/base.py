"""Settings shared by every environment. Everything that differs between machines is read from
the environment; demo.py, test.py and prod.py only choose defaults."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("APP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database and uploads live here; not in git


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    # Before django_tasks_db: its `manage.py db_worker` is the one that refuses an unsafe production start.
    "apps.worker",
    "django_tasks_db",
    "axes",
    # Listed so /api/v1/docs serves Swagger UI from the package's own static files, not a CDN (intranet).
    "ninja",
    # Domain apps, lowest layer first.
    "apps.core",
    "apps.units",
    "apps.accounts",
    "apps.audit",
    "apps.chains",
    "apps.organisations",
    "apps.projects",
    "apps.activities",
    "apps.imports",
    "apps.notifications",
    "apps.recommendations",
    "apps.servicedesk",
    "apps.fulfilment",
    "apps.events",
    "apps.cockpit",
    "apps.intelligence",
    "apps.relations",
    "apps.talent",
    "apps.thinktanks",
    "apps.offers",
    "apps.fairness",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session (its reads and saves need the database), inside the security headers: while the
    # database cannot be reached, a Chinese 503 with Retry-After instead of the generic 500.
    "apps.core.db_unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "apps.core.middleware.RefuseNulInApiMiddleware",
    "apps.accounts.middleware.AuthenticationMiddleware",  # Django's, using the user read with the session
    "apps.accounts.middleware.HtmxSignInRedirectMiddleware",  # an htmx part after the session ended: sign in
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the 429 page (accounts/throttle.py).
    "axes.middleware.AxesMiddleware",
]

# Login throttling (apps/accounts/throttle.py): AxesStandaloneBackend refuses a locked-out account or
# address before the password is even checked.
# apps.accounts.backends.ModelBackend is Django's, reading the user's unit in the same query.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "apps.accounts.backends.ModelBackend"]
AXES_HANDLER = "apps.accounts.throttle.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own; LoginThrottle relies on this order
AXES_FAILURE_LIMIT = max(1, int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5")))
LOGIN_FAILURES_PER_ADDRESS = max(1, int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "50")))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
# A success does not wipe the failures: it would also wipe its address's count, so an attacker with an
# account of their own could reset the address limit between guesses at others'.
AXES_RESET_ON_SUCCESS = False
# A refused attempt during a lock does not restart the lock: otherwise the real user's own retries (or
# anyone's, every half hour) would keep an account locked for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "apps.accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.throttle.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # logins and failures are in the audit log already (accounts/apps.py)
AXES_VERBOSE = False
# Proxies whose X-Forwarded-For is believed (nginx on the same machine in production).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.site",
                "apps.accounts.context_processors.navigation",
            ],
            "builtins": ["apps.core.templatetags.display"],
            # {% load i18n %}: Django's library with {% translate "literal" %} kept per language (the module says why).
            "libraries": {"i18n": "apps.core.templatetags.i18n_kept"},
        },
    }
]
# Django warns that the label "i18n" now names two modules (templates.W003): that is the point of the line above.
# test_translate_tag runs the same check and allows that one pair only, so another clash still fails the suite.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

# Django's form templates, with the <select> rendered in Python (apps/core/renderers.py: the same markup,
# without a template include per option).
FORM_RENDERER = "apps.core.renderers.FormRenderer"

# SQLite is the embedded default: nothing to install. WAL lets readers proceed while one writer
# writes; IMMEDIATE transactions take the write lock up front so two concurrent writers queue
# instead of failing half-way with "database is locked".
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", VAR_DIR / "db.sqlite3"))
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    # mmap: reads of the search index and the organisation rows become memory reads instead of a
    # read() system call per page, which is most of a search's cost at a million organisations.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA mmap_size=268435456;",
}

if os.environ.get("DATABASE_URL"):
    # Persistent connections, checked before each request reuses one: after the database restarts, the
    # first request on a stale connection reconnects instead of failing with a 500.
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60,
                                                  conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, with a health check that reads the socket instead of sending SELECT 1 (ADR 0016).
        DATABASES["default"]["ENGINE"] = "apps.core.postgresql"
        # Chinese text features need a UTF-8 database; template0 lets us choose the encoding.
        DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
        # Bind parameters on the server, and let psycopg prepare a statement once a connection has run it five
        # times, so PostgreSQL stops planning it again: planning a record page's seven-table join took 10 ms
        # (running it 0.8 ms), and planning was a third of a search page's time at a million rows. Django turns
        # preparation off unless prepare_threshold is given (for transaction-mode connection poolers, which
        # which the documented deployment, deploy/, does not use).
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
            # Persistent here too: opening a SQLite connection runs the PRAGMAs above and registers Django's
            # few dozen SQL functions, and starts with a cold page cache. Closing it after every request cost
            # about a fifth of the throughput under load (make bench-load: 123-136 → 163-173 requests/s). A
            # restore replaces the file: the web processes are stopped for it (README, docs/operations.md).
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Chinese first; English through Django i18n. Message ids are written in Chinese so that a
# missing translation can never show an English word to a Chinese user.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "apps.core.storage.StaticFilesStorage"},  # whitenoise's, URLs kept (core/storage.py)
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Daily jobs: `manage.py run_scheduler` (started by make demo beside the worker) enqueues each task once
# per day at or after its local time; a day's run is recorded, so a restart neither skips nor repeats it.
# (name, "HH:MM", dotted path of a django-tasks task taking no arguments)
DAILY_JOBS = [
    ("fulfilment_alerts", os.environ.get("DAILY_ALERTS_AT", "06:00"), "apps.fulfilment.jobs.raise_alerts_task"),
    ("servicedesk_escalation", os.environ.get("DAILY_ESCALATION_AT", "06:05"),
     "apps.servicedesk.jobs.escalate_overdue_task"),
    # Webhook retries queue themselves (run_after); this sweep catches rows whose enqueue or worker failed.
    ("webhook_retry", os.environ.get("DAILY_WEBHOOK_SWEEP_AT", "06:10"), "apps.notifications.tasks.retry_webhooks"),
    ("import_file_purge", os.environ.get("DAILY_IMPORT_PURGE_AT", "03:00"), "apps.imports.tasks.purge_import_files_task"),
    # The gap summaries afresh (chains.jobs): also catches changes written in bulk, without signals.
    ("chain_gaps", os.environ.get("DAILY_CHAIN_GAPS_AT", "02:30"), "apps.chains.jobs.refresh_all_gaps_task"),
    # Uploads watch their own imports every minute (imports.tasks.import_watch_task); this catches a job
    # started by `import_organisations` whose process died, which nothing else watches.
    ("import_recovery", os.environ.get("DAILY_IMPORT_RECOVERY_AT", "04:00"),
     "apps.imports.tasks.recover_stale_imports_task"),
]
# The organisation list's XLSX export is written while the person waits (a few thousand rows a second):
# larger sets are narrowed by the filters or exported with manage.py export_organisations.
ORGANISATION_EXPORT_MAX_ROWS = int(os.environ.get("ORGANISATION_EXPORT_MAX_ROWS", "50000"))
# Notifications: links in work-group messages are absolute (the robots post outside the site).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Share posters are drawn in the system's CJK font (found through fontconfig); set this to use another file.
POSTER_FONT_PATH = os.environ.get("POSTER_FONT_PATH", "")
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "5"))
# Robots are only posted to the platforms' own hosts; list others (an intranet gateway, 政务钉钉) here,
# comma-separated — otherwise a unit admin could make the server POST into the intranet.
WEBHOOK_EXTRA_HOSTS = env_list("WEBHOOK_EXTRA_HOSTS")
# Fulfilment alerts (daily): signed but not registered after this many days; no visit or talk on an
# active project for this many days.
FULFILMENT_REGISTRATION_DAYS = int(os.environ.get("FULFILMENT_REGISTRATION_DAYS", "90"))
INACTIVITY_ALERT_DAYS = int(os.environ.get("INACTIVITY_ALERT_DAYS", "60"))
# 企业诉求: how long an enterprise contact's link works; how many days after becoming late (and reaching
# the unit's leader) an open request goes up to the office.
CONTACT_LINK_DAYS = int(os.environ.get("CONTACT_LINK_DAYS", "180"))
ESCALATE_TO_OFFICE_AFTER_DAYS = int(os.environ.get("ESCALATE_TO_OFFICE_AFTER_DAYS", "3"))
# Uploaded import files are deleted this many days after their import ended (imports.services.purge_import_files).
IMPORT_FILE_RETENTION_DAYS = int(os.environ.get("IMPORT_FILE_RETENTION_DAYS", "30"))

SESSION_ENGINE = "apps.accounts.sessions"  # Django's database sessions, read in one written-out statement
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything the pages load comes from this site — the vendored
# bundles under static/vendor/, our own static/js and static/css, uploaded images and data: images (QR
# codes). No inline script or style attribute anywhere, so an injected one does nothing; no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Domain settings.
# 首谈/首报负责制: how long the unit that registered a lead keeps it before others may claim it.
PROJECT_PROTECTION_DAYS = int(os.environ.get("PROJECT_PROTECTION_DAYS", "180"))
# Each activity recorded on a project still in a claiming stage keeps it protected at least this long
# after the activity's date.
PROJECT_PROTECTION_EXTENSION_DAYS = int(os.environ.get("PROJECT_PROTECTION_EXTENSION_DAYS", "90"))
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))
SITE_TITLE = _("双招双引工作平台")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
