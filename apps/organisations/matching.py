"""Is this organisation already in the library? Candidates come from the search index (the credit
code, the whole name, the 字号 and its fragments); names.compare gives each a score and a verdict.

Used before an organisation is created (the form warns "可能已存在"), by the importer (bulk.py) and
before a project is registered (a district must not claim a duplicate record of a firm that another
district already holds)."""

import json
import weakref
from dataclasses import dataclass, field

from django.db import connection, connections

from apps.core.codes import normalise_code
from apps.organisations import names
from apps.organisations.models import Organisation, OrganisationAlias
from apps.organisations.search import Filters, search_cursor, search_ids_on

VERDICT_ORDER = {"same": 0, "likely": 1, "different": 2}
VERDICT_LABELS = {"same": "同一主体", "likely": "可能相同", "different": "不同主体"}


@dataclass
class Candidate:
    organisation: Organisation
    score: float
    verdict: str
    reason: str

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass
class MatchResult:
    name: str
    parts: names.NameParts
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return self.candidates[0].verdict if self.candidates else "different"

    @property
    def worth_showing(self) -> list[Candidate]:
        return [c for c in self.candidates if c.verdict != "different"]


def _candidate_ids(cursor, name: str, parts: names.NameParts, limit: int) -> list[int]:
    filters = Filters(include_archived=True)
    # The whole name and a branch's parent: exact or prefix hits only (as a fragment a whole name
    # finds nothing more, at the price of reading a long posting list). The 字号: anything with it.
    ids = [h.organisation_id for h in search_ids_on(cursor, name, limit=limit, filters=filters, fragments=False)]
    if parts.parent_name:
        ids += [h.organisation_id for h in search_ids_on(cursor, parts.parent_name, limit=limit, filters=filters,
                                                         fragments=False)]
    if parts.trade_name and len(parts.trade_name) >= 2:
        ids += [h.organisation_id for h in search_ids_on(cursor, parts.trade_name, limit=limit, filters=filters)]
    return list(dict.fromkeys(ids))


_ORG_TABLE = Organisation._meta.db_table
_ALIAS_TABLE = OrganisationAlias._meta.db_table
_ORG_FIELDS = Organisation._meta.concrete_fields
_ORG_COLUMNS = ", ".join(f"o.{f.column}" for f in _ORG_FIELDS)
_ATTNAMES = [f.attname for f in _ORG_FIELDS]
_NAME, _CODE, _PK = _ATTNAMES.index("name"), _ATTNAMES.index("credit_code"), _ATTNAMES.index("id")


def _candidate_rows_sql(count: int, by_code: bool) -> str:
    """Every candidate's row and its aliases' names (in id order, as the prefetch read them) in one
    statement, prepared like the search's own: through the ORM this was a query for the rows and one
    for the aliases, each compiled afresh, and a model instance for every candidate — a third of a
    match's time. Only the few candidates kept become model instances (_organisation)."""
    if connection.vendor == "postgresql":
        ids = "o.id = ANY(%s::bigint[])"
        aliases = f"ARRAY(SELECT a.name FROM {_ALIAS_TABLE} a WHERE a.organisation_id = o.id ORDER BY a.id)"
    else:
        ids = f"o.id IN ({', '.join(['%s'] * count)})" if count else "0"
        aliases = (f"(SELECT json_group_array(name) FROM (SELECT a.name FROM {_ALIAS_TABLE} a "
                   "WHERE a.organisation_id = o.id ORDER BY a.id))")
    where = f"({ids} OR o.credit_code = %s)" if by_code else ids
    return f"SELECT {_ORG_COLUMNS}, {aliases} FROM {_ORG_TABLE} o WHERE {where}"


def _candidate_rows(cursor, ids: list[int], code: str) -> list[tuple]:
    """The rows of these organisations and of any with this credit code (merged records included, as
    before: the code is looked up in the table, not the index)."""
    if not ids and not code:
        return []
    params: list = [ids] if connection.vendor == "postgresql" else list(ids)
    if code:
        params.append(code)
    cursor.execute(_candidate_rows_sql(len(ids), bool(code)), params)
    rows = cursor.fetchall()
    if connection.vendor != "postgresql":
        rows = [(*row[:-1], json.loads(row[-1]) if row[-1] != "[]" else []) for row in rows]
    return rows


# The ORM's converters for the organisation's columns, per connection (SQLite returns datetimes and
# booleans that Django converts after reading; PostgreSQL's driver returns them ready).
_CONVERTERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _organisation(row: tuple) -> Organisation:
    wrapper = connections[connection.alias]
    converters = _CONVERTERS.get(wrapper)
    if converters is None:
        converters = []
        for index, f in enumerate(_ORG_FIELDS):
            col = f.get_col(_ORG_TABLE)
            funcs = wrapper.ops.get_db_converters(col) + col.get_db_converters(wrapper)
            if funcs:
                converters.append((index, funcs, col))
        _CONVERTERS[wrapper] = converters
    values = list(row[:len(_ORG_FIELDS)])
    for index, funcs, col in converters:
        for func in funcs:
            values[index] = func(values[index], col, wrapper)
    return Organisation.from_db(connection.alias, None, values)


def match_organisation(name: str, *, credit_code: str = "", limit: int = 10,
                       exclude_id: int | None = None) -> MatchResult:
    """Ranked candidates for a name (and optional credit code), best first."""
    text = (name or "").strip()
    code = normalise_code(credit_code or "")
    parts = names.parse_name(text)
    result = MatchResult(name=text, parts=parts)
    if len(names.search_form(text)) < 2 and not code:
        return result
    with search_cursor(generic_plans=True) as cursor:
        rows = _candidate_rows(cursor, _candidate_ids(cursor, text, parts, limit=30), code)
    ranked = []
    for row in rows:
        pk = row[_PK]
        if pk == exclude_id:
            continue
        best = None
        for other in [row[_NAME], *row[-1]]:
            outcome = names.compare(text, other, code_a=code or None, code_b=row[_CODE])
            if best is None or (VERDICT_ORDER[outcome.verdict], -outcome.score) < (
                    VERDICT_ORDER[best.verdict], -best.score):
                best = outcome
        ranked.append((VERDICT_ORDER[best.verdict], -best.score, pk, best, row))
    ranked.sort(key=lambda item: item[:3])
    result.candidates = [Candidate(_organisation(row), best.score, best.verdict, best.reason)
                         for *_, best, row in ranked[:limit]]
    return result


def same_organisation_ids(organisation: Organisation) -> list[int]:
    """Other records the matcher judges to be the same organisation (duplicates not yet merged)."""
    result = match_organisation(organisation.name, credit_code=organisation.credit_code or "",
                                exclude_id=organisation.pk)
    return [c.organisation.pk for c in result.candidates if c.verdict == "same" and not c.organisation.merged_into_id]
