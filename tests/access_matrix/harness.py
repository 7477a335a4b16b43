"""Sending one request as one role inside a savepoint that is rolled back, and the row-count snapshot
that proves a refused request changed nothing."""

import io
import zipfile
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client

ANON = "anon"


@dataclass
class Outcome:
    role: str
    status: int
    location: str
    error: str  # the exception behind a 500, for the failure message
    text: str = ""  # the body of an HTML or JSON answer, to look for what must not leak

    @property
    def to_login(self) -> bool:
        return self.status == 401 or (self.status == 302 and self.location.startswith(LOGIN_PREFIXES))

    def __str__(self) -> str:
        text = f"{self.role}={self.status}"
        if self.status in (301, 302):
            text += f"→{self.location[:40]}"
        return text + (f" [{self.error}]" if self.error else "")


LOGIN_PREFIXES: tuple = ()


def login_prefixes() -> tuple:
    return (resolve_url(settings.LOGIN_URL), "/admin/login/")


def make_clients(users: dict) -> dict:
    global LOGIN_PREFIXES
    LOGIN_PREFIXES = login_prefixes()
    clients = {ANON: Client(raise_request_exception=False)}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    return clients


OFFICE_ZIP = ("application/vnd.openxmlformats", "application/zip", "application/octet-stream")


def readable_text(response) -> str:
    """What a reader of the answer would read: the page or JSON, or the text inside an XLSX or DOCX
    export (the usual way a list leaks is its spreadsheet)."""
    kind = response.get("Content-Type", "")
    if not kind.startswith(("text/", "application/json", *OFFICE_ZIP)):
        return ""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith(OFFICE_ZIP):
        if not zipfile.is_zipfile(io.BytesIO(raw)):
            return ""
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace")
                           for name in archive.namelist() if name.endswith(".xml"))
    return raw.decode(response.charset or "utf-8", "replace")


def _snapshot_sql() -> str:
    """One query: the row count of every table, the sum of every `version` column and the latest
    `updated_at`, so an insert, a delete or an edit of a record anywhere shows."""
    parts, seen = [], set()
    quote = connection.ops.quote_name
    for model in apps.get_models():
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        table = quote(meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        names = {f.name: f.column for f in meta.concrete_fields}
        if "version" in names:
            parts.append(f"(SELECT SUM({quote(names['version'])}) FROM {table})")
        if "updated_at" in names:
            parts.append(f"(SELECT CAST(MAX({quote(names['updated_at'])}) AS VARCHAR(40)) FROM {table})")
    return "SELECT " + ", ".join(parts), parts


_SQL: tuple | None = None


# Rows written, whatever the table and whether or not it keeps a version or an update time: an in-place edit of a
# table with neither would not show in the counts above. SQLite counts every row inserted, updated or deleted on
# the connection; PostgreSQL per table within the transaction (the matrix runs inside one).
WRITES_SQL = {
    "sqlite": "SELECT total_changes()",
    "postgresql": "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables",
}
WRITES = "(rows written)"


def rows_written() -> int:
    """Rows written so far on this connection (SQLite) or in this transaction (PostgreSQL), rolled back or not: a
    request's own writes are the difference across it."""
    with connection.cursor() as cursor:
        cursor.execute(WRITES_SQL[connection.vendor])
        return int(cursor.fetchone()[0])


def snapshot() -> tuple:
    global _SQL
    if _SQL is None:
        _SQL = _snapshot_sql()
    sql, parts = _SQL
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(zip(parts, row, strict=True))


def changed(before: tuple, after: tuple) -> list[str]:
    return [f"{part}: {a} → {b}" for (part, a), (_, b) in zip(before, after, strict=True) if a != b]


def send(client, method: str, path: str, body, *, api: bool):
    if method == "GET":
        return client.get(path)
    if api:
        import json

        return client.generic(method, path, json.dumps(body if body is not None else {}),
                              content_type="application/json")
    return client.generic(method, path, "", content_type="application/x-www-form-urlencoded")


def run(client, role: str, method: str, path: str, body, *, api: bool, baseline: tuple | None):
    """The outcome and what the request changed (compared with ``baseline``). Whatever it wrote is
    rolled back, so every role meets the same world."""
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    with transaction.atomic():
        written = rows_written() if baseline is not None else 0
        try:
            response = send(client, method, path, body, api=api)
        finally:
            # Back to the session alone: a logout or a password change must not sign the role out
            # for the routes after it, and flash-message cookies must not carry over.
            client.cookies = SimpleCookie()
            if session is not None:
                client.cookies[settings.SESSION_COOKIE_NAME] = session.value
        error = ""
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            exc = response.exc_info[1]
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
        # A 403's text too: it tells Django's CSRF refusal from a view's own (the CSRF test), and it must not leak.
        text = readable_text(response) if response.status_code in (200, 403) else ""
        outcome = Outcome(role, response.status_code, response.get("Location", ""), error, text)
        changes = []
        if baseline is not None:
            changes = changed(baseline, snapshot())
            written = rows_written() - written
            if written:
                changes.append(f"{WRITES}: {written}")
        transaction.set_rollback(True)
    return outcome, changes
