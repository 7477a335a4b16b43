"""What the organisation page shows about merges and branches, without touching its view: whether the
person may merge, and the record's parent company and branches (merge.organisation_family)."""

from django import template

from apps.accounts.permissions import may_merge_organisations
from apps.organisations.merge import organisation_family

register = template.Library()


@register.filter
def may_merge(user) -> bool:
    return may_merge_organisations(user)


@register.simple_tag
def family_of(organisation):
    return organisation_family(organisation)
