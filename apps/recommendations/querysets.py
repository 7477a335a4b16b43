"""Who sees and answers which recommendations (apps/accounts/permissions.py has the one rule).

- The office and leaders see every recommendation and every district's answer; only the office
  (admin/staff) recommends and withdraws.
- A district (and a service specialist of a district) sees the recommendations made to it and only its
  own part of them: not which other districts were asked, nor what they answered.
- Only the district's own admin/staff answer its part (accept, decline, log the site visit)."""

from django.db import models

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES
from apps.accounts.permissions import CHANGE, VIEW, actor_scope


class RecommendationQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == VIEW:
            if scope.all_units:
                return self.all()
            from apps.recommendations.models import RecommendationTarget

            mine = RecommendationTarget.objects.filter(unit_id__in=scope.unit_ids).values("recommendation_id")
            return self.filter(pk__in=mine)
        if action == CHANGE and not scope.read_only and scope.role in OFFICE_ROLES:
            return self.all()
        return self.none()


class RecommendationTargetQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == VIEW:
            return self.all() if scope.all_units else self.filter(unit_id__in=scope.unit_ids)
        if action == CHANGE and not scope.read_only and scope.role in DISTRICT_ROLES:
            return self.filter(unit_id__in=scope.unit_ids)
        return self.none()
