from django.db import models

from apps.accounts.permissions import CHANGE, VIEW, actor_scope


class RelationQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        """Relations belong to the shared library (organisations.querysets): every signed-in person reads
        the relations of the organisations they can see, every working role adds and removes them, leaders
        only read. A relation to an archived organisation is out of sight with it."""
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        qs = self.filter(organisation__is_archived=False, related__is_archived=False)
        if action == VIEW:
            return qs
        if action == CHANGE and not scope.read_only:
            return qs
        return self.none()


class PersonTieQuerySet(RelationQuerySet):
    def restrict(self, actor, action: str = VIEW):
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        qs = self.filter(organisation__is_archived=False, person__is_archived=False)
        if action == VIEW:
            return qs
        if action == CHANGE and not scope.read_only:
            return qs
        return self.none()


class ReferralQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        """A referral is work on a project: seen by whoever sees the project (projects.querysets)."""
        from apps.projects.models import Project

        return self.filter(project__in=Project.objects.restrict(actor, action).values("pk"))
