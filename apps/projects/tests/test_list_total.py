"""The unfiltered project list's total (projects.selectors.project_list_total) is the list's own count."""

import pytest

from apps.projects.models import Project
from apps.projects.selectors import project_list, project_list_total


@pytest.mark.django_db
def test_the_total_is_the_lists_count_without_the_archived(users, make_project):
    made = [make_project(unit_name=name) for name in ("九龙坡区", "长寿区", "两江新区", "长寿区")]
    Project.objects.filter(pk=made[1].pk).update(is_archived=True)
    for role in ("office", "leader", "office_admin"):
        total = project_list_total(actor=users[role], q="", stage="", unit_id=None, dates={})
        assert total == project_list(actor=users[role]).count() == 3


@pytest.mark.django_db
def test_no_total_when_the_list_is_narrowed(users, make_project):
    make_project()
    assert project_list_total(actor=users["office"], stage="intention") is None
    assert project_list_total(actor=users["office"], dates={"signed": (None, None)}) is None
    # A district sees its own projects only: its list is counted as it is.
    assert project_list_total(actor=users["district"]) is None


@pytest.mark.django_db
def test_the_list_page_says_the_total(client, users, make_project):
    for _ in range(3):
        make_project()
    Project.objects.filter(pk=make_project().pk).update(is_archived=True)
    client.force_login(users["office"])
    page = client.get("/projects/")
    assert page.context["page"].paginator.count == 3
    assert len(page.context["page"].object_list) == 3
