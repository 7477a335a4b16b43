"""The log cannot be edited from the app: not even a superuser can add, change or delete a row in the
admin (apps/audit/admin.py), and no page of the app writes to it except through audit_record."""

import pytest

from apps.audit.models import AuditLog
from apps.audit.services import AuditAction, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, make_user):
    admin = make_user("t_root", "office_admin", "驻京办", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.fixture
def entry(users):
    return audit_record(actor=users["office"], instance=users["office"], action=AuditAction.LOGIN, note="测试")


def test_a_superuser_reads_the_log_in_the_admin(superuser_client, entry):
    page = superuser_client.get("/admin/audit/auditlog/")
    assert page.status_code == 200
    assert superuser_client.get(f"/admin/audit/auditlog/{entry.pk}/change/").status_code == 200  # view only


def test_a_superuser_cannot_add_a_log_row(superuser_client, entry):
    rows = AuditLog.objects.count()
    assert superuser_client.get("/admin/audit/auditlog/add/").status_code == 403
    assert superuser_client.post("/admin/audit/auditlog/add/", {"action": "login", "model": "x"}).status_code == 403
    assert AuditLog.objects.count() == rows


def test_a_superuser_cannot_change_a_log_row(superuser_client, entry):
    response = superuser_client.post(f"/admin/audit/auditlog/{entry.pk}/change/",
                                     {"action": "export", "model": "x", "note": "改过"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.action, entry.note) == (AuditAction.LOGIN, "测试")


def test_a_superuser_cannot_delete_a_log_row(superuser_client, entry):
    assert superuser_client.get(f"/admin/audit/auditlog/{entry.pk}/delete/").status_code == 403
    assert superuser_client.post(f"/admin/audit/auditlog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = superuser_client.post("/admin/audit/auditlog/", {"action": "delete_selected",
                                                                "_selected_action": [entry.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_the_list_of_admin_pages_that_write_without_a_log_line_is_true(rf, make_user):
    """apps/audit/coverage.py names the models the Django admin edits outside the audit log; a new admin
    page that writes must join that list (or log its edits), and a fixed one must leave it."""
    from django.contrib import admin

    from apps.audit.coverage import ADMIN_WRITES_UNLOGGED

    request = rf.get("/admin/")
    request.user = make_user("t_root", "office_admin", "驻京办", is_staff=True, is_superuser=True)
    writable = set()
    for model, model_admin in admin.site._registry.items():
        if not model._meta.app_config.name.startswith("apps."):
            continue
        if (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
                or model_admin.has_delete_permission(request)):
            writable.add(model._meta.label)
        for inline in model_admin.get_inline_instances(request):
            if (inline.has_add_permission(request, None) or inline.has_change_permission(request)
                    or inline.has_delete_permission(request)):
                writable.add(inline.model._meta.label)
    assert writable == ADMIN_WRITES_UNLOGGED, (
        f"admin pages that write, not listed: {sorted(writable - ADMIN_WRITES_UNLOGGED)}; "
        f"listed but no longer writable: {sorted(ADMIN_WRITES_UNLOGGED - writable)}")
