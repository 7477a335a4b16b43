"""Deployment checks that refuse an unsafe production start.

Django's own `check --deploy` warns about settings; these are errors about the *data*: a production
database that still holds the demo accounts (their password, demo-password, is printed in the README)
is open to anyone who has read it. The WSGI entry point runs them under the production settings
(refuse_unsafe_start), so gunicorn will not serve such a database; `manage.py check --deploy --database
default` and `make prod-check` report them too."""

import logging

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection

DEMO_ACCOUNTS_ID = "core.E001"
logger = logging.getLogger(__name__)


@register(Tags.security, Tags.database, deploy=True)
def demo_accounts_absent(app_configs=None, databases=None, **kwargs) -> list[Error]:
    # Database checks run only when a database is named (Django's convention), never on import.
    if not databases or "default" not in databases:
        return []
    from apps.accounts.models import User
    from apps.core.demo import DEMO_USERNAMES

    try:
        if User._meta.db_table not in connection.introspection.table_names():
            return []  # not migrated yet: there are no accounts at all
        present = sorted(User.objects.filter(username__in=DEMO_USERNAMES, is_active=True)
                         .values_list("username", flat=True))
    except DatabaseError as error:
        # The database is down while a worker boots. Refusing would make gunicorn halt altogether (a worker
        # that fails to boot stops the master) during a brief outage; the next worker boot checks again
        # (deploy/gunicorn.conf.py recycles workers), and a worker can serve nothing without the database.
        logger.warning("demo account check skipped: database unavailable (%s)", error)
        return []
    if not present:
        return []
    return [Error(
        f"数据库中仍有演示账号：{'、'.join(present)}（密码公开在 README 中）。生产环境不能带演示数据启动。",
        hint="在新的空数据库上部署；或由管理员停用这些账号（python manage.py shell 中 is_active=False）后再启动。",
        id=DEMO_ACCOUNTS_ID)]


def refuse_unsafe_start() -> None:
    """Raise (so the process does not start) when a deployment check reports an error."""
    from django.core.checks import ERROR, run_checks

    errors = [m for m in run_checks(include_deployment_checks=True, databases=["default"]) if m.level >= ERROR]
    if errors:
        raise ImproperlyConfigured("拒绝启动 (refusing to start): " + "；".join(
            f"[{m.id}] {m.msg}" for m in errors))


def startup_checks_enabled() -> bool:
    return bool(getattr(settings, "REFUSE_UNSAFE_START", False))


def refuse_unsafe_command() -> None:
    """For a long-running command (the worker, the scheduler): in production, stop with the same refusal as the web
    process, as a command error (its message, not a traceback)."""
    from django.core.management.base import CommandError

    if startup_checks_enabled():
        try:
            refuse_unsafe_start()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
