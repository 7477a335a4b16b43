"""Offers pages: the index of districts, a district's offers, the offer forms, need profiles with
their ranked districts and the one-step recommendation. Thin: forms parse, services write,
selectors read. An offer is visible to every signed-in person; changing it is for its own unit (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.selectors import record_history
from apps.core.errors import DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key
from apps.offers import matching, selectors, services
from apps.offers.forms import FORMS, NeedForm, SendForm
from apps.offers.querysets import may_change_offers_of, may_manage_needs
from apps.units.models import Unit

KIND_NAMES = {"park": gettext_noop("园区"), "site": gettext_noop("载体"), "policy": gettext_noop("政策"),
              "resource": gettext_noop("资源")}
CREATE = {"park": services.park_create, "site": services.site_create, "policy": services.policy_create,
          "resource": services.resource_create}
UPDATE = {"park": services.park_update, "site": services.site_update, "policy": services.policy_update,
          "resource": services.resource_update}
RETIRE = {"park": services.park_retire, "site": services.site_retire, "policy": services.policy_retire,
          "resource": services.resource_retire}


def _kind(kind: str) -> str:
    if kind not in FORMS:
        raise Http404
    return kind


@login_required
@require_GET
def index_view(request):
    return render(request, "offers/index.html", {"units": selectors.district_index(actor=request.user)})


@login_required
@require_GET
def district_view(request, unit_pk: int):
    unit = get_object_or_404(Unit.objects.exclude(kind="office"), pk=unit_pk)
    context = selectors.district_offers(actor=request.user, unit=unit)
    return render(request, "offers/district.html", {"unit": unit, **context})


@login_required
@require_http_methods(["GET", "POST"])
def offer_create_view(request, unit_pk: int, kind: str):
    kind = _kind(kind)
    unit = get_object_or_404(Unit.objects.exclude(kind="office"), pk=unit_pk)
    if not may_change_offers_of(request.user, unit):
        raise PermissionDenied(_(services.NOT_OWN_UNIT))
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST, unit=unit)
        if form.is_valid():
            try:
                CREATE[kind](actor=request.user, unit=unit, values=form.service_values())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("%(kind)s已登记。") % {"kind": _(KIND_NAMES[kind])})
                return redirect("offers:district", unit_pk=unit.pk)
    else:
        form = form_class(unit=unit)
    return render(request, "offers/offer_form.html", {"form": form, "unit": unit, "kind": kind,
                                                      "kind_name": _(KIND_NAMES[kind]), "row": None})


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit_view(request, kind: str, pk: int):
    kind = _kind(kind)
    row = selectors.offer_get(actor=request.user, kind=kind, pk=pk)
    if not selectors.may_change_offer(request.user, row):
        raise PermissionDenied(_(services.NOT_OWN_UNIT))
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST, unit=row.unit)
        if form.is_valid():
            try:
                UPDATE[kind](actor=request.user, values=form.service_values(), **{kind: row})
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("offers:district", unit_pk=row.unit_id)
    else:
        form = form_class(unit=row.unit, instance=row)
    # An offer has no page of its own: its edit page shows its history.
    return render(request, "offers/offer_form.html", {"form": form, "unit": row.unit, "kind": kind,
                                                      "kind_name": _(KIND_NAMES[kind]), "row": row,
                                                      "history": record_history(row)})


@login_required
@require_POST
def offer_retire_view(request, kind: str, pk: int):
    kind = _kind(kind)
    row = selectors.offer_get(actor=request.user, kind=kind, pk=pk)
    if not selectors.may_change_offer(request.user, row):
        raise PermissionDenied(_(services.NOT_OWN_UNIT))
    RETIRE[kind](actor=request.user, **{kind: row})
    messages.success(request, _("“%(name)s”已下架，不再参与匹配。") % {"name": row})
    return redirect("offers:district", unit_pk=row.unit_id)


@login_required
@require_GET
def need_list_view(request):
    return render(request, "offers/needs.html", {"needs": selectors.need_list(actor=request.user),
                                                 "may_create": may_manage_needs(request.user)})


def _need_form_view(request, need=None):
    if request.method == "POST":
        form = NeedForm(request.POST, actor=request.user, need=need)
        if form.is_valid():
            values = form.service_values()
            if need is not None:
                values["project"] = need.project
            try:
                if need is None:
                    need = services.need_create(actor=request.user, values=values)
                else:
                    need = services.need_update(actor=request.user, need=need, values=values)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("企业需求已保存，下面是匹配的区县。"))
                return redirect("offers:need_match", pk=need.pk)
    else:
        form = NeedForm(actor=request.user, need=need)
    return render(request, "offers/need_form.html", {"form": form, "need": need})


@login_required
@require_http_methods(["GET", "POST"])
def need_create_view(request):
    if not may_manage_needs(request.user):
        raise PermissionDenied(_(services.NOT_OFFICE))
    return _need_form_view(request)


@login_required
@require_http_methods(["GET", "POST"])
def need_edit_view(request, pk: int):
    need = selectors.need_get(actor=request.user, pk=pk)
    if not selectors.may_change_need(request.user, need):
        raise PermissionDenied(_(services.NOT_OFFICE))
    return _need_form_view(request, need)


def _match_page(request, need, *, ticked=(), status=200):
    matches = matching.rank(need)
    # Districts with nothing that fits are named on one line under the list rather than as forty empty cards.
    shown = [m for m in matches if m.reasons or m.score > 0 or m.sites]
    return render(request, "offers/need_match.html", {
        "need": need, "matches": shown, "without": [m.unit for m in matches if m not in shown],
        "ticked": {int(pk) for pk in ticked if str(pk).isdigit()},
        "may_send": may_manage_needs(request.user), "may_change": selectors.may_change_need(request.user, need),
        "submission_key": new_submission_key(), "history": record_history(need),
    }, status=status)


@login_required
@require_GET
def need_match_view(request, pk: int):
    return _match_page(request, selectors.need_get(actor=request.user, pk=pk))


@login_required
@require_POST
def need_send_view(request, pk: int):
    need = selectors.need_get(actor=request.user, pk=pk)
    if not may_manage_needs(request.user):
        raise PermissionDenied(_("只有驻京办可以推荐企业赴区县考察。"))
    form = SendForm(request.POST)
    units = list(form.cleaned_data["units"]) if form.is_valid() else []
    try:
        recommendation = services.need_send_recommendations(
            actor=request.user, need=need, units=units, matches=matching.rank(need),
            submission_key=request.POST.get("submission_key", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return _match_page(request, need, ticked=request.POST.getlist("units"), status=400)
    messages.success(request, _("已向%(units)s推荐，等待区县答复。") % {"units": "、".join(u.name for u in units)})
    return redirect("recommendations:detail", pk=recommendation.pk)
