"""Talent pages. Thin: parse the form, call a service or a selector, render. A record the person may
not see is a 404 (selectors.talent_get); one they may see but not change is a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import CHANGE, VIEW, actor_scope, may_create_projects
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key, submission_record_result
from apps.servicedesk.selectors import talent_requests
from apps.talent import services
from apps.talent.forms import (
    ArchiveForm,
    AttendForm,
    SpecialistForm,
    TalentCreateForm,
    TalentEditForm,
    TalentFilterForm,
    TalentStageForm,
)
from apps.talent.models import Talent
from apps.talent.selectors import talent_get, talent_history, talent_list, talent_stage_counts

PAGE_SIZE = 25
DUPLICATE_SUBMISSION = "duplicate_submission"


def _changeable(request, pk: int, message: str) -> Talent:
    """404 if the person may not even see the record, 403 if they may only look."""
    talent_get(actor=request.user, pk=pk, action=VIEW)
    try:
        return talent_get(actor=request.user, pk=pk, action=CHANGE)
    except Http404:
        raise PermissionDenied(message) from None


def _may_change(request, pk: int) -> bool:
    return Talent.objects.restrict(request.user, CHANGE).filter(pk=pk).exists()


@login_required
@require_GET
def talent_list_view(request):
    filters = TalentFilterForm(request.GET)
    kwargs = filters.selector_kwargs()
    page = Paginator(talent_list(actor=request.user, **kwargs), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "talent/list.html", {
        "filters": filters, "page": page, "may_create": may_create_projects(request.user),
        "stage_counts": talent_stage_counts(actor=request.user, **kwargs), "current_stage": kwargs["stage"],
    })


@login_required
@require_GET
def talent_detail_view(request, pk: int):
    talent = talent_get(actor=request.user, pk=pk, action=VIEW)
    may_change = _may_change(request, pk)
    # The linked project may belong to another unit: then it is not named (ADR 0002).
    project_visible = bool(talent.project_id) and talent.project_visible
    return render(request, "talent/detail.html", {
        "talent": talent, "may_change": may_change, "project_visible": project_visible,
        "stage_form": TalentStageForm(talent=talent) if may_change and talent.stage != "terminated"
        and not talent.is_archived else None,
        "history": talent_history(talent=talent, hide_projects=not actor_scope(request.user).all_units),
        "archive_form": ArchiveForm() if may_change and not talent.is_archived else None,
        "attend_form": AttendForm() if may_change and not talent.is_archived else None,
        "events": list(talent.events.order_by("-date", "-id")),
        "service_requests": talent_requests(request.user, talent),
        # An archived record takes no new requests, as an archived project's page offers none.
        "may_request": may_change and not talent.is_archived,
    })


@login_required
@require_POST
def talent_attend_view(request, pk: int):
    talent = _changeable(request, pk, _("您只能查看该人才记录，不能修改。"))
    form = AttendForm(request.POST)
    remove = request.POST.get("remove") == "1"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("talent:detail", pk=talent.pk)
    try:
        services.talent_attend(actor=request.user, talent=talent, event=form.cleaned_data["event"],
                               attended=not remove)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已更新参加的活动。"))
    return redirect("talent:detail", pk=talent.pk)


@login_required
@require_http_methods(["GET", "POST"])
def talent_create_view(request):
    if not may_create_projects(request.user):
        raise PermissionDenied(_("您的角色不能登记人才（领导账号为只读）。"))
    if request.method == "POST":
        form = TalentCreateForm(request.POST, actor=request.user)
        if form.is_valid():
            values = form.service_values()
            try:
                talent = services.talent_create(actor=request.user, **values)
            except ConflictError as error:
                if error.code != DUPLICATE_SUBMISSION:
                    apply_domain_error(form, error)
                    return render(request, "talent/form.html", {"form": form})
                messages.info(request, error.message)
                return redirect(getattr(error, "object_url", "") or reverse("talent:list"))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                url = reverse("talent:detail", args=[talent.pk])
                submission_record_result(key=values["submission_key"], url=url)
                messages.success(request, _("已登记人才“%(name)s”。") % {"name": talent.name})
                return redirect(url)
    else:
        form = TalentCreateForm(initial={"submission_key": new_submission_key()}, actor=request.user)
    return render(request, "talent/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def talent_edit_view(request, pk: int):
    talent = _changeable(request, pk, _("您只能查看该人才记录，不能修改。"))
    if request.method == "POST":
        form = TalentEditForm(request.POST, actor=request.user, talent=talent)
        if form.is_valid():
            try:
                services.talent_update(actor=request.user, talent=talent, version=form.cleaned_data["version"],
                                       **form.service_values())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存对“%(name)s”的修改。") % {"name": form.cleaned_data["name"]})
                return redirect("talent:detail", pk=talent.pk)
    else:
        initial = {name: getattr(talent, name) for name in TalentEditForm.service_fields}
        initial |= {"version": talent.version, "clusters": list(talent.clusters.all())}
        form = TalentEditForm(initial=initial, actor=request.user, talent=talent)
    return render(request, "talent/form.html", {"form": form, "talent": talent})


@login_required
@require_http_methods(["GET", "POST"])
def talent_stage_view(request, pk: int):
    talent = _changeable(request, pk, _("您只能查看该人才记录，不能变更其阶段。"))
    if request.method == "GET":
        return render(request, "talent/stage.html", {"form": TalentStageForm(talent=talent), "talent": talent})
    form = TalentStageForm(request.POST, talent=talent)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.talent_move_stage(
                actor=request.user, talent=talent, to_stage=data["to_stage"], expected_stage=data["expected_stage"],
                note=data["note"], skip_reason=data["skip_reason"], evidence=data["evidence"],
                values=form.gated_values(), occurred_on=data.get("occurred_on"),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("阶段已由“%(from)s”变更为“%(to)s”。") % {
                "from": change.get_from_stage_display(), "to": change.get_to_stage_display()})
            return redirect("talent:detail", pk=talent.pk)
    return render(request, "talent/stage.html", {"form": form, "talent": talent})


@login_required
@require_http_methods(["GET", "POST"])
def talent_specialist_view(request, pk: int):
    talent = _changeable(request, pk, _("您只能查看该人才记录，不能更换服务专员。"))
    if request.method == "POST":
        form = SpecialistForm(request.POST, actor=request.user, talent=talent)
        if form.is_valid():
            try:
                services.talent_assign_specialist(actor=request.user, talent=talent,
                                                  specialist=form.cleaned_data["specialist"],
                                                  note=form.cleaned_data["note"], version=form.cleaned_data["version"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("服务专员已改为%(name)s。") % {
                    "name": form.cleaned_data["specialist"].display_name})
                return redirect("talent:detail", pk=talent.pk)
    else:
        form = SpecialistForm(initial={"version": talent.version}, actor=request.user, talent=talent)
    return render(request, "talent/specialist.html", {
        "form": form, "talent": talent,
        "assignments": talent.specialist_assignments.select_related("specialist", "specialist__unit", "assigned_by"),
    })


@login_required
@require_POST
def talent_archive_view(request, pk: int):
    talent = _changeable(request, pk, _("您只能查看该人才记录，不能归档。"))
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("talent:detail", pk=talent.pk)
    try:
        services.talent_archive(actor=request.user, talent=talent, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("talent:detail", pk=talent.pk)
    messages.success(request, _("已归档“%(name)s”。") % {"name": talent.name})
    return redirect("talent:list")
