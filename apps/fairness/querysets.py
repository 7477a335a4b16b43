from django.db import models

from apps.accounts.permissions import CHANGE, VIEW, actor_scope


class FairnessFlagQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        """Who sees a flag: the office and leaders all of them, a district the flags of its own unit's
        records. Who reviews one: office admins and staff only — the review is a second pair of eyes on
        what a district offered, so the district that wrote the term does not clear it itself, and a
        leader changes nothing."""
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == VIEW:
            return self if scope.all_units else self.filter(unit_id__in=scope.unit_ids)
        if action == CHANGE and not scope.read_only and (scope.is_office or actor.is_superuser):
            return self
        return self.none()
