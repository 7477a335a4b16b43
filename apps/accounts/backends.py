"""Django's ModelBackend, reading the signed-in user with one written-out statement and their unit from the
process's kept copy of the unit table (units.selectors.unit_by_id).

Every signed-in request loads the user from the session and then, for the permission scope, the menu and the
name in the bar, the user's unit. Through the ORM (select_related) that read cost about 325 µs of building a
two-table query, on every page and API call; the user as a plain statement (core.statements.read_model_row, which
converts every column as the ORM does) is a fraction of that (docs/benchmarks.md). test_backend checks the user and
unit read this way are the ORM's, field for field, and that an inactive or missing user is refused as before.

On a page the user is not even read here: the session's statement brought it (apps.accounts.sessions), and
get_user takes that row when Django asks for the same id during that request (apps.accounts.middleware)."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from apps.accounts.middleware import reading_session
from apps.core.statements import read_model_row
from apps.units.selectors import unit_by_id


@functools.lru_cache(maxsize=16)
def _by_pk_sql(model, vendor: str) -> str:
    # Written once per model and database: it is the same statement on every request.
    quote = connections[router.db_for_read(model)].ops.quote_name
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    return f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s"


def read_by_pk(model, pk):
    """The row as the ORM would give it (every column, converted), or None."""
    sql = _by_pk_sql(model, connections[router.db_for_read(model)].vendor)
    found = read_model_row(model, sql, [pk])
    return found[0] if found is not None else None


@functools.lru_cache(maxsize=4)
def _by_token_sql(token_model, user_model, vendor: str) -> str:
    # The user's columns in their fields' order (read_model_row builds the user from them), then the token's.
    # Whether the token's usage stamp is stale is decided here, so no column needs converting by hand.
    quote = connections[router.db_for_read(token_model)].ops.quote_name
    user_columns = ", ".join(f"u.{quote(field.column)}" for field in user_model._meta.concrete_fields)
    used = quote(token_model._meta.get_field("last_used_at").column)
    return (f"SELECT {user_columns}, t.{quote(token_model._meta.pk.column)} AS token__id, "
            f"CASE WHEN t.{used} IS NULL OR t.{used} < %s THEN 1 ELSE 0 END AS token__stale "
            f"FROM {quote(token_model._meta.db_table)} t "
            f"JOIN {quote(user_model._meta.db_table)} u ON u.{quote(user_model._meta.pk.column)} = "
            f"t.{quote(token_model._meta.get_field('user').column)} "
            f"WHERE t.{quote(token_model._meta.get_field('key_hash').column)} = %s "
            f"AND t.{quote(token_model._meta.get_field('expires_at').column)} > %s")


def read_by_token(token_model, key_hash: str, now, stale_before):
    """(user, token pk, whether its usage stamp is older than stale_before) for an unexpired token, in one
    statement; None for no such token. The user is as the ORM would give it, not yet checked (get_user checks)."""
    connection = connections[router.db_for_read(token_model)]
    user_model = get_user_model()
    sql = _by_token_sql(token_model, user_model, connection.vendor)
    adapt = connection.ops.adapt_datetimefield_value  # as the database stores moments (naive UTC text on SQLite)
    found = read_model_row(user_model, sql, [adapt(stale_before), key_hash, adapt(now)], extra=2)
    if found is None:
        return None
    user, (token_pk, stale) = found
    return user, token_pk, bool(stale)


def _read_with_session(pk):
    # The user the request's session row was read with (apps.accounts.middleware, apps.accounts.sessions), when
    # Django is asking for that user now: no statement of its own.
    session = reading_session.get()
    take = getattr(session, "take_loaded_user", None)
    return take(pk) if take is not None else None


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _read_with_session(pk)
        if user is None:
            user = read_by_pk(model, pk)
        return self.accept(user)

    def accept(self, user):
        """A user read elsewhere (with the session, with an API token), checked as get_user checks its own."""
        if user is None or not self.user_can_authenticate(user):
            return None
        if user.unit_id is not None:
            # Units are reference data kept per process for seconds (ADR 0014): no statement of its own.
            user.unit = unit_by_id(user.unit_id)
        return user
