"""Funds, plans and alerts belong to a project: whoever may see (change) the project may see (change)
them, and nobody else (apps/accounts/permissions.py)."""

from django.db import models

from apps.accounts.permissions import CHANGE, VIEW, actor_scope


class ProjectChildQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        from apps.projects.models import Project

        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == VIEW and scope.all_units:
            return self.all()
        if action not in (VIEW, CHANGE):
            return self.none()
        return self.filter(project_id__in=Project.objects.restrict(actor, action).values("id"))


class FundsEntryQuerySet(ProjectChildQuerySet):
    def live(self):
        """Entries that count: a withdrawn (deleted) entry stays for the record but out of every sum."""
        return self.filter(deleted_at__isnull=True)


class AlertQuerySet(ProjectChildQuerySet):
    def open(self):
        return self.filter(resolved_on__isnull=True)
