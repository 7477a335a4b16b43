"""招商情报 pages. Thin: the form parses, services write, selectors read. The review page only reads;
every write is one POST on one candidate (htmx swaps the candidate's card; without JS the POST
redirects back to the page with a message)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import VIEW, may_write_library, require
from apps.audit.selectors import record_history
from apps.core.errors import DomainError
from apps.core.forms import apply_domain_error
from apps.events.models import Event, Signing
from apps.intelligence import selectors, services
from apps.intelligence.forms import ArticleForm, SigningActionForm
from apps.organisations.models import Organisation
from apps.projects.choices import AgreementType
from apps.projects.models import Project
from apps.units.models import Unit

PAGE_SIZE = 20


def _pk(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _visible(model, actor, value):
    """The row the form names, if the actor sees it; a row they may not see is a 404 as everywhere."""
    pk = _pk(value)
    if pk is None:
        return None
    manager = model.objects.restrict(actor, VIEW) if hasattr(model.objects, "restrict") else model.objects
    row = manager.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@login_required
@require_GET
def article_list_view(request):
    page = Paginator(selectors.article_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "intelligence/list.html", {
        "page": page, "may_create": may_write_library(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def article_create_view(request):
    require(may_write_library(request.user), _("您的角色为只读，不能添加情报文章。"))
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article, created = services.article_create(
                actor=request.user, text=data["text"], file=data["file"], title=data["title"],
                source=data["source"], url=data["url"], published=data["published"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if created:
                messages.success(request, _("已添加文章并完成抽取，请逐条核对后点击确认。"))
            else:
                messages.info(request, _("本单位已添加过这篇文章，已为您打开原记录。"))
            return redirect("intelligence:detail", pk=article.pk)
    return render(request, "intelligence/create.html", {"form": form})


def _review_context(request, article) -> dict:
    from apps.relations.choices import RelationKind

    actor = request.user
    links = selectors.article_links(article)
    return {
        "article": article,
        "highlighted": selectors.highlighted_text(article),
        "groups": selectors.article_candidates(actor=actor, article=article),
        "facts": selectors.article_facts(article),
        "links": links,
        "linked_organisations": selectors.linked_organisations(links),
        "relations": selectors.article_relations(article),
        "relation_kinds": RelationKind.choices,
        "may_act": may_write_library(actor),
        "mark_kinds": selectors.MARK_KINDS,
        "agreement_types": AgreementType.choices,
    }


@login_required
@require_GET
def article_detail_view(request, pk: int):
    article = selectors.article_get(actor=request.user, pk=pk)
    return render(request, "intelligence/detail.html",
                  {**_review_context(request, article), "history": record_history(article)})


@login_required
@require_POST
def article_act_view(request, pk: int, item_key: str):
    """One click on one candidate: choice=link (with the record's id) or choice=create."""
    actor = request.user
    article = selectors.article_get(actor=actor, pk=pk)
    kind = item_key.partition(":")[0]
    choice = request.POST.get("choice", "create")
    error = None
    try:
        if kind == "org":
            organisation = _visible(Organisation, actor, request.POST.get("target")) if choice == "link" else None
            link = services.article_link_organisation(actor=actor, article=article, item_key=item_key,
                                                      organisation=organisation)
        elif kind == "project":
            project = _visible(Project, actor, request.POST.get("target")) if choice == "link" else None
            link = services.article_link_project(
                actor=actor, article=article, item_key=item_key, project=project,
                organisation=_visible(Organisation, actor, request.POST.get("organisation")),
                unit=_visible(Unit, actor, request.POST.get("unit")))
        elif kind == "event":
            event = _visible(Event, actor, request.POST.get("target")) if choice == "link" else None
            link = services.article_link_event(actor=actor, article=article, item_key=item_key, event=event)
        elif kind == "signing":
            form = SigningActionForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("协议类型：请选择意向协议、框架协议或正式合同。"), field="agreement_type")
            signing = _visible(Signing, actor, request.POST.get("target")) if choice == "link" else None
            link = services.article_link_signing(
                actor=actor, article=article, item_key=item_key, signing=signing,
                agreement_type=form.cleaned_data["agreement_type"],
                exchange_rate=form.cleaned_data["exchange_rate"] or None)
        else:
            raise Http404
    except DomainError as exc:
        error = exc.message
        link = None
    if request.htmx:
        article.refresh_from_db()
        groups = selectors.article_candidates(actor=actor, article=article, only=item_key)
        candidate = next((c for group in groups.values() for c in group), None)
        if candidate is None:
            raise Http404
        response = render(request, "intelligence/partials/candidate.html", {
            "article": article, "c": candidate, "error": error, "may_act": may_write_library(actor),
            "agreement_types": AgreementType.choices,
        })
        if link is not None:
            # The list of what the article fed, and the cards that depend on this one, are refreshed.
            response["HX-Trigger"] = "article-linked"
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已%(action)s：%(target)s") % {"action": link.get_action_display(),
                                                                 "target": link.target})
    return redirect(reverse("intelligence:detail", args=[article.pk]) + f"#item-{item_key.replace(':', '-')}")


@login_required
@require_GET
def article_panel_view(request, pk: int):
    """The candidates and the list of what the article fed, re-read after a click (htmx): a card
    that depends on another (a project needs its organisation) shows the new state."""
    article = selectors.article_get(actor=request.user, pk=pk)
    return render(request, "intelligence/partials/panel.html", _review_context(request, article))


@login_required
@require_POST
def article_relation_view(request, pk: int):
    """A relation the article states between two organisations linked on it ("X 成为 Y 的一级供应商"),
    recorded on a click with the sentence as evidence (apps.relations, source "news")."""
    from apps.relations.services import relation_propose_from_news

    article = selectors.article_get(actor=request.user, pk=pk)
    require(may_write_library(request.user), _("您的角色为只读，不能登记企业关系。"))
    linked = {org.pk: org for org in selectors.linked_organisations(selectors.article_links(article))}
    organisation, related = linked.get(_pk(request.POST.get("organisation"))), linked.get(_pk(request.POST.get("related")))
    back = reverse("intelligence:detail", args=[article.pk]) + "#article-relations"
    if organisation is None or related is None:
        messages.error(request, _("企业关系：请在本文已关联的企业中选择两家。"))
        return redirect(back)
    try:
        relation, created = relation_propose_from_news(
            actor=request.user, article=article, organisation=organisation, related=related,
            kind=request.POST.get("kind", ""), evidence=(request.POST.get("evidence") or "").strip()[:500])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        words = {"org": relation.organisation.name, "related": relation.related.name,
                 "kind": relation.get_kind_display()}
        if created:
            messages.success(request, _("已登记：%(related)s是%(org)s的%(kind)s。") % words)
        else:
            messages.info(request, _("目标库已有此关系（%(related)s是%(org)s的%(kind)s），未重复登记。") % words)
    return redirect(back)
