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
