import datetime
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.units import selectors
from apps.units.models import Unit
from apps.units.selectors import unit_current, unit_list, unit_rollup_ids, unit_rollup_note


def test_every_chongqing_division_and_the_office_are_units(units):
    assert units["驻京办"].is_office
    divisions = [u for u in units.values() if u.gb_code]
    assert len(divisions) == 39  # 38 before the change + 两江新区 (500157)
    assert units["九龙坡区"].gb_code == "500107"
    assert {"重庆高新区", "万盛经开区"} <= set(units)


def test_the_2025_change_is_effective_dated(units):
    jiangbei = units["江北区"]
    assert jiangbei.is_active_on(datetime.date(2025, 11, 5))
    assert not jiangbei.is_active_on(datetime.date(2025, 11, 6))
    assert unit_current(jiangbei).name == "两江新区"
    active_now = {u.name for u in unit_list(active_on=datetime.date(2026, 1, 1), include_office=False)}
    assert "江北区" not in active_now and "渝北区" not in active_now and "两江新区" in active_now
    # 37 administrative divisions after the change, as reference/chongqing-divisions.json counts them.
    assert len([u for u in unit_list(active_on=datetime.date(2026, 1, 1)) if u.gb_code]) == 37


def test_rollup_of_liangjiang_includes_the_ended_districts_and_says_so(units):
    ids = unit_rollup_ids(units["两江新区"])
    assert ids == {units["两江新区"].id, units["江北区"].id, units["渝北区"].id}
    assert unit_rollup_note(units["两江新区"]) == "含原江北区、原渝北区（2025年11月6日撤销，并入两江新区）"
    assert unit_rollup_note(units["九龙坡区"]) == ""


# --- the successor map kept per process (units.selectors.unit_successors) -------------------------------------


def _reads_of_the_map(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return sum("successor_id" in q["sql"] and "IS NOT NULL" in q["sql"] for q in queries.captured_queries)


# Transactional: outside a transaction, as a request runs, is where the map is kept.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_map_is_read_once_and_forgotten_when_a_unit_changes(monkeypatch):
    jiangbei, liangjiang = Unit.objects.get(name="江北区"), Unit.objects.get(name="两江新区")
    assert selectors.unit_successors()[jiangbei.id] == liangjiang.id
    assert _reads_of_the_map(selectors.unit_successors) == 0  # kept: no query

    # Another process changes a unit (no signal here): this one answers from its copy until the copy expires.
    Unit.objects.filter(pk=jiangbei.pk).update(successor=None)
    assert selectors.unit_successors()[jiangbei.id] == liangjiang.id
    clock = time.monotonic() + selectors.SUCCESSORS_TTL + 1
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    assert jiangbei.id not in selectors.unit_successors()

    # Saved in this process: forgotten at once.
    jiangbei.successor = liangjiang
    jiangbei.save()
    assert selectors.unit_successors()[jiangbei.id] == liangjiang.id
    assert unit_rollup_ids(liangjiang) >= {jiangbei.id, liangjiang.id}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_what_is_read_inside_a_transaction_is_not_kept():
    jiangbei = Unit.objects.get(name="江北区")
    with transaction.atomic():
        Unit.objects.filter(pk=jiangbei.pk).update(successor=None)
        assert jiangbei.id not in selectors.unit_successors()
        transaction.set_rollback(True)
    # The change rolled back: the map read inside the transaction must not outlive it.
    assert jiangbei.id in selectors.unit_successors()
    # A caller may change what it is given without changing the map others read.
    selectors.unit_successors().clear()
    assert jiangbei.id in selectors.unit_successors()
