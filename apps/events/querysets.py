"""Who sees and changes events, signings and public pages (apps/accounts/permissions.py has the rule).

- Every signed-in person sees every event: events are announced, and a district needs to see the
  office's ceremony to put its own projects into it.
- An event is changed by the office (admin/staff) or by the admin/staff of the unit that runs it.
  Leaders change nothing here except that they may withdraw a public page (WITHDRAW).
- A signing is seen by whoever sees its project, and by whoever runs its event (the organiser reads
  out the whole list). It is changed by whoever may change its project or its event.
- Event totals are computed over all active signings whatever the reader may see: they are the
  announced figures. A reader sees the rows behind them only where the rules above allow.
"""

from django.db import models
from django.db.models import Q

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES, Role
from apps.accounts.permissions import CHANGE, VIEW, actor_scope

# Withdrawing a public page: a leader may take down what the office published (the issue's
# "a leader can withdraw it"), without otherwise editing anything.
WITHDRAW = "withdraw"


def _event_change_q(actor, prefix: str = "") -> Q | None:
    """Q over events the actor may change, or None for none. `prefix` reaches the event from another model."""
    scope = actor_scope(actor)
    if scope.user_id is None or scope.read_only:
        return None
    if scope.role in OFFICE_ROLES or getattr(actor, "is_superuser", False):
        return Q()
    if scope.role in DISTRICT_ROLES:
        return Q(**{f"{prefix}unit_id__in": scope.unit_ids})
    return None


class EventQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == VIEW:
            return self.all()
        if action == CHANGE:
            q = _event_change_q(actor)
            return self.none() if q is None else self.filter(q)
        return self.none()


class SigningQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        from apps.projects.models import Project

        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action not in (VIEW, CHANGE):
            return self.none()
        projects = Project.objects.restrict(actor, action).values("pk")
        q = Q(project_id__in=projects)
        event_q = _event_change_q(actor, "event__")
        if event_q is not None:
            if event_q == Q():
                return self.all()
            q |= Q(event__isnull=False) & event_q
        return self.filter(q)

    def active(self):
        return self.filter(status="active")


class PublicPageQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        from apps.events.models import Event
        from apps.projects.models import Project

        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == WITHDRAW and (scope.role == Role.LEADER or scope.role == Role.OFFICE_ADMIN
                                   or getattr(actor, "is_superuser", False)):
            return self.all()
        if action == WITHDRAW:
            action = CHANGE
        if action not in (VIEW, CHANGE):
            return self.none()
        return self.filter(Q(event_id__in=Event.objects.restrict(actor, action).values("pk"))
                           | Q(project_id__in=Project.objects.restrict(actor, action).values("pk")))

    def live(self):
        return self.filter(withdrawn_at__isnull=True)
