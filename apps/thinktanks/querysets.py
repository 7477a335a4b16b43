"""Who sees and changes cooperations (apps/accounts/permissions.py has the rule).

- Every signed-in person sees every cooperation, its activities and outcomes: they are the office's
  relationships, which every district may draw on.
- A cooperation is changed by the office (admin/staff) and by the admin/staff of the unit that holds
  it; leaders and specialists change nothing here.
- An outcome's project is a project like any other: a reader who may not see it is told an outcome
  of that kind exists, never which project (selectors.cooperation_outcomes).
"""

from django.db import models
from django.db.models import Q

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES
from apps.accounts.permissions import CHANGE, VIEW, actor_scope


def cooperation_change_q(actor, prefix: str = "") -> Q | None:
    """Q over cooperations the actor may change, or None for none."""
    scope = actor_scope(actor)
    if scope.user_id is None or scope.read_only:
        return None
    if scope.role in OFFICE_ROLES or getattr(actor, "is_superuser", False):
        return Q()
    if scope.role in DISTRICT_ROLES:
        return Q(**{f"{prefix}unit_id__in": scope.unit_ids})
    return None


def _restrict(qs: models.QuerySet, actor, action: str, prefix: str = "") -> models.QuerySet:
    scope = actor_scope(actor)
    if scope.user_id is None:
        return qs.none()
    if action == VIEW:
        return qs.all()
    if action == CHANGE:
        q = cooperation_change_q(actor, prefix)
        return qs.none() if q is None else qs.filter(q)
    return qs.none()


class CooperationQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        return _restrict(self, actor, action)


class ActivityQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        return _restrict(self, actor, action, "cooperation__")


class OutcomeQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        return _restrict(self, actor, action, "cooperation__")
