"""智库合作 pages: the list (with its workbook), a cooperation with its activities and results, and the
forms. Thin: forms parse, services write, selectors read. Every signed-in person sees every
cooperation; one they may not change is a 403 with the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import actor_scope
from apps.audit.decorators import audited_export
from apps.audit.selectors import record_history
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key, submission_record_result
from apps.organisations.choices import OrgKind
from apps.projects.forms import choosable_projects, project_label, project_shortlist
from apps.thinktanks import exports, selectors, services
from apps.thinktanks.forms import ActivityForm, CooperationForm, OutcomeForm, partner_shortlist
from apps.thinktanks.models import PARTNER_KINDS, CooperationActivity, CooperationOutcome, CooperationStatus

PAGE_SIZE = 30
DUPLICATE_SUBMISSION = "duplicate_submission"


def _pk(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _filters(request) -> dict:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "status": status if status in CooperationStatus.values else "",
        "partner_kind": kind if kind in PARTNER_KINDS else "",
    }


@login_required
@require_GET
def cooperation_list_view(request):
    filters = _filters(request)
    today = timezone.localdate()
    rows = selectors.cooperation_list(actor=request.user, **filters, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "thinktanks/list.html", {
        "page": page, **filters, "statuses": CooperationStatus.choices,
        "kinds": [(kind.value, kind.label) for kind in PARTNER_KINDS],
        "may_create": services.may_create_cooperations(request.user),
        "query": request.GET.urlencode(),
        # Today's partners in force; activities and outcomes over the whole record (the 累计 figures).
        "in_force": selectors.cooperation_summary(actor=request.user, start=today, end=today),
        "summary": selectors.cooperation_summary(actor=request.user),
    })


@login_required
@require_GET
@audited_export("智库合作一览")
def cooperation_export_view(request):
    rows = selectors.cooperation_list(actor=request.user, **_filters(request))
    return FileResponse(exports.cooperations_xlsx(rows), as_attachment=True, filename="智库合作一览.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _save_new(request, form, create, success_url_of, message):
    """Run a create service from a valid form: a repeated submission goes back where the first one led."""
    key = form.cleaned_data.get("submission_key") or ""
    try:
        created = create(key)
    except ConflictError as error:
        if error.code != DUPLICATE_SUBMISSION:
            raise
        messages.info(request, error.message)
        return redirect(getattr(error, "object_url", "") or reverse("thinktanks:list"))
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    url = success_url_of(created)
    submission_record_result(key=key, url=url)
    messages.success(request, message)
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def cooperation_create_view(request):
    if not services.may_create_cooperations(request.user):
        raise PermissionDenied(_("只有驻京办和区县的管理员、招商干部可以登记智库合作。"))
    if request.method == "POST":
        form = CooperationForm(request.POST, actor=request.user)
        if form.is_valid():
            response = _save_new(
                request, form,
                lambda key: services.cooperation_create(actor=request.user, values=form.service_values(),
                                                        submission_key=key),
                lambda cooperation: reverse("thinktanks:detail", args=[cooperation.pk]),
                _("智库合作已登记，可以继续登记合作活动和成果。"))
            if response is not None:
                return response
    else:
        form = CooperationForm(actor=request.user, initial={"submission_key": new_submission_key()})
    return render(request, "thinktanks/form.html", {"form": form, "cooperation": None})


@login_required
@require_GET
def partner_options_view(request):
    """<option>s for the cooperation form's partner select, matching what was typed beside it."""
    from apps.organisations.selectors import organisation_list

    chosen_pk = _pk(request.GET.get("partner"))
    selected = (organisation_list(actor=request.user).filter(pk=chosen_pk, kind__in=PARTNER_KINDS).first()
                if chosen_pk else None)
    rows = partner_shortlist(request.user, q=request.GET.get("partner_q", "")[:100], selected=selected)
    return render(request, "thinktanks/partials/partner_options.html", {
        "choices": [(org.pk, org.name) for org in rows], "selected": selected.pk if selected else None,
    })


def _changeable(request, pk: int):
    cooperation = selectors.cooperation_get(actor=request.user, pk=pk)
    if not selectors.may_change_cooperation(request.user, cooperation):
        raise PermissionDenied(_(services.NOT_HOLDER))
    return cooperation


@login_required
@require_http_methods(["GET", "POST"])
def cooperation_edit_view(request, pk: int):
    cooperation = _changeable(request, pk)
    if request.method == "POST":
        form = CooperationForm(request.POST, actor=request.user, cooperation=cooperation)
        if form.is_valid():
            try:
                services.cooperation_update(actor=request.user, cooperation=cooperation, values=form.service_values(),
                                            expected_version=_pk(request.POST.get("version")))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("智库合作已保存。"))
                return redirect("thinktanks:detail", pk=cooperation.pk)
    else:
        initial = {key: getattr(cooperation, key) for key in CooperationForm.service_fields}
        form = CooperationForm(actor=request.user, cooperation=cooperation, initial=initial)
    return render(request, "thinktanks/form.html", {"form": form, "cooperation": cooperation})


@login_required
@require_GET
def cooperation_detail_view(request, pk: int):
    cooperation = selectors.cooperation_get(actor=request.user, pk=pk)
    outcomes = selectors.cooperation_outcomes(actor=request.user, cooperation=cooperation)
    return render(request, "thinktanks/detail.html", {
        "cooperation": cooperation,
        "activities": selectors.cooperation_activities(actor=request.user, cooperation=cooperation),
        "outcomes": outcomes,
        "may_change": selectors.may_change_cooperation(request.user, cooperation),
        "org_kinds": dict(OrgKind.choices),
        # The log's notes name every outcome's project and talent; the page hides those another unit may not see
        # (cooperation_outcomes), so a district reads the log without its notes: who changed what, and when.
        "history": record_history(cooperation, with_notes=actor_scope(request.user).all_units),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_add_view(request, pk: int):
    cooperation = _changeable(request, pk)
    if request.method == "POST":
        form = ActivityForm(request.POST, actor=request.user)
        if form.is_valid():
            response = _save_new(
                request, form,
                lambda key: services.activity_add(actor=request.user, cooperation=cooperation,
                                                  values=form.service_values(), submission_key=key),
                lambda activity: reverse("thinktanks:detail", args=[cooperation.pk]) + "#activities",
                _("合作活动已登记。"))
            if response is not None:
                return response
    else:
        form = ActivityForm(actor=request.user, initial={"submission_key": new_submission_key()})
    return render(request, "thinktanks/activity_form.html", {"form": form, "cooperation": cooperation})


@login_required
@require_http_methods(["GET", "POST"])
def outcome_add_view(request, pk: int):
    cooperation = _changeable(request, pk)
    if request.method == "POST":
        form = OutcomeForm(request.POST, actor=request.user)
        if form.is_valid():
            response = _save_new(
                request, form,
                lambda key: services.outcome_add(actor=request.user, cooperation=cooperation,
                                                 values=form.service_values(), submission_key=key),
                lambda outcome: reverse("thinktanks:detail", args=[cooperation.pk]) + "#outcomes",
                _("合作成果已登记。"))
            if response is not None:
                return response
    else:
        form = OutcomeForm(actor=request.user, initial={"submission_key": new_submission_key()})
    return render(request, "thinktanks/outcome_form.html", {"form": form, "cooperation": cooperation})


@login_required
@require_GET
def outcome_project_options_view(request, pk: int):
    """<option>s for the outcome form's project select, matching what was typed in the search box beside
    it; only for those who may add the outcome, and only projects they may see."""
    _changeable(request, pk)
    # The project already chosen stays on the list (and chosen) while the person searches for another.
    chosen = _pk(request.GET.get("project"))
    selected = choosable_projects(request.user).filter(pk=chosen).first() if chosen else None
    rows = project_shortlist(request.user, q=request.GET.get("project_q", ""), selected=selected)
    return render(request, "thinktanks/partials/project_options.html", {
        "choices": [(p.pk, project_label(p)) for p in rows], "selected": selected.pk if selected else None,
    })


@login_required
@require_POST
def activity_remove_view(request, pk: int, activity_pk: int):
    cooperation = _changeable(request, pk)
    activity = get_object_or_404(CooperationActivity, pk=activity_pk, cooperation=cooperation)
    services.activity_remove(actor=request.user, activity=activity)
    messages.success(request, _("已删除合作活动“%(title)s”。") % {"title": activity.title})
    return redirect(reverse("thinktanks:detail", args=[cooperation.pk]) + "#activities")


@login_required
@require_POST
def outcome_remove_view(request, pk: int, outcome_pk: int):
    cooperation = _changeable(request, pk)
    outcome = get_object_or_404(CooperationOutcome, pk=outcome_pk, cooperation=cooperation)
    services.outcome_remove(actor=request.user, outcome=outcome)
    messages.success(request, _("已删除一项合作成果。"))
    return redirect(reverse("thinktanks:detail", args=[cooperation.pk]) + "#outcomes")

