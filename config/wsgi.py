import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()

from apps.core.checks import refuse_unsafe_start, startup_checks_enabled  # noqa: E402

if startup_checks_enabled():
    # Production: no serving a database that still holds the demo accounts (apps/core/checks.py).
    refuse_unsafe_start()

from apps.core.warmup import warm_up  # noqa: E402 - needs the apps loaded by the line above

warm_up()

from django.db import connections  # noqa: E402

# gunicorn loads this module in its master and forks the workers from it (deploy/gunicorn.conf.py, preload_app):
# the check above opened a database connection that no worker may inherit and share. Each opens its own.
connections.close_all()
