"""The production start refuses a database with the demo accounts (apps/core/checks.py). The settings'
own refusals (key, DEBUG) and the served headers are checked from outside by `make prod-check`."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.core.checks import DEMO_ACCOUNTS_ID, demo_accounts_absent, refuse_unsafe_start

pytestmark = pytest.mark.django_db


def test_no_demo_accounts_no_error(users):
    assert demo_accounts_absent(databases=["default"]) == []


def test_an_active_demo_account_is_an_error_naming_it(make_user):
    make_user("demo_admin", "office_admin", "驻京办")
    [error] = demo_accounts_absent(databases=["default"])
    assert error.id == DEMO_ACCOUNTS_ID and "demo_admin" in error.msg
    with pytest.raises(ImproperlyConfigured, match="demo_admin"):
        refuse_unsafe_start()


def test_a_deactivated_demo_account_is_no_longer_a_risk(make_user):
    user = make_user("demo_office", "office_staff", "驻京办")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert demo_accounts_absent(databases=["default"]) == []


def test_the_check_does_not_touch_the_database_unless_asked(make_user, django_assert_num_queries):
    make_user("demo_admin", "office_admin", "驻京办")
    with django_assert_num_queries(0):
        assert demo_accounts_absent(databases=None) == []


@pytest.mark.parametrize("command", [["db_worker", "--batch", "--no-startup-delay"], ["run_scheduler", "--once"]])
def test_the_worker_and_the_scheduler_refuse_as_the_web_process_does(make_user, settings, command):
    """In production (REFUSE_UNSAFE_START) a worker or scheduler on a database with the demo accounts stops before it
    runs or queues anything. (That the worker then runs a job on a clean production database, `make prod-check`
    shows with the systemd unit's command line: in here it would close the test's in-memory database.)"""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}  # production's
    settings.REFUSE_UNSAFE_START = True
    make_user("demo_admin", "office_admin", "驻京办")
    with pytest.raises(CommandError, match="演示账号"):
        call_command(*command)


def test_outside_production_the_scheduler_runs_with_the_demo_accounts(make_user, settings):
    from django.core.management import call_command

    make_user("demo_admin", "office_admin", "驻京办")
    settings.REFUSE_UNSAFE_START = False
    call_command("run_scheduler", "--once")
