"""Reads from the target library, always through restrict()."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from apps.core.codes import normalise_code
from apps.core.text import normalise_name
from apps.organisations.models import Organisation, Person


def organisation_list(*, actor, q: str = "", kind: str = "", industry_section: str = ""):
    qs = Organisation.objects.restrict(actor, "view")
    if q:
        # A plain substring search is enough for the foundation; the library issue replaces this
        # with an n-gram index that answers two-character fragments at a million rows.
        name = normalise_name(q)
        qs = qs.filter(
            Q(name__contains=name) | Q(aliases__name__contains=name) | Q(credit_code__startswith=normalise_code(q))
        ).distinct()
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
