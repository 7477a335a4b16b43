"""The target library's search index: character n-grams in an ordinary table, on both databases.

Why not the databases' own text search: pg_trgm cannot serve a two-character Chinese fragment (it
falls back to a sequential scan) and SQLite's FTS5 trigram tokenizer returns nothing for one, yet two
characters is what people type ("信技", "长安"). So every organisation is indexed under keys:

- every character bigram of each term (name, 字号, aliases)           -> fragment matches
- "^" + the first 2, 3 and 4 characters of each term                 -> prefix matches
- "=" + each whole term                                               -> exact matches
- "#=" + the 字号's pinyin initials, "#" + their first two letters   -> pinyin initials (a bonus)

A posting is (key, name_len, organisation_id) and the table's primary key is exactly that, so the rows
of one key come out of the B-tree already in rank order (shorter names first, then older records). A
query reads at most a few dozen postings of one key and verifies each candidate against the stored
search_text, which is what makes a two-character query as fast as a long one. See ADR 0006.

Ranking, identical for the index and for the naive scan it is measured against:
  class 0  q equals a term (the full name, the 字号 or an alias)
  class 1  a term starts with q
  class 2  q occurs inside a term
then name length, then id. Pinyin-initial matches follow all of them (class 3).
"""

import json
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection, transaction
from django.utils import timezone

from apps.core.codes import normalise_code
from apps.organisations.names import initials, parse_name, search_form

SEP = "\x1f"  # separates terms inside Organisation.search_text; never part of a term
PREFIX_LENGTHS = (2, 3, 4)
KEY_TABLE = "organisations_searchkey"
PENDING_TABLE = "organisations_searchkey_pending"
STAT_TABLE = "organisations_searchkeystat"
# A search list — the page, the API — answers its best LIST_CAP matches, and its count comes from the same one
# ranked read of LIST_CAP + 1 hits: exact up to LIST_CAP, otherwise "more than LIST_CAP". Counting a long list
# further meant verifying up to a thousand more rows (COUNT_CAP) on every such page: 36% of PostgreSQL's time
# under load, 14–70 ms a page, for a figure nobody pages through (ADR 0006).
LIST_CAP = 200
# An export of a search writes its best COUNT_CAP: counted over the index, every posting verified (count_matches).
COUNT_CAP = 1_000
# A posting list of its own naming the archived organisations (with the name_len of their other
# postings), so a two-character query can be counted from the index alone. No term contains SEP, so
# no query can ever read it as a key. Maintained by index_organisations, rebuild_index and
# unindex_organisations, and rewritten from the table by refresh_stats (sync_archived).
ARCHIVED_KEY = SEP + "archived"
# Above this many archived organisations, subtracting them costs more than verifying rows.
ARCHIVED_BOUND = 2_000
_CODE_RE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y][0-9A-Z]{1,17}$")
_LATIN_RE = re.compile(r"^[a-z]{2,10}$")


# --- building keys -------------------------------------------------------------------------------

def build_terms(name: str, trade_name: str, aliases: Iterable[str]) -> list[str]:
    """[name, 字号, *aliases] in search form; position 1 is the 字号 ('' when unknown) so pinyin keys
    can be re-derived from search_text alone."""
    full = search_form(name)
    terms = [full, search_form(trade_name)]
    for alias in aliases:
        term = search_form(alias)
        if term and term not in terms:
            terms.append(term)
    return [t.replace(SEP, "") for t in terms]


def search_text_for(terms: list[str]) -> str:
    return SEP + SEP.join(terms) + SEP


def terms_of(search_text: str) -> list[str]:
    return search_text.strip(SEP).split(SEP) if search_text else []


def keys_for_terms(terms: list[str]) -> set[str]:
    keys: set[str] = set()
    for term in terms:
        if len(term) < 2:
            continue
        keys.add("=" + term)
        # "^" + the whole term would add nothing: a query equal to a term is found by its "=" key and
        # ranks as exact; the prefix list is for longer terms that start with the query.
        for n in PREFIX_LENGTHS:
            if len(term) > n:
                keys.add("^" + term[:n])
        keys.update(map(str.__add__, term, term[1:]))  # the bigrams, at C speed (import time)
    if len(terms) > 1 and terms[1]:
        letters = initials(terms[1])
        if len(letters) >= 2:
            # Exact initials, and the first two for people who type only those: a bonus, kept to two
            # postings because every posting costs import time at a million rows.
            keys.add("#=" + letters)
            keys.add("#" + letters[:2])
    return keys


def postings_for(org_id: int, search_text: str, archived: bool = False) -> list[tuple[str, int, int]]:
    terms = terms_of(search_text)
    if not terms:
        return []
    name_len = min(len(terms[0]), 32767)
    rows = [(key, name_len, org_id) for key in keys_for_terms(terms)]
    return rows + _archived_posting(org_id, search_text) if archived else rows


def _archived_posting(org_id: int, search_text: str) -> list[tuple[str, int, int]]:
    terms = terms_of(search_text)
    return [(ARCHIVED_KEY, min(len(terms[0]), 32767), org_id)] if terms else []


def wanted_search_text(org) -> str:
    """The search_text an organisation should have now (its aliases prefetched). A merged record has
    none, and so no postings: that empty text is what tells a later re-index (say, after the merge is
    undone) that nothing is in the index for it."""
    if org.merged_into_id:
        return ""
    trade_name = org.trade_name or parse_name(org.name).trade_name
    return search_text_for(build_terms(org.name, trade_name, [a.name for a in org.aliases.all()]))


# --- writing the index ---------------------------------------------------------------------------

def _placeholders(n: int, width: int) -> str:
    row = "(" + ", ".join(["%s"] * width) + ")"
    return ", ".join([row] * n)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert many rows at once: COPY on PostgreSQL (an order of magnitude faster than INSERTs),
    one prepared INSERT run by executemany on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def write_postings(rows: Sequence[tuple[str, int, int]]) -> None:
    if rows:
        copy_rows(KEY_TABLE, ("key", "name_len", "organisation_id"), rows)


def pack_keys(keys: Iterable[str]) -> str:
    """An organisation's index keys as one JSON array: the waiting postings of a large import are one
    row per organisation, unpacked by the database when they are merged. Twenty-two INSERTs of three
    columns per organisation cost far more than one INSERT of a string."""
    keys = list(keys)
    joined = '","'.join(keys)
    # No quote, backslash or control character inside a key: then this is exactly what json.dumps
    # gives, several times faster.
    if joined.count('"') == 2 * len(keys) - 2 and "\\" not in joined and joined.isprintable():
        return '["' + joined + '"]' if keys else "[]"
    return json.dumps(keys, ensure_ascii=False, separators=(",", ":"))


def pending_row(postings: Sequence[tuple[str, int, int]]) -> tuple[str, int, int]:
    """One organisation's postings (postings_for, not empty) as write_pending takes them:
    (pack_keys(keys), name_len, organisation_id)."""
    return pack_keys(key for key, _, _ in postings), postings[0][1], postings[0][2]


def write_pending(rows: Sequence[tuple[str, int, int]]) -> None:
    """Postings of a large import, one row per organisation (pending_row): appended now, merged in
    order by merge_pending() at its end."""
    if rows:
        copy_rows(PENDING_TABLE, ("key", "name_len", "organisation_id"), rows)


def _pending_postings_sql() -> str:
    """The waiting postings unpacked: (key, name_len, organisation_id)."""
    if connection.vendor == "sqlite":
        return f"SELECT j.value, p.name_len, p.organisation_id FROM {PENDING_TABLE} p, json_each(p.key) j"
    # The unpacked text has the database's default collation; the index's key column and its order
    # are bytewise ("C"), and so must the merge's sort be (cheaper, too, than a locale's strcoll).
    return (f"SELECT j.key COLLATE \"C\", p.name_len, p.organisation_id FROM {PENDING_TABLE} p "
            "CROSS JOIN LATERAL json_array_elements_text(p.key::json) AS j(key)")


MERGE_CACHE_SIZE = -16384  # KiB, SQLite's unit when negative
MERGE_THREADS = 2


def has_pending() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {PENDING_TABLE} LIMIT 1")
        return cursor.fetchone() is not None


@transaction.atomic
def merge_pending() -> int:
    """Move waiting postings into the index in key order — one pass over the index instead of a
    random insert per posting — and empty the waiting table. Until then the organisations they
    belong to exist but are not found by search. Returns how many postings moved."""
    with connection.cursor() as cursor:
        if not has_pending():
            return 0
        select = f"{_pending_postings_sql()} ORDER BY 1, 2, 3"
        cursor.execute(f"SELECT 1 FROM {KEY_TABLE} LIMIT 1")
        empty = cursor.fetchone() is None
        if connection.vendor == "postgresql" and empty:
            # A first load (the purchased dataset into an empty library): building the primary key
            # once over the loaded rows is several times faster than maintaining it row by row. No
            # posting can collide, the index being empty.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(f"ALTER TABLE {KEY_TABLE} DROP CONSTRAINT {KEY_TABLE}_pkey")
            cursor.execute(f"INSERT INTO {KEY_TABLE} (key, name_len, organisation_id) {_pending_postings_sql()}")
            count = cursor.rowcount
            cursor.execute(f"ALTER TABLE {KEY_TABLE} ADD CONSTRAINT {KEY_TABLE}_pkey "
                           "PRIMARY KEY (key, name_len, organisation_id)")
        elif connection.vendor == "sqlite":
            # The sort is most of the merge. SQLite sorts runs of up to the page cache's size in
            # memory and merges them from temporary files, with helper threads when allowed (none by
            # default). Two threads keep both cores on the sort; a 16 MiB cache keeps the merge's
            # memory within the import's budget (docs/benchmarks.md: merge time and peak memory).
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {MERGE_CACHE_SIZE}")
            cursor.execute(f"PRAGMA threads = {MERGE_THREADS}")
            try:
                cursor.execute(f"INSERT OR IGNORE INTO {KEY_TABLE} (key, name_len, organisation_id) {select}")
                count = cursor.rowcount
            finally:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
                cursor.execute("PRAGMA threads = 0")
        else:
            cursor.execute(f"INSERT INTO {KEY_TABLE} (key, name_len, organisation_id) {select} ON CONFLICT DO NOTHING")
            count = cursor.rowcount
        if connection.vendor == "postgresql":
            # A million rows deleted one by one (and vacuumed later) cost seconds; TRUNCATE is
            # transactional in PostgreSQL like the DELETE, and only imports and rebuild_index,
            # which wait for this transaction's lock, read the table.
            cursor.execute(f"TRUNCATE {PENDING_TABLE}")
        else:
            cursor.execute(f"DELETE FROM {PENDING_TABLE}")
    return count


def delete_postings(rows: Sequence[tuple[str, int, int]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {KEY_TABLE} WHERE key = %s AND name_len = %s AND organisation_id = %s", rows
        )


@transaction.atomic
def index_organisations(ids: Iterable[int]) -> None:
    """Bring the index in line with these organisations as they are now in the database. Call it after
    any change to a name, 字号, alias, merge or archive state. The old postings are derived from the
    stored search_text, so they are deleted exactly (no index on organisation_id is needed)."""
    from apps.organisations.models import Organisation

    ids = sorted(set(ids))
    for org in Organisation.objects.filter(pk__in=ids).prefetch_related("aliases"):
        old = set(postings_for(org.pk, org.search_text))
        new_text = wanted_search_text(org)
        new = set(postings_for(org.pk, new_text))
        # The archive flag may have changed without a re-index: its posting is rewritten either way.
        delete_postings(sorted(old - new) + _archived_posting(org.pk, org.search_text))
        write_postings(sorted(new - old) + (_archived_posting(org.pk, new_text) if org.is_archived else []))
        if new_text != org.search_text:
            Organisation.objects.filter(pk=org.pk).update(search_text=new_text)


@transaction.atomic
def unindex_organisations(rows: Iterable[tuple[int, str]]) -> None:
    """Remove every posting of deleted organisations, given (id, search_text) as they were. Search
    would skip them anyway (it joins the rows), but a two-character count reads the index alone."""
    rows = list(rows)
    delete_postings(sorted({posting for pk, text in rows
                            for posting in postings_for(pk, text) + _archived_posting(pk, text)}))
    if rows and has_pending():  # a large import's postings still waiting to be merged
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 500):
                ids = [pk for pk, _ in rows[start:start + 500]]
                cursor.execute(f"DELETE FROM {PENDING_TABLE} WHERE organisation_id IN "
                               f"({', '.join(['%s'] * len(ids))})", ids)


def rebuild_index(*, batch: int = 5000, progress=None) -> int:
    """Rebuild every posting and the key statistics (after a restore or a change to the key rules).
    Returns the number of postings written.

    The new postings are built beside the live index (in the pending table) and swapped in by one
    transaction, so search keeps answering from the old index the whole time — on both databases a
    reader sees either the old index or the new one, never a half-built one. Names edited while the
    rebuild ran are re-indexed inside the swap. Don't run it during a large import (both use the
    pending table)."""
    from apps.organisations.models import Organisation

    started = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PENDING_TABLE}")
    written = 0
    last = 0
    while True:
        chunk = list(
            Organisation.objects.filter(pk__gt=last).order_by("pk").prefetch_related("aliases")[:batch]
        )
        if not chunk:
            break
        rows = []
        with transaction.atomic():
            for org in chunk:
                text = wanted_search_text(org)
                if text != org.search_text:
                    Organisation.objects.filter(pk=org.pk).update(search_text=text)
                postings = postings_for(org.pk, text, archived=org.is_archived)
                if postings:
                    rows.append(pending_row(postings))
                    written += len(postings)
            write_pending(rows)
        last = chunk[-1].pk
        if progress:
            progress(last, written)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Hold name edits for the swap's duration (SQLite's IMMEDIATE transaction already does):
            # an edit committed between reading `changed` and the swap would otherwise be lost.
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE organisations_organisation IN SHARE MODE")
        # A name changed after its chunk was read: its built postings are stale. Drop them here and
        # index the current text below, before anyone sees the new index.
        changed = list(Organisation.objects.filter(updated_at__gte=started).values_list(
            "pk", "search_text", "is_archived"))
        with connection.cursor() as cursor:
            for start in range(0, len(changed), 500):
                ids = [pk for pk, _, _ in changed[start:start + 500]]
                cursor.execute(f"DELETE FROM {PENDING_TABLE} WHERE organisation_id IN ({', '.join(['%s'] * len(ids))})",
                               ids)
            cursor.execute(f"DELETE FROM {KEY_TABLE}")
            ignore, conflict = ("OR IGNORE", "") if connection.vendor == "sqlite" else ("", "ON CONFLICT DO NOTHING")
            cursor.execute(f"INSERT {ignore} INTO {KEY_TABLE} (key, name_len, organisation_id) "
                           f"{_pending_postings_sql()} ORDER BY 1, 2, 3 {conflict}")
            cursor.execute(f"DELETE FROM {PENDING_TABLE}")
        write_postings(sorted({row for pk, text, archived in changed for row in postings_for(pk, text, archived)}))
    refresh_stats()
    return written


def sync_archived() -> None:
    """Rewrite the archived list from the organisation table: it then also covers records archived
    before the list existed, or by a direct UPDATE that skipped index_organisations. The postings
    come from _archived_posting, as index_organisations writes them, so the two never disagree on a
    name_len."""
    from apps.organisations.models import Organisation

    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Hold index_organisations (an archive or un-archive committing meanwhile) until this
                # commits; otherwise its posting could be deleted here, or re-added after it left.
                # SHARE ROW EXCLUSIVE, not SHARE: two of these at once queue instead of deadlocking.
                cursor.execute(f"LOCK TABLE {KEY_TABLE} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"DELETE FROM {KEY_TABLE} WHERE key = %s", [ARCHIVED_KEY])
        archived = Organisation.objects.filter(is_archived=True, merged_into__isnull=True).exclude(search_text="")
        write_postings([row for pk, text in archived.values_list("pk", "search_text").order_by().iterator(2000)
                        for row in _archived_posting(pk, text)])


def refresh_stats() -> None:
    """Count postings per bigram key. Only bigrams are looked up in the stats (to choose the rarest one
    of a query); "^", "=" and "#" keys are read directly. The archived list is rewritten too."""
    sync_archived()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STAT_TABLE}")
        cursor.execute(
            f"INSERT INTO {STAT_TABLE} (key, n) SELECT key, COUNT(*) FROM {KEY_TABLE} "
            "WHERE substr(key, 1, 1) NOT IN ('^', '=', '#', %s) GROUP BY key", [SEP]
        )
    # The planners' own statistics too. Without them SQLite answers "merged_into_id IS NULL" through
    # that index (every row) instead of the name index (a 300 ms list page at a million rows), and
    # PostgreSQL hash-joins the whole organisation table into a search (1.2 s instead of 1 ms).
    # VACUUM also marks the freshly loaded pages all-visible, so PostgreSQL can answer a search from
    # the index alone; it cannot run inside a transaction, where ANALYZE has to do.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in (KEY_TABLE, "organisations_organisation", "organisations_organisationalias"):
                cursor.execute(f"{verb} {table}")
        else:
            cursor.execute("ANALYZE organisations_organisation")
            cursor.execute("ANALYZE organisations_organisationalias")


# --- reading -------------------------------------------------------------------------------------

@dataclass
class Hit:
    organisation_id: int
    match_class: int  # 0 exact, 1 prefix, 2 fragment, 3 pinyin, 4 credit code


@dataclass
class Filters:
    kind: str = ""
    industry_section: str = ""
    include_archived: bool = False

    def sql(self) -> tuple[str, list]:
        where, params = ["o.merged_into_id IS NULL"], []
        if not self.include_archived:
            # Written in, not a parameter: with "= $n" PostgreSQL's generic plan for a prepared
            # search guesses half the rows archived, judges itself dearer than a plan for the
            # value, and keeps planning every execution afresh (longer than running it).
            where.append("NOT o.is_archived")
        if self.kind:
            where.append("o.kind = %s")
            params.append(self.kind)
        if self.industry_section:
            where.append("o.industry_section = %s")
            params.append(self.industry_section)
        return " AND ".join(where), params


def _contains_sql() -> str:
    return "instr(o.search_text, %s) > 0" if connection.vendor == "sqlite" else "strpos(o.search_text, %s) > 0"


MERGE_RATIO = 10


def _companions_sql(companions: Sequence[str], merge: bool) -> tuple[str, str]:
    """(JOIN, WHERE) SQL that keeps only candidate postings whose organisation also has postings of
    these other bigrams of the query. A posting is a pure function of the organisation's
    search_text and every bigram of q is a bigram of the term containing q, so this drops only
    candidates the row check would drop, but from the index, where the row check reads the
    organisation's row: a rarest bigram such as "(集" or "资有" still lists thousands of
    organisations of which few hold "能科技(集团)有" or "投资有限责任公", and reading their rows (a
    random heap page each, mostly not in PostgreSQL's buffers) was the 95th percentile of the
    longer queries.

    Each companion is probed: one lookup of the primary key per candidate, near the previous one
    (candidates come in the same order); OFFSET 0 keeps PostgreSQL from turning it into a join.
    With `merge` the first companion is joined instead: both lists are in (name_len,
    organisation_id) order, so PostgreSQL merges them, reading index entries in sequence — a tenth
    of a microsecond each where a lookup costs a few, but every entry of the other list up to the
    last candidate: only for a companion list not much longer than the candidates' (MERGE_RATIO).
    The probes then name both lists' columns, which keeps them after the join."""
    if not companions:
        return "", ""
    offset = " OFFSET 0" if connection.vendor == "postgresql" else ""  # SQLite: no OFFSET without LIMIT
    join, after = "", "k"
    if merge:
        join = (f" JOIN {KEY_TABLE} m ON m.key = %s AND m.name_len = k.name_len "
                "AND m.organisation_id = k.organisation_id")
        after = "m"
    where = "".join(
        f" AND EXISTS (SELECT 1 FROM {KEY_TABLE} p WHERE p.key = %s AND p.name_len = {after}.name_len "
        f"AND p.organisation_id = k.organisation_id{offset})" for _ in companions[1 if merge else 0:])
    return join, where


def _postings(cursor, key: str, limit: int, filters: Filters, must_contain: str = "") -> list[int]:
    where, params = filters.sql()
    if must_contain:
        where += " AND " + _contains_sql()
        params.append(must_contain)
    cursor.execute(
        f"SELECT k.organisation_id FROM {KEY_TABLE} k JOIN organisations_organisation o ON o.id = k.organisation_id "
        f"WHERE k.key = %s AND {where} ORDER BY k.name_len, k.organisation_id LIMIT %s",
        [key, *params, limit],
    )
    return [row[0] for row in cursor.fetchall()]


PROBES = 2  # other bigrams a candidate is checked against in the index (_companions_sql)


def _companions_for(q: str, by_rarity: list[tuple[str, int | None]]) -> tuple[list[str], bool]:
    """The bigrams to check the rarest one's candidates against, and whether to merge with the first
    (_companions_sql): the rarest others, preferring those not next to it in q — a neighbour mostly
    comes with it ("资有" nearly always as "投资有"), so it would filter next to nothing."""
    if len(by_rarity) < 2:
        return [], False
    first = q.find(by_rarity[0][0])
    chosen = sorted(by_rarity[1:], key=lambda item: (abs(q.find(item[0]) - first) == 1, item[1]))[:PROBES]
    return [g for g, _ in chosen], (chosen[0][1] or 0) <= MERGE_RATIO * max(by_rarity[0][1] or 0, 1)


def _bigrams_by_rarity(cursor, q: str) -> list[tuple[str, int | None]]:
    """The query's distinct bigrams, fewest postings first, each with that number (None: not looked
    up, q being one bigram)."""
    grams = list(dict.fromkeys(q[i:i + 2] for i in range(len(q) - 1)))
    if len(grams) == 1:
        return [(grams[0], None)]
    cursor.execute(f"SELECT key, n FROM {STAT_TABLE} WHERE key IN ({', '.join(['%s'] * len(grams))})", grams)
    counts = dict(cursor.fetchall())
    # A bigram missing from the stats is new since the last refresh, hence rare.
    return sorted(((g, counts.get(g, 0)) for g in grams), key=lambda item: item[1])


SCAN_BOUND = 2000


def _choose_list(prefix_count: int, gram_count: int | None) -> bool:
    """For a query longer than the prefix keys: read the "^" list of its first four characters (True)
    or its rarest bigram's (False)? Whichever is shorter — either holds every prefix candidate. The
    bigram's length comes from the statistics, the prefix list's is counted (index only, never past
    SCAN_BOUND)."""
    if not gram_count:
        return False
    if prefix_count < min(gram_count, SCAN_BOUND):
        return True
    # Both long: the prefix list's rows mostly do start with the query, so its scan stops early.
    return gram_count > SCAN_BOUND


def normalise_query(q: str) -> str:
    return search_form(q).replace(SEP, "")


def is_code_query(q: str) -> bool:
    code = normalise_code(q)
    return bool(_CODE_RE.match(code)) and any(ch.isdigit() for ch in code) and len(code) >= 4


class _PreparedCursor:
    """PostgreSQL: the search's few statements, prepared once per connection. Django's psycopg
    cursors bind parameters on the client, so every statement would be planned afresh — about a
    millisecond, as long as running it. Same execute/fetch interface as Django's cursor."""

    def __init__(self, cursor):
        self._cursor = cursor

    def execute(self, sql: str, params=()):
        self._cursor.execute(sql, params, prepare=True)

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchall(self):
        return self._cursor.fetchall()


@contextmanager
def search_cursor(*, generic_plans: bool = False):
    """A cursor whose statements are prepared (PostgreSQL). generic_plans: plan each of them once,
    whatever its parameters — see _generic_plans."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    conn = connection.connection
    # Django opens its connections with prepare_threshold=None, which turns prepared statements off
    # altogether — prepare=True included — so until this was set, every search statement was
    # planned afresh after all. Switched on for the search's own statements only (each passes
    # prepare=True; the threshold keeps anything else from being prepared) and put back after, so
    # the rest of Django's queries behave as configured.
    threshold = conn.prepare_threshold
    if threshold is None:
        conn.prepare_threshold = 1_000_000
    try:
        # Django's wrapper around the raw cursor: psycopg's errors become Django's (so `except DatabaseError`
        # and the 503 of core.db_unavailable see them), and a connection that died under the search is
        # marked unusable and replaced on the next request instead of failing every later one.
        with connection.wrap_database_errors, psycopg.Cursor(conn) as cursor:
            if generic_plans:
                with _generic_plans(conn, cursor):
                    yield _PreparedCursor(cursor)
            else:
                yield _PreparedCursor(cursor)
    finally:
        conn.prepare_threshold = threshold


@contextmanager
def _generic_plans(conn, cursor):
    """A prepared statement is still planned afresh on every execution while PostgreSQL judges its
    plan for the actual parameters cheaper than the generic one — and for a key's postings it always
    does (it knows how rare that key is), so the matcher's four to six statements were each planned
    every time (pg_prepared_statements: custom_plans only), planning costing about as much as
    running. Their plans do not depend on the values (an index range of the key in rank order, a
    LIMIT; rows by primary key): for the 1,467 statements of 300 bench matches at a million
    organisations the generic plan was the custom plan, node for node. Set for the session only
    around these statements, as plan_cache_mode also governs every parameterised statement Django
    sends."""
    import psycopg

    cursor.execute("SET plan_cache_mode = force_generic_plan")
    try:
        yield
    finally:
        # In a failed transaction the rollback that must follow undoes the SET (made inside it), and
        # a RESET would only hide the error being raised.
        if conn.info.transaction_status in (psycopg.pq.TransactionStatus.IDLE, psycopg.pq.TransactionStatus.INTRANS):
            cursor.execute("RESET plan_cache_mode")


def search_ids(q: str, *, limit: int = 20, offset: int = 0, filters: Filters | None = None,
               fragments: bool = True) -> list[Hit]:
    """Ranked hits for a query of two or more characters (fewer: no hits). The selector alone, no ORM
    objects: this is what `bench search` times. fragments=False stops after exact and prefix hits
    (the matcher's probe with a whole name, which as a fragment would only find itself).

    Generic plans, as the matcher's: a ranked read walks the rarest key's postings in index order and stops at its
    LIMIT, whatever the values. Planned for the values, PostgreSQL would rather hash-join a common companion's tens of
    thousands of postings and sort them — "科技集团有限" took 0.2–2.9 s that way, 4 ms generic — and it plans so for a
    statement's first five runs on each connection, and for good where it judges the custom plan cheaper. Over the 300
    queries of the load test (a million organisations): mean 6 → 2.4 ms warm, 90 → 3.8 ms on fresh connections, the
    slowest 712 → 18 ms (docs/benchmarks.md, eleventh round)."""
    with search_cursor(generic_plans=True) as cursor:
        return search_ids_on(cursor, q, limit=limit, offset=offset, filters=filters or Filters(),
                             fragments=fragments)


def search_ids_on(cursor, q: str, *, limit: int = 20, offset: int = 0, filters: Filters,
                  fragments: bool = True) -> list[Hit]:
    """search_ids on a cursor of search_cursor() the caller holds: the matcher runs two or three
    searches and loads their candidates on one."""
    need = offset + limit
    hits: list[Hit] = []
    if is_code_query(q):
        hits = _code_hits(cursor, normalise_code(q), need, filters)
    else:
        text = normalise_query(q)
        if len(text) >= 2:
            hits = _text_hits(cursor, text, need, filters, fragments)
            if len(hits) < need and _LATIN_RE.match(text):
                hits += _pinyin_hits(cursor, text, need, filters, {h.organisation_id for h in hits})
    return hits[offset:need]


class _Parts:
    """Several reads of the index sent as one statement (UNION ALL of subqueries, each with its own
    ORDER BY and LIMIT), so a search costs two or three statements instead of four or five, each
    with its own parsing, planning and round trip. LIMITs are written into the SQL (always the
    number of hits wanted, never what is left of it), which keeps the statements few and lets
    PostgreSQL settle on their generic plans (those with companion bigrams it still plans for each
    query: about 0.5 ms, left as it is). Rows come back
    as (part, organisation_id, name_len, gram, n): a list of postings has part = its match class,
    the bigram statistics part STATS, the prefix count part COUNT."""

    STATS, COUNT = 8, 9
    _NONE = "CAST(NULL AS INTEGER)"

    def __init__(self, filters: Filters):
        self.filters = filters
        self.sql: list[str] = []
        self.params: list = []

    def postings(self, part: int | str, key: str, limit: int, *, must: str, lacks: str = "",
                 companions: Sequence[str] = (), merge: bool = False, part_params: Sequence = ()) -> "_Parts":
        """The postings of one key whose organisation passes the filters, contains `must` and not
        `lacks` (both checked on its row's search_text) and has postings of the companion bigrams,
        in rank order. `part` is the class, or SQL that computes it (then ordered by it first)."""
        where, params = self.filters.sql()
        conditions = f"{where} AND {_contains_sql()}" + (f" AND NOT ({_contains_sql()})" if lacks else "")
        order = "k.name_len, k.organisation_id" if isinstance(part, int) else "part, k.name_len, k.organisation_id"
        join, probe = _companions_sql(companions, merge)
        self.sql.append(
            f"SELECT {part} AS part, k.organisation_id AS organisation_id, k.name_len AS name_len, "
            f"CAST(NULL AS TEXT) AS gram, {self._NONE} AS n FROM {KEY_TABLE} k{join} "
            f"JOIN organisations_organisation o ON o.id = k.organisation_id "
            f"WHERE k.key = %s{probe} AND {conditions} ORDER BY {order} LIMIT {int(limit)}")
        merged = 1 if merge and companions else 0
        self.params += [*part_params, *companions[:merged], key, *companions[merged:], *params, must,
                        *([lacks] if lacks else [])]
        return self

    def stats(self, grams: Sequence[str]) -> "_Parts":
        if connection.vendor == "postgresql":
            test, params = "key = ANY(%s)", [list(grams)]
        else:
            test, params = f"key IN ({', '.join(['%s'] * len(grams))})", list(grams)
        self.sql.append(f"SELECT {self.STATS}, {self._NONE}, {self._NONE}, CAST(key AS TEXT), n "
                        f"FROM {STAT_TABLE} WHERE {test}")
        self.params += params
        return self

    def count(self, key: str, bound: int) -> "_Parts":
        self.sql.append(f"SELECT {self.COUNT}, COUNT(*), {self._NONE}, CAST(NULL AS TEXT), {self._NONE} "
                        f"FROM (SELECT 1 FROM {KEY_TABLE} WHERE key = %s LIMIT {int(bound)}) c")
        self.params += [key]
        return self

    def run(self, cursor) -> list[tuple]:
        """The rows, postings in rank order (part, name_len, id) — UNION ALL promises no order."""
        if not self.sql:
            return []
        cursor.execute(" UNION ALL ".join(f"SELECT * FROM ({sql}) p{i}" for i, sql in enumerate(self.sql)),
                       self.params)
        rows = cursor.fetchall()
        self.sql, self.params = [], []
        return sorted(rows, key=lambda row: (row[0], row[2] or 0, row[1] or 0))


def _bigrams(q: str) -> list[str]:
    return list(dict.fromkeys(q[i:i + 2] for i in range(len(q) - 1)))


def _text_hits(cursor, q: str, need: int, filters: Filters, fragments: bool = True) -> list[Hit]:
    """Exact hits (class 0), then prefix hits (1), then fragments (2), each class in the index's
    order (name length, id) and each excluding the earlier classes by its row's search_text, so
    every class's list can stop at what is still needed."""
    hits: list[Hit] = []
    seen: set[int] = set()
    stats: dict[str, int] = {}
    prefix_count = 0

    def take(rows) -> None:
        nonlocal prefix_count
        for part, pk, _name_len, gram, n in rows:
            if part == _Parts.STATS:
                stats[gram] = n
            elif part == _Parts.COUNT:
                prefix_count = pk
            elif pk not in seen and len(hits) < need:
                seen.add(pk)
                hits.append(Hit(pk, part))

    grams = _bigrams(q)
    short = len(q) <= PREFIX_LENGTHS[-1]  # its "^" key lists exactly the terms that start with it
    parts = _Parts(filters)
    # Every candidate is checked against its stored search_text, even where the key alone would
    # decide: a posting left behind (an interrupted re-index, postings still pending after a bulk
    # import) then costs a row read, never a wrong hit.
    parts.postings(0, "=" + q, need, must=SEP + q + SEP)
    if short and (fragments or len(q) > 2):
        parts.postings(1, "^" + q, need, must=SEP + q, lacks=SEP + q + SEP)
    if len(grams) > 1 and (fragments or not short):
        parts.stats(grams)
    if not short:
        parts.count("^" + q[:PREFIX_LENGTHS[-1]], SCAN_BOUND)
    take(parts.run(cursor))
    if len(hits) >= need or (short and not fragments):
        return hits
    # A bigram missing from the statistics is new since the last refresh, hence rare.
    by_rarity = sorted(((g, stats.get(g, 0)) for g in grams), key=lambda item: item[1]) if len(grams) > 1 \
        else [(grams[0], None)]
    gram, gram_count = by_rarity[0]
    rest = q[PREFIX_LENGTHS[-1] - 1:]  # past four characters: the bigrams the "^" key does not imply
    rest_by_rarity = [(g, n) for g, n in by_rarity if g in rest][:PROBES]
    rest_companions = ([g for g, _ in rest_by_rarity],
                       bool(rest_by_rarity) and rest_by_rarity[0][1] <= MERGE_RATIO * max(prefix_count, 1))
    if not short:
        # A longer q ("石家庄市正定县") would wade through every name starting "石家庄市" in the "^"
        # list of its first four characters; its rarest bigram's postings hold every candidate too,
        # in the same order, and are often far fewer.
        if not fragments or _choose_list(prefix_count, gram_count):
            companions, merge = rest_companions
            parts.postings(1, "^" + q[:PREFIX_LENGTHS[-1]], need, must=SEP + q, lacks=SEP + q + SEP,
                           companions=companions, merge=merge)
            take(parts.run(cursor))
            if not fragments:
                return hits
        else:
            # Both classes from the one list: one pass that ranks them.
            contains = _contains_sql()
            companions, merge = _companions_for(q, by_rarity)
            parts.postings(f"CASE WHEN {contains} THEN 1 ELSE 2 END", gram, need, must=q,
                           lacks=SEP + q + SEP, companions=companions, merge=merge, part_params=[SEP + q])
            take(parts.run(cursor))
            return hits
    if len(hits) < need:
        companions, merge = _companions_for(q, by_rarity)
        parts.postings(2, gram, need, must=q, lacks=SEP + q, companions=companions, merge=merge)
        take(parts.run(cursor))
    return hits


def _pinyin_hits(cursor, q: str, need: int, filters: Filters, exclude: set[int]) -> list[Hit]:
    key = "#" + q if len(q) == 2 else "#=" + q
    ids = _postings(cursor, key, need + len(exclude), filters)
    return [Hit(pk, 3) for pk in ids if pk not in exclude]


def _code_hits(cursor, code: str, need: int, filters: Filters) -> list[Hit]:
    where, params = filters.sql()
    cursor.execute(
        "SELECT o.id, o.credit_code FROM organisations_organisation o "
        f"WHERE o.credit_code >= %s AND o.credit_code < %s AND {where} ORDER BY o.credit_code LIMIT %s",
        [code, code + "~", *params, need],
    )
    hits = [Hit(pk, 0 if credit == code else 4) for pk, credit in cursor.fetchall()]
    if len(hits) < need and len(code) <= 10:
        org_code = code if len(code) <= 8 else code[:8] + "-" + code[8:]
        cursor.execute(
            "SELECT o.id FROM organisations_organisation o "
            f"WHERE o.org_code >= %s AND o.org_code < %s AND {where} ORDER BY o.org_code LIMIT %s",
            [org_code, org_code + "~", *params, need],
        )
        known = {h.organisation_id for h in hits}
        hits += [Hit(pk, 4) for (pk,) in cursor.fetchall() if pk not in known]
    return hits


def count_matches(q: str, *, filters: Filters | None = None, cap: int | None = None) -> tuple[int, bool]:
    """How many organisations match, counted up to `cap` (COUNT_CAP); returns (count, capped)."""
    filters = filters or Filters()
    cap = cap or COUNT_CAP
    if is_code_query(q):
        return len(search_ids(q, limit=cap + 1, filters=filters)[:cap]), False
    text = normalise_query(q)
    if len(text) < 2:
        return 0, False
    where, params = filters.sql()
    with search_cursor() as cursor:
        n = _key_count(cursor, text, cap) if len(text) == 2 and filters == Filters() else None
        if n is None:
            by_rarity = _bigrams_by_rarity(cursor, text)
            gram, (companions, merge) = by_rarity[0][0], _companions_for(text, by_rarity)
            join, probe = _companions_sql(companions, merge)
            merged = 1 if merge and companions else 0
            where += " AND " + _contains_sql()
            params.append(text)
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {KEY_TABLE} k{join} JOIN organisations_organisation o "
                f"ON o.id = k.organisation_id WHERE k.key = %s{probe} AND {where} LIMIT %s) t",
                [*companions[:merged], gram, *companions[merged:], *params, cap + 1],
            )
            n = cursor.fetchone()[0]
        extra = 0
        if _LATIN_RE.match(text):
            extra = len(_pinyin_hits(cursor, text, cap, filters, set()))
    total = n + extra
    return min(total, cap), total > cap


def _key_count(cursor, key: str, cap: int) -> int | None:
    """How many live organisations a key's postings name, up to cap + 1, from the index alone (None:
    too many archived organisations to subtract cheaply). For a two-character query that is its
    count: the key is the query, merged records have no postings, and archived ones are subtracted
    through their own list. It trusts the index to be current, as every service keeps it; the
    search itself still verifies every hit against its row."""
    cursor.execute(
        f"SELECT CASE WHEN (SELECT COUNT(*) FROM (SELECT 1 FROM {KEY_TABLE} WHERE key = %s LIMIT %s) b) > %s "
        f"THEN NULL ELSE (SELECT COUNT(*) FROM {KEY_TABLE} a JOIN {KEY_TABLE} k ON k.key = %s "
        "AND k.name_len = a.name_len AND k.organisation_id = a.organisation_id WHERE a.key = %s) END",
        [ARCHIVED_KEY, ARCHIVED_BOUND + 1, ARCHIVED_BOUND, key, ARCHIVED_KEY],
    )
    archived = cursor.fetchone()[0]
    if archived is None:
        return None
    # Past cap + 1 + archived postings at least cap + 1 of them are live: reading further is not needed.
    cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {KEY_TABLE} WHERE key = %s LIMIT %s) t",
                   [key, cap + 1 + archived])
    return cursor.fetchone()[0] - archived


def naive_ids(q: str, *, limit: int = 20, filters: Filters | None = None) -> list[Hit]:
    """The same ranking answered by a plain substring scan of every row (icontains on search_text,
    classes and name length computed per row, ordered and cut in SQL). Only for the benchmark and the
    tests that prove the index returns the same top rows."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.expressions import RawSQL

    from apps.organisations.models import Organisation

    filters = filters or Filters()
    text = normalise_query(q)
    if len(text) < 2:
        return []
    qs = Organisation.objects.filter(merged_into__isnull=True, search_text__icontains=text)
    if not filters.include_archived:
        qs = qs.filter(is_archived=False)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.industry_section:
        qs = qs.filter(industry_section=filters.industry_section)
    # The search form of the name is the first term of search_text; its length is the index's name_len.
    first_term_len = (
        "instr(substr(search_text, 2), char(31)) - 1" if connection.vendor == "sqlite"
        else "strpos(substr(search_text, 2), chr(31)) - 1"
    )
    rows = (
        qs.annotate(
            match_class=Case(
                When(search_text__contains=SEP + text + SEP, then=Value(0)),
                When(search_text__contains=SEP + text, then=Value(1)),
                default=Value(2), output_field=IntegerField(),
            ),
            name_len=RawSQL(first_term_len, [], output_field=IntegerField()),
        )
        .order_by("match_class", "name_len", "pk")
        .values_list("pk", "match_class")[:limit]
    )
    return [Hit(pk, cls) for pk, cls in rows]


# --- a lazy, sliceable result for paginators ----------------------------------------------------

def load_organisations(hits: list[Hit]) -> list:
    """The pages' rows: Organisation instances in rank order, aliases prefetched, each carrying its
    match_class (what the templates highlight and label)."""
    from django.db.models import prefetch_related_objects

    from apps.organisations.models import Organisation

    objects = Organisation.objects.in_bulk([h.organisation_id for h in hits])
    rows = []
    for hit in hits:
        org = objects.get(hit.organisation_id)
        if org is not None:
            org.match_class = hit.match_class
            rows.append(org)
    prefetch_related_objects(rows, "aliases")
    return rows


@dataclass
class SearchResults:
    """Ranked organisations for a query, sliceable like a queryset so Django's Paginator and ninja's
    PageNumberPagination page through it; only the requested page is fetched. `load` turns a page of
    hits into rows (Organisation instances by default; the API reads plain dicts instead)."""

    q: str
    filters: Filters = field(default_factory=Filters)
    load: Callable[[list[Hit]], list] = load_organisations
    cap: int = LIST_CAP  # counted up to this: LIST_CAP for a list, COUNT_CAP for an export
    # Whether its count will be asked (a page, the API, an export). Without, a slice reads only its own hits: the
    # navbar's eight suggestions need not read the 201 a page's count does.
    counted: bool = True

    # Pages ask for the count first (ninja: the page first). Reading the first PROBE+1 hits answers the count
    # and serves the first pages, instead of a counting pass and a page pass over the same (possibly long) list;
    # for a list (cap = PROBE) that one read is all there is.
    PROBE = LIST_CAP

    @cached_property
    def _probe(self) -> list[Hit]:
        return search_ids(self.q, limit=self.PROBE + 1, filters=self.filters)

    @cached_property
    def _count(self) -> tuple[int, bool]:
        found = len(self._probe)
        if found <= self.PROBE or self.cap <= self.PROBE:
            return min(found, self.cap), found > self.cap
        return count_matches(self.q, filters=self.filters, cap=self.cap)

    @property
    def capped(self) -> bool:
        return self._count[1]

    def count(self) -> int:
        return self._count[0]

    def __len__(self) -> int:
        return self.count()

    def hits(self, start: int, stop: int) -> list[Hit]:
        # The list answers its best `cap` and no more: pages past it are empty, as its count says (an API page
        # of a thousand asked of a list counted at 200 gets 200).
        stop = min(stop, self.cap)
        if start >= stop:
            return []
        if stop <= self.PROBE + 1 and (self.counted or "_probe" in self.__dict__):
            return self._probe[start:stop]
        return search_ids(self.q, limit=max(stop - start, 0), offset=start, filters=self.filters)

    def __getitem__(self, item):
        if isinstance(item, int):
            return self[item:item + 1][0]
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        return self.load(self.hits(start, stop))

    def __iter__(self):
        step, total = 1000, self.count()
        for start in range(0, total, step):
            yield from self[start:min(start + step, total)]  # never past the count: a capped list ends there
