"""Values read from reference tables (units, clusters), kept by a process for a few seconds.

ADR 0014: reference data that changes a few times a year may be kept per process for seconds, never longer.
A Kept forgets everything at once when this process saves or deletes a row of those tables (connect
`forget` to the models' post_save and post_delete), never keeps what was read inside a transaction (which
may yet roll back), and lets another process's change through after at most `ttl` seconds. Used for the unit
successor map (units.selectors) and the project filter's options (projects.filters)."""

import time
from collections.abc import Callable, Hashable

from django.db import connection


class Kept:
    def __init__(self, ttl: float = 30.0):
        self.ttl = ttl
        self._values: dict[Hashable, tuple[float, object]] = {}

    def get(self, key: Hashable, read: Callable[[], object]):
        now = time.monotonic()
        kept = self._values.get(key)
        if kept is not None and now - kept[0] < self.ttl and not connection.in_atomic_block:
            return kept[1]
        value = read()
        if connection.in_atomic_block:
            self._values.pop(key, None)
        else:
            self._values[key] = (now, value)
        return value

    def forget(self, **_signal) -> None:
        self._values.clear()
