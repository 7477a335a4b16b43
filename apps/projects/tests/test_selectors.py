"""What each role sees: the restrict() rules behind every page, API call and export."""

import datetime

import pytest
from django.http import Http404

from apps.projects.choices import Stage
from apps.projects.selectors import (
    organisation_claims,
    project_board,
    project_get,
    project_list,
    project_timeline,
)
from apps.projects.services import project_change_stage, project_update


@pytest.fixture
def two_projects(make_project, users):
    return {
        "jlp": make_project(actor=users["district"], unit_name="九龙坡区", name="九龙坡项目"),
        "cs": make_project(actor=users["district2"], unit_name="长寿区", name="长寿项目"),
    }


@pytest.mark.parametrize(("who", "sees"), [
    ("office", {"九龙坡项目", "长寿项目"}),
    ("office_admin", {"九龙坡项目", "长寿项目"}),
    ("leader", {"九龙坡项目", "长寿项目"}),
    ("district", {"九龙坡项目"}),
    ("district_admin", {"九龙坡项目"}),
    ("district2", {"长寿项目"}),
    ("specialist", {"九龙坡项目"}),  # their own unit's
    ("liangjiang", set()),
])
def test_who_sees_which_projects(two_projects, users, who, sees):
    assert {p.name for p in project_list(actor=users[who])} == sees


def test_anonymous_sees_nothing(two_projects):
    from django.contrib.auth.models import AnonymousUser

    assert list(project_list(actor=AnonymousUser())) == []


def test_another_districts_project_is_a_404(two_projects, users):
    with pytest.raises(Http404):
        project_get(actor=users["district2"], pk=two_projects["jlp"].pk)


def test_other_districts_see_only_who_holds_the_organisation_and_until_when(two_projects, users):
    org = two_projects["jlp"].organisation
    claims = organisation_claims(actor=users["district2"], organisation=org)
    assert claims == [{"unit": "九龙坡区", "protected_until": two_projects["jlp"].protected_until}]
    assert organisation_claims(actor=users["district"], organisation=org) == []  # they see the project itself


def test_a_project_of_an_ended_unit_rolls_up_into_its_successor(make_project, users, units):
    old = make_project(unit_name="江北区", name="新凯精测", first_contact_date=datetime.date(2025, 3, 15))
    assert old.unit.name == "江北区"  # the record keeps the unit it had
    assert [p.name for p in project_list(actor=users["office"], unit_id=units["两江新区"].id)] == ["新凯精测"]
    # …and 两江新区's own staff see and work it.
    assert [p.name for p in project_list(actor=users["liangjiang"])] == ["新凯精测"]
    project_change_stage(actor=users["liangjiang"], project=old, to_stage=Stage.CONTACT)


def test_specialist_sees_assigned_projects_of_other_units(make_project, users):
    make_project(unit_name="长寿区", name="专员跟进项目", specialist=users["specialist"])
    assert "专员跟进项目" in {p.name for p in project_list(actor=users["specialist"])}


def test_board_counts_every_stage(make_project, users):
    p = make_project(actor=users["district"])
    make_project(actor=users["district"])
    project_change_stage(actor=users["district"], project=p, to_stage=Stage.CONTACT)
    columns = {c["stage"]: c for c in project_board(actor=users["district"])}
    assert columns[Stage.LEAD]["count"] == 1 and columns[Stage.CONTACT]["count"] == 1
    assert [x.pk for x in columns[Stage.CONTACT]["items"]] == [p.pk]
    assert len(columns) == 11


def test_timeline_has_stage_changes_and_edits_newest_first(make_project, users):
    p = make_project(actor=users["district"])
    project_change_stage(actor=users["district"], project=p, to_stage=Stage.CONTACT, note="拜访")
    project_update(actor=users["district"], project=p, name="改过名的项目")
    entries = project_timeline(project=p)
    kinds = [e.kind for e in entries]
    assert kinds == ["edit", "stage", "stage"]
    assert entries[1].title == "线索 → 接洽" and entries[1].detail == "拜访"
    assert entries[0].changes["项目名称"][1] == "改过名的项目"
