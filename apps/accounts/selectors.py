"""Who is who: the people a message or an escalation goes to."""

from apps.accounts.models import Role, User
from apps.units.models import UnitKind

# The unit's leader for escalations: a district's admin (分管负责人), the office's admin.
LEADER_ROLES = {Role.DISTRICT_ADMIN, Role.OFFICE_ADMIN}


def unit_leaders(unit) -> list[User]:
    """Active admins of ``unit`` (and of the units that rolled up into it), who answer for its late work."""
    if unit is None:
        return []
    from apps.units.selectors import unit_current, unit_rollup_ids

    ids = unit_rollup_ids(unit_current(unit))
    return list(User.objects.filter(unit_id__in=ids, role__in=LEADER_ROLES, is_active=True).order_by("id"))


def unit_members(unit, *, roles=None) -> list[User]:
    """Active people of ``unit`` (ended units rolled up), optionally only some roles."""
    if unit is None:
        return []
    from apps.units.selectors import unit_current, unit_rollup_ids

    qs = User.objects.filter(unit_id__in=unit_rollup_ids(unit_current(unit)), is_active=True)
    if roles:
        qs = qs.filter(role__in=list(roles))
    return list(qs.order_by("id"))


def office_duty() -> list[User]:
    """The office's admins and staff: the last step of an escalation and the owners of recommendations."""
    return list(User.objects.filter(unit__kind=UnitKind.OFFICE, role__in=[Role.OFFICE_ADMIN, Role.OFFICE_STAFF],
                                    is_active=True).order_by("id"))
