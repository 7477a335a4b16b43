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
