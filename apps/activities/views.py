"""Activity pages: the list, recording a visit, ticking off a next step. Thin: forms parse, services
write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import CHANGE, VIEW, actor_scope
from apps.activities import services
from apps.activities.forms import ActivityFilterForm, ActivityForm
from apps.activities.selectors import activity_list
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key, submission_record_result
from apps.organisations.selectors import organisation_get, organisation_list
from apps.projects.selectors import project_get

PAGE_SIZE = 25
DUPLICATE_SUBMISSION = "duplicate_submission"


def _may_record(user) -> bool:
    return not actor_scope(user).read_only


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
@require_GET
def activity_list_view(request):
    filters = ActivityFilterForm(request.GET)
    kwargs = filters.selector_kwargs()
    organisation = None
    if kwargs["organisation_id"]:
        organisation = organisation_list(actor=request.user).filter(pk=kwargs["organisation_id"]).first()
    page = Paginator(activity_list(actor=request.user, **kwargs), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activities/list.html", {
        "filters": filters, "page": page, "organisation": organisation, "may_record": _may_record(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_create_view(request):
    if not _may_record(request.user):
        raise PermissionDenied(_("您的角色为只读，不能记录走访。"))
    project = organisation = None
    if request.GET.get("project"):
        pk = _pk(request.GET["project"])
        project = project_get(actor=request.user, pk=pk, action=VIEW)
        try:
            project_get(actor=request.user, pk=pk, action=CHANGE)
        except Http404:
            raise PermissionDenied(_("您只能查看该项目，不能在其上记录走访。")) from None
        organisation = project.organisation
    elif request.GET.get("organisation"):
        organisation = organisation_get(actor=request.user, pk=_pk(request.GET["organisation"]))

    if request.method == "POST":
        form = ActivityForm(request.POST, actor=request.user, fixed_organisation=organisation)
        if form.is_valid():
            values = form.service_values()
            values.setdefault("organisation", organisation)
            try:
                activity = services.activity_create(actor=request.user, project=project, **values)
            except ConflictError as error:
                if error.code != DUPLICATE_SUBMISSION:
                    apply_domain_error(form, error)
                else:
                    messages.info(request, error.message)
                    return redirect(getattr(error, "object_url", "") or reverse("activities:list"))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                if project is not None:
                    url = reverse("projects:detail", args=[project.pk])
                else:
                    url = reverse("activities:list") + f"?organisation={activity.organisation_id}"
                submission_record_result(key=values["submission_key"], url=url)
                messages.success(request, _("已记录%(date)s对“%(organisation)s”的%(kind)s。") % {
                    "date": activity.date.strftime("%Y-%m-%d"), "organisation": activity.organisation.name,
                    "kind": activity.get_kind_display()})
                return redirect(url)
    else:
        form = ActivityForm(initial={"submission_key": new_submission_key()}, actor=request.user,
                            fixed_organisation=organisation)
    return render(request, "activities/create.html", {"form": form, "project": project, "organisation": organisation})


@login_required
@require_POST
def activity_done_view(request, pk: int):
    """Tick off an activity's next step (from the work list on the home page)."""
    activity = get_object_or_404(activity_list(actor=request.user), pk=pk)
    services.activity_complete_next_step(actor=request.user, activity=activity)
    if request.htmx:
        return render(request, "activities/partials/next_step_done.html", {"activity": activity})
    messages.success(request, _("已将“%(step)s”标记为完成。") % {"step": activity.next_step})
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("core:home")
    return redirect(target)
