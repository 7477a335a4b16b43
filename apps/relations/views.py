"""以商招商 pages: an organisation's relations and who can introduce us, landed firms with their proposals,
the referrals each firm brought (带动一串), and the XLSX import. Thin: forms parse, services write,
selectors read. An organisation one may not see is a 404; a write one may not make is a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import may_create_projects, may_write_library
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key
from apps.organisations.models import Organisation
from apps.relations import excel, selectors, services
from apps.relations.choices import RelationKind
from apps.relations.forms import ImportForm, PeriodForm, PersonTieForm, RelationForm
from apps.relations.models import PersonTie, Relation

LANDED_PAGE_SIZE = 10
READ_ONLY = _("您的角色为只读，不能修改企业关系。")


def _require_write(request):
    if not may_write_library(request.user):
        raise PermissionDenied(READ_ONLY)


def _organisation_page(request, org, *, relation_form=None, tie_form=None, status=200):
    actor = request.user
    writable = may_write_library(actor)
    context = {
        "org": org,
        "relations": selectors.relations_of(actor=actor, organisation=org),
        "ties": list(selectors.ties_of(actor=actor, organisation=org)),
        "paths": selectors.introduction_paths(actor, org),
        "proposals": selectors.proposals_for(actor, org),
        "may_write": writable,
        "may_create_projects": may_create_projects(actor),
        "relation_form": relation_form or (RelationForm() if writable else None),
        "tie_form": tie_form or (PersonTieForm() if writable else None),
        "submission_key": new_submission_key(),
    }
    return render(request, "relations/organisation.html", context, status=status)


@login_required
@require_GET
def organisation_relations_view(request, pk: int):
    org = selectors.organisation_get(actor=request.user, pk=pk)
    return _organisation_page(request, org)


@login_required
@require_POST
def relation_add_view(request, pk: int):
    org = selectors.organisation_get(actor=request.user, pk=pk)
    _require_write(request)
    form = RelationForm(request.POST)
    if form.is_valid():
        related, why, _creatable = excel._find(form.cleaned_data["related"])
        if related is None:
            form.add_error("related", _("关联企业：%(why)s。请先在目标库登记该企业。") % {"why": why})
        else:
            try:
                services.relation_create(
                    actor=request.user, organisation=org, related=related, kind=form.cleaned_data["kind"],
                    strength=form.cleaned_data["strength"], evidence=form.cleaned_data["evidence"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已记录：%(name)s是%(org)s的%(label)s。") % {
                    "name": related.name, "org": org.name, "label": RelationKind(form.cleaned_data["kind"]).label})
                return redirect("relations:organisation", pk=org.pk)
    return _organisation_page(request, org, relation_form=form, status=400)


@login_required
@require_POST
def relation_remove_view(request, pk: int, relation_pk: int):
    org = selectors.organisation_get(actor=request.user, pk=pk)
    relation = get_object_or_404(Relation.objects.restrict(request.user).filter(Q(organisation=org) | Q(related=org)),
                                 pk=relation_pk)
    _require_write(request)
    services.relation_delete(actor=request.user, relation=relation)
    messages.success(request, _("关系已删除。"))
    return redirect("relations:organisation", pk=org.pk)


@login_required
@require_POST
def tie_add_view(request, pk: int):
    org = selectors.organisation_get(actor=request.user, pk=pk)
    if not may_write_library(request.user):
        raise PermissionDenied(_("您的角色为只读，不能登记人脉关系。"))
    form = PersonTieForm(request.POST)
    if form.is_valid():
        try:
            tie = services.person_tie_create(actor=request.user, organisation=org, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已记录：%(person)s可通过%(channel)s联系本企业。") % {
                "person": tie.person.name, "channel": tie.get_channel_display()})
            return redirect("relations:organisation", pk=org.pk)
    return _organisation_page(request, org, tie_form=form, status=400)


@login_required
@require_POST
def tie_remove_view(request, pk: int, tie_pk: int):
    org = selectors.organisation_get(actor=request.user, pk=pk)
    tie = get_object_or_404(PersonTie.objects.restrict(request.user).filter(organisation=org), pk=tie_pk)
    if not may_write_library(request.user):
        raise PermissionDenied(_("您的角色为只读，不能修改人脉关系。"))
    services.person_tie_delete(actor=request.user, tie=tie)
    messages.success(request, _("人脉关系已删除。"))
    return redirect("relations:organisation", pk=org.pk)


@login_required
@require_GET
def landed_view(request):
    q = request.GET.get("q", "").strip()[:100]
    projects = selectors.landed_firms(actor=request.user, q=q)
    page = Paginator(projects, LANDED_PAGE_SIZE).get_page(request.GET.get("page"))
    firms = selectors.with_proposals(actor=request.user, projects=list(page.object_list))
    return render(request, "relations/landed.html", {
        "page": page, "firms": firms, "q": q, "may_create_projects": may_create_projects(request.user),
        "submission_key": new_submission_key(),
    })


@login_required
@require_POST
def proposal_accept_view(request, pk: int):
    """"转为线索": one click on a proposal of landed firm `pk`."""
    landed = selectors.organisation_get(actor=request.user, pk=pk)
    if not selectors.landed_projects(actor=request.user, organisation=landed).exists():
        raise Http404
    if not may_create_projects(request.user):
        raise PermissionDenied(_("您的角色不能登记项目。"))
    try:
        candidate_pk = int(request.POST.get("candidate", ""))
    except ValueError:
        raise Http404 from None
    candidate = get_object_or_404(Organisation.objects.restrict(request.user), pk=candidate_pk)
    back = request.POST.get("next") or reverse("relations:landed")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("relations:landed")
    try:
        referral = services.proposal_accept(actor=request.user, landed_organisation=landed, candidate=candidate,
                                            submission_key=request.POST.get("submission_key", ""))
    except ConflictError as error:
        messages.warning(request, error.message)
        return redirect(back)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("已登记为%(unit)s的线索“%(name)s”，以商招商记在%(firm)s名下。") % {
        "unit": referral.project.unit.name, "name": referral.project.name, "firm": landed.name})
    return redirect("projects:detail", pk=referral.project_id)


@login_required
@require_GET
def referrals_view(request):
    form = PeriodForm(request.GET or None)
    start = end = unit = None
    if form.is_bound and form.is_valid():
        start, end, unit = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["unit"]
    stats = selectors.referral_stats(request.user, start, end, unit_id=unit.pk if unit else None)
    totals = {"count": sum(s.count for s in stats), "amount": sum((s.signed_amount for s in stats), 0),
              "firms": len(stats)}
    return render(request, "relations/referrals.html", {"form": form, "stats": stats, "totals": totals})


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    _require_write(request)
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = excel.relation_import(actor=request.user, stream=upload.file, filename=upload.name,
                                               create_missing=form.cleaned_data["create_missing"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                if report.ok:
                    messages.success(request, _("导入完成：新增关系%(created)s条，已有%(dup)s条未重复记录。") % {
                        "created": report.created, "dup": report.duplicates})
    else:
        form = ImportForm()
    status = 400 if report is not None and not report.ok else 200
    return render(request, "relations/import.html", {"form": form, "report": report,
                                                     "columns": list(excel.COLUMNS)}, status=status)


@login_required
@require_GET
def import_template_view(request):
    response = HttpResponse(excel.template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''relations-template.xlsx"
    return response

