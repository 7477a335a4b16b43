import datetime

from django.utils import timezone

from apps.accounts.permissions import actor_scope
from apps.activities.models import Activity
from apps.core.columns import showing
from apps.core.statements import CompiledRead

# What the organisation page shows of each activity with the organisation, the latest 20.
ORGANISATION_PAGE_ACTIVITY = ("date", "kind", "unit__name", "project__name", "summary", "next_step", "next_step_due",
                              "next_step_done")
# For a reader who sees every unit's work, restrict(VIEW) adds no condition: the organisation page reads the
# organisation's activities by its id alone, compiled once per process (core.statements); anyone else's go through
# activity_list and their scope. test_organisation_page_reads compares the two for every role.
def _organisation_page_activities(qs):
    return showing(qs, *ORGANISATION_PAGE_ACTIVITY)[:20]


_ORGANISATION_ACTIVITIES = CompiledRead(Activity, lambda organisation_id: _organisation_page_activities(
    Activity.objects.filter(organisation_id=organisation_id).order_by("-date", "-id")),
    kinds=(int,), name="organisation page: its activities (every unit's reader)")


def organisation_activities(*, actor, organisation_id: int) -> list[Activity]:
    """activity_list(actor=actor, organisation_id=…) as the organisation page shows it: the latest 20."""
    if actor_scope(actor).all_units:
        return _ORGANISATION_ACTIVITIES(organisation_id)
    return list(_organisation_page_activities(activity_list(actor=actor, organisation_id=organisation_id)))


def activity_list(*, actor, organisation_id=None, project_id=None, kind: str = ""):
    qs = Activity.objects.restrict(actor, "view").select_related("organisation", "project", "unit", "created_by")
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-date", "-id")


def next_steps_due(*, actor, within_days: int = 14):
    """Open next steps of the actor's own records, overdue first."""
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    return (
        Activity.objects.restrict(actor, "change")
        .filter(next_step_done=False, next_step_due__isnull=False, next_step_due__lte=horizon)
        .select_related("organisation", "project")
        .order_by("next_step_due")
    )
