"""Service request pages. Staff pages need a login and go through restrict(); the enterprise contact's
pages (/requests/c/<token>/…) need no account and show only the project their link names."""

import functools
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import User
from apps.accounts.permissions import CHANGE, VIEW, actor_scope
from apps.audit.selectors import record_history
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key, submission_record_result
from apps.projects.models import Project
from apps.projects.selectors import project_get
from apps.servicedesk import selectors, services
from apps.servicedesk.forms import (
    AssignForm,
    ContactLinkForm,
    ContactReplyForm,
    ContactRequestForm,
    DeadlineForm,
    ReplyForm,
    RequestCreateForm,
    RequestFilterForm,
    StatusForm,
)
from apps.servicedesk.models import ServiceRequest
from apps.talent.models import Talent
from apps.talent.selectors import talent_get

PAGE_SIZE = 25
DUPLICATE_SUBMISSION = "duplicate_submission"


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _may_change(user, request_obj: ServiceRequest) -> bool:
    return ServiceRequest.objects.restrict(user, CHANGE).filter(pk=request_obj.pk).exists()


def _changeable(request, pk: int) -> ServiceRequest:
    """The request if the person may work on it; 404 if they may not see it, 403 if they may only look."""
    obj = selectors.request_get(actor=request.user, pk=pk, action=VIEW)
    if not _may_change(request.user, obj):
        raise PermissionDenied(_("您只能查看该诉求，不能办理。"))
    return obj


def _may_change_project(user, project: Project) -> bool:
    return Project.objects.restrict(user, CHANGE).filter(pk=project.pk).exists()


def _subject_visible(user, obj: ServiceRequest) -> bool:
    """Whether the request's project or talent record may be opened by ``user`` (a request handed to a
    district on another unit's record shows the record's name, not a link that would 404)."""
    if obj.project_id:
        return Project.objects.restrict(user, VIEW).filter(pk=obj.project_id).exists()
    return Talent.objects.restrict(user, VIEW).filter(pk=obj.talent_id).exists()


def _attachment_response(reply):
    if not reply.attachment:
        raise Http404
    name = reply.attachment_name or os.path.basename(reply.attachment.name)
    # Always a download, never shown inline: an uploaded file is never rendered as part of the site.
    return FileResponse(reply.attachment.open("rb"), as_attachment=True, filename=name,
                        content_type="application/octet-stream")


# --- Staff pages -----------------------------------------------------------------------------------

@login_required
@require_GET
def request_list_view(request):
    filters = RequestFilterForm(request.GET)
    kwargs = filters.selector_kwargs()
    project = talent = None
    if kwargs["project_id"]:
        project = Project.objects.restrict(request.user, VIEW).filter(pk=kwargs["project_id"]).first()
    if kwargs["talent_id"]:
        talent = Talent.objects.restrict(request.user, VIEW).filter(pk=kwargs["talent_id"]).first()
    page = Paginator(selectors.request_list(actor=request.user, **kwargs), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_escalation(page.object_list)
    return render(request, "servicedesk/list.html", {
        "filters": filters, "page": page, "project": project, "talent": talent,
        "read_only": actor_scope(request.user).read_only,
    })


@login_required
@require_http_methods(["GET", "POST"])
def request_create_view(request):
    if actor_scope(request.user).read_only:
        raise PermissionDenied(_("您的角色为只读，不能登记诉求。"))
    project = talent = None
    if request.GET.get("project"):
        project = project_get(actor=request.user, pk=_pk(request.GET["project"]), action=VIEW)
        if not _may_change_project(request.user, project):
            raise PermissionDenied(_("您只能查看该项目，不能在其上登记诉求。"))
    elif request.GET.get("talent"):
        talent = talent_get(actor=request.user, pk=_pk(request.GET["talent"]), action=VIEW)
        if not Talent.objects.restrict(request.user, CHANGE).filter(pk=talent.pk).exists():
            raise PermissionDenied(_("您只能查看该人才记录，不能在其上登记诉求。"))
    else:
        messages.info(request, _("请先打开诉求所属的项目或人才，再点击“登记诉求”。"))
        return redirect("projects:list")
    if request.method == "POST":
        form = RequestCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.request_create(actor=request.user, project=project, talent=talent,
                                                  category=data["category"],
                                                  title=data["title"], description=data["description"],
                                                  submission_key=data["submission_key"])
            except ConflictError as error:
                if error.code != DUPLICATE_SUBMISSION:
                    apply_domain_error(form, error)
                else:
                    messages.info(request, error.message)
                    return redirect(getattr(error, "object_url", "") or reverse("servicedesk:list"))
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                url = reverse("servicedesk:detail", args=[created.pk])
                submission_record_result(key=data["submission_key"], url=url)
                messages.success(request, _("已登记诉求“%(title)s”，办理期限%(due)s。") % {
                    "title": created.title, "due": created.due_date.strftime("%Y-%m-%d")})
                return redirect(url)
    else:
        form = RequestCreateForm(initial={"submission_key": new_submission_key()})
    return render(request, "servicedesk/create.html", {"form": form, "project": project, "talent": talent,
                                                       "deadlines": selectors.deadline_table()})


def _detail(request, obj: ServiceRequest, *, reply_form=None, status_form=None, assign_form=None, status=200):
    may_change = _may_change(request.user, obj)
    obj.escalation = selectors.with_escalation([obj])[0].escalation
    context = {
        "req": obj,
        "replies": selectors.request_replies(request=obj),
        "may_change": may_change,
        "subject_visible": _subject_visible(request.user, obj),
        "history": record_history(obj),
    }
    if may_change:
        context["reply_form"] = reply_form or ReplyForm()
        context["status_form"] = status_form or StatusForm(request=obj)
        context["assign_form"] = assign_form or AssignForm(request=obj, owners=selectors.owner_choices(obj))
    return render(request, "servicedesk/detail.html", context, status=status)


@login_required
@require_GET
def request_detail_view(request, pk: int):
    return _detail(request, selectors.request_get(actor=request.user, pk=pk))


@login_required
@require_POST
def request_reply_view(request, pk: int):
    obj = _changeable(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_reply(actor=request.user, request=obj, body=form.cleaned_data["body"],
                                   attachment=form.cleaned_data["attachment"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已答复。"))
            return redirect("servicedesk:detail", pk=obj.pk)
    return _detail(request, obj, reply_form=form)


@login_required
@require_POST
def request_status_view(request, pk: int):
    obj = _changeable(request, pk)
    form = StatusForm(request.POST, request=obj)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.request_change_status(actor=request.user, request=obj, to_status=data["to_status"],
                                                     note=data["note"], version=data["version"])
        except DomainError as error:
            apply_domain_error(form, error, field_map={"version": None})
        else:
            messages.success(request, _("诉求已改为“%(status)s”。") % {"status": changed.get_status_display()})
            return redirect("servicedesk:detail", pk=obj.pk)
    obj.refresh_from_db()
    return _detail(request, obj, status_form=form)


@login_required
@require_POST
def request_assign_view(request, pk: int):
    obj = _changeable(request, pk)
    # Any active person may be named here; the service checks they belong to the chosen unit.
    form = AssignForm(request.POST, request=obj, owners=User.objects.filter(is_active=True))
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.request_assign(actor=request.user, request=obj, owner_unit=data["owner_unit"],
                                              owner=data["owner"], version=data["version"])
        except DomainError as error:
            apply_domain_error(form, error, field_map={"version": None})
        else:
            messages.success(request, _("已交由%(unit)s办理。") % {"unit": changed.owner_unit.name})
            if not ServiceRequest.objects.restrict(request.user, VIEW).filter(pk=obj.pk).exists():
                return redirect("servicedesk:list")
            return redirect("servicedesk:detail", pk=obj.pk)
    obj.refresh_from_db()
    return _detail(request, obj, assign_form=form)


@login_required
@require_GET
def request_attachment_view(request, pk: int, reply_pk: int):
    obj = selectors.request_get(actor=request.user, pk=pk)
    return _attachment_response(get_object_or_404(obj.replies, pk=reply_pk))


def _project_page(request, project, *, link_form=None, issued=None, status=200):
    may_change = _may_change_project(request.user, project)
    return render(request, "servicedesk/project.html", {
        "project": project,
        "requests": selectors.project_requests(request.user, project),
        "may_change": may_change,
        "links": selectors.contact_links(actor=request.user, project=project) if may_change else [],
        "link_form": link_form or ContactLinkForm(),
        "issued": issued,
    }, status=status)


@login_required
@require_GET
def project_requests_view(request, project_pk: int):
    return _project_page(request, project_get(actor=request.user, pk=project_pk))


@login_required
@require_POST
@never_cache
def contact_link_create_view(request, project_pk: int):
    project = project_get(actor=request.user, pk=project_pk)
    if not _may_change_project(request.user, project):
        raise PermissionDenied(_("您只能查看该项目，不能生成企业联系人链接。"))
    form = ContactLinkForm(request.POST)
    issued = None
    if form.is_valid():
        try:
            issued = services.contact_link_create(actor=request.user, project=project,
                                                  contact_name=form.cleaned_data["contact_name"],
                                                  valid_days=form.cleaned_data["valid_days"],
                                                  base_url=request.build_absolute_uri("/"))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            form = None
    # Shown in this response only (the token is not stored), not after a redirect.
    return _project_page(request, project, link_form=form, issued=issued)


@login_required
@require_POST
def contact_link_revoke_view(request, pk: int):
    link = selectors.contact_link_get(actor=request.user, pk=pk)
    if not _may_change_project(request.user, link.project):
        raise PermissionDenied(_("您只能查看该项目，不能作废企业联系人链接。"))
    services.contact_link_revoke(actor=request.user, link=link)
    messages.success(request, _("链接已作废，持有该链接的人将无法再打开。"))
    return redirect("servicedesk:project", project_pk=link.project_id)


@login_required
@require_http_methods(["GET", "POST"])
def deadlines_view(request):
    may_edit = services.may_edit_deadlines(request.user)
    form = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("只有驻京办管理员可以修改诉求办理时限。"))
        form = DeadlineForm(request.POST)
        if form.is_valid():
            try:
                row = services.deadline_update(actor=request.user, category=form.cleaned_data["category"],
                                               days=form.cleaned_data["days"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("“%(category)s”的办理时限已改为%(days)s天，此后登记的诉求按新时限计算。") % {
                    "category": row.get_category_display(), "days": row.days})
                return redirect("servicedesk:deadlines")
    rows = selectors.deadline_table()
    for row in rows:
        bound = form is not None and form.data.get("category") == row["category"]
        row["form"] = form if bound else DeadlineForm(initial={"category": row["category"], "days": row["days"]})
    return render(request, "servicedesk/deadlines.html", {"rows": rows, "may_edit": may_edit},
                  status=200)


# --- The enterprise contact's pages (no account) ---------------------------------------------------

def _public(view):
    """Resolve the link in the URL; anything wrong with it is the same plain 404, saying nothing of why."""

    @functools.wraps(view)
    @never_cache
    def wrapped(request, token: str, *args, **kwargs):
        link = services.contact_link_open(token)
        response = None
        if link is not None:
            request.contact_link = link
            request.contact_token = token
            try:
                response = view(request, link, *args, **kwargs)
            except Http404:
                response = None  # another project's request: the same page as a bad link
        if response is None:
            response = render(request, "servicedesk/public/invalid.html", status=404)
        # The token is in the URL: keep it out of other sites' logs and out of search engines. Not
        # "no-referrer": with it Chromium sends "Origin: null" on the page's own form posts, which
        # Django's CSRF check rightly refuses — same-origin sends the address to this site only.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


@_public
@require_http_methods(["GET", "POST"])
def contact_home_view(request, link):
    if request.method == "POST":
        form = ContactRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.request_create_by_contact(link=link, **data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已收到您的诉求“%(title)s”，我们将在%(due)s前办理并答复。") % {
                    "title": created.title, "due": created.due_date.strftime("%Y-%m-%d")})
                return redirect("servicedesk:contact_detail", token=request.contact_token, pk=created.pk)
    else:
        form = ContactRequestForm(initial={"contact_name": link.contact_name})
    return render(request, "servicedesk/public/home.html", {
        "link": link, "project": link.project, "token": request.contact_token, "form": form,
        "requests": selectors.contact_requests(link=link),
    })


@_public
@require_http_methods(["GET", "POST"])
def contact_detail_view(request, link, pk: int):
    obj = selectors.contact_request_get(link=link, pk=pk)
    form = ContactReplyForm(initial={"contact_name": link.contact_name or obj.contact_name})
    if request.method == "POST":
        form = ContactReplyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_reply(request=obj, link=link, body=data["body"], contact_name=data["contact_name"],
                                       attachment=data["attachment"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("留言已送达承办人。"))
                return redirect("servicedesk:contact_detail", token=request.contact_token, pk=obj.pk)
    obj.escalation = selectors.with_escalation([obj])[0].escalation
    return render(request, "servicedesk/public/detail.html", {
        "link": link, "project": link.project, "token": request.contact_token, "req": obj,
        "replies": selectors.request_replies(request=obj), "form": form if obj.is_open else None,
    })


@_public
@require_GET
def contact_attachment_view(request, link, pk: int, reply_pk: int):
    obj = selectors.contact_request_get(link=link, pk=pk)
    return _attachment_response(get_object_or_404(obj.replies, pk=reply_pk))
