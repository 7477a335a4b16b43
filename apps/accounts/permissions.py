"""The one permission mechanism. Pages, the API, exports and search all ask the same question —
"which rows may this actor see / change?" — through each model's QuerySet.restrict(actor, action),
which is built on actor_scope() below. A row outside the answer is a 404 everywhere.

Rules (docs/architecture.md has the table):
- office admin/staff and leaders see every unit's records; leaders change nothing;
- district admin/staff see and change their own unit's records (including those of ended units
  that rolled up into theirs); of another unit's project they see only that the organisation is
  taken (projects.selectors.organisation_claims);
- a service specialist sees and changes the projects they are the specialist of, and sees their
  own unit's records.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from apps.accounts.models import DISTRICT_ROLES, OFFICE_ROLES, Role

VIEW = "view"
CHANGE = "change"
CREATE = "create"


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    role: str | None
    all_units: bool
    unit_ids: frozenset
    read_only: bool

    @property
    def is_office(self) -> bool:
        return self.role in OFFICE_ROLES



def actor_scope(actor) -> Scope:
    """Computed once per request and kept on the user object."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Scope(None, None, False, frozenset(), True)
    cached = getattr(actor, "_scope_cache", None)
    if cached is not None:
        return cached
    from apps.units.selectors import unit_current, unit_rollup_ids

    unit_ids: frozenset = frozenset()
    if actor.unit_id:
        unit_ids = frozenset(unit_rollup_ids(unit_current(actor.unit)))
    office_unit = bool(actor.unit_id and actor.unit.is_office)
    all_units = actor.is_superuser or actor.role in OFFICE_ROLES or actor.role == Role.LEADER or (
        actor.role == Role.SPECIALIST and office_unit
    )
    scope = Scope(
        user_id=actor.pk,
        role=actor.role,
        all_units=all_units,
        unit_ids=unit_ids,
        read_only=actor.role == Role.LEADER and not actor.is_superuser,
    )
    actor._scope_cache = scope
    return scope


def may_create_projects(actor) -> bool:
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and (
        scope.role in OFFICE_ROLES or scope.role in DISTRICT_ROLES or actor.is_superuser
    )


def may_write_library(actor) -> bool:
    """Organisations and people are a shared library: every working role may add and correct them."""
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only


def may_merge_organisations(actor) -> bool:
    """Merging duplicates rewrites every unit's references to an organisation: office admins only."""
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and (
        scope.role == Role.OFFICE_ADMIN or actor.is_superuser
    )


def may_decide_arbitrations(actor) -> bool:
    """协调 of a 首谈 claim between two units is decided by the office (admin or staff)."""
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and (
        scope.role in OFFICE_ROLES or actor.is_superuser
    )


def require(allowed: bool, message: str = "您的角色没有此项操作权限。") -> None:
    if not allowed:
        raise PermissionDenied(message)


