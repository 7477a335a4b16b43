"""Who reads articles and who adds them (apps/accounts/permissions.py has the one rule).

- Every signed-in person reads every article: news is public, and a district needs the office's
  reading to act on what concerns it.
- Adding an article or acting on its candidates needs a working (non-read-only) role; what a click
  writes is checked again by the service behind it (organisation_create, project_create,
  event_create, signing_create), so a district still cannot create another district's project."""

from django.db import models

from apps.accounts.permissions import CHANGE, VIEW, actor_scope


class ArticleQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        if action == VIEW:
            return self.all()
        if action == CHANGE and not scope.read_only:
            return self.all()
        return self.none()


class ArticleLinkQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        scope = actor_scope(actor)
        if scope.user_id is None or action != VIEW:
            return self.none()
        return self.all()
