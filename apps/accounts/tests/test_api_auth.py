"""Signing in to the API: a token for good credentials, a Chinese refusal for bad ones, and a 401 for
every request whose token is missing, wrong or expired. Bearer requests need no CSRF token; cookie
(session) requests do, as the pages' own calls carry one."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.core.testing import field_values
from apps.organisations.models import Organisation

TOKEN = "/api/v1/auth/token"
PROBE = "/api/v1/units"


def issue(client, username, password="pw-for-tests-1"):
    return client.post(TOKEN, {"username": username, "password": password}, content_type="application/json")


def test_good_credentials_give_a_token_that_works(client, users):
    response = issue(client, "t_district")
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 40
    stored = ApiToken.objects.get(user=users["district"])
    assert stored.key_hash != token  # only the digest is kept
    assert Client().get(PROBE, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_bad_credentials_are_400_in_chinese_and_issue_nothing(client, users):
    response = issue(client, "t_district", "wrong-password")
    assert response.status_code == 400
    assert response.json()["detail"] == "用户名或密码不正确。"
    assert issue(client, "nobody").status_code == 400
    assert ApiToken.objects.count() == 0


def test_an_inactive_account_gets_no_token(client, users):
    users["district"].is_active = False
    users["district"].save()
    assert issue(client, "t_district").status_code == 400
    assert ApiToken.objects.count() == 0


def test_missing_password_is_422_naming_the_field(client, db):
    response = client.post(TOKEN, {"username": "t_district"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "password：必填。"


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Token abc", "Bearer "])
def test_missing_or_wrong_token_is_401(client, users, header):
    response = client.get(PROBE, headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "Authorization: Bearer" in response.json()["detail"]


def test_expired_token_is_401(client, users):
    token = issue(client, "t_district").json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(PROBE, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_token_of_a_deactivated_user_is_401(client, users):
    token = issue(client, "t_district").json()["token"]
    users["district"].is_active = False
    users["district"].save()
    assert client.get(PROBE, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_bearer_writes_need_no_csrf_token(users):
    strict = Client(enforce_csrf_checks=True)
    token = issue(strict, "t_district").json()["token"]
    response = strict.post("/api/v1/organisations", {"name": "令牌写入测试有限公司"}, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    assert Organisation.objects.filter(name="令牌写入测试有限公司").exists()


def test_session_writes_without_csrf_token_are_refused(users):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["district"])
    response = strict.post("/api/v1/organisations", {"name": "跨站写入测试有限公司"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Organisation.objects.exists()


def test_session_reads_need_no_csrf_token(users):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["leader"])
    assert strict.get(PROBE).status_code == 200


def test_a_script_with_an_expired_token_is_told_401_not_csrf(users):
    strict = Client(enforce_csrf_checks=True)
    token = issue(strict, "t_district").json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = strict.post("/api/v1/organisations", {"name": "过期令牌测试有限公司"}, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert not Organisation.objects.exists()


def test_failed_api_login_is_audited_once(client, users):
    from apps.audit.models import AuditAction, AuditLog

    response = client.post("/api/v1/auth/token", {"username": "t_district", "password": "wrong"},
                           content_type="application/json")
    assert response.status_code == 400
    rows = AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert rows.count() == 1 and "t_district" in rows.get().note


def test_a_token_and_its_user_are_read_in_one_statement_as_the_orm_reads_them(client, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from apps.accounts.services import api_token_user

    token = issue(client, "t_district").json()["token"]
    User.objects.filter(pk=users["district"].pk).update(last_login=timezone.now())  # a moment, converted back
    ApiToken.objects.update(last_used_at=timezone.now())  # fresh: no stamp to write
    with CaptureQueriesContext(connection) as queries:
        read = api_token_user(token)
    # Inside this test's transaction the unit is read, not kept: the token's statement and the unit's.
    assert [q["sql"] for q in queries if "accounts_" in q["sql"]] == [queries[0]["sql"]]
    assert "accounts_apitoken" in queries[0]["sql"] and "accounts_user" in queries[0]["sql"]
    expected = User.objects.select_related("unit").get(pk=users["district"].pk)
    assert field_values(read) == field_values(expected)
    assert read.unit.name == expected.unit.name
    assert not hasattr(read, "token__id") and not hasattr(read, "token__stale")


def test_the_usage_stamp_is_written_only_when_older_than_five_minutes(client, users):
    from apps.accounts.services import api_token_user

    token = issue(client, "t_district").json()["token"]
    recent = timezone.now() - datetime.timedelta(minutes=4)
    ApiToken.objects.update(last_used_at=recent)
    assert api_token_user(token) == users["district"]
    assert ApiToken.objects.get().last_used_at == recent
    old = timezone.now() - datetime.timedelta(minutes=6)
    ApiToken.objects.update(last_used_at=old)
    before = timezone.now()
    assert api_token_user(token) == users["district"]
    assert ApiToken.objects.get().last_used_at >= before
