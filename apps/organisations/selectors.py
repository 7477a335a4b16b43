"""Reads from the target library, always through restrict() (or, for one organisation by its id,
organisation_may_view, which answers as restrict() does)."""

import datetime

from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.accounts.permissions import VIEW, actor_scope
from apps.core.columns import USER_NAME, joined, showing
from apps.core.statements import CompiledRead
from apps.organisations.models import Organisation, OrganisationAlias, Person
from apps.organisations.querysets import organisation_may_view
from apps.organisations.search import COUNT_CAP, LIST_CAP, Filters, Hit, SearchResults, load_organisations

# What the API shows of an organisation in a list (schemas.OrganisationSearchOut), read as plain values.
ROW_COLUMNS = ("id", "name", "credit_code", "kind", "region", "industry_section", "size", "is_fortune500",
               "is_specialised", "is_listed", "source", "description", "is_sample", "version", "created_at",
               "updated_at")
_DATETIME_COLUMNS = ("created_at", "updated_at")


def organisation_list(*, actor, q: str = "", kind: str = "", industry_section: str = "", as_rows: bool = False,
                      for_page: bool = False, for_export: bool = False):
    """The library, filtered. With a query the result is ranked by the n-gram index (search.py) and
    pages lazily like a queryset; without one it is an ordinary queryset in name order. as_rows: the
    ranked pages hold plain dicts (organisation_rows) instead of Organisation instances; for_page: instances
    with only the columns the results page shows (organisation_page_rows). A ranked list answers its best
    search.LIST_CAP; for_export, its best search.COUNT_CAP. Without as_rows, for_page or for_export it is a
    shortlist (suggestions, a form's choices): a slice of it reads only its own hits."""
    q = (q or "").strip()
    if q:
        # The library is readable by every signed-in person (querysets.restrict); the index answers
        # for the whole library, so only the "may read at all" part of restrict applies here.
        if actor_scope(actor).user_id is None:
            return Organisation.objects.none()
        return SearchResults(q, Filters(kind=kind, industry_section=industry_section),
                             load=organisation_rows if as_rows else organisation_page_rows if for_page
                             else load_organisations, cap=COUNT_CAP if for_export else LIST_CAP,
                             counted=as_rows or for_page or for_export)
    qs = Organisation.objects.restrict(actor, "view").filter(merged_into__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if industry_section:
        qs = qs.filter(industry_section=industry_section)
    return qs.prefetch_related("aliases").order_by("name")


def _hit_rows(hits: list[Hit], columns: tuple[str, ...]) -> list[dict]:
    """The hits' organisations in rank order as {column: value, …, "aliases": [{name, kind}], "match_class"},
    from one plain query (the organisation LEFT JOIN its aliases); a hit whose row has gone is left out."""
    ids = [h.organisation_id for h in hits]
    by_id: dict[int, dict] = {}
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(f'o.{c}' for c in columns)}, a.name, a.kind FROM organisations_organisation o "
                "LEFT JOIN organisations_organisationalias a ON a.organisation_id = o.id "
                f"WHERE o.id IN ({', '.join(['%s'] * len(ids))}) ORDER BY o.id, a.id", ids)
            width = len(columns)
            for row in cursor.fetchall():
                org = by_id.get(row[0])
                if org is None:
                    org = by_id[row[0]] = dict(zip(columns, row[:width], strict=True), aliases=[])
                if row[width] is not None:
                    org["aliases"].append({"name": row[width], "kind": row[width + 1]})
    rows = []
    for hit in hits:
        row = by_id.get(hit.organisation_id)
        if row is not None:
            row["match_class"] = hit.match_class
            rows.append(row)
    return rows


def organisation_rows(hits: list[Hit]) -> list[dict]:
    """A page of search hits as dicts of ROW_COLUMNS plus `aliases` ([{name, kind}]) and `match_class`,
    in rank order, from one plain query. At a million organisations building Organisation instances
    and prefetching their aliases through the ORM took longer than the search that found them."""
    rows = _hit_rows(hits, ROW_COLUMNS)
    for row in rows:
        for column in _DATETIME_COLUMNS:
            # SQLite hands back a naive value (UTC, as Django writes it); PostgreSQL an aware one.
            value = row[column]
            if isinstance(value, str):
                value = datetime.datetime.fromisoformat(value)
            if value.tzinfo is None:
                row[column] = value.replace(tzinfo=datetime.UTC)
    return rows


# What the results page shows of an organisation (organisation_display.organisation_result_row, and search_text
# for the match label).
PAGE_COLUMNS = ("id", "name", "credit_code", "kind", "region", "industry_section", "is_sample", "is_fortune500",
                "is_specialised", "is_listed", "search_text")
_FLAGS = ("is_sample", "is_fortune500", "is_specialised", "is_listed")
_PAGE_FIELDS = tuple(f.attname for f in Organisation._meta.concrete_fields if f.attname in PAGE_COLUMNS)


def organisation_page_rows(hits: list[Hit]) -> list[Organisation]:
    """A page of search hits for the results page, in rank order: Organisation instances holding PAGE_COLUMNS
    (any other column is read on demand, a query each), their aliases' names as `alias_names`, and
    `match_class`. Built from the same plain query as organisation_rows: through in_bulk and a prefetch of the
    aliases this was about 2 ms of the page, more than the search."""
    organisations = []
    for row in _hit_rows(hits, PAGE_COLUMNS):
        for flag in _FLAGS:
            row[flag] = bool(row[flag])  # SQLite answers 0 and 1
        # from_db takes the values in the model's field order, whatever order the names are given in.
        org = Organisation.from_db(connection.alias, _PAGE_FIELDS, [row[c] for c in _PAGE_FIELDS])
        org.alias_names = [alias["name"] for alias in row["aliases"]]
        org.match_class = row["match_class"]
        organisations.append(org)
    return organisations


# To see an organisation, the organisation by its id, then organisation_may_view on the row, and its aliases: reads
# compiled once per process (core.statements) — building them was most of the millisecond this took on every view.
# Who registered it: their name only (core.columns), not their whole account row.
_ORGANISATION = CompiledRead(Organisation, lambda pk: joined(Organisation.objects.filter(pk=pk), {"created_by": USER_NAME}),
                             kinds=(int,), name="organisation page: the organisation")
_ALIASES = CompiledRead(OrganisationAlias, lambda organisation_id: OrganisationAlias.objects.filter(
    organisation_id=organisation_id), kinds=(int,), name="organisation page: aliases")
_ALIAS_ORGANISATION = OrganisationAlias._meta.get_field("organisation")


def organisation_get(*, actor, pk: int, action: str = VIEW) -> Organisation:
    if action != VIEW or type(pk) is not int:
        return get_object_or_404(joined(Organisation.objects.restrict(actor, action), {"created_by": USER_NAME})
                                 .prefetch_related("aliases"), pk=pk)
    found = _ORGANISATION(pk)
    # Not there and not theirs to see are the same 404, as through restrict().
    if not found or not organisation_may_view(actor, found[0]):
        raise Http404("记录不存在或您无权查看。")
    org = found[0]
    # Kept as prefetch_related("aliases") keeps them: org.aliases.all() answers from these, each alias knowing its
    # organisation.
    aliases = _ALIASES(org.pk)
    for alias in aliases:
        _ALIAS_ORGANISATION.set_cached_value(alias, org)
    kept = org.aliases.all()
    kept._result_cache, kept._prefetch_done = aliases, True
    org._prefetched_objects_cache = {"aliases": kept}
    return org


# What the organisation page shows of its people, at most 50 of them.
ORGANISATION_PAGE_PERSON = ("name", "kind", "title", "phone", "email")
# Person.objects.restrict(VIEW) is the same for every signed-in reader (the library is shared; archived people are
# left out), so the page reads an organisation's people by its id alone, compiled once per process
# (core.statements): building this query was about a tenth of the organisation page. test_organisation_page_reads
# compares it with person_list for every role.
_ORGANISATION_PEOPLE = CompiledRead(Person, lambda organisation_id: showing(
    Person.objects.filter(is_archived=False, organisation_id=organisation_id).order_by("name"),
    *ORGANISATION_PAGE_PERSON)[:50], kinds=(int,), name="organisation page: its people")


def organisation_people(*, actor, organisation_id: int) -> list[Person]:
    """person_list(actor=actor, organisation_id=…) as the organisation page shows it: its first 50 by name."""
    if actor_scope(actor).user_id is None:
        return []
    return _ORGANISATION_PEOPLE(organisation_id)


def person_list(*, actor, q: str = "", organisation_id: int | None = None):
    qs = Person.objects.restrict(actor, "view").select_related("organisation")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(organisation__name__contains=q))
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("name")
