"""Every export of records is in the audit log: who, when, which file, which filters."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from apps.audit.models import AuditLog

pytestmark = pytest.mark.django_db
# URL names of views that hand out files of records. Blank import templates hold no record.
EXPORT_NAME = re.compile(r"export|xlsx|docx|report")
NOT_RECORDS = {"imports:template", "relations:import_template"}


def _patterns(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def test_every_export_url_is_audited():
    exports = {name: view for name, view in _patterns(get_resolver())
               if EXPORT_NAME.search(name.split(":")[-1]) and name not in NOT_RECORDS}
    assert len(exports) >= 8, sorted(exports)  # the list must not silently shrink to nothing
    unaudited = sorted(name for name, view in exports.items() if not hasattr(view, "audited_export"))
    assert unaudited == [], f"wrap these views with @audited_export: {unaudited}"


def test_an_export_records_who_took_which_file_with_which_filters(client, users, organisation):
    client.force_login(users["office"])
    response = client.get("/organisations/export.xlsx", {"q": "信技源"})
    assert response.status_code == 200
    entry = AuditLog.objects.get(action="export")
    assert entry.actor == users["office"] and entry.note.startswith("目标库导出：目标库导出-")
    assert entry.changes["query"] == {"q": ["信技源"]} and entry.changes["file"].endswith(".xlsx")


def test_a_refused_download_is_not_an_export(client, users):
    client.force_login(users["district"])
    assert client.get("/cockpit/briefing.docx", {"start": "2025-13-01"}).status_code == 400
    assert not AuditLog.objects.filter(action="export").exists()
