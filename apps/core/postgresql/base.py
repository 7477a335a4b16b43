"""Django's PostgreSQL backend, checking a kept connection without sending it a statement.

With CONN_HEALTH_CHECKS, Django checks a kept connection before a request's first statement, so that a
connection the server dropped (a restart, a terminated backend, an idle timeout) is replaced instead of
failing that request. Django's check is `SELECT 1`: a round trip to the server on every request, which under
load was about 5% of the workers' time (docs/benchmarks.md, sixth round).

A server that drops a connection says so on the socket: it sends its last error message (57P01 "terminating
connection due to administrator command" on a restart) and closes, or the kernel closes it for a process that
died. Between requests nothing else arrives on an idle connection — the app uses no LISTEN/NOTIFY — so a socket
with something to read, or a connection psycopg already knows is broken or inside a failed transaction, is
unusable; anything else is kept. A mistaken "unusable" costs one reconnect. What this cannot see, as a
statement would, is a server that vanished without closing (a network cut): the request's own statement then
fails as it would have after `SELECT 1` failed to come back. apps/core/tests/test_database.py terminates a
kept connection's backend and checks the next use reconnects, and that a healthy one is kept without a
statement (docs/adr/0016-health-check-without-a-round-trip.md)."""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        pgconn = conn.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status not in (pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS):
            return False  # a failed transaction or a command still running: Django's SELECT 1 would fail too
        try:
            poller = select.poll()
            poller.register(pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
            return not poller.poll(0)
        except (OSError, ValueError, base.Database.Error):
            return False
