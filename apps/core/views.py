"""我的工作: the page every user lands on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.permissions import actor_scope, may_create_projects, may_write_library
from apps.activities.selectors import next_steps_due
from apps.projects.choices import PIPELINE, SIDE_STAGES, Stage
from apps.projects.selectors import my_projects, project_list, stage_counts

RECENT_LIMIT = 20


@login_required
def home(request):
    actor = request.user
    read_only = actor_scope(actor).read_only
    counts = stage_counts(actor=actor)
    if read_only:
        # A leader is nobody's project owner; the work list shows what moved most recently instead.
        projects = project_list(actor=actor)[:RECENT_LIMIT]
    else:
        projects = my_projects(actor=actor, limit=RECENT_LIMIT)
    return render(request, "core/home.html", {
        "projects": projects,
        "projects_are_mine": not read_only,
        "next_steps": next_steps_due(actor=actor),
        "stage_counts": [
            {"stage": stage, "label": Stage(stage).label, "count": counts.get(stage, 0), "side": stage in SIDE_STAGES}
            for stage in [*PIPELINE, *SIDE_STAGES]
        ],
        "total": sum(counts.values()),
        "today": timezone.localdate(),
        "read_only": read_only,
        "may_create_projects": may_create_projects(actor),
        "may_write_library": may_write_library(actor),
    })
