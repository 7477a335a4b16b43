"""单位: every unit with its codes, its dates and how many projects it works as of now."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.permissions import actor_scope
from apps.projects.selectors import project_list
from apps.units.selectors import unit_list, unit_rollup_ids, unit_rollup_note


def _visible_project_counts(actor) -> dict[int, int]:
    """Projects the actor may see, per recorded unit, in one grouped query."""
    rows = project_list(actor=actor).order_by().values("unit_id").annotate(n=Count("id"))
    return {row["unit_id"]: row["n"] for row in rows}


@login_required
def unit_list_view(request):
    today = timezone.localdate()
    units = unit_list()
    counts = _visible_project_counts(request.user)
    scope = actor_scope(request.user)
    successors = {u.successor_id for u in units if u.successor_id}
    rows = []
    for unit in units:
        current = unit.is_active_on(today)
        row = {"unit": unit, "current": current, "count": None, "rollup_note": ""}
        if current:
            # "As of now": an ended unit's projects count under the unit that carries its work today.
            ids = unit_rollup_ids(unit) if unit.id in successors else {unit.id}
            count = sum(counts.get(uid, 0) for uid in ids)
            # A district sees only its own work: "0" for another district would read as "nothing there".
            if scope.all_units or unit.id in scope.unit_ids or count:
                row["count"] = count
            row["rollup_note"] = unit_rollup_note(unit) if unit.id in successors else ""
        rows.append(row)
    return render(request, "units/unit_list.html", {"rows": rows, "today": today, "all_units": scope.all_units})
