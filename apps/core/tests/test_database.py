import os

from django.db import connection


def test_runs_on_the_database_ci_asked_for(db):
    """make test runs twice in CI; this proves the second run really is on PostgreSQL."""
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_postgresql_database_is_utf8(db):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()")
        encoding, ctype = cursor.fetchone()
    assert encoding == "UTF8"
    assert ctype.lower() not in {"c", "posix"}, "pg_trgm extracts nothing from Chinese under LC_CTYPE=C"


def test_production_settings_keep_a_connection_between_requests(db, tmp_path):
    """After each request Django asks the connection whether to close (close_old_connections on
    request_finished; the test client skips that, so this calls it directly). With the production settings
    (config/settings/base.py) it stays open on both databases: reopening it for every request cost a fifth
    of the throughput under load. The test settings replace DATABASES, so this reads base's own."""
    import copy

    from django.db.utils import ConnectionHandler

    from config.settings import base

    settings_dict = copy.deepcopy(base.DATABASES["default"])
    if connection.vendor == "postgresql":
        settings_dict["NAME"] = connection.settings_dict["NAME"]  # the test database; the real one may not exist
    else:
        settings_dict["NAME"] = tmp_path / "kept.sqlite3"
    conn = ConnectionHandler({"default": settings_dict})["default"]
    try:
        conn.ensure_connection()
        opened = conn.connection
        conn.close_if_unusable_or_obsolete()
        conn.close_if_unusable_or_obsolete()
        assert conn.connection is opened
        assert settings_dict["CONN_HEALTH_CHECKS"]  # and a stale one is replaced, not failed on (db restart)
    finally:
        conn.close()


def test_a_kept_connection_is_checked_without_a_statement_and_replaced_when_the_server_dropped_it(db):
    """apps.core.postgresql: before a request reuses a kept connection, Django's health check asks the backend
    whether it is usable. Ours reads the socket instead of sending SELECT 1: a healthy connection is kept and
    the server sees no statement; one whose server process was terminated (as a restart terminates every one)
    is replaced, and the request's statement runs on a new connection instead of failing."""
    if connection.vendor != "postgresql":
        return  # SQLite's connection is a file in this process: Django's check there is already free
    import copy
    import select
    import time

    from django.db.utils import ConnectionHandler

    from config.settings import base

    settings_dict = copy.deepcopy(base.DATABASES["default"])
    assert settings_dict["ENGINE"] == "apps.core.postgresql" and settings_dict["CONN_HEALTH_CHECKS"]
    settings_dict["NAME"] = connection.settings_dict["NAME"]
    kept = ConnectionHandler({"default": settings_dict})["default"]

    def last_statement(pid):
        with connection.cursor() as cursor:
            cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
        return row[0] if row else None

    try:
        with kept.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), 'before the next request'")
            pid = cursor.fetchone()[0]
        opened = kept.connection
        kept.close_if_unusable_or_obsolete()  # the end of one request and the start of the next
        with kept.cursor() as cursor:  # the next request's first statement: the health check runs first
            pass
        assert kept.connection is opened
        assert last_statement(pid) == "SELECT pg_backend_pid(), 'before the next request'"

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        poller = select.poll()
        poller.register(opened.pgconn.socket, select.POLLIN)
        deadline = time.monotonic() + 10
        while not poller.poll(100) and time.monotonic() < deadline:
            pass
        kept.close_if_unusable_or_obsolete()
        with kept.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            new_pid = cursor.fetchone()[0]
        assert kept.connection is not opened and new_pid != pid

        # A connection left inside a failed transaction is not reused either (Django's SELECT 1 would fail).
        kept.connection.execute("BEGIN")
        try:
            kept.connection.execute("SELECT 1 / 0")
        except Exception:
            pass
        assert kept.is_usable() is False
    finally:
        kept.close()
