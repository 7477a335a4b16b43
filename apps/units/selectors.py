"""Reads about units, including the 2025-11 roll-up of 江北区/渝北区 into 两江新区."""

import copy
import datetime

from django.db import connection
from django.utils import timezone

from apps.core.reference import Kept
from apps.core.templatetags.display import cndate
from apps.units.models import Unit

OFFICE_CODE = "BJ-OFFICE"


def unit_list(*, active_on: datetime.date | None = None, include_office: bool = True):
    qs = Unit.objects.select_related("successor")
    if not include_office:
        qs = qs.exclude(code=OFFICE_CODE)
    units = list(qs)
    if active_on:
        units = [u for u in units if u.is_active_on(active_on)]
    return units


def unit_office() -> Unit:
    return Unit.objects.get(code=OFFICE_CODE)


def unit_current(unit: Unit) -> Unit:
    """The unit that carries this one's work today (follows successors; a cycle cannot be stored
    through the services, but we stop after a few hops regardless)."""
    seen = 0
    while unit.successor_id and seen < 10:
        unit = unit.successor
        seen += 1
    return unit


# Every request's permission scope rolls the person's unit up through this map (accounts.permissions.actor_scope),
# so reading it was one query on every page and API call. Units change a few times a year (the 2025 division
# change): each process keeps the map for SUCCESSORS_TTL seconds, forgets it at once when it saves or deletes a
# unit itself (apps.units.apps), and never keeps what it read inside a transaction, which may yet roll back.
SUCCESSORS_TTL = 30.0
_SUCCESSORS = Kept(ttl=SUCCESSORS_TTL)


def unit_successors() -> dict[int, int]:
    """{ended unit id: its successor's id}: read once where several units' roll-ups are needed. A copy: a caller
    may change what it is given without changing the map others read."""
    return dict(_SUCCESSORS.get("map", lambda: dict(
        Unit.objects.filter(successor__isnull=False).values_list("id", "successor_id"))))


def _units_by_id() -> dict[int, Unit]:
    units = {unit.pk: unit for unit in Unit.objects.all()}
    for unit in units.values():
        if unit.successor_id in units:
            unit.successor = units[unit.successor_id]  # linked, so that following a roll-up reads nothing
    return units


def unit_by_id(pk: int | None) -> Unit | None:
    """The unit with this id, from the process's kept copy of the unit table (a few dozen rows, kept with the
    successor map): the signed-in user's unit on every request (accounts.backends) and a project's units on its
    page (projects.selectors.project_get) are then no statement of their own. Each call gives a copy, so that
    whoever is given it may change or save it without changing what others are given; its successor is the
    kept one, to be read, not changed. A unit this process has not seen yet (made by another process within
    the last seconds) is read directly."""
    if pk is None:
        return None
    if connection.in_atomic_block:  # nothing is kept from inside a transaction (core.reference): one row
        return Unit.objects.select_related("successor").filter(pk=pk).first()
    unit = _SUCCESSORS.get("by_id", _units_by_id).get(pk)
    if unit is None:
        return Unit.objects.filter(pk=pk).first()
    return copy.copy(unit)


def unit_successors_forget(**_signal) -> None:
    """Drop this process's copy of the successor map and of the units (a unit was saved or deleted here)."""
    _SUCCESSORS.forget()


def unit_rollup_ids(unit: Unit, *, successors: dict[int, int] | None = None) -> set[int]:
    """The unit and every ended unit that rolls up into it, recursively."""
    if successors is None:
        successors = unit_successors()
    result = {unit.id}
    changed = True
    while changed:
        changed = False
        for uid, succ in successors.items():
            if succ in result and uid not in result:
                result.add(uid)
                changed = True
    return result


def unit_rollup_note(unit: Unit) -> str:
    """'含原江北区、原渝北区（2025年11月6日撤销，并入两江新区）' — said wherever a figure rolls up."""
    old = Unit.objects.filter(id__in=unit_rollup_ids(unit) - {unit.id}).order_by("code")
    if not old:
        return ""
    names = "、".join(f"原{u.name}" for u in old)
    dates = sorted({u.ended_on for u in old if u.ended_on})
    when = "、".join(cndate(d) for d in dates)
    return f"含{names}（{when}撤销，并入{unit.name}）"


def unit_choices_for_date(day: datetime.date | None = None):
    day = day or timezone.localdate()
    return [u for u in unit_list(include_office=False) if u.is_active_on(day)]
