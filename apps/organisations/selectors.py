"""Reads from the target library, always through restrict()."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from apps.accounts.permissions import actor_scope
from apps.organisations.models import Organisation, Person
from apps.organisations.search import Filters, SearchResults


def organisation_list(*, actor, q: str = "", kind: str = "", industry_section: str = ""):
    """The library, filtered. With a query the result is ranked by the n-gram index (search.py) and
    pages lazily like a queryset; without one it is an ordinary queryset in name order."""
    qs = Organisation.objects.restrict(actor, "view").filter(merged_into__isnull=True)
    q = (q or "").strip()
    if q:
        # The library is readable by every signed-in person (querysets.restrict); the index answers
        # for the whole library, so only the "may read at all" part of restrict applies here.
        if actor_scope(actor).user_id is None:
            return qs.none()
        return SearchResults(q, Filters(kind=kind, industry_section=industry_section))
    if kind:
        qs = qs.filter(kind=kind)
    if industry_section:
        qs = qs.filter(industry_section=industry_section)
    return qs.prefetch_related("aliases").order_by("name")


def organisation_get(*, actor, pk: int, action: str = "view") -> Organisation:
    return get_object_or_404(Organisation.objects.restrict(actor, action).prefetch_related("aliases"), pk=pk)


def person_list(*, actor, q: str = "", organisation_id: int | None = None):
    qs = Person.objects.restrict(actor, "view").select_related("organisation")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(organisation__name__contains=q))
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("name")
