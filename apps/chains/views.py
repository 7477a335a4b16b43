"""Chain pages: the 33618 clusters, a cluster's map (edited by office admins), its versions, import and
export, the gap analysis with its tree, one link's lists, and a project's chain role. Thin: forms
parse, services write, selectors read."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import VIEW, may_write_library, require
from apps.audit.decorators import audited_export
from apps.chains import classify, excel, rules, selectors, services
from apps.chains.forms import AddLinkForm, ImportForm, LinkForm, MoveLinkForm, PlaceForm, PlacementsMoveForm
from apps.chains.maps import parse_map
from apps.chains.models import Placement, PlacementMethod
from apps.core.errors import DomainError
from apps.core.forms import apply_domain_error
from apps.organisations.models import Organisation
from apps.projects.models import Project
from apps.projects.selectors import project_get
from apps.units.models import Unit
from apps.units.selectors import unit_list

ROLE_ROWS = 20
STATUS_COLOURS = {selectors.STRONG: "#2e7d32", selectors.WEAK: "#f9a825", selectors.MISSING: "#c62828"}


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _unit(request) -> Unit | None:
    value = request.GET.get("unit", "")
    if not value.isdigit():
        return None
    return Unit.objects.filter(pk=int(value)).first()


@login_required
@require_GET
def index_view(request):
    return render(request, "chains/index.html", {"tiers": selectors.cluster_list(actor=request.user)})


@login_required
@require_GET
def map_view(request, cluster_id):
    cluster = selectors.cluster_get(actor=request.user, pk=_pk(cluster_id))
    may_edit = services.may_edit_maps(request.user)
    return render(request, "chains/map.html", {
        "cluster": cluster, "tree": selectors.cluster_tree(cluster), "may_edit": may_edit,
        "add_form": AddLinkForm(cluster=cluster) if may_edit else None,
        "versions": selectors.map_versions(cluster=cluster)[:5],
        "units": unit_list(include_office=False),
    })


def _back_to_map(link_or_cluster_id):
    return redirect("chains:map", link_or_cluster_id)


def _edit_guard(request):
    if not services.may_edit_maps(request.user):
        raise PermissionDenied("只有驻京办管理员可以修改产业链图。")


@login_required
@require_POST
def link_add_view(request, cluster_id):
    _edit_guard(request)
    cluster = selectors.cluster_get(actor=request.user, pk=_pk(cluster_id))
    form = AddLinkForm(request.POST, cluster=cluster)
    if form.is_valid():
        data = form.cleaned_data
        try:
            link = services.link_create(actor=request.user, cluster=cluster, parent=data["parent"], name=data["name"],
                                        keywords=data["keywords"], description=data["description"],
                                        source_note=data["source_note"], foundation=data["foundation"],
                                        extension=data["extension"])
            messages.success(request, _("已新增环节“%(path)s”。") % {"path": services.link_path(link)})
            return _back_to_map(cluster.pk)
        except DomainError as error:
            apply_domain_error(form, error)
    return render(request, "chains/map.html", {
        "cluster": cluster, "tree": selectors.cluster_tree(cluster), "may_edit": True, "add_form": form,
        "versions": selectors.map_versions(cluster=cluster)[:5], "units": unit_list(include_office=False),
    }, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def link_edit_view(request, link_id):
    link = selectors.link_get(actor=request.user, pk=_pk(link_id))
    _edit_guard(request)
    initial = {"name": link.name, "keywords": "、".join(link.keywords or []), "description": link.description,
               "source_note": link.source_note, "foundation": link.foundation, "extension": link.extension}
    form = LinkForm(request.POST or None, initial=initial)
    move_form = MoveLinkForm(link=link, initial={"parent": link.parent_id})
    placements_form = PlacementsMoveForm(link=link)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_update(actor=request.user, link=link, **form.cleaned_data)
            messages.success(request, _("已保存。"))
            return _back_to_map(link.cluster_id)
        except DomainError as error:
            apply_domain_error(form, error)
    return render(request, "chains/link_edit.html", {
        "link": link, "path": services.link_path(link), "form": form, "move_form": move_form,
        "placements_form": placements_form, "placed": Placement.objects.filter(link=link).count(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def link_move_view(request, link_id):
    link = selectors.link_get(actor=request.user, pk=_pk(link_id))
    _edit_guard(request)
    form = MoveLinkForm(request.POST, link=link)
    if form.is_valid():
        try:
            services.link_move(actor=request.user, link=link, parent=form.cleaned_data["parent"],
                               after=form.cleaned_data["after"])
            messages.success(request, _("已移动到“%(path)s”。") % {"path": services.link_path(link)})
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请选择有效的上级环节。"))
    return _back_to_map(link.cluster_id)


@login_required
@require_POST
def link_delete_view(request, link_id):
    link = selectors.link_get(actor=request.user, pk=_pk(link_id))
    _edit_guard(request)
    try:
        services.link_delete(actor=request.user, link=link)
        messages.success(request, _("已删除环节“%(name)s”。") % {"name": link.name})
        return _back_to_map(link.cluster_id)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("chains:link_edit", link.pk)


@login_required
@require_POST
def placements_move_view(request, link_id):
    link = selectors.link_get(actor=request.user, pk=_pk(link_id))
    _edit_guard(request)
    form = PlacementsMoveForm(request.POST, link=link)
    if form.is_valid():
        try:
            moved = services.placements_move(actor=request.user, source=link, target=form.cleaned_data["target"])
            messages.success(request, _("已移动%(n)s个标注。") % {"n": moved})
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("chains:link_edit", link.pk)


@login_required
@require_GET
def versions_view(request, cluster_id):
    cluster = selectors.cluster_get(actor=request.user, pk=_pk(cluster_id))
    return render(request, "chains/versions.html", {
        "cluster": cluster, "versions": selectors.map_versions(cluster=cluster),
        "may_edit": services.may_edit_maps(request.user),
    })


@login_required
@require_GET
def version_view(request, cluster_id, number):
    cluster = selectors.cluster_get(actor=request.user, pk=_pk(cluster_id))
    version = selectors.version_get(actor=request.user, cluster=cluster, number=_pk(number))
    from apps.chains.maps import flatten

    rows = flatten(version.snapshot.get("links", []))
    return render(request, "chains/version.html", {
        "cluster": cluster, "version": version, "rows": rows, "may_edit": services.may_edit_maps(request.user),
    })


@login_required
@require_POST
def version_restore_view(request, cluster_id, number):
    cluster = selectors.cluster_get(actor=request.user, pk=_pk(cluster_id))
    version = selectors.version_get(actor=request.user, cluster=cluster, number=_pk(number))
    _edit_guard(request)
    try:
        new = services.version_restore(actor=request.user, version=version)
        messages.success(request, _("已恢复到第%(old)s版（保存为第%(new)s版）。") % {"old": version.number, "new": new.number})
        return _back_to_map(cluster.pk)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("chains:version", cluster.pk, version.number)


@login_required
@require_GET
@audited_export("产业链图导出")
def export_view(request, cluster_id, fmt):
    cluster = selectors.cluster_get(actor=request.user, pk=_pk(cluster_id))
    data = services.map_snapshot(cluster)
    if fmt == "json":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")
    elif fmt == "xlsx":
        response = HttpResponse(excel.map_to_xlsx(data), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition_header(True, f"产业链图-{cluster.name}.{fmt}")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, cluster_id):
    cluster = selectors.cluster_get(actor=request.user, pk=_pk(cluster_id))
    _edit_guard(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        note = form.cleaned_data["note"] or f"导入文件“{upload.name}”"
        try:
            if upload.name.lower().endswith(".json"):
                try:
                    data = json.loads(content.decode("utf-8-sig"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise DomainError("无法读取该文件：不是UTF-8编码的JSON。", field="file") from None
                parsed, errors = parse_map(data)
                if not errors:
                    services.map_replace(actor=request.user, cluster=cluster, data=parsed, note=note)
            else:
                rows, sources, errors = excel.xlsx_to_rows(content)
                if not errors:
                    services.map_import_rows(actor=request.user, cluster=cluster, rows=rows, sources=sources,
                                             note=note)
            if not errors:
                messages.success(request, _("已导入，链图已保存为新版本。"))
                return _back_to_map(cluster.pk)
        except DomainError as error:
            errors = error.extra.get("errors") or [error.message]
    return render(request, "chains/import.html", {"cluster": cluster, "form": form, "errors": errors},
                  status=400 if errors else 200)


@login_required
@require_GET
def gaps_view(request, cluster_id):
    cluster = selectors.cluster_get(actor=request.user, pk=_pk(cluster_id))
    unit = _unit(request)
    report = selectors.gap_analysis(actor=request.user, cluster=cluster, unit=unit)
    query = f"?unit={unit.pk}" if unit else ""
    project_roles = {}
    for row in report.rows:
        row.url = reverse("chains:link", args=[row.node.link.pk]) + query
        for project in row.projects:
            # Each role costs a few queries: the page shows the first ROLE_ROWS, the rest are a click away.
            if project.pk not in project_roles and row.is_leaf and len(project_roles) < ROLE_ROWS:
                project_roles[project.pk] = (project, rules.role_for_link(project, row.node.link))

    def tree_node(node):
        row = report.row_for(node.link.id)
        return {"name": node.link.name, "value": row.firm_count, "status": row.status, "url": row.url,
                "label": row.status_label, "itemStyle": {"color": STATUS_COLOURS[row.status]},
                "children": [tree_node(child) for child in node.children]}

    chart = {"name": cluster.name, "itemStyle": {"color": "#90a4ae"}, "children": [tree_node(n) for n in selectors.cluster_tree(cluster)
                                                 if n.depth == 0]} if report.rows else None
    return render(request, "chains/gaps.html", {
        "cluster": cluster, "unit": unit, "report": report, "counts": report.counts(),
        "units": unit_list(include_office=False), "chart": {"tree": chart, "labels": {"firms": "企业数"}},
        "project_roles": list(project_roles.values()), "query": query, "computed_at": report.computed_at,
    })


@login_required
@require_GET
def link_view(request, link_id):
    link = selectors.link_get(actor=request.user, pk=_pk(link_id))
    unit = _unit(request)
    row = selectors.link_gaps(actor=request.user, link=link, unit=unit)
    return render(request, "chains/link.html", {
        "link": link, "path": services.link_path(link), "row": row, "unit": unit,
        "placements": selectors.placements_for_link(actor=request.user, link=link, unit=unit),
        "place_form": PlaceForm(), "query": f"?unit={unit.pk}" if unit else "",
        "may_write": may_write_library(request.user),
    })


def _resolve_subject(request, data):
    organisation = project = None
    if data.get("project"):
        project = project_get(actor=request.user, pk=data["project"])
    elif data.get("organisation"):
        organisation = get_object_or_404(Organisation.objects.restrict(request.user, VIEW), pk=data["organisation"])
    elif data.get("organisation_name"):
        matches = list(Organisation.objects.restrict(request.user, VIEW).filter(
            name=data["organisation_name"].strip(), merged_into__isnull=True)[:2])
        if len(matches) != 1:
            raise DomainError("没有找到这个名称的目标主体（请填写完整名称，或先在目标库中登记）。"
                              if not matches else "有多个同名目标主体，请从目标主体页面进行标注。",
                              field="organisation_name")
        organisation = matches[0]
    return organisation, project


@login_required
@require_POST
def place_view(request, link_id):
    link = selectors.link_get(actor=request.user, pk=_pk(link_id))
    # Placing is library work (a project's placement also needs the right to change the project, which
    # placement_create asks): a read-only role is refused before its form is read.
    require(may_write_library(request.user), _("您的角色为只读，不能标注产业链。"))
    form = PlaceForm(request.POST)
    back = request.POST.get("next") or reverse("chains:link", args=[link.pk])
    if not back.startswith("/"):
        back = reverse("chains:link", args=[link.pk])
    if form.is_valid():
        data = form.cleaned_data
        try:
            organisation, project = _resolve_subject(request, data)
            method = PlacementMethod.SUGGESTED if data["method"] == PlacementMethod.SUGGESTED else PlacementMethod.MANUAL
            services.placement_create(actor=request.user, link=link, organisation=organisation, project=project,
                                      is_chain_leader=data["is_chain_leader"], method=method, reason=data["reason"])
            messages.success(request, _("已标注到“%(path)s”。") % {"path": services.link_path(link)})
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("标注信息不完整。"))
    return redirect(back)


def _placement(request, placement_id) -> Placement:
    placement = get_object_or_404(Placement.objects.select_related("link", "organisation", "project"),
                                  pk=_pk(placement_id))
    if placement.project_id and not Project.objects.restrict(request.user, VIEW).filter(
            pk=placement.project_id).exists():
        raise Http404
    return placement


@login_required
@require_POST
def placement_delete_view(request, placement_id):
    placement = _placement(request, placement_id)
    services.placement_delete(actor=request.user, placement=placement)
    messages.success(request, _("已取消标注。"))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") else reverse("chains:link", args=[placement.link_id]))


@login_required
@require_POST
def placement_leader_view(request, placement_id):
    placement = _placement(request, placement_id)
    try:
        services.placement_set_leader(actor=request.user, placement=placement,
                                      is_chain_leader=request.POST.get("is_chain_leader") == "1")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("chains:link", placement.link_id)


@login_required
@require_GET
def organisation_suggest_view(request, organisation_id):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user, VIEW), pk=_pk(organisation_id))
    return render(request, "chains/suggest.html", {
        "organisation": organisation,
        "suggestions": classify.suggest(organisation.name, organisation.description,
                                        organisation.industry_section),
        "placements": selectors.organisation_placements(organisation=organisation),
        "may_write": services.may_place(request.user, organisation=organisation),
    })


@login_required
@require_GET
def project_chain_view(request, project_id):
    """The project's place on the chains and its suggested role — a fragment the project page can include
    (htmx) or a page of its own."""
    project = project_get(actor=request.user, pk=_pk(project_id))
    context = _project_chain_context(request.user, project)
    template = "chains/partials/project_chain.html" if request.headers.get("HX-Request") else "chains/project.html"
    return render(request, template, context)


def _project_chain_context(actor, project) -> dict:
    suggestion = rules.suggest_chain_role(project)
    placements = selectors.project_placements(project=project)
    suggestions = []
    if services.may_place(actor, project=project):
        text = " ".join(filter(None, [project.name, project.description]))
        placed = {p.link_id for p in placements}
        # Only links the project is not on yet: a suggestion to place it where it already is helps nobody.
        suggestions = [s for s in classify.suggest(project.organisation.name, text, project.organisation.industry_section)
                       if s.link.pk not in placed]
    return {"project": project, "suggestion": suggestion, "placements": placements,
            "chosen": project.get_chain_role_display() if project.chain_role else "",
            "suggestions": suggestions, "may_write": services.may_place(actor, project=project)}
