"""Login throttling (apps/accounts/throttle.py): too many wrong passwords lock the account, or — at a
higher bound — the address, on the login page and the API's token endpoint alike, for a window."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.accounts.throttle import client_ip

PASSWORD = "pw-for-tests-1"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURES_PER_ADDRESS = 6


def login(client, username, password, address="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_its_limit_even_for_the_right_password(client, make_user):
    make_user("wang", "office_staff", "驻京办")
    for _ in range(2):
        response = login(client, "wang", "wrong")
        assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()
    third = login(client, "wang", "wrong")
    assert third.status_code == 429
    right = login(client, "wang", PASSWORD)
    assert right.status_code == 429 and "请30分钟后再试" in right.content.decode()
    assert SESSION_KEY not in client.session


def test_one_locked_account_does_not_lock_others_on_the_same_address(client, make_user):
    make_user("wang", "office_staff", "驻京办")
    make_user("li", "district_staff", "九龙坡区")
    for _ in range(3):
        login(client, "wang", "wrong")
    response = login(client, "li", PASSWORD)
    assert response.status_code == 302 and client.session[SESSION_KEY]


def test_an_address_trying_many_accounts_is_locked_but_others_are_not(client, make_user):
    make_user("li", "district_staff", "九龙坡区")
    for name in ["a1", "a2", "a3", "a4", "a5", "a6"]:  # one try each: no account reaches its own limit
        login(client, name, "guess", address="203.0.113.9")
    assert login(client, "li", PASSWORD, address="203.0.113.9").status_code == 429
    assert login(client, "li", PASSWORD, address="10.0.0.2").status_code == 302


def test_the_lock_ends_with_its_window(client, make_user):
    make_user("wang", "office_staff", "驻京办")
    for _ in range(3):
        login(client, "wang", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert login(client, "wang", PASSWORD).status_code == 302


def test_the_api_token_endpoint_counts_and_refuses_in_its_own_shape(client, make_user):
    make_user("wang", "office_staff", "驻京办")

    def token(password):
        return client.post("/api/v1/auth/token", {"username": "wang", "password": password},
                           content_type="application/json", REMOTE_ADDR="10.0.0.5")

    assert token("wrong").status_code == 400
    assert token("wrong").status_code == 400
    refused = token("wrong")
    assert refused.status_code == 429
    assert refused.json()["code"] == "locked_out" and "暂时锁定" in refused.json()["detail"]
    assert token(PASSWORD).status_code == 429
    assert not ApiToken.objects.exists()


def test_the_client_address_is_taken_from_nginx_only(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    factory = RequestFactory()
    behind_nginx = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip(behind_nginx) == "198.51.100.7"  # the hop nginx appended; the first was the client's own
    direct = factory.get("/", REMOTE_ADDR="198.51.100.8", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_ip(direct) == "198.51.100.8"
    settings.TRUSTED_PROXIES = []
    assert client_ip(behind_nginx) == "127.0.0.1"


def test_retrying_during_the_lock_does_not_extend_it(client, make_user):
    make_user("wang", "office_staff", "驻京办")
    for _ in range(3):
        login(client, "wang", "wrong", address="203.0.113.50")  # someone else, elsewhere
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=29))
    assert login(client, "wang", PASSWORD).status_code == 429  # the real user, a minute early
    assert login(client, "wang", "typo").status_code == 429
    # The refused tries did not restart the 30 minutes: the lock still ends a minute from now.
    latest = AccessAttempt.objects.order_by("-attempt_time").first().attempt_time
    assert latest < timezone.now() - datetime.timedelta(minutes=28)
