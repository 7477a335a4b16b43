"""我的工作: the page every user lands on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.permissions import actor_scope, may_create_projects, may_write_library
from apps.activities.selectors import next_steps_due
from apps.fulfilment.selectors import my_alerts
from apps.projects.choices import PIPELINE, SIDE_STAGES, Stage
from apps.projects.selectors import my_projects, project_list, stage_counts
from apps.recommendations.selectors import recommendations_waiting
from apps.servicedesk.selectors import requests_for_my_work

RECENT_LIMIT = 20
MY_WORK_LIMIT = 15


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
    today = timezone.localdate()
    # 我的工作 gathers what waits on this person from every app, each list from that app's own selector
    # (and so through its restrict()): late requests first, then answers owed, alerts, next steps.
    return render(request, "core/home.html", {
        "service_requests": requests_for_my_work(actor, today, limit=MY_WORK_LIMIT),
        "recommendations_waiting": list(recommendations_waiting(actor=actor)[:MY_WORK_LIMIT]),
        "alerts": list(my_alerts(actor=actor, limit=MY_WORK_LIMIT)),
        "projects": projects,
        "projects_are_mine": not read_only,
        "next_steps": next_steps_due(actor=actor),
        "stage_counts": [
            {"stage": stage, "label": Stage(stage).label, "count": counts.get(stage, 0), "side": stage in SIDE_STAGES}
            for stage in [*PIPELINE, *SIDE_STAGES]
        ],
        "total": sum(counts.values()),
        "today": today,
        "read_only": read_only,
        "may_create_projects": may_create_projects(actor),
        "may_write_library": may_write_library(actor),
    })
