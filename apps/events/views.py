"""Event pages: the list, an event with its signings, the hall screen's live tally, exports, the
public mobile pages and their posters. Thin: forms parse, services write, selectors read. An event
or signing the person may not see is a 404; one they see but may not change is a 403."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import CHANGE, require
from apps.audit.decorators import audited_export
from apps.audit.selectors import record_history
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key, submission_record_result
from apps.core.money import rate_for_input
from apps.events import exports, posters, publicity, selectors, services
from apps.events.forms import (
    EventForm,
    ParticipantForm,
    PhotoForm,
    PublicFieldsForm,
    ReasonForm,
    SigningEditForm,
    SigningForm,
    StandaloneSigningForm,
    project_choices,
)
from apps.events.models import EventKind, EventParticipant, EventPhoto, PublicPage
from apps.events.querysets import WITHDRAW
from apps.events.services import PHOTO_CONTENT_TYPES
from apps.projects.models import Project
from apps.projects.selectors import project_get

PAGE_SIZE = 25
DUPLICATE_SUBMISSION = "duplicate_submission"


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
@require_GET
def event_list_view(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in EventKind.values else ""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    rows = selectors.event_list(actor=request.user, q=q, year=year, kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/list.html", {
        "page": page, "q": q, "kind": kind, "year": year or "", "kinds": EventKind.choices,
        "may_create": services.may_create_events(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def event_create_view(request):
    if not services.may_create_events(request.user):
        raise PermissionDenied(_("只有驻京办和区县的管理员、招商干部可以登记活动。"))
    if request.method == "POST":
        form = EventForm(request.POST, actor=request.user)
        if form.is_valid():
            key = form.cleaned_data.get("submission_key") or ""
            try:
                event = services.event_create(actor=request.user, values=form.service_values(), submission_key=key)
            except ConflictError as error:
                if error.code != DUPLICATE_SUBMISSION:
                    raise
                messages.info(request, error.message)
                return redirect(getattr(error, "object_url", "") or reverse("events:list"))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                url = reverse("events:detail", args=[event.pk])
                submission_record_result(key=key, url=url)
                messages.success(request, _("活动“%(title)s”已登记，可以开始登记签约项目。") % {"title": event.title})
                return redirect(url)
    else:
        form = EventForm(actor=request.user, initial={"submission_key": new_submission_key()})
    return render(request, "events/form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    if not selectors.may_change_event(request.user, event):
        raise PermissionDenied(_(services.NOT_ORGANISER))
    if request.method == "POST":
        form = EventForm(request.POST, actor=request.user, event=event)
        if form.is_valid():
            try:
                event = services.event_update(actor=request.user, event=event, values=form.service_values(),
                                              expected_version=_pk(request.POST.get("version")))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("活动信息已保存。"))
                return redirect("events:detail", pk=event.pk)
    else:
        form = EventForm(actor=request.user, event=event,
                         initial={key: getattr(event, key) for key in EventForm.service_fields} | {"unit": event.unit_id})
    return render(request, "events/form.html", {"form": form, "event": event})


def _detail_context(request, event, **forms) -> dict:
    actor = request.user
    may_change = selectors.may_change_event(actor, event)
    signings = selectors.event_signings(actor=actor, event=event)
    page = selectors.public_page_for(actor=actor, event=event)
    may_sign = services.may_create_events(actor)
    context = {
        "event": event,
        "totals": selectors.event_totals(event),
        "signings": signings,
        "may_change": may_change,
        "may_sign": may_sign,
        "signing_form": forms.get("signing_form") or (SigningForm(
            actor=actor, event=event, initial={"submission_key": new_submission_key()}) if may_sign else None),
        "participants": list(EventParticipant.objects.filter(event=event).select_related("organisation")),
        "talent": selectors.event_talent(actor=actor, event=event),
        "participant_form": forms.get("participant_form") or (ParticipantForm(actor=actor) if may_change else None),
        "photos": selectors.event_photos(event),
        "photo_form": forms.get("photo_form") or (PhotoForm() if may_change else None),
        "public_page": page,
        "public_url": request.build_absolute_uri(reverse("events:public", args=[page.token])) if page else "",
        "public_form": forms.get("public_form") or PublicFieldsForm(
            catalogue=publicity.EVENT_FIELDS, initial_fields=page.fields if page else publicity.EVENT_DEFAULT),
        "may_withdraw_page": page is not None and PublicPage.objects.restrict(actor, WITHDRAW).filter(pk=page.pk).exists(),
        "withdraw_form": ReasonForm(),
        "history": record_history(event),
    }
    return context


@login_required
@require_GET
def event_detail_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    return render(request, "events/detail.html", _detail_context(request, event))


@login_required
@require_GET
def project_options_view(request, pk: int):
    """<option>s for the signing form's project select, matching what was typed beside it."""
    event = selectors.event_get(actor=request.user, pk=pk)
    return render(request, "events/partials/project_options.html", {
        "choices": project_choices(request.user, event=event, q=request.GET.get("project_q", "").strip()),
    })


@login_required
@require_POST
def signing_create_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    require(services.may_register_signings(request.user), _("您的角色没有登记签约的权限。"))
    form = SigningForm(request.POST, actor=request.user, event=event)
    if form.is_valid():
        key = form.cleaned_data.get("submission_key") or ""
        try:
            signing = services.signing_create(
                actor=request.user, event=event, project=form.cleaned_data["project"],
                values=form.service_values(), advance_stage=form.cleaned_data["advance_stage"], submission_key=key)
        except ConflictError as error:
            if error.code == DUPLICATE_SUBMISSION:
                messages.info(request, error.message)
                return redirect("events:detail", pk=event.pk)
            apply_domain_error(form, error)
        except DomainError as error:
            apply_domain_error(form, error, field_map={"advance_stage": "advance_stage"})
        else:
            submission_record_result(key=key, url=reverse("events:detail", args=[event.pk]))
            messages.success(request, _("已登记签约：第%(order)s位 %(project)s。") % {
                "order": signing.order, "project": signing.project.name})
            return redirect(reverse("events:detail", args=[event.pk]) + "#signings")
    return render(request, "events/detail.html", _detail_context(request, event, signing_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def signing_edit_view(request, pk: int):
    signing = selectors.signing_get(actor=request.user, pk=pk)
    if not selectors.Signing.objects.restrict(request.user, CHANGE).filter(pk=signing.pk).exists():
        raise PermissionDenied(_("只有项目的承接单位、服务专员或活动组织单位可以修改该签约。"))
    if request.method == "POST":
        form = SigningEditForm(request.POST)
        if form.is_valid():
            try:
                signing = services.signing_update(actor=request.user, signing=signing, values=form.service_values(),
                                                  expected_version=form.cleaned_data["version"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("签约信息已保存。"))
                return redirect(_signing_back(signing))
    else:
        form = SigningEditForm(initial={
            "agreement_type": signing.agreement_type, "amount": services.signing_money(signing),
            "exchange_rate": rate_for_input(signing.exchange_rate), "date": signing.date,
            "our_signatory": signing.our_signatory, "their_signatory": signing.their_signatory,
            "order": signing.order, "version": signing.version})
    # A signing has no page of its own (it is a line on its event's and its project's): its edit page shows its history.
    return render(request, "events/signing_form.html", {"form": form, "signing": signing,
                                                        "withdraw_form": ReasonForm(), "back": _signing_back(signing),
                                                        "history": record_history(signing)})


def _signing_back(signing) -> str:
    if signing.event_id:
        return reverse("events:detail", args=[signing.event_id]) + "#signings"
    return reverse("projects:detail", args=[signing.project_id])


@login_required
@require_POST
def signing_withdraw_view(request, pk: int):
    signing = selectors.signing_get(actor=request.user, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.signing_withdraw(actor=request.user, signing=signing, reason=form.cleaned_data.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("events:signing_edit", pk=signing.pk)
    messages.success(request, _("已撤回签约“%(project)s”，它不再计入合计。") % {"project": signing.project.name})
    return redirect(_signing_back(signing))


@login_required
@require_POST
def signing_move_view(request, pk: int, signing_pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    ids = list(event.signings.active().order_by("order", "id").values_list("pk", flat=True))
    if signing_pk not in ids:
        raise Http404
    at = ids.index(signing_pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    if 0 <= at + step < len(ids):
        ids[at], ids[at + step] = ids[at + step], ids[at]
    try:
        services.signing_reorder(actor=request.user, event=event, ordered_ids=ids)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("events:detail", args=[event.pk]) + "#signings")


@login_required
@require_POST
def participant_add_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    form = ParticipantForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            services.event_add_participant(actor=request.user, event=event,
                                           organisation=form.cleaned_data["organisation"],
                                           note=form.cleaned_data["note"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已添加参会主体。"))
            return redirect(reverse("events:detail", args=[event.pk]) + "#participants")
    if not selectors.may_change_event(request.user, event):
        raise PermissionDenied(_(services.NOT_ORGANISER))
    return render(request, "events/detail.html", _detail_context(request, event, participant_form=form), status=400)


@login_required
@require_POST
def participant_remove_view(request, pk: int, participant_pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    participant = get_object_or_404(EventParticipant, pk=participant_pk, event=event)
    services.event_remove_participant(actor=request.user, participant=participant)
    messages.success(request, _("已移除参会主体。"))
    return redirect(reverse("events:detail", args=[event.pk]) + "#participants")


@login_required
@require_POST
def photo_add_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.event_add_photo(actor=request.user, event=event, image=form.cleaned_data["image"],
                                     caption=form.cleaned_data["caption"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("照片已上传。"))
            return redirect(reverse("events:detail", args=[event.pk]) + "#photos")
    if not selectors.may_change_event(request.user, event):
        raise PermissionDenied(_(services.NOT_ORGANISER))
    return render(request, "events/detail.html", _detail_context(request, event, photo_form=form), status=400)


@login_required
@require_POST
def photo_remove_view(request, pk: int, photo_pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    photo = get_object_or_404(EventPhoto, pk=photo_pk, event=event)
    services.event_remove_photo(actor=request.user, photo=photo)
    messages.success(request, _("照片已移除。"))
    return redirect(reverse("events:detail", args=[event.pk]) + "#photos")


# --- the hall screen -------------------------------------------------------------------------------


@login_required
@require_GET
def tally_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    return render(request, "events/tally.html", {"event": event, "tally": selectors.tally(actor=request.user, event=event)})


@login_required
@require_GET
@never_cache
def tally_live_view(request, pk: int):
    """The screen's part that changes; polled every few seconds. 204 when nothing changed, so the
    screen does not flicker and the hall's network carries almost nothing."""
    event = selectors.event_get(actor=request.user, pk=pk)
    if request.GET.get("stamp") == selectors.tally_stamp(event):
        return HttpResponse(status=204)  # before the totals and rows: most polls end here
    tally = selectors.tally(actor=request.user, event=event)
    return render(request, "events/partials/tally_live.html", {"event": event, "tally": tally})


# --- exports ---------------------------------------------------------------------------------------


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # Django's own header: a Chinese file name survives every browser (RFC 6266 filename*).
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
@require_GET
@audited_export("签约项目表")
def signings_xlsx_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    signings = selectors.event_signings(actor=request.user, event=event)
    content = exports.signings_xlsx(event=event, signings=signings.rows, totals=selectors.event_totals(event),
                                    hidden=signings.hidden)
    return _download(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"{event.title}-签约项目.xlsx")


@login_required
@require_GET
@audited_export("签约仪式顺序表")
def ceremony_docx_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    # The running order is the organiser's document: it lists every signing at the ceremony.
    if not selectors.may_change_event(request.user, event):
        raise PermissionDenied(_("签约仪式程序由活动组织单位制作。"))
    signings = selectors.event_signings(actor=request.user, event=event)
    content = exports.ceremony_docx(event=event, signings=signings.rows,
                                    show_amounts=request.GET.get("amounts") == "1")
    return _download(content, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     f"{event.title}-签约仪式顺序表.docx")


# --- public pages and posters ----------------------------------------------------------------------


@login_required
@require_POST
def event_publish_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    form = PublicFieldsForm(request.POST, catalogue=publicity.EVENT_FIELDS)
    form.is_valid()
    fields = form.cleaned_data.get("fields_") if "fields_" in request.POST or "save_fields" in request.POST else None
    try:
        services.public_page_publish(actor=request.user, event=event, fields=fields)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("events:detail", pk=event.pk)
    if request.POST.get("then") == "poster":
        return redirect("events:poster", pk=event.pk)
    messages.success(request, _("公开页面已发布；只显示勾选的内容。"))
    return redirect(reverse("events:detail", args=[event.pk]) + "#public")


@login_required
@require_POST
def project_publish_view(request, project_pk: int):
    project = project_get(actor=request.user, pk=project_pk)
    form = PublicFieldsForm(request.POST, catalogue=publicity.PROJECT_FIELDS)
    form.is_valid()
    fields = form.cleaned_data.get("fields_") if "save_fields" in request.POST else None
    try:
        services.public_page_publish(actor=request.user, project=project, fields=fields)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("events:project_public", project_pk=project.pk)
    if request.POST.get("then") == "poster":
        return redirect("events:project_poster", project_pk=project.pk)
    messages.success(request, _("公开页面已发布；只显示勾选的内容。"))
    return redirect("events:project_public", project_pk=project.pk)


@login_required
@require_GET
def project_public_view(request, project_pk: int):
    """The project's signings, its public page and 喜报: what is public, the address, the poster."""
    return _project_public_page(request, project_get(actor=request.user, pk=project_pk))


def _project_public_page(request, project, signing_form=None, status: int = 200):
    page = selectors.public_page_for(actor=request.user, project=project)
    may_publish = Project.objects.restrict(request.user, CHANGE).filter(pk=project.pk).exists()
    if signing_form is None and may_publish:
        signing_form = StandaloneSigningForm(initial={"submission_key": new_submission_key()})
    return render(request, "events/project_public.html", {
        "signing_form": signing_form,
        "project": project, "public_page": page, "may_publish": may_publish,
        "public_url": request.build_absolute_uri(reverse("events:public", args=[page.token])) if page else "",
        "public_form": PublicFieldsForm(catalogue=publicity.PROJECT_FIELDS,
                                        initial_fields=page.fields if page else publicity.PROJECT_DEFAULT),
        "may_withdraw_page": page is not None and PublicPage.objects.restrict(request.user, WITHDRAW).filter(pk=page.pk).exists(),
        "withdraw_form": ReasonForm(),
        "signings": selectors.project_signings(actor=request.user, project=project),
    }, status=status)


@login_required
@require_POST
def project_signing_create_view(request, project_pk: int):
    """A signing outside any event."""
    project = project_get(actor=request.user, pk=project_pk)
    require(services.may_register_signings(request.user), _("您的角色没有登记签约的权限。"))
    form = StandaloneSigningForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data.get("submission_key") or ""
        try:
            services.signing_create(actor=request.user, project=project, event=None, values=form.service_values(),
                                    advance_stage=form.cleaned_data["advance_stage"], submission_key=key)
        except ConflictError as error:
            if error.code != DUPLICATE_SUBMISSION:
                apply_domain_error(form, error)
            else:
                messages.info(request, error.message)
                return redirect("events:project_public", project_pk=project.pk)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            submission_record_result(key=key, url=reverse("events:project_public", args=[project.pk]))
            messages.success(request, _("已登记签约。"))
            return redirect("events:project_public", project_pk=project.pk)
    return _project_public_page(request, project, signing_form=form, status=400)


@login_required
@require_POST
def public_page_withdraw_view(request, page_pk: int):
    page = get_object_or_404(PublicPage, pk=page_pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.public_page_withdraw(actor=request.user, page=page, reason=form.cleaned_data.get("reason", ""))
    except PublicPage.DoesNotExist:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("公开页面已撤下：原地址和分享图上的二维码将显示“已撤下”。"))
    if page.event_id:
        return redirect(reverse("events:detail", args=[page.event_id]) + "#public")
    return redirect("events:project_public", project_pk=page.project_id)


def _poster_spec(request, page: PublicPage) -> posters.PosterSpec:
    url = request.build_absolute_uri(reverse("events:public", args=[page.token]))
    if page.event_id:
        return selectors.event_poster_spec(page, url=url)
    return selectors.project_poster_spec(page, url=url)


@login_required
@require_GET
def event_poster_view(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    page = selectors.public_page_for(actor=request.user, event=event)
    return render(request, "events/poster.html", {
        "subject": event, "title": event.title, "page": page, "sizes": posters.SIZES,
        "back": reverse("events:detail", args=[event.pk]),
        "image_url": reverse("events:poster_png", args=[event.pk, "portrait"])[:-len("portrait.png")] if page else "",
        "may_publish": selectors.may_change_event(request.user, event),
        "publish_url": reverse("events:publish", args=[event.pk]),
    })


@login_required
@require_GET
def project_poster_view(request, project_pk: int):
    project = project_get(actor=request.user, pk=project_pk)
    page = selectors.public_page_for(actor=request.user, project=project)
    return render(request, "events/poster.html", {
        "subject": project, "title": project.name, "page": page, "sizes": posters.SIZES, "xibao": True,
        "back": reverse("events:project_public", args=[project.pk]),
        "image_url": reverse("events:project_poster_png", args=[project.pk, "portrait"])[:-len("portrait.png")]
        if page else "",
        "may_publish": Project.objects.restrict(request.user, CHANGE).filter(pk=project.pk).exists(),
        "publish_url": reverse("events:project_publish", args=[project.pk]),
    })


def _png(request, page: PublicPage | None, size: str) -> HttpResponse:
    if page is None or size not in posters.SIZES:
        raise Http404
    try:
        content = posters.cached_png(_poster_spec(request, page), size)
    except posters.PosterFontMissing as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="image/png")
    if request.GET.get("download"):
        name = (page.event.title if page.event_id else page.project.name) + f"-{'分享图' if page.event_id else '喜报'}.png"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def event_poster_png_view(request, pk: int, size: str):
    event = selectors.event_get(actor=request.user, pk=pk)
    return _png(request, selectors.public_page_for(actor=request.user, event=event), size)


@login_required
@require_GET
def project_poster_png_view(request, project_pk: int, size: str):
    project = project_get(actor=request.user, pk=project_pk)
    return _png(request, selectors.public_page_for(actor=request.user, project=project), size)


def _public(view):
    """The public pages: no login, no navbar; the token is kept out of other sites' logs."""

    @functools.wraps(view)
    @never_cache
    def wrapped(request, token: str, **kwargs):
        page = selectors.public_page_by_token(token)
        if page is None:
            response = render(request, "events/public/missing.html", status=404)
        elif page.withdrawn_at is not None:
            response = render(request, "events/public/withdrawn.html", {"page": page}, status=410)
        else:
            response = view(request, page, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _photo_response(photo) -> FileResponse:
    """An event photo as the image it is, never as anything a browser would run: its type read from the
    file itself (Pillow; photos uploaded before their names were normalised keep the uploader's name),
    one of a short list, with nosniff."""
    from PIL import Image, UnidentifiedImageError

    if not photo.image.storage.exists(photo.image.name):
        raise Http404
    handle = photo.image.open("rb")
    try:
        with Image.open(handle) as probe:
            kind = PHOTO_CONTENT_TYPES.get(probe.format)
    except (UnidentifiedImageError, OSError, ValueError):
        kind = None
    if kind is None:
        handle.close()
        raise Http404
    handle.seek(0)
    response = FileResponse(handle, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def photo_view(request, pk: int, photo_pk: int):
    """A photo of an event the reader may see (uploads are served by the app, never straight from disk)."""
    event = selectors.event_get(actor=request.user, pk=pk)
    return _photo_response(get_object_or_404(EventPhoto, pk=photo_pk, event=event, removed_at__isnull=True))


@_public
@require_GET
def public_photo_view(request, page: PublicPage, photo_pk: int):
    """A photo on a published event page: only while the page is live and shows its photos."""
    if not page.event_id or "photos" not in page.fields:
        raise Http404
    return _photo_response(get_object_or_404(EventPhoto, pk=photo_pk, event_id=page.event_id,
                                             removed_at__isnull=True))


@_public
@require_GET
def public_view(request, page: PublicPage):
    if page.event_id:
        return render(request, "events/public/event.html", {"facts": selectors.public_event_facts(page),
                                                             "issuer": page.event.unit.full_name or page.event.unit.name})
    facts = selectors.public_project_facts(page)
    return render(request, "events/public/project.html", {"facts": facts, "issuer": facts.get("issuer", "")})
