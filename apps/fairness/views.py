"""Pages: the office's review queue, one flag with its review form, and the one-off check of a draft.
Thin: forms parse, services write, selectors read; a flag out of sight is a 404, a flag seen but not
reviewable (a district, a leader) is a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.audit.selectors import record_history
from apps.core.errors import DomainError
from apps.core.forms import apply_domain_error
from apps.fairness import selectors, services
from apps.fairness.check import check_text, source
from apps.fairness.forms import CheckForm, ReviewForm
from apps.fairness.models import FlagStatus

PAGE_SIZE = 20
STATUS_FILTERS = {"open": FlagStatus.OPEN, "cleared": FlagStatus.CLEARED, "amended": FlagStatus.AMENDED, "all": ""}


@login_required
@require_GET
def queue_view(request):
    status_key = request.GET.get("status", "open")
    status_key = status_key if status_key in STATUS_FILTERS else "open"
    q = request.GET.get("q", "").strip()[:100]
    rows = selectors.flag_queue(actor=request.user, status=STATUS_FILTERS[status_key], q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "fairness/queue.html", {
        "page": page, "flags": page.object_list, "q": q, "status": status_key,
        "statuses": [("open", _("待审查")), ("cleared", _("已确认无问题")), ("amended", _("已修改")), ("all", _("全部"))],
        "may_review": services.may_review(request.user), "review_form": ReviewForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def flag_view(request, pk: int):
    flag = selectors.flag_get(actor=request.user, pk=pk)
    may_review = services.may_review(request.user)
    form = ReviewForm()
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied(services.REVIEW_DENIED)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.flag_review(actor=request.user, flag=flag, status=form.cleaned_data["status"],
                                     note=form.cleaned_data["note"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("已记录审查结论。"))
                return redirect("fairness:queue")
    return render(request, "fairness/flag.html", {"flag": flag, "form": form, "may_review": may_review,
                                                  "history": record_history(flag)})


def _segments(text: str, findings) -> list[tuple[str, object]]:
    """The text cut into plain runs and highlighted findings, for the page to mark up without |safe."""
    parts, at = [], 0
    for finding in findings:
        if finding.start < at:
            continue
        if finding.start > at:
            parts.append((text[at:finding.start], None))
        parts.append((text[finding.start:finding.end], finding))
        at = finding.end
    if at < len(text):
        parts.append((text[at:], None))
    return parts


@login_required
@require_http_methods(["GET", "POST"])
def check_view(request):
    findings, segments, checked = [], [], False
    form = CheckForm()
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["content"]
            findings = check_text(content)
            segments = _segments(content, findings)
            checked = True
    return render(request, "fairness/check.html", {
        "form": form, "findings": findings, "segments": segments, "checked": checked, "source": source(),
    })
