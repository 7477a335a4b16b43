import datetime

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
