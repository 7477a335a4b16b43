"""Who may see and change what in notifications (ADR 0002's one mechanism).

- An inbox row is its recipient's alone — to everyone else it does not exist (404). Marking one's own
  messages read is personal state, not a change of the unit's records, so a leader may do it too.
- Work-group robots: the office admin manages every unit's, a district admin their own unit's (with
  the units that rolled up into it); a leader reads them all. Every other role has no business with
  the robots' addresses and gets a 403 for the whole area."""

from django.db import models

from apps.accounts.models import Role
from apps.accounts.permissions import CHANGE, VIEW, actor_scope

WEBHOOK_VIEW_ROLES = {Role.OFFICE_ADMIN, Role.DISTRICT_ADMIN, Role.LEADER}
WEBHOOK_MANAGE_ROLES = {Role.OFFICE_ADMIN, Role.DISTRICT_ADMIN}


def may_view_webhooks(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and (scope.role in WEBHOOK_VIEW_ROLES or actor.is_superuser)


def may_manage_webhooks(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and (
        scope.role in WEBHOOK_MANAGE_ROLES or actor.is_superuser
    )


def _sees_every_unit(actor) -> bool:
    scope = actor_scope(actor)
    return actor.is_superuser or scope.role in {Role.OFFICE_ADMIN, Role.LEADER}


class NotificationQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        scope = actor_scope(actor)
        if scope.user_id is None or action not in (VIEW, CHANGE):
            return self.none()
        return self.filter(recipient_id=scope.user_id)


class WebhookEndpointQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        allowed = may_view_webhooks(actor) if action == VIEW else action == CHANGE and may_manage_webhooks(actor)
        if not allowed:
            return self.none()
        if _sees_every_unit(actor):
            return self.all()
        return self.filter(unit_id__in=actor_scope(actor).unit_ids)


class WebhookDeliveryQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = VIEW):
        """A delivery follows its robot: whoever may see (change) the robot sees (retries) its messages."""
        allowed = may_view_webhooks(actor) if action == VIEW else action == CHANGE and may_manage_webhooks(actor)
        if not allowed:
            return self.none()
        if _sees_every_unit(actor):
            return self.all()
        return self.filter(endpoint__unit_id__in=actor_scope(actor).unit_ids)
