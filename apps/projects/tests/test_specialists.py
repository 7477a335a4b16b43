"""一对一服务专员: every project from 意向/协议 on has one; a handover keeps who served when and what
was handed over, and the incoming specialist is told."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.errors import ConflictError, DomainError
from apps.notifications.models import Notification
from apps.projects.models import SpecialistAssignment
from apps.projects.services import project_change_stage, project_hand_over, project_update

pytestmark = pytest.mark.django_db


def test_assigning_at_creation_opens_the_history_and_tells_the_specialist(users, make_project):
    project = make_project(actor=users["district"], specialist=users["specialist"])

    rows = list(project.specialist_assignments.all())
    assert [(r.specialist, r.ended_at, r.assigned_by) for r in rows] == [(users["specialist"], None, users["district"])]
    inbox = Notification.objects.get(recipient=users["specialist"])
    assert project.name in inbox.title and inbox.url == f"/projects/{project.pk}/"


def test_handover_closes_the_old_row_and_keeps_the_note(users, make_project):
    project = make_project(actor=users["district"], specialist=users["specialist"])

    project = project_hand_over(actor=users["district"], project=project, specialist=users["district_admin"],
                                note="企业用地指标已报区规自局，11月底前回复企业。", version=project.version)

    assert project.specialist == users["district_admin"]
    old, new = project.specialist_assignments.order_by("started_at", "id")
    assert old.specialist == users["specialist"] and old.ended_at is not None
    assert new.specialist == users["district_admin"] and new.ended_at is None
    assert new.note == "企业用地指标已报区规自局，11月底前回复企业。"
    assert Notification.objects.filter(recipient=users["district_admin"], kind="project.specialist_assigned").exists()


def test_handover_needs_a_note_and_a_different_person(users, make_project):
    project = make_project(actor=users["district"], specialist=users["specialist"])

    with pytest.raises(DomainError, match="交接说明"):
        project_hand_over(actor=users["district"], project=project, specialist=users["district"], note=" ")
    with pytest.raises(DomainError, match="已是本项目的服务专员"):
        project_hand_over(actor=users["district"], project=project, specialist=users["specialist"], note="x")
    assert project.specialist_assignments.count() == 1


def test_stale_handover_is_refused_and_changes_nothing(users, make_project):
    project = make_project(actor=users["district"], specialist=users["specialist"])
    stale = project.version
    project_update(actor=users["district"], project=project, version=stale, description="补充简介")

    with pytest.raises(ConflictError):
        project_hand_over(actor=users["district"], project=project, specialist=users["district"], note="交接", version=stale)
    assert SpecialistAssignment.objects.filter(project=project).count() == 1


def test_specialist_named_when_moving_to_intention_is_recorded(users, make_project):
    project = make_project(actor=users["district"], planned_investment=Decimal("100000000"))
    project_change_stage(actor=users["district"], project=project, to_stage="intention", skip_reason="直接签意向",
                         values={"specialist": users["specialist"]})

    assert list(project.specialist_assignments.values_list("specialist", flat=True)) == [users["specialist"].pk]


def test_intention_without_specialist_is_refused(users, make_project):
    project = make_project(actor=users["district"], planned_investment=Decimal("100000000"))
    with pytest.raises(DomainError, match="服务专员"):
        project_change_stage(actor=users["district"], project=project, to_stage="intention", skip_reason="直接签意向")


def test_handover_page_shows_history_and_the_timeline_keeps_it(client, users, make_project):
    project = make_project(actor=users["district"], specialist=users["specialist"])
    client.force_login(users["district"])

    response = client.post(reverse("projects:handover", args=[project.pk]), {
        "specialist": users["district_admin"].pk, "note": "移交用电报装进度表", "version": project.version,
    })
    assert response.status_code == 302

    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "移交用电报装进度表" in detail and "历任2位" in detail
    history = client.get(reverse("projects:handover", args=[project.pk])).content.decode()
    listed = history.split('id="specialist-history"', 1)[1]
    # Newest first: the incoming specialist (现任) above the one who handed over.
    assert listed.index(users["district_admin"].display_name) < listed.index(users["specialist"].display_name)
    assert "现任" in listed and "移交用电报装进度表" in listed


def test_handover_page_without_note_says_which_field(client, users, make_project):
    project = make_project(actor=users["district"], specialist=users["specialist"])
    client.force_login(users["district"])

    response = client.post(reverse("projects:handover", args=[project.pk]), {
        "specialist": users["district_admin"].pk, "note": "", "version": project.version,
    })
    assert response.status_code == 200 and "交接说明" in response.content.decode()
    assert project.specialist_assignments.count() == 1


@pytest.mark.parametrize("who, status", [
    ("office_admin", 200), ("office", 200), ("leader", 403), ("district", 200), ("district_admin", 200),
    ("district2", 404), ("liangjiang", 404), ("specialist", 200),
])
def test_handover_page_permissions(client, users, make_project, who, status):
    project = make_project(actor=users["district"], specialist=users["specialist"])
    client.force_login(users[who])
    assert client.get(reverse("projects:handover", args=[project.pk])).status_code == status
