"""project_may_view and project_may_change answer for a project in hand what Project.objects.restrict(actor, VIEW /
CHANGE) answers from the database — the project page relies on them: on the first to show the project at all
(selectors.project_get reads it by id alone), on the second for its buttons and the fulfilment panel's."""

import pytest

from apps.accounts.permissions import CHANGE, VIEW
from apps.projects.models import Project
from apps.projects.querysets import project_may_change, project_may_view


@pytest.mark.django_db
def test_it_agrees_with_restrict_for_every_role_and_project(users, units, make_project, make_user):
    inactive = make_user("t_gone", "district_staff", "九龙坡区", is_active=False)
    superuser = make_user("t_root", "leader", "驻京办", is_superuser=True)
    actors = [*users.values(), inactive, superuser, None]
    projects = [make_project(unit_name=name) for name in ("九龙坡区", "长寿区", "长寿区", "两江新区", "两江新区")]
    # Another district's project whose 服务专员 is the 九龙坡区 specialist; and a project of an ended unit that
    # rolled up into 两江新区 (the 2025 change), which is 两江新区's to change.
    Project.objects.filter(pk=projects[2].pk).update(specialist=users["specialist"])
    ended = [u for u in units.values() if u.successor_id == units["两江新区"].pk]
    assert ended
    Project.objects.filter(pk=projects[4].pk).update(unit=ended[0])
    answers = set()
    for actor in actors:
        for project in projects:
            fresh = Project.objects.get(pk=project.pk)
            for action, answer in ((CHANGE, project_may_change), (VIEW, project_may_view)):
                expected = Project.objects.restrict(actor, action).filter(pk=project.pk).exists()
                assert answer(actor, fresh) is expected, (action, getattr(actor, "username", None), project.unit.name)
                answers.add((action, expected))
    assert answers == {(CHANGE, True), (CHANGE, False), (VIEW, True), (VIEW, False)}


@pytest.mark.django_db
def test_an_id_no_column_can_hold_is_not_found_not_an_error(client, users, make_project):
    from apps.core.testing import bearer

    make_project()
    huge = 2 ** 70
    client.force_login(users["office"])
    assert client.get(f"/projects/{huge}/").status_code == 404
    assert client.get(f"/projects/{2 ** 63 - 1}/").status_code == 404  # the largest an id column holds
    response = client.get(f"/api/v1/projects/{huge}", headers=bearer(client, users["office"]))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
