"""Project pages. Thin: parse the form, call a service or a selector, render. A project the person
may not see is a 404 (selectors.project_get); one they may see but not change is a 403."""

import os
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import VIEW, actor_scope, may_create_projects, may_decide_arbitrations
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import ChineseFormMixin, apply_domain_error
from apps.core.idempotency import new_submission_key, submission_record_result
from apps.core.money import format_amount
from apps.fulfilment.selectors import project_fulfilment
from apps.organisations.selectors import organisation_get
from apps.projects import claims, services
from apps.projects.filters import ProjectFilterForm
from apps.projects.forms import (
    HandoverForm,
    ProjectCreateForm,
    ProjectEditForm,
    StageForm,
    choosable_projects,
    organisation_shortlist,
    parse_day,
    project_label,
    project_shortlist,
    unit_options,
)
from apps.projects.models import ArbitrationStatus, Project
from apps.projects.querysets import project_may_change
from apps.projects.selectors import (
    organisation_claims,
    project_board,
    project_get,
    project_list,
    project_list_page,
    project_list_rows,
    project_list_total,
    project_timeline,
    project_unit_filter_note,
    specialist_history,
)
from apps.servicedesk.selectors import project_requests
from apps.units.models import Unit

PAGE_SIZE = 25
DUPLICATE_SUBMISSION = "duplicate_submission"


def _changeable(request, pk: int, message: str) -> Project:
    """The project if the person may change it; 404 if they may not even see it, 403 if they may
    only look (a leader, or a specialist on another's project)."""
    project = project_get(actor=request.user, pk=pk, action=VIEW)
    # One read: whether they may change it is decided on the row in hand, as restrict(CHANGE) would.
    if not project_may_change(request.user, project):
        raise PermissionDenied(message)
    return project


def _filtered(request):
    filters = ProjectFilterForm(request.GET)
    kwargs = filters.selector_kwargs()
    return filters, kwargs, {
        "filters": filters,
        "unit_note": project_unit_filter_note(kwargs["unit_id"]),
        "may_create": may_create_projects(request.user),
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def project_list_view(request):
    filters, kwargs, context = _filtered(request)
    paginator = Paginator(project_list_rows(project_list(actor=request.user, **kwargs)), PAGE_SIZE)
    total = project_list_total(actor=request.user, **kwargs)
    if total is not None:
        paginator.count = total  # a cached_property: set, it is never counted
    context["page"] = project_list_page(paginator, request.GET.get("page"))
    return render(request, "projects/list.html", context)


@login_required
@require_GET
def project_board_view(request):
    filters, kwargs, context = _filtered(request)
    context["columns"] = project_board(actor=request.user, **kwargs)
    return render(request, "projects/board.html", context)


@login_required
@require_GET
def project_detail_view(request, pk: int):
    project = project_get(actor=request.user, pk=pk, action=VIEW)
    may_change = project_may_change(request.user, project)
    timeline = project_timeline(project=project)
    return render(request, "projects/detail.html", {
        "project": project,
        "may_change": may_change,
        # The stage form is fetched when asked for (project_stage_view answers htmx with the bare form; without
        # JavaScript the button is a link to the stage page): most who open a project read it, and building
        # the form — the stages that may follow, their gated fields — was a quarter of this page's work.
        "may_change_stage": may_change and project.stage != "terminated",
        "timeline": _presentable(timeline),
        # The timeline has read them: an activity on a project is visible to whoever sees the project
        # (Activity.objects.restrict), so the project's activities are this reader's, newest first as activity_list.
        "activities": sorted((entry.obj for entry in timeline if entry.kind == "activity"),
                             key=lambda activity: (activity.date, activity.pk), reverse=True)[:50],
        "today": timezone.localdate(),
        "arbitrations": list(claims.project_arbitrations(actor=request.user, project=project)[:10]),
        "specialist_count": sum(1 for entry in timeline if entry.kind == "specialist"),
        # The landing-and-service side of the project, each from its own app's selector.
        "fulfilment": project_fulfilment(actor=request.user, project=project, visible=True, may_change=may_change,
                                         summary=True),
        "service_requests": project_requests(request.user, project, visible=True),
    })


@login_required
@require_http_methods(["GET", "POST"])
def project_create_view(request):
    if not may_create_projects(request.user):
        raise PermissionDenied(_("您的角色不能登记项目（领导账号为只读）。"))
    organisation = None
    if request.GET.get("organisation"):
        organisation = organisation_get(actor=request.user, pk=_pk(request.GET["organisation"]))
    if request.method == "POST":
        form = ProjectCreateForm(request.POST, actor=request.user, organisation=organisation)
        if form.is_valid():
            values = form.service_values()
            try:
                project = services.project_create(actor=request.user, **values)
            except ConflictError as error:
                if error.code != DUPLICATE_SUBMISSION:
                    apply_domain_error(form, error)
                    context = {"form": form}
                    if error.code == claims.CLAIMED:
                        # 首谈负责制 refused it: offer the way to ask the office (协调).
                        context["arbitration_url"] = "{}?{}".format(reverse("projects:arbitration_create"), urlencode(
                            {"organisation": values["organisation"].pk, "unit": values["unit"].pk}))
                    return render(request, "projects/create.html", context)
                messages.info(request, error.message)
                return redirect(getattr(error, "object_url", "") or reverse("projects:list"))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                url = reverse("projects:detail", args=[project.pk])
                submission_record_result(key=values["submission_key"], url=url)
                messages.success(request, _("已登记项目“%(name)s”。") % {"name": project.name})
                return redirect(url)
    else:
        form = ProjectCreateForm(initial={"submission_key": new_submission_key()}, actor=request.user,
                                 organisation=organisation)
    return render(request, "projects/create.html", {"form": form})


@login_required
@require_GET
def project_evidence_view(request, pk: int, change_pk: int):
    """A stage change's evidence file, for whoever may see the project: always a download, never shown
    inline (uploads are never served straight from disk, so none can be opened as a page of this site)."""
    project = project_get(actor=request.user, pk=pk)
    change = get_object_or_404(project.stage_changes.exclude(evidence_file=""), pk=change_pk)
    if not change.evidence_file.storage.exists(change.evidence_file.name):
        raise Http404
    return FileResponse(change.evidence_file.open("rb"), as_attachment=True,
                        filename=os.path.basename(change.evidence_file.name),
                        content_type="application/octet-stream")


@login_required
@require_http_methods(["GET", "POST"])
def project_edit_view(request, pk: int):
    project = _changeable(request, pk, _("您只能查看该项目，不能修改。"))
    if request.method == "POST":
        form = ProjectEditForm(request.POST, actor=request.user, project=project)
        if form.is_valid():
            try:
                services.project_update(actor=request.user, project=project, version=form.cleaned_data["version"],
                                        **form.service_values())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存对项目“%(name)s”的修改。") % {"name": form.cleaned_data["name"]})
                return redirect("projects:detail", pk=project.pk)
    else:
        initial = {name: getattr(project, name) for name in ProjectEditForm.service_fields}
        form = ProjectEditForm(initial=initial | {"version": project.version}, actor=request.user, project=project)
    return render(request, "projects/edit.html", {"form": form, "project": project})


@login_required
@require_http_methods(["GET", "POST"])
def project_handover_view(request, pk: int):
    project = _changeable(request, pk, _("您只能查看该项目，不能更换服务专员。"))
    if request.method == "POST":
        form = HandoverForm(request.POST, actor=request.user, project=project)
        if form.is_valid():
            try:
                services.project_hand_over(actor=request.user, project=project, version=form.cleaned_data["version"],
                                           specialist=form.cleaned_data["specialist"], note=form.cleaned_data["note"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已由%(name)s接任服务专员，交接说明已记入项目历程。")
                                 % {"name": form.cleaned_data["specialist"].display_name})
                return redirect("projects:detail", pk=project.pk)
    else:
        form = HandoverForm(initial={"version": project.version}, actor=request.user, project=project)
    return render(request, "projects/handover.html", {
        "form": form, "project": project, "assignments": specialist_history(project=project),
    })


@login_required
@require_http_methods(["GET", "POST"])
def project_stage_view(request, pk: int):
    project = _changeable(request, pk, _("您只能查看该项目，不能变更其阶段。"))
    if request.method == "GET":
        form = StageForm(project=project, actor=request.user, target=request.GET.get("to_stage") or "")
        if request.htmx and request.htmx.target == f"stage-gated-{project.pk}":
            # The select changed: send back only the fields the chosen stage needs.
            return render(request, "projects/partials/stage_gated_fields.html", {"form": form})
        if request.htmx:
            # The project page asked for the form in place of its button; the select takes the focus.
            form.fields["to_stage"].widget.attrs["autofocus"] = True
            return render(request, "projects/partials/stage_form.html", {"form": form})
        return render(request, "projects/stage.html", {"form": form, "project": project})

    form = StageForm(request.POST, request.FILES, project=project, actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.project_change_stage(
                actor=request.user, project=project, to_stage=data["to_stage"],
                expected_stage=data["expected_stage"], note=data["note"], skip_reason=data["skip_reason"],
                evidence=data["evidence"], evidence_file=data["evidence_file"], values=form.gated_values(),
                occurred_on=data.get("occurred_on"),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("阶段已由“%(from)s”变更为“%(to)s”。") % {
                "from": change.get_from_stage_display(), "to": change.get_to_stage_display()})
            return redirect("projects:detail", pk=project.pk)
    project.refresh_from_db()
    return render(request, "projects/stage.html", {"form": form, "project": project})


@login_required
@require_GET
def organisation_options_view(request):
    """<option>s for the organisation select, matching what was typed in the search box beside it."""
    selected = request.GET.get("organisation")
    chosen = None
    if selected and _pk(selected, default=None):
        try:
            chosen = organisation_get(actor=request.user, pk=_pk(selected))
        except Http404:
            chosen = None
    return render(request, "projects/partials/organisation_options.html", {
        "organisations": organisation_shortlist(request.user, q=request.GET.get("organisation_q", ""),
                                                selected=chosen),
        "selected": chosen.pk if chosen else None,
    })


@login_required
@require_GET
def project_options_view(request):
    """<option>s for a project select (a talent record's linked project, …): the visible live projects
    matching what was typed in the search box beside it, the chosen one kept."""
    chosen_pk = _pk(request.GET.get("project", ""), default=None)
    selected = choosable_projects(request.user).filter(pk=chosen_pk).first() if chosen_pk else None
    rows = project_shortlist(request.user, q=request.GET.get("project_q", "")[:100], selected=selected)
    return render(request, "projects/partials/project_options.html", {
        "choices": [(p.pk, project_label(p)) for p in rows], "selected": selected.pk if selected else None,
    })


@login_required
@require_GET
def unit_options_view(request):
    """<option>s for the unit select: the units that existed on the chosen first-contact date."""
    day = parse_day(request.GET.get("first_contact_date", "")) or timezone.localdate()
    return render(request, "projects/partials/unit_options.html", {
        "options": unit_options(request.user, day),
        "selected": request.GET.get("unit", ""),
    })


def _pk(value, default=0):
    """A malformed id in a link is a record that does not exist, not a server error."""
    try:
        return int(value)
    except (TypeError, ValueError):
        if default is None:
            return None
        raise Http404 from None


def _presentable(entries):
    """Edits are stored as raw values ("500000000.00", "high"); show them the way the page does."""
    labels = {str(f.verbose_name): f for f in Project._meta.fields}
    for entry in entries:
        if not entry.changes:
            continue
        shown = {}
        for label, pair in entry.changes.items():
            field = labels.get(label)
            shown[label.split("（", 1)[0]] = [_display(field, value) for value in pair]
        entry.changes = shown
    return entries


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    if field is not None and field.get_internal_type() == "DecimalField":
        try:
            return format_amount(Decimal(str(value)))
        except InvalidOperation:
            return value
    return value


# --- 协调 (claims.py) -------------------------------------------------------------------------------

class ArbitrationRequestForm(ChineseFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("申请单位"), coerce=int)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                             help_text=_("写明首次接触的时间、经过和进展，驻京办据此协调。"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_options(actor, timezone.localdate())


class ArbitrationDecisionForm(ChineseFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("处理结果"), choices=[
        (ArbitrationStatus.GRANTED.value, ArbitrationStatus.GRANTED.label),
        (ArbitrationStatus.REJECTED.value, ArbitrationStatus.REJECTED.label),
    ], widget=forms.RadioSelect)
    note = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


@login_required
@require_GET
def arbitration_list_view(request):
    actor = request.user
    status = request.GET.get("status", "")
    status = status if status in ArbitrationStatus.values else ""
    page = Paginator(claims.arbitration_list(actor=actor, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    scope = actor_scope(actor)
    rows = [{
        "a": a,
        "is_requester": a.requesting_unit_id in scope.unit_ids,
        "is_holder": a.holder_project.unit_id in scope.unit_ids,
        "may_open_project": scope.all_units or a.holder_project.unit_id in scope.unit_ids,
    } for a in page]
    return render(request, "projects/arbitration_list.html", {
        "page": page, "rows": rows, "status": status, "statuses": ArbitrationStatus.choices,
        "may_decide": may_decide_arbitrations(actor), "decision_form": ArbitrationDecisionForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def arbitration_create_view(request):
    actor = request.user
    if not may_create_projects(actor):
        raise PermissionDenied(_("您的角色不能申请协调（领导账号为只读）。"))
    organisation = organisation_get(actor=actor, pk=_pk(request.GET.get("organisation") or request.POST.get(
        "organisation")))
    if request.method == "POST":
        form = ArbitrationRequestForm(request.POST, actor=actor)
        if form.is_valid():
            unit = Unit.objects.get(pk=form.cleaned_data["unit"])
            try:
                claims.arbitration_request(actor=actor, organisation=organisation, unit=unit,
                                           reason=form.cleaned_data["reason"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已提交协调申请，驻京办处理后您会在“首谈协调”中看到结果。"))
                return redirect("projects:arbitrations")
    else:
        form = ArbitrationRequestForm(initial={"unit": request.GET.get("unit", "")}, actor=actor)
    unit_id = _pk(form["unit"].value(), default=None)
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    claim = claims.claim_refusal_fields(organisation=organisation, unit=unit) if unit else {}
    return render(request, "projects/arbitration_form.html", {
        "form": form, "organisation": organisation,
        "claims": organisation_claims(actor=actor, organisation=organisation), "claim": claim,
    })


@login_required
@require_POST
def arbitration_decide_view(request, pk: int):
    arbitration = claims.arbitration_get(actor=request.user, pk=pk)
    if not may_decide_arbitrations(request.user):
        raise PermissionDenied(_("只有驻京办可以处理协调申请。"))
    form = ArbitrationDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("projects:arbitrations")
    try:
        claims.arbitration_decide(actor=request.user, arbitration=arbitration, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        arbitration.refresh_from_db()
        messages.success(request, _("已处理“%(org)s”的协调申请：%(status)s。") % {
            "org": arbitration.organisation.name, "status": arbitration.get_status_display()})
    return redirect("projects:arbitrations")


@login_required
@require_POST
def arbitration_withdraw_view(request, pk: int):
    arbitration = claims.arbitration_get(actor=request.user, pk=pk)
    try:
        claims.arbitration_withdraw(actor=request.user, arbitration=arbitration)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤回协调申请。"))
    return redirect("projects:arbitrations")
