"""Reads about service requests, always through restrict() — except the contact's, which go through
their link's project."""

import datetime

from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import OFFICE_ROLES, Role, User
from apps.accounts.permissions import VIEW, actor_scope
from apps.accounts.selectors import LEADER_ROLES
from apps.core.columns import USER_NAME, joined
from apps.core.statements import CompiledRead
from apps.servicedesk.choices import DEFAULT_DEADLINE_DAYS, OPEN_STATUSES, Category, EscalationLevel
from apps.servicedesk.escalation import escalation_state, office_cutoff
from apps.servicedesk.models import CategoryDeadline, ContactLink, ServiceRequest
from apps.units.models import Unit
from apps.units.selectors import unit_current, unit_rollup_ids

RELATED = ("project", "project__organisation", "project__unit", "talent", "talent__unit", "owner_unit", "owner",
           "raised_by")


# Requests of archived projects and archived talent records are out of the lists and the counts, as the
# records themselves are out of theirs. exclude() on a nullable relation keeps the rows without one.
def live_subjects(qs):
    return qs.exclude(project__is_archived=True).exclude(talent__is_archived=True)


def with_escalation(requests, today: datetime.date | None = None) -> list:
    """The requests as a list, each knowing its lateness on ``today`` (request.escalation)."""
    today = today or timezone.localdate()
    items = list(requests)
    for item in items:
        item.escalation = escalation_state(item, today)
    return items


def _ordered(qs):
    # Open requests first, the most urgent (earliest due) at the top; finished ones after, newest first.
    return qs.annotate(_done=Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1),
                                  output_field=IntegerField())).order_by("_done", "due_date", "-created_at", "-id")


def request_list(*, actor, status: str = "", category: str = "", overdue: bool = False, mine: bool = False,
                 project_id: int | None = None, talent_id: int | None = None, subject: str = "", q: str = "",
                 today: datetime.date | None = None, unit_id: int | None = None, cluster_id: int | None = None):
    """unit_id and cluster_id are the project's or talent record's (ended units rolled up into their
    successor; a talent record counts under each of its clusters). subject narrows to "project" or
    "talent" requests. Across records an archived record's requests are left out, as the project and
    talent lists and the cockpit leave the record out; one record's requests (project_id, talent_id) are
    its history and stay."""
    from apps.talent.models import Talent

    today = today or timezone.localdate()
    qs = ServiceRequest.objects.restrict(actor, VIEW)
    if not project_id and not talent_id:
        qs = live_subjects(qs)
    if subject == "project":
        qs = qs.filter(project__isnull=False)
    elif subject == "talent":
        qs = qs.filter(talent__isnull=False)
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            qs = qs.none()
        else:
            ids = unit_rollup_ids(unit)
            qs = qs.filter(Q(project__unit_id__in=ids) | Q(talent__unit_id__in=ids))
    if cluster_id:
        qs = qs.filter(Q(project__cluster_id=cluster_id)
                       | Q(talent_id__in=Talent.objects.filter(clusters=cluster_id).values("id")))
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    if mine:
        qs = qs.filter(Q(owner=actor) | Q(raised_by=actor))
    if project_id:
        qs = qs.filter(project_id=project_id)
    if talent_id:
        qs = qs.filter(talent_id=talent_id)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(project__name__contains=q) | Q(talent__name__contains=q)
                       | Q(contact_name__contains=q))
    return _ordered(qs.select_related(*RELATED))


def request_get(*, actor, pk: int, action: str = VIEW) -> ServiceRequest:
    return get_object_or_404(ServiceRequest.objects.restrict(actor, action).select_related(*RELATED), pk=pk)


def request_replies(*, request: ServiceRequest) -> list:
    return list(request.replies.select_related("author", "author__unit"))


_PROJECT_REQUEST_JOINS = {"owner_unit": None, "owner": USER_NAME}
# The project page's read (visible=True below): by project alone, compiled once per process (core.statements);
# its ordering's CASE cost more to compile than to run.
_PROJECT_REQUESTS = CompiledRead(ServiceRequest, lambda project_id: joined(
    _ordered(ServiceRequest.objects.filter(project_id=project_id)), _PROJECT_REQUEST_JOINS)[:50], kinds=(int,),
    name="project page: service requests")


def project_requests(actor, project, today: datetime.date | None = None, *, visible: bool = False) -> list:
    """The project's requests the actor may see (for the project page's partial
    servicedesk/partials/project_requests.html), open ones first.

    visible=True: the caller has read the project for this actor (the project page). Whoever sees a project
    sees all of its requests (ServiceRequest.objects.restrict), so they are read by project alone, without
    building the restriction's subqueries for every page view."""
    # The project (and its organisation and unit) is the page's own: joining it again for every row made this
    # the most expensive query of the project page to build.
    if visible:
        items = _PROJECT_REQUESTS(project.pk)
    else:
        items = list(joined(request_list(actor=actor, project_id=project.pk, today=today).select_related(None),
                            _PROJECT_REQUEST_JOINS)[:50])
    for item in items:
        item.project = project
    return with_escalation(items, today)


def talent_requests(actor, talent, today: datetime.date | None = None) -> list:
    """The talent record's requests the actor may see (the talent page), open ones first."""
    return with_escalation(request_list(actor=actor, talent_id=talent.pk, today=today)[:50], today)


def _my_work(actor, today: datetime.date):
    scope = actor_scope(actor)
    if scope.user_id is None:
        return ServiceRequest.objects.none()
    late = Q(escalation_level__gte=EscalationLevel.UNIT_LEADER) | Q(due_date__lt=today)
    mine = Q(owner_id=scope.user_id)
    if scope.role in LEADER_ROLES or getattr(actor, "is_superuser", False):
        # A unit's leader answers for its late requests and for those nobody has been given yet.
        mine |= Q(owner_unit_id__in=scope.unit_ids) & (late | Q(owner__isnull=True))
    if scope.role in OFFICE_ROLES:
        mine |= Q(escalation_level__gte=EscalationLevel.OFFICE) | Q(due_date__lt=office_cutoff(today))
    # An archived record's requests are out of everyone's work, as they are out of the request list the
    # count links to (request_list) and of the cockpit.
    return live_subjects(ServiceRequest.objects.restrict(actor, VIEW).filter(mine, status__in=OPEN_STATUSES))


def requests_for_my_work(actor, today: datetime.date | None = None, *, limit: int | None = None) -> list:
    """Open requests that are the actor's to act on: those they own; for a unit's leaders (district or
    office admin) the unit's late and unassigned ones; for the office (admin, staff) those escalated to
    the office. Earliest due first, so the late ones lead; each with .escalation. ``limit`` cuts the
    query, not the list: the office's share at scale is thousands of rows (1.7 s a home page at 15,000
    requests when they were all loaded to show the first ten)."""
    today = today or timezone.localdate()
    qs = _my_work(actor, today).select_related(*RELATED).order_by("due_date", "id")
    return with_escalation(qs[:limit] if limit is not None else qs, today)


def overdue_count(actor, today: datetime.date | None = None) -> int:
    """How many of requests_for_my_work are past their due date."""
    today = today or timezone.localdate()
    return _my_work(actor, today).filter(due_date__lt=today).count()


def contact_links(*, actor, project) -> list[ContactLink]:
    return list(ContactLink.objects.restrict(actor, VIEW).filter(project=project)
                .select_related("created_by", "revoked_by")[:50])


def contact_link_get(*, actor, pk: int, action: str = VIEW) -> ContactLink:
    return get_object_or_404(ContactLink.objects.restrict(actor, action).select_related("project"), pk=pk)


def contact_requests(*, link: ContactLink, today: datetime.date | None = None) -> list:
    """What the enterprise's contact sees: the requests of their link's project, and nothing else."""
    qs = ServiceRequest.objects.filter(project_id=link.project_id).select_related("owner_unit")
    return with_escalation(_ordered(qs)[:200], today)


def contact_request_get(*, link: ContactLink, pk: int) -> ServiceRequest:
    return get_object_or_404(ServiceRequest.objects.select_related("owner_unit", "project"),
                             pk=pk, project_id=link.project_id)


def deadline_table() -> list[dict]:
    """Every category with its days (stored, or the default)."""
    stored = dict(CategoryDeadline.objects.values_list("category", "days"))
    return [{"category": value, "label": label, "days": stored.get(value, DEFAULT_DEADLINE_DAYS[Category(value)])}
            for value, label in Category.choices]


def owner_choices(request: ServiceRequest):
    """People who may own ``request``: the owner unit's working staff and the project's (or talent
    record's) specialist."""
    ids = unit_rollup_ids(unit_current(request.owner_unit))
    return (User.objects.filter(is_active=True).exclude(role=Role.LEADER)
            .filter(Q(unit_id__in=ids) | Q(pk=request.subject.specialist_id))
            .select_related("unit").order_by("unit_id", "role", "id"))
