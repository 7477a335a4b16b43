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
