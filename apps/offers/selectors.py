"""Reads of district offers and need profiles, always through restrict()."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.permissions import CHANGE, VIEW
from apps.offers.models import NeedProfile, Park, Policy, Resource, Site
from apps.offers.querysets import may_change_offers_of
from apps.units.models import Unit
from apps.units.selectors import unit_choices_for_date

KINDS = {"park": Park, "site": Site, "policy": Policy, "resource": Resource}


def district_index(*, actor) -> list[Unit]:
    """Every active district/county/zone with the counts of its live offers (one query per kind)."""
    units = unit_choices_for_date(timezone.localdate())
    counts = {}
    for key, model in KINDS.items():
        rows = model.objects.restrict(actor, VIEW).live().values("unit_id").annotate(n=Count("id"))
        extra = Q(status="available") if model is Site else Q()
        counts[key] = {r["unit_id"]: r["n"] for r in rows.filter(extra)}
    for unit in units:
        unit.offer_counts = {key: counts[key].get(unit.pk, 0) for key in KINDS}
        unit.offer_total = sum(unit.offer_counts.values())
    return units


def district_offers(*, actor, unit: Unit, include_retired: bool = False) -> dict:
    def rows(model):
        qs = model.objects.restrict(actor, VIEW).filter(unit=unit)
        return qs if include_retired else qs.live()

    from apps.fairness.selectors import flags_for_objects

    found = {
        "parks": list(rows(Park).prefetch_related("clusters")),
        "sites": list(rows(Site).select_related("park")),
        "policies": list(rows(Policy).prefetch_related("clusters")),
        "resources": list(rows(Resource)),
    }
    # Each offer carries its fair-competition flags (shown beside it for review).
    flags = flags_for_objects(actor=actor, objects=[row for group in found.values() for row in group])
    for group in found.values():
        for row in group:
            row.fairness_flags = flags.get((type(row), row.pk), [])
    return {**found, "may_change": may_change_offers_of(actor, unit)}


def offer_get(*, actor, kind: str, pk: int):
    model = KINDS[kind]
    return get_object_or_404(model.objects.restrict(actor, VIEW).select_related("unit"), pk=pk)


def may_change_offer(actor, row) -> bool:
    return type(row).objects.restrict(actor, CHANGE).filter(pk=row.pk).exists()


def need_list(*, actor):
    return NeedProfile.objects.restrict(actor, VIEW).select_related("organisation", "cluster", "chain_link")


def need_get(*, actor, pk: int) -> NeedProfile:
    return get_object_or_404(need_list(actor=actor).select_related("project"), pk=pk)


def may_change_need(actor, need: NeedProfile) -> bool:
    return NeedProfile.objects.restrict(actor, CHANGE).filter(pk=need.pk).exists()


def offer_list(*, actor, kind: str, unit_id: int | None = None, offer_kind: str = "", status: str = "",
               include_retired: bool = False):
    """One kind of offer (KINDS) across districts, for the API's lists: by unit (with the ended units that
    rolled up into it), by the offer's own kind (园区类型, 载体类型, 资源类型) and, for sites, by status."""
    from apps.units.selectors import unit_rollup_ids

    model = KINDS[kind]
    rows = model.objects.restrict(actor, VIEW).select_related("unit")
    if not include_retired:
        rows = rows.live()
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).first()
        rows = rows.filter(unit_id__in=unit_rollup_ids(unit)) if unit else rows.none()
    if offer_kind:
        rows = rows.filter(kind=offer_kind)
    if status:
        rows = rows.filter(status=status)
    if model is Site:
        rows = rows.select_related("park")
    if model in (Park, Policy):
        rows = rows.prefetch_related("clusters")
    return rows
