"""Target-library pages: thin — parse, call a selector or a service, render."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.accounts.permissions import actor_scope, may_create_projects, may_write_library, require
from apps.activities.selectors import activity_list
from apps.audit.selectors import audit_for_object
from apps.core.codes import normalise_code
from apps.core.errors import ConflictError, DomainError
from apps.core.forms import apply_domain_error
from apps.core.idempotency import new_submission_key, submission_record_result
from apps.core.text import normalise_name
from apps.organisations.filters import OrganisationFilter, PersonFilter
from apps.organisations.forms import (
    OrganisationCreateForm,
    OrganisationEditForm,
    OrganisationForm,
    PersonCreateForm,
)
from apps.organisations.models import Organisation
from apps.organisations.names import search_form
from apps.organisations.selectors import organisation_get, organisation_list, person_list
from apps.organisations.services import organisation_create, organisation_update, person_create
from apps.projects.selectors import organisation_claims, project_list

PAGE_SIZE = 25
READ_ONLY_LIBRARY = gettext_lazy("您的角色为只读，不能登记或修改目标库。")


def highlight(text: str, fragment: str) -> SafeString:
    """Wrap each occurrence of ``fragment`` in <mark>, compared in search form (full-width, traditional
    characters, case and spaces folded, as the index compares), so "服務" marks "服务" in the name.
    Every piece is escaped on its own, so neither the name nor the query can inject markup."""
    text = text or ""
    needle = search_form(fragment or "")
    if not needle:
        return escape(text)
    # The search form of each character, and which original character each folded one came from.
    folded, owner = [], []
    for index, ch in enumerate(text):
        for out in search_form(ch):
            folded.append(out)
            owner.append(index)
    haystack = "".join(folded)
    spans, at = [], haystack.find(needle)
    while at >= 0:
        spans.append((owner[at], owner[at + len(needle) - 1] + 1))
        at = haystack.find(needle, at + len(needle))
    parts, last = [], 0
    for start, end in spans:
        parts.append(escape(text[last:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # safe: built only from the escaped pieces above


def _results_template(request, full: str, partial: str) -> str:
    # The filter form asks for just the results when HTMX drives it (active search as you type).
    return partial if getattr(request, "htmx", False) and not request.htmx.boosted else full


@login_required
def organisation_list_view(request):
    filters = OrganisationFilter(request.GET or None)
    selector_kwargs = filters.selector_kwargs()
    page = Paginator(organisation_list(actor=request.user, **selector_kwargs), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    q = selector_kwargs.get("q", "")
    name_fragment, code_prefix = normalise_name(q), normalise_code(q)
    rows = []
    for org in page:
        code_match = bool(code_prefix and org.credit_code and org.credit_code.startswith(code_prefix))
        rows.append({
            "org": org,
            "name_html": highlight(org.name, name_fragment),
            "aliases": [highlight(alias.name, name_fragment) for alias in org.aliases.all()],
            "code_html": (format_html("<mark>{}</mark>{}", org.credit_code[:len(code_prefix)],
                                      org.credit_code[len(code_prefix):]) if code_match else org.credit_code),
        })
    template = _results_template(request, "organisations/organisation_list.html",
                                 "organisations/partials/organisation_results.html")
    return render(request, template, {
        "filters": filters, "page": page, "rows": rows, "q": q,
        "may_write_library": may_write_library(request.user),
    })


def _history(organisation: Organisation) -> list[dict]:
    """Audit rows with field names and choice values in the words the form uses."""
    fields = {f.name: f for f in Organisation._meta.fields}

    def shown(field, value):
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if field is not None and field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    entries = []
    for log in audit_for_object(organisation):
        changes = []
        for name, (before, after) in (log.changes or {}).items():
            if before in (None, "", False) and after in (None, "", False):
                continue
            field = fields.get(name)
            changes.append({
                "label": field.verbose_name if field else name,
                "before": shown(field, before), "after": shown(field, after),
            })
        entries.append({"log": log, "changes": changes})
    return entries


@login_required
def organisation_detail_view(request, pk: int):
    actor = request.user
    org = organisation_get(actor=actor, pk=pk)
    read_only = actor_scope(actor).read_only
    return render(request, "organisations/organisation_detail.html", {
        "org": org,
        "aliases": list(org.aliases.all()),
        "people": person_list(actor=actor, organisation_id=org.pk)[:50],
        "projects": project_list(actor=actor, organisation_id=org.pk)[:50],
        # Other units' work on this organisation: who holds it and until when, nothing else.
        "claims": organisation_claims(actor=actor, organisation=org),
        "activities": activity_list(actor=actor, organisation_id=org.pk)[:20],
        "history": _history(org),
        "may_write_library": may_write_library(actor),
        "may_create_projects": may_create_projects(actor),
        "may_record_activity": not read_only,
    })


def _create(request, form, service, *, url_for, fallback: str):
    """The create flow shared by the library's forms: run the service on a valid form and return
    where to go next, or None when the form now carries the service's refusal. A repeat of an
    already-saved form (double click, back button) creates nothing and goes to what the first made."""
    key = form.cleaned_data["submission_key"]
    try:
        obj = service(actor=request.user, submission_key=key, **form.service_kwargs())
    except ConflictError as error:
        if error.code != "duplicate_submission":
            apply_domain_error(form, error)
            return None
        messages.warning(request, error.message)
        return error.object_url or reverse(fallback)
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    url = url_for(obj)
    submission_record_result(key=key, url=url)
    messages.success(request, _("已登记“%(name)s”。") % {"name": obj.name})
    return url


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create_view(request):
    require(may_write_library(request.user), READ_ONLY_LIBRARY)
    if request.method == "POST":
        form = OrganisationCreateForm(request.POST)
        if form.is_valid():
            url = _create(request, form, organisation_create, fallback="organisations:list",
                          url_for=lambda org: reverse("organisations:detail", args=[org.pk]))
            if url:
                return redirect(url)
    else:
        form = OrganisationCreateForm(initial={"submission_key": new_submission_key(),
                                               "name": request.GET.get("name", "")})
    return render(request, "organisations/organisation_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit_view(request, pk: int):
    org = organisation_get(actor=request.user, pk=pk)
    require(may_write_library(request.user), READ_ONLY_LIBRARY)
    if request.method == "POST":
        form = OrganisationEditForm(request.POST)
        if form.is_valid():
            try:
                organisation_update(actor=request.user, organisation=org, version=form.cleaned_data["version"],
                                    **form.service_kwargs())
            except DomainError as error:  # a ConflictError too: someone saved first, and nothing of ours was written
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已保存“%(name)s”的修改。") % {"name": org.name})
                return redirect("organisations:detail", pk=org.pk)
    else:
        form = OrganisationEditForm(initial=OrganisationForm.initial_for(org))
    return render(request, "organisations/organisation_form.html", {"form": form, "org": org, "creating": False})


@login_required
def person_list_view(request):
    filters = PersonFilter(request.GET or None)
    page = Paginator(person_list(actor=request.user, **filters.selector_kwargs()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = _results_template(request, "organisations/person_list.html", "organisations/partials/person_results.html")
    return render(request, template, {"filters": filters, "page": page,
                                      "may_write_library": may_write_library(request.user)})


def _person_url(person) -> str:
    # A person has no page of their own yet; they are shown on their organisation's page.
    if person.organisation_id:
        return reverse("organisations:detail", args=[person.organisation_id])
    return reverse("organisations:person_list")


@login_required
@require_http_methods(["GET", "POST"])
def person_create_view(request):
    actor = request.user
    require(may_write_library(actor), READ_ONLY_LIBRARY)
    if request.method == "POST":
        form = PersonCreateForm(request.POST, actor=actor)
        if form.is_valid():
            url = _create(request, form, person_create, fallback="organisations:person_list", url_for=_person_url)
            if url:
                return redirect(url)
    else:
        initial = {"submission_key": new_submission_key()}
        if request.GET.get("organisation", "").isdigit():
            initial["organisation"] = organisation_get(actor=actor, pk=int(request.GET["organisation"])).name
        form = PersonCreateForm(initial=initial, actor=actor)
    return render(request, "organisations/person_form.html", {"form": form})
