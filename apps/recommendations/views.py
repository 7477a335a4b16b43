"""推荐考察 pages. Thin: forms parse, services write, selectors read. A recommendation or a district's
part of it that the person may not see is a 404; one they see but may not act on is a 403."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import DISTRICT_ROLES
from apps.accounts.permissions import VIEW, actor_scope
from apps.audit.selectors import record_history
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key, submission_record_result
from apps.organisations.models import Organisation
from apps.organisations.selectors import organisation_get
from apps.projects.claims import CLAIMED
from apps.projects.selectors import project_get
from apps.recommendations import services
from apps.recommendations.forms import (
    AcceptForm,
    DeclineForm,
    PeriodForm,
    RecommendationForm,
    SiteVisitForm,
    WithdrawForm,
)
from apps.recommendations.models import TargetStatus
from apps.recommendations.selectors import (
    FUNNEL_KEYS,
    default_period,
    funnel,
    may_answer,
    may_recommend,
    recommendation_get,
    recommendation_list,
    recommendations_waiting,
    target_get,
)

PAGE_SIZE = 25
FUNNEL_LABELS = {
    "visited": gettext_lazy("拜访企业"),
    "recommended": gettext_lazy("推荐赴渝实地考察"),
    "accepted": gettext_lazy("区县已接受"),
    "declined": gettext_lazy("区县已婉拒"),
    "pending": gettext_lazy("尚待答复"),
    "site_visited": gettext_lazy("已赴区县实地考察"),
    "reached_intention_or_landed": gettext_lazy("已达成合作意向或实现落地"),
}
DUPLICATE_SUBMISSION = "duplicate_submission"


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
@require_GET
def recommendation_list_view(request):
    actor = request.user
    status = request.GET.get("status", "")
    status = status if status in TargetStatus.values else ""
    organisation = None
    if request.GET.get("organisation"):
        organisation = Organisation.objects.restrict(actor, VIEW).filter(pk=_pk(request.GET["organisation"])).first()
    rows = recommendation_list(actor=actor, status=status, organisation_id=organisation.pk if organisation else None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    is_district = actor_scope(actor).role in DISTRICT_ROLES
    return render(request, "recommendations/list.html", {
        "page": page, "status": status, "statuses": TargetStatus.choices, "organisation": organisation,
        "waiting": list(recommendations_waiting(actor=actor)[:50]) if is_district else [],
        "is_district": is_district, "may_recommend": may_recommend(actor),
    })


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create_view(request):
    actor = request.user
    if not may_recommend(actor):
        raise PermissionDenied(_("只有驻京办可以推荐企业赴区县考察。"))
    project = organisation = None
    if request.GET.get("project"):
        project = project_get(actor=actor, pk=_pk(request.GET["project"]), action=VIEW)
        organisation = project.organisation
    elif request.GET.get("organisation"):
        organisation = organisation_get(actor=actor, pk=_pk(request.GET["organisation"]))
    if request.method == "POST":
        form = RecommendationForm(request.POST, actor=actor, organisation=organisation)
        if form.is_valid():
            values = form.service_values()
            try:
                recommendation = services.recommendation_create(actor=actor, project=project, **values)
            except ConflictError as error:
                if error.code != DUPLICATE_SUBMISSION:
                    apply_domain_error(form, error)
                else:
                    messages.info(request, error.message)
                    return redirect(getattr(error, "object_url", "") or reverse("recommendations:list"))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                url = reverse("recommendations:detail", args=[recommendation.pk])
                submission_record_result(key=values["submission_key"], url=url)
                messages.success(request, _("已推荐“%(organisation)s”赴%(units)s实地考察，已通知相关区县。") % {
                    "organisation": recommendation.organisation.name,
                    "units": "、".join(unit.name for unit in values["units"])})
                return redirect(url)
    else:
        form = RecommendationForm(initial={"submission_key": new_submission_key()}, actor=actor,
                                  organisation=organisation)
    return render(request, "recommendations/create.html", {"form": form, "project": project})


def _detail(request, recommendation, *, bound: dict | None = None, claim: dict | None = None):
    """The detail page; ``bound`` puts a posted form with its errors back in its target's row."""
    actor = request.user
    bound = bound or {}
    rows = []
    for target in recommendation.shown_targets:
        answering = may_answer(actor, target)
        row = {"target": target, "may_answer": answering, "claim": (claim or {}).get(target.pk)}
        if answering and target.status == TargetStatus.PENDING:
            row["accept_form"] = bound.get((target.pk, "accept")) or AcceptForm(prefix=f"accept-{target.pk}")
            row["decline_form"] = bound.get((target.pk, "decline")) or DeclineForm(prefix=f"decline-{target.pk}")
        if answering and target.status == TargetStatus.ACCEPTED and not target.site_visit_id:
            row["visit_form"] = bound.get((target.pk, "visit")) or SiteVisitForm(
                prefix=f"visit-{target.pk}", initial={"submission_key": new_submission_key()})
        rows.append(row)
    withdrawable = may_recommend(actor) and any(t.status == TargetStatus.PENDING for t in recommendation.shown_targets)
    return render(request, "recommendations/detail.html", {
        "recommendation": recommendation, "rows": rows,
        # The recommendation's own changes and each shown district's answer, in one list. Its own entries name every
        # district it went to: a district reads only its own answer's.
        "history": record_history(recommendation, parts=[(t, t.unit) for t in recommendation.shown_targets],
                                  own=actor_scope(actor).all_units),
        "withdraw_form": bound.get((None, "withdraw")) or (WithdrawForm() if withdrawable else None),
    })


@login_required
@require_GET
def recommendation_detail_view(request, pk: int):
    return _detail(request, recommendation_get(actor=request.user, pk=pk))


def _answer(request, pk: int, kind: str):
    """accept / decline / visit: the target if visible (else 404), then the service (403 if not theirs)."""
    actor = request.user
    target = target_get(actor=actor, pk=pk)
    recommendation = recommendation_get(actor=actor, pk=target.recommendation_id)
    if not may_answer(actor, target):
        raise PermissionDenied(services.NOT_ANSWERER)
    form_class = {"accept": AcceptForm, "decline": DeclineForm, "visit": SiteVisitForm}[kind]
    form = form_class(request.POST, prefix=f"{kind}-{target.pk}")
    claim = None
    if form.is_valid():
        try:
            if kind == "accept":
                done = services.recommendation_accept(actor=actor, target=target, reason=form.cleaned_data["reason"])
                message = _("已接受推荐，承接项目“%(project)s”。") % {"project": done.project.name}
            elif kind == "decline":
                services.recommendation_decline(actor=actor, target=target, reason=form.cleaned_data["reason"])
                message = _("已婉拒推荐，驻京办会收到您的理由。")
            else:
                values = form.service_values()
                services.target_log_site_visit(actor=actor, target=target, **values)
                submission_record_result(key=values["submission_key"], url=request.path)
                message = _("已记录实地考察，项目阶段已更新。")
        except ConflictError as error:
            if error.code == DUPLICATE_SUBMISSION:
                messages.info(request, error.message)
                return redirect("recommendations:detail", pk=recommendation.pk)
            apply_domain_error(form, error)
            if error.code == CLAIMED:
                # 首谈负责制 refused the project: offer the way to ask the office (协调).
                claim = {target.pk: "{}?{}".format(reverse("projects:arbitration_create"), urlencode(
                    {"organisation": recommendation.organisation_id, "unit": target.unit_id}))}
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, message)
            return redirect("recommendations:detail", pk=recommendation.pk)
    return _detail(request, recommendation, bound={(target.pk, kind): form}, claim=claim)


@login_required
@require_POST
def target_accept_view(request, pk: int):
    return _answer(request, pk, "accept")


@login_required
@require_POST
def target_decline_view(request, pk: int):
    return _answer(request, pk, "decline")


@login_required
@require_POST
def target_site_visit_view(request, pk: int):
    return _answer(request, pk, "visit")


@login_required
@require_POST
def recommendation_withdraw_view(request, pk: int):
    actor = request.user
    recommendation = recommendation_get(actor=actor, pk=pk)
    if not may_recommend(actor):
        raise PermissionDenied(_("只有驻京办可以撤回推荐。"))
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            targets = services.recommendation_withdraw(actor=actor, recommendation=recommendation,
                                                       reason=form.cleaned_data["reason"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已撤回对%(units)s的推荐。") % {
                "units": "、".join(target.unit.name for target in targets)})
            return redirect("recommendations:detail", pk=recommendation.pk)
    return _detail(request, recommendation, bound={(None, "withdraw"): form})


@login_required
@require_GET
def funnel_view(request):
    actor = request.user
    scope = actor_scope(actor)
    form = PeriodForm(request.GET, all_units=scope.all_units)
    start, end, unit_id = form.values(default_period(timezone.localdate()))
    error = None
    try:
        numbers = funnel(actor=actor, start=start, end=end, unit_id=unit_id)
    except DomainError as exc:
        error = exc.message
        start, end = default_period(timezone.localdate())
        numbers = funnel(actor=actor, start=start, end=end, unit_id=unit_id)
    ids = numbers["organisation_ids"]
    wanted = {pk for key in FUNNEL_KEYS for pk in ids[key]}
    names = dict(Organisation.objects.filter(pk__in=wanted).values_list("pk", "name"))
    drill = [{"key": key, "label": FUNNEL_LABELS[key], "count": numbers[key],
              "organisations": sorted(((pk, names.get(pk, "—")) for pk in ids[key]), key=lambda item: item[1])}
             for key in FUNNEL_KEYS]
    # The boxes show the period actually counted (今年以来 when none was given).
    shown = PeriodForm({"start": start.isoformat(), "end": end.isoformat(), "unit": unit_id or ""},
                       all_units=scope.all_units)
    shown.is_valid()
    return render(request, "recommendations/funnel.html", {
        "form": shown, "numbers": numbers, "drill": drill, "error": error, "all_units": scope.all_units,
        "unit": shown.cleaned_data.get("unit"),
    })
