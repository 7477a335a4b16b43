"""Units are reference data every signed-in person may read; there is nothing to write here."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from apps.core.schemas import READ_ERRORS, Ref
from apps.units.models import Unit
from apps.units.selectors import unit_list, unit_rollup_note

router = Router(tags=["单位"])


class UnitOut(Schema):
    id: int
    code: str
    gb_code: str
    name: str
    full_name: str
    kind: str
    kind_label: str
    valid_from: datetime.date | None
    ended_on: datetime.date | None
    is_active: bool
    successor: Ref | None
    rollup_note: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_is_active(obj) -> bool:
        return obj.is_active_on(timezone.localdate())

    @staticmethod
    def resolve_rollup_note(obj) -> str:
        # Only a unit that took over ended ones has a note; asking the others would cost a query each.
        return unit_rollup_note(obj) if obj.has_predecessors else ""


def _with_predecessors(units: list[Unit]) -> list[Unit]:
    heirs = {u.successor_id for u in unit_list() if u.successor_id}
    for unit in units:
        unit.has_predecessors = unit.id in heirs
    return units


@router.get("", response={200: list[UnitOut], **READ_ERRORS}, summary="单位列表（驻京办、区县、功能区）")
def units(request, active: bool = False):
    """`active=true` lists only the units that exist today (江北区、渝北区 ended on 2025-11-06)."""
    return _with_predecessors(unit_list(active_on=timezone.localdate() if active else None))


@router.get("/{int:unit_id}", response={200: UnitOut, **READ_ERRORS}, summary="单位详情")
def unit(request, unit_id: int):
    return _with_predecessors([get_object_or_404(Unit.objects.select_related("successor"), pk=unit_id)])[0]
