"""Target-library pages: thin — parse, call a selector or a service, render."""

import functools
import html

from django.conf import settings
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
from apps.activities.selectors import organisation_activities
from apps.audit.selectors import record_history
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
from apps.organisations.matching import match_organisation
from apps.organisations.models import Organisation
from apps.organisations.names import search_form
from apps.organisations.search import COUNT_CAP, LIST_CAP, is_code_query, normalise_query, terms_of
from apps.organisations.selectors import organisation_get, organisation_list, organisation_people, person_list
from apps.organisations.services import organisation_create, organisation_update, person_create
from apps.projects.selectors import organisation_claims, organisation_projects
from apps.recommendations.selectors import may_recommend

PAGE_SIZE = 25
READ_ONLY_LIBRARY = gettext_lazy("您的角色为只读，不能登记或修改目标库。")


class _Folding(dict):
    """Each character's search form, by code point, for str.translate: a results page folds every character of
    some 60 names and aliases, the characters repeat, and translate walks the text in C. A character not yet
    seen is folded on its first lookup."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = search_form(chr(code))
        return folded


_FOLDING = _Folding()


@functools.lru_cache(maxsize=1024)
def _needle(fragment: str) -> str:
    return search_form(fragment)  # the same query's fragment for every name and alias on the page


def highlight(text: str, fragment: str) -> SafeString:
    """Wrap each occurrence of ``fragment`` in <mark>, compared in search form (full-width, traditional
    characters, case and spaces folded, as the index compares), so "服務" marks "服务" in the name.
    Every piece is escaped on its own, so neither the name nor the query can inject markup."""
    text = text or ""
    needle = _needle(fragment or "")
    if not needle:
        return escape(text)
    # The text in search form, character by character, and which original character each folded one came from.
    haystack = text.translate(_FOLDING)
    at = haystack.find(needle)
    if at < 0:  # most aliases, and names found by pinyin
        return mark_safe(html.escape(text))  # safe: escaped
    if len(haystack) == len(text):  # each character folded to one: positions are the same
        owner = range(len(text))
    else:
        owner = [index for index, ch in enumerate(text) for _ in _FOLDING[ord(ch)]]
    spans = []
    while at >= 0:
        spans.append((owner[at], owner[at + len(needle) - 1] + 1))
        at = haystack.find(needle, at + len(needle))
    # html.escape is what Django's escape() does to a str, without its lazy-argument check per piece (core.html).
    parts, last = [], 0
    for start, end in spans:
        parts.append(html.escape(text[last:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    parts.append(html.escape(text[last:]))
    return mark_safe("".join(parts))  # safe: built only from the escaped pieces above


def _results_template(request, full: str, partial: str) -> str:
    # The filter form asks for just the results when HTMX drives it (active search as you type).
    return partial if getattr(request, "htmx", False) and not request.htmx.boosted else full


# What the badge beside a search hit says about how it matched (search.Hit.match_class).
MATCH_LABELS = {
    1: gettext_lazy("开头相同"), 2: gettext_lazy("包含"), 3: gettext_lazy("拼音首字母"), 4: gettext_lazy("信用代码"),
}
SUGGESTIONS = 8


def _query_too_short(q: str) -> bool:
    # The index answers fragments of two characters or more, and credit-code prefixes.
    return bool(q) and len(normalise_query(q)) < 2 and not is_code_query(q)


def _match_label(org: Organisation, q: str) -> str:
    """Class 0 says which term was equal: the full name, the 字号 or an alias (search_text holds them in
    search form: name, 字号, aliases)."""
    cls = getattr(org, "match_class", None)
    if cls is None:
        return ""
    if cls != 0:
        return MATCH_LABELS.get(cls, "")
    if is_code_query(q):
        return _("信用代码相同")
    terms = terms_of(org.search_text)
    needle = normalise_query(q)
    if terms and terms[0] == needle:
        return _("全称相同")
    if len(terms) > 1 and terms[1] == needle:
        return _("字号相同")
    return _("简称相同")


def _code_html(org: Organisation, code_prefix: str):
    code = org.credit_code
    if code_prefix and code and code.startswith(code_prefix):
        return format_html("<mark>{}</mark>{}", code[:len(code_prefix)], code[len(code_prefix):])
    return code


@login_required
def organisation_list_view(request):
    filters = OrganisationFilter(request.GET or None)
    selector_kwargs = filters.selector_kwargs()
    q = selector_kwargs.get("q", "")
    too_short = _query_too_short(q)
    if too_short:
        selector_kwargs.pop("q")
    results = organisation_list(actor=request.user, **selector_kwargs, for_page=True)
    page = Paginator(results if not too_short else results.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    name_fragment, code_prefix = normalise_name(q), normalise_code(q)
    rows = []
    for org in page:  # in the index's rank order: exact, prefix, fragment, pinyin
        rows.append({
            "org": org,
            "name_html": highlight(org.name, name_fragment),
            # Ranked rows carry their aliases' names; the unfiltered list (a queryset) prefetches them.
            "aliases": [highlight(name, name_fragment) for name in (
                org.alias_names if hasattr(org, "alias_names") else [alias.name for alias in org.aliases.all()])],
            "code_html": _code_html(org, code_prefix),
            "match_label": _match_label(org, q) if q and not too_short else "",
            # As text: the template writes it into a class name, and an int would go through number localisation.
            "match_class": "" if getattr(org, "match_class", None) is None else str(org.match_class),
        })
    template = _results_template(request, "organisations/organisation_list.html",
                                 "organisations/partials/organisation_results.html")
    return render(request, template, {
        "filters": filters, "page": page, "rows": rows, "q": q, "too_short": too_short,
        "capped": bool(getattr(results, "capped", False)) if q and not too_short else False,
        "list_cap": getattr(results, "cap", LIST_CAP), "export_cap": COUNT_CAP,
        "may_write_library": may_write_library(request.user),
        # More than one download may hold (imports.views.organisation_export_view): say so on the button.
        "export_too_large": page.paginator.count > settings.ORGANISATION_EXPORT_MAX_ROWS,
        "export_max": settings.ORGANISATION_EXPORT_MAX_ROWS,
    })


@login_required
def organisation_suggest_view(request):
    """The navbar's drop-down as the person types: up to eight ranked names, matches marked."""
    q = (request.GET.get("q") or "").strip()[:100]
    rows = []
    searched = bool(q) and not _query_too_short(q)
    if searched:
        name_fragment, code_prefix = normalise_name(q), normalise_code(q)
        for org in organisation_list(actor=request.user, q=q)[:SUGGESTIONS]:
            name_html = highlight(org.name, name_fragment)
            # Found through a short or former name: show which, so the suggestion explains itself.
            alias_html = ""
            if "<mark>" not in name_html:
                for alias in org.aliases.all():
                    marked = highlight(alias.name, name_fragment)
                    if "<mark>" in marked:
                        alias_html = marked
                        break
            rows.append({
                "org": org, "name_html": name_html, "alias_html": alias_html,
                "code_html": _code_html(org, code_prefix) if is_code_query(q) else "",
                "match_label": _match_label(org, q),
            })
    return render(request, "organisations/partials/organisation_suggest.html", {"rows": rows, "q": q, "searched": searched})


MATCH_SHOWN = 5


def _match_panel_context(actor, name: str, credit_code: str, exclude_id: int | None, *, confirmed=False) -> dict:
    """The "可能已存在" panel: candidates the matcher judges the same or likely the same, each with who
    holds it under 首谈负责制 (only the unit and the end date, as on the detail page)."""
    name = (name or "").strip()[:200]
    credit_code = (credit_code or "").strip()[:40]
    if not name and not credit_code:
        return {"candidates": [], "has_same": False}
    result = match_organisation(name, credit_code=credit_code, exclude_id=exclude_id)
    candidates = [
        {"candidate": c, "org": c.organisation,
         "claims": organisation_claims(actor=actor, organisation=c.organisation)}
        for c in result.worth_showing[:MATCH_SHOWN]
    ]
    return {"candidates": candidates, "has_same": bool(candidates) and result.verdict == "same",
            "confirmed": confirmed}


@login_required
def organisation_match_view(request):
    exclude = request.GET.get("exclude", "")
    return render(request, "organisations/partials/organisation_match.html", _match_panel_context(
        request.user, request.GET.get("name", ""), request.GET.get("credit_code", ""),
        int(exclude) if exclude.isdigit() else None,
        confirmed=bool(request.GET.get("confirm_not_duplicate")),
    ))


@login_required
def organisation_detail_view(request, pk: int):
    actor = request.user
    org = organisation_get(actor=actor, pk=pk)
    read_only = actor_scope(actor).read_only
    return render(request, "organisations/organisation_detail.html", {
        "org": org,
        "aliases": list(org.aliases.all()),
        # Each list reads the columns its rows show (core.columns), by the organisation's id where the reader's scope
        # adds nothing (compiled once per process: core.statements).
        "people": organisation_people(actor=actor, organisation_id=org.pk),
        "projects": organisation_projects(actor=actor, organisation_id=org.pk),
        # Other units' work on this organisation: who holds it and until when, nothing else.
        "claims": organisation_claims(actor=actor, organisation=org),
        "activities": organisation_activities(actor=actor, organisation_id=org.pk),
        # The library is shared: a district reads the field changes, not notes that count other units' work.
        "history": record_history(org, with_notes=actor_scope(actor).all_units),
        "may_write_library": may_write_library(actor),
        "may_create_projects": may_create_projects(actor),
        "may_record_activity": not read_only,
        "may_recommend": may_recommend(actor) and not org.merged_into_id,
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


def _form_page(request, form, *, org=None):
    # The panel is rendered with the page too, so a refusal shows the candidates (and the checkbox)
    # without JavaScript; as the name is typed htmx replaces it (organisation_match_view).
    data = form.data if form.is_bound else form.initial
    panel = _match_panel_context(request.user, data.get("name", ""), data.get("credit_code", ""),
                                 org.pk if org else None, confirmed=bool(data.get("confirm_not_duplicate")))
    return render(request, "organisations/organisation_form.html",
                  {"form": form, "org": org, "creating": org is None, **panel})


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
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit_view(request, pk: int):
    org = organisation_get(actor=request.user, pk=pk)
    require(may_write_library(request.user), READ_ONLY_LIBRARY)
    if request.method == "POST":
        # Only a changed name or code is checked: a record that already has a twin is for a merge, and
        # must not block every other edit until then.
        renamed = (normalise_name(request.POST.get("name", "")) != org.name
                   or normalise_code(request.POST.get("credit_code", "")) != (org.credit_code or ""))
        form = OrganisationEditForm(request.POST, exclude_id=org.pk, check_duplicates=renamed)
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
        form = OrganisationEditForm(initial=OrganisationForm.initial_for(org), exclude_id=org.pk)
    return _form_page(request, form, org=org)


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
