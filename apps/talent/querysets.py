from apps.projects.querysets import ProjectQuerySet


class TalentQuerySet(ProjectQuerySet):
    """Talent work is scoped exactly like project work (ADR 0002): the office and leaders see all, a
    district its own unit's talent plus those it is specialist of, a leader changes nothing, a service
    specialist changes those it serves. Inheriting the project rule keeps the two from drifting apart;
    it reads only unit_id and specialist_id, which Talent has under the same names."""
