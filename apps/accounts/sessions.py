"""Django's database sessions, with the signed-in user read in the same statement.

Every signed-in page reads its session, then its user. Through the ORM the session read alone was about
240 µs, most of it building the same two-condition SELECT; written out it is about 40 µs. On PostgreSQL each
statement is also a round trip to another process on the same cores, so the user now comes in the same one:
the session row (accounts.Session) carries the user's id in a column, and load() joins the user to it, with
the count of their unread notifications for the navbar's bell (ADR 0015). The row is only handed on — to
apps.accounts.backends through apps.accounts.middleware — for Django's own get_user to check (active, password
hash, SECRET_KEY_FALLBACKS) as it checks any user it reads.

Everything else — saving, expiry, cycling the key at login, clearsessions — is Django's (SESSION_ENGINE points
here). test_sessions checks that a missing, expired or tampered session reads as empty, as Django's does, and
that the user read with it is the ORM's, field for field."""

import functools

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from apps.core.statements import read_model_row

# Where the user read with the session keeps their unread notifications, counted in the same statement: the
# navbar bell on every page asks for it (apps.notifications.selectors.unread_count), and it was a statement of
# its own. Counted as the request starts; the services that mark notifications read remove it from their actor,
# so a count is never shown from before a change this request made.
UNREAD_WITH_SESSION = "unread_notifications_with_session"


@functools.lru_cache(maxsize=4)
def _load_sql(session_model, user_model, notification_model, vendor: str) -> str:
    # Written once per database: the same statement on every request. The user's columns first, in their fields'
    # order (read_model_row builds the user from them), then the session's.
    quote = connections[router.db_for_read(session_model)].ops.quote_name
    user_columns = ", ".join(f"u.{quote(field.column)}" for field in user_model._meta.concrete_fields)
    recipient = quote(notification_model._meta.get_field("recipient").column)
    # The count's condition is apps.notifications.selectors.unread_count's (its test compares the two).
    unread = (f"(SELECT COUNT(*) FROM {quote(notification_model._meta.db_table)} n "
              f"WHERE n.{recipient} = s.user_id AND n.read_at IS NULL)")
    return (f"SELECT {user_columns}, s.session_data AS session__data, {unread} AS session__unread "
            f"FROM {quote(session_model._meta.db_table)} s "
            f"LEFT JOIN {quote(user_model._meta.db_table)} u ON u.{quote(user_model._meta.pk.column)} = s.user_id "
            f"WHERE s.session_key = %s AND s.expire_date > %s")


class SessionStore(DatabaseSessionStore):
    # The user the session row named, as read with it (None: nobody signed in, or not loaded yet). Only a
    # candidate: apps.accounts.backends uses it in place of its own read when Django asks for that same id.
    loaded_user = None

    @classmethod
    def get_model_class(cls):
        from apps.accounts.models import Session

        return Session

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        try:
            row.user_id = row._meta.get_field("user").target_field.to_python(user_id) if user_id else None
        except Exception:  # a value that is not an id: no user, as Django's get_user would find none
            row.user_id = None
        return row

    def load(self):
        from apps.accounts.models import User
        from apps.notifications.models import Notification

        model = self.model
        connection = connections[router.db_for_read(model)]
        # The moment as the database stores it (naive UTC text on SQLite), as the ORM's expire_date__gt would.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sql = _load_sql(model, User, Notification, connection.vendor)
        # Each user column converted as the ORM does (booleans, dates on SQLite); with nobody signed in the joined
        # columns are NULL and the instance has no pk.
        found = read_model_row(User, sql, [self.session_key, now], extra=2)
        self.loaded_user = None
        if found is None:
            self._session_key = None  # as Django's: a new key is made if anything is stored
            return {}
        user, (data, unread) = found
        if user.pk is not None:
            setattr(user, UNREAD_WITH_SESSION, unread)
            self.loaded_user = user
        return self.decode(data)

    def take_loaded_user(self, user_id):
        """The user read with the session, if it is the one asked for; once (a second ask reads afresh)."""
        user, self.loaded_user = self.loaded_user, None
        return user if user is not None and user.pk == user_id else None
