"""Merge pages: pick the duplicate, confirm what moves, merge; the list of merges with undo. Thin:
the rules and the refusals are in merge.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import may_merge_organisations
from apps.core.errors import DomainError
from apps.organisations.merge import (
    merge_counts,
    merge_get,
    merge_list,
    merge_target_get,
    organisation_merge,
    organisation_merge_preview,
    organisation_merge_undo,
)
from apps.organisations.selectors import organisation_list

PAGE_SIZE = 25
PICK_LIMIT = 20


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def organisation_merge_view(request, pk: int):
    """GET without a duplicate: the picker (an id, or a search); GET with ?duplicate=: the confirmation
    showing what will move; POST: the merge."""
    actor = request.user
    survivor = merge_target_get(actor=actor, pk=pk)
    raw = request.POST.get("duplicate") if request.method == "POST" else request.GET.get("duplicate")
    q = (request.GET.get("q") or "").strip()
    context = {"survivor": survivor, "q": q, "duplicate_text": raw or ""}
    if raw:
        duplicate_id = _int(raw)
        duplicate = None
        if not duplicate_id:
            context["error"] = _("重复主体：请填写目标库中的编号（数字），或用名称搜索后选择。")
        else:
            try:
                duplicate = merge_target_get(actor=actor, pk=duplicate_id)
            except Http404:
                context["error"] = _("重复主体：目标库中没有编号为%(id)s的主体。") % {"id": duplicate_id}
        if duplicate is not None:
            context["duplicate"] = duplicate
            try:
                context["preview"] = organisation_merge_preview(actor=actor, survivor=survivor, merged=duplicate)
                if request.method == "POST":
                    organisation_merge(actor=actor, survivor=survivor, merged=duplicate,
                                       reason=request.POST.get("reason", ""))
                    messages.success(request, _("已将“%(merged)s”合并到“%(survivor)s”。") % {
                        "merged": duplicate.name, "survivor": survivor.name})
                    return redirect("organisations:detail", pk=survivor.pk)
            except DomainError as error:
                context["error"] = error.message
                context.pop("preview", None)
            context["reason"] = request.POST.get("reason", "")
            if "preview" in context:
                return render(request, "organisations/merge_confirm.html", context)
    if q:
        context["candidates"] = [
            org for org in organisation_list(actor=actor, q=q)[:PICK_LIMIT + 1]
            if org.pk != survivor.pk and not org.merged_into_id
        ][:PICK_LIMIT]
    return render(request, "organisations/merge_pick.html", context)


@login_required
@require_GET
def merge_list_view(request):
    actor = request.user
    page = Paginator(merge_list(actor=actor, organisation_id=_int(request.GET.get("organisation"))),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"merge": merge, "counts": merge_counts(merge)} for merge in page]
    return render(request, "organisations/merge_list.html", {
        "page": page, "rows": rows, "may_merge": may_merge_organisations(actor),
    })


@login_required
@require_POST
def merge_undo_view(request, pk: int):
    actor = request.user
    merge = merge_get(actor=actor, pk=pk)
    try:
        organisation_merge_undo(actor=actor, merge=merge)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤销合并：“%(merged)s”已从“%(survivor)s”中分出，关联记录已迁回。") % {
            "merged": merge.merged.name, "survivor": merge.survivor.name})
    return redirect("organisations:merges")
