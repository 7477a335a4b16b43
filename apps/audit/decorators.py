"""Exports are audited: who took which data out, when, with which filters. A view that hands out a file of
records is wrapped with @audited_export; a test (apps/audit/tests/test_exports.py) finds every export
URL and fails on one that is not wrapped."""

import functools
import re

from apps.audit.models import AuditAction
from apps.audit.services import audit_record

_FILENAME = re.compile(r"filename\*=UTF-8''(?P<quoted>[^;]+)|filename=\"?(?P<plain>[^\";]+)", re.IGNORECASE)


def _filename(response) -> str:
    from urllib.parse import unquote

    match = _FILENAME.search(response.get("Content-Disposition", ""))
    if not match:
        return ""
    return unquote(match.group("quoted")) if match.group("quoted") else match.group("plain")


def audited_export(label: str):
    """Record a successful download of ``label`` ("目标库导出") for the signed-in person: the file name,
    the path and the query (the filters that chose the rows). Refusals and errors are not exports."""

    def wrap(view):
        @functools.wraps(view)
        def audited(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and getattr(request.user, "is_authenticated", False):
                filename = _filename(response)
                audit_record(actor=request.user, instance=None, action=AuditAction.EXPORT, model_label="export",
                             changes={"path": request.path, "query": {k: request.GET.getlist(k) for k in request.GET},
                                      "file": filename},
                             note=f"{label}：{filename}" if filename else label)
            return response

        audited.audited_export = label
        return audited

    return wrap
