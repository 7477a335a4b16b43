"""Who sees and changes district offers and need profiles (apps/accounts/permissions.py has the rule).

- Offers (parks, sites, policies, resources) are read by every signed-in person: a district's offer is
  meant to be shown, and the office matches enterprises against all of them.
- An offer is changed only by the admin/staff of its own unit (including units that rolled up into
  theirs): "editable by that district only" — not the office, not leaders, not specialists. The office
  may ask; the district answers for what it can deliver.
- Need profiles are the office's working notes about an enterprise (they may name a project): seen by
  those who see every unit (office, leaders) and by their author; changed by office admin/staff.
"""

from django.db import models
from django.db.models import Q

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES
from apps.accounts.permissions import CHANGE, VIEW, actor_scope


class OfferQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == VIEW:
            return self.all()
        if action == CHANGE and not scope.read_only and scope.role in DISTRICT_ROLES:
            return self.filter(unit_id__in=scope.unit_ids)
        return self.none()

    def live(self):
        return self.filter(retired_at__isnull=True)


def may_change_offers_of(actor, unit) -> bool:
    """May the actor add offers for this unit (the create-side of OfferQuerySet.restrict(CHANGE))."""
    scope = actor_scope(actor)
    return (scope.user_id is not None and not scope.read_only and scope.role in DISTRICT_ROLES
            and unit is not None and unit.pk in scope.unit_ids)


def may_manage_needs(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and scope.role in OFFICE_ROLES


class NeedProfileQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == VIEW:
            return self.all() if scope.all_units else self.filter(Q(created_by_id=scope.user_id))
        if action == CHANGE and may_manage_needs(actor):
            return self.all()
        return self.none()
