from django.db import models
from django.db.models import Q

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES
from apps.accounts.permissions import CHANGE, VIEW, actor_scope


def _projects(actor, action):
    from apps.projects.models import Project

    return Project.objects.restrict(actor, action).values("id")


def _subjects(actor, action) -> Q:
    """Requests whose project or talent record the actor may see (or change) under that record's rule."""
    from apps.talent.models import Talent

    return (Q(project_id__in=_projects(actor, action))
            | Q(talent_id__in=Talent.objects.restrict(actor, action).values("id")))


class ServiceRequestQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        """A request is seen by whoever sees its project (or talent record), by its owner and by its owner
        unit (a request handed to another unit for help is that unit's work even if the project is not
        theirs). It is changed by whoever may change the project or talent record, its owner and the owner
        unit's district staff; the office sees and changes all; leaders read only."""
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == VIEW:
            if scope.all_units:
                return self.all()
            return self.filter(_subjects(actor, VIEW) | Q(owner_unit_id__in=scope.unit_ids)
                               | Q(owner_id=scope.user_id))
        if action == CHANGE:
            if scope.read_only:
                return self.none()
            if scope.role in OFFICE_ROLES or getattr(actor, "is_superuser", False):
                return self.all()
            allowed = _subjects(actor, CHANGE) | Q(owner_id=scope.user_id)
            if scope.role in DISTRICT_ROLES:
                allowed |= Q(owner_unit_id__in=scope.unit_ids)
            return self.filter(allowed)
        return self.none()


class ContactLinkQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        """A project's contact links go with the project: seen by whoever sees it, made and revoked by
        whoever may change it."""
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        return self.filter(project_id__in=_projects(actor, action))
