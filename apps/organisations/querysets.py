from django.db import models

from apps.accounts.permissions import CHANGE, VIEW, actor_scope


class OrganisationQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        """The target library is shared by the office and every district: any signed-in person may
        read it, every working role may add to and correct it; leaders only read. What is private is
        the *work* on an organisation (projects), which projects.querysets restricts."""
        scope = actor_scope(actor)
        if scope.user_id is None:
            return self.none()
        qs = self.filter(is_archived=False)
        if action == VIEW:
            return qs
        if action == CHANGE and not scope.read_only:
            return qs
        return self.none()


def organisation_may_view(actor, organisation) -> bool:
    """restrict(actor, VIEW) for one organisation in hand: the record page reads it by its id alone
    (selectors.organisation_get, a read compiled once per process) and asks this of the row. It must answer as
    restrict() does — apps/organisations/tests/test_may_view.py compares the two for every role."""
    return actor_scope(actor).user_id is not None and not organisation.is_archived


class PersonQuerySet(OrganisationQuerySet):
    pass
