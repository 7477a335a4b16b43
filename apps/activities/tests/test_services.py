import datetime

import pytest
from django.core.exceptions import PermissionDenied

from apps.activities.models import Activity
from apps.activities.selectors import activity_list, next_steps_due
from apps.activities.services import activity_complete_next_step, activity_create
from apps.core.errors import DomainError

TODAY = datetime.date.today()


def test_record_a_visit_with_a_next_step(make_project, users):
    project = make_project(actor=users["district"])
    act = activity_create(actor=users["district"], project=project, date=TODAY, summary="介绍九龙坡区政策",
                          next_step="寄送政策汇编", next_step_due=TODAY + datetime.timedelta(days=3))
    assert act.organisation == project.organisation and act.unit.name == "九龙坡区"
    assert list(next_steps_due(actor=users["district"])) == [act]
    activity_complete_next_step(actor=users["district"], activity=act)
    assert list(next_steps_due(actor=users["district"])) == []


def test_bad_activity_input_is_refused(make_project, users):
    project = make_project(actor=users["district"])
    with pytest.raises(DomainError) as exc:
        activity_create(actor=users["district"], project=project, date=TODAY + datetime.timedelta(days=1), summary="x")
    assert exc.value.field == "date"
    with pytest.raises(DomainError) as exc:
        activity_create(actor=users["district"], project=project, date=TODAY, summary="")
    assert exc.value.field == "summary"
    assert not Activity.objects.exists()


def test_activity_visibility_follows_the_project(make_project, users):
    project = make_project(actor=users["district"])
    activity_create(actor=users["district"], project=project, date=TODAY, summary="洽谈")
    assert activity_list(actor=users["district2"]).count() == 0
    assert activity_list(actor=users["leader"]).count() == 1
    with pytest.raises(PermissionDenied):
        activity_create(actor=users["district2"], project=project, date=TODAY, summary="越权")
    with pytest.raises(PermissionDenied):
        activity_create(actor=users["leader"], project=project, date=TODAY, summary="只读")
