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


def project_may_view(actor, project) -> bool:
    """restrict(actor, VIEW) for one project already in hand: the project page reads its project by id alone
    (selectors.project_get, a read compiled once per process) and asks this of the row. It must answer as
    restrict() does — apps/projects/tests/test_may_change.py compares the two for every role and kind of project."""
    scope = actor_scope(actor)
    if scope.user_id is None:
        return False
    return scope.all_units or project.unit_id in scope.unit_ids or project.specialist_id == scope.user_id


def project_may_change(actor, project) -> bool:
    """restrict(actor, CHANGE) for one project already in hand, without asking the database again: the page
    that shows a project asks this of the row it has just read. It must answer as restrict() does — a test
    (apps/projects/tests/test_may_change.py) compares the two for every role and kind of project."""
    scope = actor_scope(actor)
    if scope.user_id is None or scope.read_only:
        return False
    if scope.role in OFFICE_ROLES or getattr(actor, "is_superuser", False):
        return True
    if scope.role in DISTRICT_ROLES:
        return project.unit_id in scope.unit_ids or project.specialist_id == scope.user_id
    if scope.role == Role.SPECIALIST:
        return project.specialist_id == scope.user_id
    return False
