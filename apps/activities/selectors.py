import datetime

from django.utils import timezone

from apps.activities.models import Activity


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
