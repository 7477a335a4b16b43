"""Import pages (upload, job progress, error report) and the library's XLSX export: thin — parse,
call a selector or a service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.permissions import may_write_library, require
from apps.audit.decorators import audited_export
from apps.core.errors import DomainError
from apps.imports.export import import_report, organisation_export, organisation_export_size, write_xlsx
from apps.imports.forms import ImportUploadForm
from apps.imports.selectors import import_issue_list, import_job_get, import_job_list
from apps.imports.services import READ_ONLY, import_job_cancel, import_job_create, import_job_resume
from apps.imports.tasks import import_watch_enqueue, run_import_task
from apps.organisations import bulk
from apps.organisations.filters import OrganisationFilter

ISSUES_SHOWN = 50


def _xlsx_response(tmp, filename: str) -> FileResponse:
    # FileResponse streams the temporary file in blocks and closes (so deletes) it at the end.
    return FileResponse(tmp, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
def import_list_view(request):
    require(may_write_library(request.user), READ_ONLY)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = import_job_create(actor=request.user, file=upload, original_name=upload.name,
                                    dry_run=form.cleaned_data["dry_run"])
            result = run_import_task.enqueue(job.pk)
            type(job).objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
            import_watch_enqueue(job.pk)  # queues it again should the worker die mid-import
            messages.success(request, _("已上传“%(name)s”，正在后台导入。") % {"name": job.original_name})
            return redirect("imports:detail", pk=job.pk)
    else:
        form = ImportUploadForm()
    page = Paginator(import_job_list(actor=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "imports/import_list.html", {"form": form, "page": page})


def _job_context(request, pk: int) -> dict:
    require(may_write_library(request.user), READ_ONLY)
    job = import_job_get(actor=request.user, pk=pk)
    return {"job": job}


@login_required
def import_detail_view(request, pk: int):
    context = _job_context(request, pk)
    job = context["job"]
    context["issues"] = list(import_issue_list(job=job)[:ISSUES_SHOWN])
    context["issues_more"] = max(0, job.failed_count + job.warning_count - len(context["issues"]))
    return render(request, "imports/import_detail.html", context)


@login_required
def import_progress_view(request, pk: int):
    """The progress card alone, polled by htmx every second while the job is queued or running."""
    context = _job_context(request, pk)
    response = render(request, "imports/partials/progress.html", context)
    if getattr(request, "htmx", False) and not context["job"].is_active:
        # Finished while the page watched: reload it once so the issue table and report appear.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_cancel_view(request, pk: int):
    job = _job_context(request, pk)["job"]
    try:
        import_job_cancel(actor=request.user, job=job)
    except DomainError as error:
        messages.warning(request, error.message)
    else:
        messages.info(request, _("已取消导入；已提交的部分保留。"))
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def import_resume_view(request, pk: int):
    require(may_write_library(request.user), READ_ONLY)
    job = import_job_get(actor=request.user, pk=pk, action="change")
    checkpoint = job.rows_done
    try:
        import_job_resume(actor=request.user, job=job)
    except DomainError as error:
        messages.warning(request, error.message)
    else:
        messages.info(request, _("已重新排队，将从第%(n)s行之后继续导入。") % {"n": checkpoint})
    return redirect("imports:detail", pk=job.pk)


@login_required
@audited_export("导入错误报告")
def import_report_view(request, pk: int):
    job = _job_context(request, pk)["job"]
    stem = job.original_name.rsplit(".", 1)[0][:60]
    return _xlsx_response(import_report(job), f"{stem}-错误报告.xlsx")


@login_required
def import_template_view(request):
    require(may_write_library(request.user), READ_ONLY)
    header = [bulk.label(key) for key in bulk.HEADER_ORDER]
    return _xlsx_response(write_xlsx("目标库", header, []), "目标库导入模板.xlsx")


@login_required
@audited_export("目标库导出")
def organisation_export_view(request):
    """The list page's filters, the list page's rows, as XLSX — whoever may see the list may export it.
    Up to settings.ORGANISATION_EXPORT_MAX_ROWS: the file is written while the person waits, at a few
    thousand rows a second, and the server ends a request after a minute — the whole library of a
    million would be cut off half-way with nothing to show. Larger sets are narrowed by the filters,
    or exported from the command line (manage.py export_organisations)."""
    filters = OrganisationFilter(request.GET or None).selector_kwargs()
    size = organisation_export_size(actor=request.user, filters=filters)
    if size > settings.ORGANISATION_EXPORT_MAX_ROWS:
        messages.warning(request, _(
            "当前筛选结果共 %(size)s 个主体，超过单次导出上限 %(max)s 个：请按类型、行业或检索词缩小范围后分批导出；"
            "需要导出全库时请联系系统管理员（命令 manage.py export_organisations）。") % {
                "size": f"{size:,}", "max": f"{settings.ORGANISATION_EXPORT_MAX_ROWS:,}"})
        query = request.GET.urlencode()
        return redirect(reverse("organisations:list") + (f"?{query}" if query else ""))
    today = timezone.localdate().strftime("%Y%m%d")
    return _xlsx_response(organisation_export(actor=request.user, filters=filters), f"目标库导出-{today}.xlsx")
