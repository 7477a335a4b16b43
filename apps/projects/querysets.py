from django.db import models
from django.db.models import Q

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES, Role
from apps.accounts.permissions import CHANGE, VIEW, actor_scope


class ProjectQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        """Rows the actor may see (VIEW) or change (CHANGE). See apps/accounts/permissions.py."""
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        own = Q(unit_id__in=scope.unit_ids) | Q(specialist_id=scope.user_id)
        if action == VIEW:
            return self.all() if scope.all_units else self.filter(own)
        if action == CHANGE:
            if scope.read_only:
                return self.none()
            if scope.role in OFFICE_ROLES or getattr(actor, "is_superuser", False):
                return self.all()
            if scope.role in DISTRICT_ROLES:
                return self.filter(own)
            if scope.role == Role.SPECIALIST:
                return self.filter(specialist_id=scope.user_id)
        return self.none()
