"""talent_counts: the cockpit's figures of 招才引智."""

import datetime

import pytest

from apps.talent.selectors import NONE, talent_counts, talent_list, talent_stage_counts
from apps.talent.services import talent_archive, talent_move_stage

D = datetime.date
pytestmark = pytest.mark.django_db


def by_key(rows) -> dict:
    return {row.key: row.count for row in rows if row.count}


def test_counts_introduced_and_landed_by_kind_cluster_and_mode(signed_talent, make_talent, users, clusters):
    electronics, materials = clusters["新一代电子信息制造业"], clusters["先进材料"]
    academician = signed_talent(kind="academician", mode="full_time", signed=D(2025, 9, 1),
                                clusters=[electronics, materials])
    team = signed_talent(kind="team", team_size=6, mode="joint_lab", signed=D(2025, 9, 10), clusters=[electronics])
    signed_talent(kind="expert", mode="consultant", signed=D(2025, 9, 20), unit_name="长寿区")
    signed_talent(kind="expert", mode="part_time", signed=D(2025, 3, 1))  # before the period
    make_talent(kind="academician", clusters=[electronics])  # only an intention: not introduced
    talent_move_stage(actor=users["office"], talent=academician, to_stage="arrived",
                      values={"arrived_date": D(2025, 10, 1)})
    talent_move_stage(actor=users["office"], talent=academician, to_stage="serving")
    talent_move_stage(actor=users["office"], talent=team, to_stage="arrived", values={"arrived_date": D(2025, 11, 1)})
    # Signed in the period and then ended: the signing happened, it counts; archived ones never do.
    ended = signed_talent(kind="high_level", mode="full_time", signed=D(2025, 9, 5))
    talent_move_stage(actor=users["office"], talent=ended, to_stage="terminated", note="本人放弃")
    mistake = signed_talent(kind="high_level", mode="full_time", signed=D(2025, 9, 6))
    talent_archive(actor=users["office"], talent=mistake, reason="重复登记")

    counts = talent_counts(actor=users["office"], start=D(2025, 9, 1), end=D(2025, 10, 31))
    assert counts.introduced == 4
    assert by_key(counts.by_kind) == {"academician": 1, "team": 1, "expert": 1, "high_level": 1}
    assert [row.key for row in counts.by_kind] == ["academician", "high_level", "expert", "team"]
    assert (counts.full_time, counts.flexible) == (2, 2)
    assert by_key(counts.by_mode) == {"full_time": 2, "joint_lab": 1, "consultant": 1}
    assert by_key(counts.by_cluster) == {str(electronics.pk): 2, str(materials.pk): 1, NONE: 2}
    assert counts.by_cluster[0].label == "新一代电子信息制造业"
    assert counts.landed == 1 and by_key(counts.landed_by_kind) == {"academician": 1}

    everything = talent_counts(actor=users["office"])
    assert (everything.introduced, everything.landed) == (5, 2)
    # A district counts only what it sees; a unit narrows the office's figures the same way.
    assert talent_counts(actor=users["district2"]).introduced == 1
    assert talent_counts(actor=users["office"], unit_id=academician.unit_id).introduced == 4


def test_list_filters_and_stage_counts(make_talent, signed_talent, users, clusters, organisation):
    make_talent(name="梁院士", kind="academician", affiliation=organisation, clusters=[clusters["先进材料"]])
    signed_talent(name="感知团队", kind="team", team_size=5)
    make_talent(name="长寿专家", unit_name="长寿区")
    office = users["office"]
    assert [t.name for t in talent_list(actor=office, q="骅远")] == ["梁院士"]
    assert [t.name for t in talent_list(actor=office, kind="team")] == ["感知团队"]
    assert [t.name for t in talent_list(actor=office, cluster_id=clusters["先进材料"].pk)] == ["梁院士"]
    assert {t.name for t in talent_list(actor=office, cluster_id=NONE)} == {"感知团队", "长寿专家"}
    assert [t.name for t in talent_list(actor=office, stage="signed")] == ["感知团队"]
    counts = {row["stage"]: row["count"] for row in talent_stage_counts(actor=office)}
    assert counts["intention"] == 2 and counts["signed"] == 1 and counts["serving"] == 0
    assert {row["stage"]: row["count"] for row in talent_stage_counts(actor=users["district2"])}["intention"] == 1


def test_history_orders_moves_entered_later_by_the_day_they_happened(make_talent, users):
    from apps.talent.selectors import talent_history

    talent = make_talent(first_contact_date=D(2025, 6, 1), specialist=users["specialist"])
    talent_move_stage(actor=users["office"], talent=talent, to_stage="negotiation", occurred_on=D(2025, 7, 1))
    titles = [entry["title"] for entry in talent_history(talent=talent)]
    assert titles == ["服务专员：t_specialist", "意向 → 洽谈", "登记为“意向”"]
