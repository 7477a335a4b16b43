"""Fulfilment pages (履约监测): the alerts and signed projects overview, one project's fulfilment with
its funds entries and plan. Thin: forms parse, services write, selectors read. A project the person
may not see is a 404; one they may see but not change is a 403 on every write."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import CHANGE, VIEW
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key, submission_record_result
from apps.core.money import format_amount
from apps.fulfilment import services
from apps.fulfilment.forms import (
    AlertFilterForm,
    FundsDeleteForm,
    FundsEntryForm,
    FundsFilterForm,
    PlanFormSet,
)
from apps.fulfilment.models import FundsEntry
from apps.fulfilment.selectors import (
    alert_counts,
    alerts_for,
    funds_ledger,
    funds_ledger_totals,
    project_fulfilment,
    signed_projects,
    with_percentages,
)
from apps.projects.models import Project
from apps.projects.selectors import project_get

PAGE_SIZE = 25
DUPLICATE_SUBMISSION = "duplicate_submission"


def _changeable(request, pk: int) -> Project:
    """The project if the person may change it: 404 if they may not see it, 403 if they may only look."""
    project_get(actor=request.user, pk=pk, action=VIEW)
    try:
        return project_get(actor=request.user, pk=pk, action=CHANGE)
    except Http404:
        raise PermissionDenied(_("您只能查看该项目，不能登记履约信息。")) from None


def _project_url(project) -> str:
    return reverse("fulfilment:project", args=[project.pk])


def _with_query(url: str, params: dict) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    return f"{url}?{query}" if query else url


@login_required
@require_GET
def fulfilment_index_view(request):
    filters = AlertFilterForm(request.GET)
    kwargs = filters.selector_kwargs()
    place = filters.place_kwargs()
    alerts = Paginator(alerts_for(actor=request.user, **kwargs), PAGE_SIZE).get_page(request.GET.get("page"))
    projects = Paginator(signed_projects(actor=request.user, **place), PAGE_SIZE).get_page(
        request.GET.get("projects_page"))
    projects.object_list = with_percentages(projects.object_list)
    return render(request, "fulfilment/index.html", {
        "filters": filters,
        "alerts": alerts,
        "projects": projects,
        # The badges count what the unit and cluster narrow to, so they agree with the table below.
        "counts": alert_counts(actor=request.user, **place),
        "narrowing": filters.narrowing(),
        "funds_url": _with_query(reverse("fulfilment:funds"), {"unit": place["unit_id"], "cluster": place["cluster_id"]}),
        "open_only": kwargs["open_only"],
        "today": timezone.localdate(),
    })


@login_required
@require_GET
def funds_ledger_view(request):
    """到位资金台账: the entries behind the cockpit's funds figure, with the same total and project count."""
    filters = FundsFilterForm(request.GET)
    kwargs = filters.selector_kwargs()
    entries = funds_ledger(actor=request.user, **kwargs)
    totals = funds_ledger_totals(entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "fulfilment/funds.html", {
        "filters": filters,
        "page": page,
        "totals": totals,
        "start": kwargs["start"],
        "end": kwargs["end"],
        "narrowing": filters.narrowing(),
        "today": timezone.localdate(),
    })


def _render_project(request, project, *, form=None):
    fulfilment = project_fulfilment(actor=request.user, project=project)
    if form is None and fulfilment["may_change"]:
        form = FundsEntryForm(initial={"submission_key": new_submission_key()})
    return render(request, "fulfilment/project.html", {
        "fulfilment": fulfilment, "project": fulfilment["project"], "form": form,
        "delete_form": FundsDeleteForm(),
    })


@login_required
@require_GET
def fulfilment_project_view(request, pk: int):
    return _render_project(request, project_get(actor=request.user, pk=pk, action=VIEW))


@login_required
@require_POST
def funds_add_view(request, pk: int):
    project = _changeable(request, pk)
    form = FundsEntryForm(request.POST)
    if form.is_valid():
        values = form.service_values()
        try:
            entry = services.funds_entry_add(actor=request.user, project=project, **values)
        except ConflictError as error:
            if error.code != DUPLICATE_SUBMISSION:
                apply_domain_error(form, error)
            else:
                messages.info(request, error.message)
                return redirect(getattr(error, "object_url", "") or _project_url(project))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            submission_record_result(key=values["submission_key"], url=_project_url(project))
            messages.success(request, _("已登记%(date)s到位资金%(amount)s。") % {
                "date": entry.date.strftime("%Y-%m-%d"), "amount": format_amount(entry.amount)})
            warning = project_fulfilment(actor=request.user, project=project)["warning"]
            if warning:
                messages.warning(request, warning)
            return redirect(_project_url(project))
    return _render_project(request, project, form=form)


@login_required
@require_POST
def funds_delete_view(request, pk: int, entry_pk: int):
    project = _changeable(request, pk)
    entry = get_object_or_404(FundsEntry.objects.restrict(request.user, VIEW).filter(project=project), pk=entry_pk)
    form = FundsDeleteForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("撤销原因：请写明为什么撤销这笔记录（如重复登记、金额有误）。"), field="reason")
        services.funds_entry_delete(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤销%(date)s的到位资金%(amount)s。") % {
            "date": entry.date.strftime("%Y-%m-%d"), "amount": format_amount(entry.amount)})
    return redirect(_project_url(project))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit_view(request, pk: int):
    project = _changeable(request, pk)
    if request.method == "POST":
        formset = PlanFormSet(request.POST, prefix="plan")
        if formset.is_valid():
            try:
                services.funds_plan_set(actor=request.user, project=project, items=formset.items())
            except DomainError as error:
                formset._non_form_errors = formset.error_class([error.message])
            else:
                messages.success(request, _("资金到位计划已保存。"))
                return redirect(_project_url(project))
    else:
        initial = [{"due_date": item.due_date, "amount": item.amount, "note": item.note}
                   for item in project.funds_plan.all()]
        formset = PlanFormSet(initial=initial, prefix="plan")
    fulfilment = project_fulfilment(actor=request.user, project=project)
    return render(request, "fulfilment/plan.html", {"project": project, "formset": formset,
                                                    "fulfilment": fulfilment})
