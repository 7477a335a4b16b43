"""Django's database sessions, with the read of every request written out.

Every signed-in page reads its session first. Through the ORM that read was about 240 µs, most of it building
the same two-condition SELECT; written out it is about 40 µs (docs/benchmarks.md). Everything else — the
table, saving, expiry, cycling the key at login, clearsessions — is Django's (SESSION_ENGINE points here), and
test_sessions checks that a missing, expired or tampered session reads as empty, as Django's does."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def load(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        # The moment as the database stores it (naive UTC text on SQLite), as the ORM's expire_date__gt would.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                           [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: a new key is made if anything is stored
            return {}
        return self.decode(row[0])
