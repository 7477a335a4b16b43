"""While the database cannot be reached, people get a Chinese 503 saying to retry shortly (and the API its
JSON error with code database_unavailable) instead of the generic 500 "系统出错了".

The database is made unreachable for real: for the request, the default connection is swapped for one
pointing at a closed TCP port (PostgreSQL) or at a file in a directory that does not exist (SQLite); the
driver's own connect error travels through the real middleware stack, session and API authentication."""

import socket

import pytest
from django.db import DatabaseError, connection, connections
from django.test import Client

from apps.core.db_unavailable import MESSAGE, is_database_unavailable
from apps.core.testing import bearer

pytestmark = pytest.mark.django_db
WIRED = "apps.core.db_unavailable.DatabaseUnavailableMiddleware"


@pytest.fixture
def wired(settings):
    # Where config/settings/base.py lists it: outside the session, inside the security headers.
    middleware = list(settings.MIDDLEWARE)
    assert middleware.index(WIRED) == middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    assert middleware.index(WIRED) < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")


@pytest.fixture
def unwired(settings):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != WIRED]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


class database_down:
    """Within the block, this thread's default connection cannot reach any server."""

    def __enter__(self):
        self.original = connections["default"]
        broken = dict(self.original.settings_dict)
        if self.original.vendor == "postgresql":
            broken.update(HOST="127.0.0.1", PORT=str(_closed_port()), OPTIONS={**broken.get("OPTIONS", {}),
                                                                               "connect_timeout": 2})
        else:
            broken["NAME"] = "/nonexistent-directory-for-the-test/db.sqlite3"
        connections["default"] = self.original.__class__(broken, "default")
        return self

    def __exit__(self, *exc):
        connections["default"].close()
        connections["default"] = self.original


def test_a_page_says_the_database_is_unreachable_with_a_503(wired, users):
    client = Client(raise_request_exception=False)
    client.force_login(users["office"])
    with database_down():
        response = client.get("/organisations/")
    page = response.content.decode()
    assert response.status_code == 503
    assert MESSAGE in page and "系统出错了" not in page
    assert int(response["Retry-After"]) > 0
    # Back up: the same person's same page works again, nothing to clear.
    assert client.get("/organisations/").status_code == 200


def test_the_api_answers_503_json_while_the_database_is_unreachable(wired, users, client):
    headers = bearer(client, users["office"])
    caller = Client(raise_request_exception=False)
    with database_down():
        response = caller.get("/api/v1/organisations?q=重庆", headers=headers)
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable" and MESSAGE in response.json()["detail"]
    assert caller.get("/api/v1/organisations?q=重庆", headers=headers).status_code == 200


def test_without_the_middleware_the_same_outage_is_the_generic_500(unwired, users):
    client = Client(raise_request_exception=False)
    client.force_login(users["office"])
    with database_down():
        response = client.get("/organisations/")
    assert response.status_code == 500 and "系统出错了" in response.content.decode()


def test_a_raw_driver_error_is_recognised_too():
    # The organisation search runs prepared statements on psycopg's own cursor: its errors arrive unwrapped.
    import psycopg

    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(host="127.0.0.1", port=_closed_port(), dbname="x", user="x", connect_timeout=2)
    assert is_database_unavailable(refused.value)
    assert not is_database_unavailable(ValueError("not a database error"))


def test_a_failing_statement_is_not_mistaken_for_an_outage():
    # A bug (a table that does not exist) must stay a 500 — retrying would not help.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_for_the_test")
    except DatabaseError as exc:
        assert not is_database_unavailable(exc)
    else:
        pytest.fail("the statement should have failed")
