"""The Django admin and the audit log.

The log itself cannot be edited from the app: not even a superuser can add, change or delete a row in the
admin (apps/audit/admin.py), and no page of the app writes to it except through audit_record.

Every other admin page that writes logs its edits (apps.audit.admin.AuditedAdminMixin): for each model in
the admin's registry — walked here, so a new admin page cannot escape — a superuser changes a record through
the real change form and deletes one through the real delete page, and the audit log must name who, which
record, and the field's value before and after. The records are the access matrix's world
(tests/access_matrix/world.py), built once for the module and rolled back after it; each test runs in a
savepoint of its own."""

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.test import Client, RequestFactory

from apps.audit.admin import DELETE_ACTION, AuditedAdminMixin
from apps.audit.coverage import PARENT, coverage_for
from apps.audit.models import AuditLog
from apps.audit.services import AuditAction, audit_record

pytestmark = pytest.mark.django_db

ADMINS = sorted(model._meta.label for model in admin.site._registry
                if model._meta.app_config.name.startswith("apps."))
SUFFIX = "（后台改）"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from apps.accounts.models import User
    from tests.access_matrix.world import world_rolled_back

    with world_rolled_back(django_db_blocker) as w:
        office = w["users"]["office_admin"]
        w["root"] = User.objects.create_user(username="t_root", password="pw-for-tests-1", role=office.role,
                                             unit=office.unit, is_staff=True, is_superuser=True)
        _add_what_the_world_lacks(w)
        yield w


def _add_what_the_world_lacks(w):
    """Rows the world has none of (written by daily jobs, or not at all by a page), and bare records with
    no history: a record with one cannot be deleted in the admin (its history's admin allows no deletion)."""
    import datetime
    import hashlib
    from decimal import Decimal

    from django.utils import timezone

    from apps.accounts.models import ApiToken
    from apps.events.models import Event
    from apps.fulfilment.choices import AlertKind
    from apps.fulfilment.models import Alert, FundsPlanItem
    from apps.organisations.models import Organisation
    from apps.projects.models import Project
    from apps.relations.models import Referral

    project, unit, day = w["project"], w["users"]["district"].unit, datetime.date(2025, 10, 1)
    Alert.objects.create(project=project, kind=AlertKind.NO_ACTIVITY, message="长期无走访洽谈", raised_on=day)
    FundsPlanItem.objects.create(project=project, due_date=day, amount=Decimal("1000000.00"), note="首期")
    ApiToken.objects.create(user=w["users"]["district"], key_hash=hashlib.sha256(b"matrix").hexdigest(),
                            expires_at=timezone.now() + datetime.timedelta(days=30))
    bare_org = Organisation.objects.create(name="后台测试用空白企业有限公司")
    bare_project = Project.objects.create(name="后台测试用空白项目", organisation=bare_org, unit=unit,
                                          first_contact_date=day)
    Referral.objects.create(project=bare_project, referring_organisation=w["organisation"], referring_unit=unit,
                            relation_label="供应商", reason="矩阵测试")
    Project.objects.create(name="后台测试用第二个空白项目", organisation=bare_org, unit=unit, first_contact_date=day)
    Organisation.objects.create(name="后台测试用第二家空白企业有限公司")
    Event.objects.create(title="后台测试用空白活动", date=day, unit=unit)


@pytest.fixture
def root(world):
    return world["root"]


@pytest.fixture
def superuser_client(root):
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def entry(root):
    return audit_record(actor=root, instance=root, action=AuditAction.LOGIN, note="测试")


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


# ---- the log itself is read-only ---------------------------------------------------------------------

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


# ---- every other admin page that writes logs its edits --------------------------------------------------

def _writes(model_admin, request) -> bool:
    if (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)):
        return True
    return any(inline.has_add_permission(request, None) or inline.has_change_permission(request)
               or inline.has_delete_permission(request)
               for inline in model_admin.get_inline_instances(request))


def test_every_admin_page_that_writes_takes_the_audited_mixin(root):
    """Inlines are saved through their parent's save_formset, so the parent's mixin covers them."""
    request = _request(root)
    unaudited = sorted(model._meta.label for model, model_admin in admin.site._registry.items()
                       if model._meta.app_config.name.startswith("apps.") and model is not AuditLog
                       and _writes(model_admin, request) and not isinstance(model_admin, AuditedAdminMixin))
    assert not unaudited, (f"admin pages that write without logging: {unaudited} — declare them "
                           f"class FooAdmin(AuditedAdminMixin, admin.ModelAdmin) (apps/audit/admin.py)")
    assert not isinstance(admin.site._registry[AuditLog], AuditedAdminMixin)


def _post_data(form) -> dict:
    """What a browser sends for an unchanged form: each field's current value, as its widget writes it."""
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        name, value, widget = bound.html_name, bound.value(), bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts, strict=False):
                data[name + suffix] = "" if part is None else str(part)
        elif isinstance(bound.field, forms.NullBooleanField):
            data[name] = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(bound.field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(bound.field, forms.FileField):
            continue  # no upload: the stored file stays
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    return data


def _change_form_data(model_admin, request, obj) -> tuple[dict, type]:
    form_class = model_admin.get_form(request, obj, change=True)
    form = form_class(instance=obj)
    data = _post_data(form)
    prefixes = {}
    for formset_class, inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset_class.get_default_prefix()
        prefixes[prefix] = prefixes.get(prefix, 0) + 1
        if prefixes[prefix] != 1:
            prefix = f"{prefix}-{prefixes[prefix]}"
        formset = formset_class(instance=obj, prefix=prefix, queryset=inline.get_queryset(request))
        data.update(_post_data(formset.management_form))
        for inline_form in formset.forms:
            data.update(_post_data(inline_form))
    return data, form_class


def _simple_fields(form_class, model) -> list[str]:
    """The form's plain text and number fields, the safest to edit first."""
    ranked = []
    for name, field in form_class.base_fields.items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field (password1, …)
            continue
        if field.disabled or getattr(model_field, "choices", None) or model_field.unique:
            continue
        if isinstance(model_field, models.TextField):
            ranked.append((0, name))
        elif type(model_field) is models.CharField:
            ranked.append((1, name))
        elif isinstance(model_field, (models.IntegerField, models.DecimalField)) and not model_field.primary_key:
            ranked.append((2, name))
    return [name for _, name in sorted(ranked)]


def _edited(value: str, model_field):
    if isinstance(model_field, (models.IntegerField, models.DecimalField)):
        return str(int(float(value or 0)) + 1)
    limit = model_field.max_length or 1000
    return (value[: limit - len(SUFFIX)] + SUFFIX) if value else SUFFIX


def _errors(response) -> str:
    context = response.context or {}
    errors = []
    if "adminform" in context:
        errors.append(context["adminform"].form.errors.as_text())
    for formset in context.get("inline_admin_formsets", []):
        errors.append(str(formset.formset.errors) + str(formset.formset.non_form_errors()))
    return " ".join(errors)


def _model_admin(label):
    model = apps.get_model(label)
    return model, admin.site._registry[model]


@pytest.mark.parametrize("label", ADMINS)
def test_a_change_in_the_admin_is_logged_with_the_value_before_and_after(label, root, superuser_client):
    model, model_admin = _model_admin(label)
    request = _request(root)
    obj = model_admin.get_queryset(request).order_by("pk").first()
    assert obj is not None, f"the access matrix's world makes no {label}: add one (tests/access_matrix/world.py)"
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"
    last = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if not model_admin.has_change_permission(request, obj):
        # A view-only page: a hand-made POST is refused and writes nothing.
        assert superuser_client.post(url, {"note": "改过", "name": "改过"}).status_code == 403
        assert not AuditLog.objects.filter(pk__gt=last).exists()
        return
    base, form_class = _change_form_data(model_admin, request, obj)
    candidates = _simple_fields(form_class, model)
    if not candidates:
        # Nothing plain to edit (every field read-only): the deletion test below must reach it instead.
        assert model_admin.has_delete_permission(request), f"{label}: neither an edit nor a deletion to prove"
        return
    for name in candidates:
        model_field = model._meta.get_field(name)
        before = getattr(obj, name)
        data = dict(base, **{name: _edited(base.get(name, ""), model_field)})
        response = superuser_client.post(url, data)
        if response.status_code == 302:
            break
        assert response.status_code == 200, f"{label}: {response.status_code}"
    else:
        pytest.fail(f"{label}: the admin refused every edit: {_errors(response)}")
    after = getattr(model._base_manager.get(pk=obj.pk), name)
    assert after != before
    rows = list(AuditLog.objects.filter(pk__gt=last))
    assert len(rows) == 1, f"{label}: the admin's change wrote {len(rows)} audit rows"
    row = rows[0]
    assert (row.model, row.object_id, row.actor) == (model._meta.label_lower, str(obj.pk), root)
    assert row.action == AuditAction.UPDATE
    assert row.note.startswith("管理后台：")
    plain = (lambda v: None if v is None else str(v)) if not isinstance(before, (str, int)) else (lambda v: v)
    assert [plain(v) for v in row.changes[name]] == [plain(before), plain(after)]
    # The form's other values went back unchanged and are not logged — but for the date-times: the admin's
    # split date and time inputs drop the microseconds, a true change of the stored value, logged as such.
    others = set(row.changes) - {name}
    assert all(isinstance(model._meta.get_field(k), models.DateTimeField) for k in others), others


@pytest.mark.parametrize("label", ADMINS)
def test_a_deletion_in_the_admin_is_logged_before_the_row_goes(label, root, superuser_client):
    model, model_admin = _model_admin(label)
    request = _request(root)
    if not model_admin.has_delete_permission(request):
        obj = model_admin.get_queryset(request).order_by("pk").first()
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/delete/"
        rows = AuditLog.objects.count()
        assert superuser_client.post(url, {"post": "yes"}).status_code == 403
        assert model._base_manager.filter(pk=obj.pk).exists() and AuditLog.objects.count() == rows
        return
    deletable = None
    for obj in model_admin.get_queryset(request).exclude(pk=root.pk).order_by("-pk")[:50]:
        _, _, perms_needed, protected = model_admin.get_deleted_objects([obj], request)
        if not perms_needed and not protected:
            deletable = obj
            break
    assert deletable is not None, f"{label}: no record in the world that the admin may delete"
    name = str(deletable)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{deletable.pk}/delete/"
    response = superuser_client.post(url, {"post": "yes"})
    assert response.status_code == 302, f"{label}: {response.status_code}"
    assert not model._base_manager.filter(pk=deletable.pk).exists()
    row = AuditLog.objects.get(model=model._meta.label_lower, object_id=str(deletable.pk), action=DELETE_ACTION,
                               note__startswith="管理后台：删除")
    assert row.actor == root
    assert row.object_repr == name[:200]
    assert name in row.note


INLINES = sorted((model._meta.label, inline.__name__) for model, model_admin in admin.site._registry.items()
                 if model._meta.app_config.name.startswith("apps.") for inline in model_admin.inlines)


@pytest.mark.parametrize(("label", "inline_name"), INLINES)
def test_a_change_to_an_inline_row_is_logged_where_the_register_says(label, inline_name, root, superuser_client):
    """An inline row's edit is logged on the row, or on the record it belongs to when
    apps/audit/coverage.py logs the row there (parent("fk"))."""
    model, model_admin = _model_admin(label)
    request = _request(root)
    inline = next(i for i in model_admin.get_inline_instances(request) if type(i).__name__ == inline_name)
    formset_class = inline.get_formset(request, None)
    candidates = _simple_fields(formset_class.form, inline.model)
    if not (model_admin.has_change_permission(request) and inline.has_change_permission(request) and candidates):
        return  # nothing an inline form can edit: every field is read-only
    row = inline.get_queryset(request).order_by("pk").first()
    assert row is not None, f"the access matrix's world makes no {inline.model._meta.label}: add one"
    obj = getattr(row, formset_class.fk.name)
    data, _ = _change_form_data(model_admin, request, obj)
    prefix = formset_class.get_default_prefix() + "-"
    index = next(k[: -len("-id")] for k, v in data.items()
                 if k.startswith(prefix) and k.endswith("-id") and v == str(row.pk))
    name = candidates[0]
    before = getattr(row, name)
    data[f"{index}-{name}"] = _edited(data.get(f"{index}-{name}", ""), inline.model._meta.get_field(name))
    last = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = superuser_client.post(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/",
                                     data)
    assert response.status_code == 302, _errors(response)
    after = getattr(inline.model._base_manager.get(pk=row.pk), name)
    assert after != before
    logs = list(AuditLog.objects.filter(pk__gt=last))
    assert len(logs) == 1, [(r.model, r.note) for r in logs]
    entry = coverage_for(inline.model)
    logged_on = obj if entry.how == PARENT else row
    assert (logs[0].model, logs[0].object_id, logs[0].actor) == (
        logged_on._meta.label_lower, str(logged_on.pk), root)
    assert logs[0].changes[name] == [before, after]
    assert logs[0].note.startswith("管理后台：修改")


# ---- the cases the walk does not reach ---------------------------------------------------------------

def test_a_bulk_delete_logs_each_record(world, root, superuser_client):
    from apps.notifications.models import Notification

    first = world["notification"]
    second = Notification.objects.create(recipient=first.recipient, kind="test.matrix", title="第二条通知")
    response = superuser_client.post("/admin/notifications/notification/", {
        "action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"})
    assert response.status_code == 302
    assert not Notification.objects.filter(pk__in=[first.pk, second.pk]).exists()
    rows = AuditLog.objects.filter(model="notifications.notification", action=DELETE_ACTION, actor=root)
    assert sorted(rows.values_list("object_id", flat=True)) == sorted([str(first.pk), str(second.pk)])
    assert rows.get(object_id=str(second.pk)).changes["title"] == ["第二条通知", None]


def test_an_addition_in_the_admin_is_logged_as_a_creation(world, root, superuser_client):
    from apps.events.models import Event

    response = superuser_client.get("/admin/events/event/add/")
    form = response.context["adminform"].form
    data = _post_data(form)
    data.update({"title": "后台新增的活动", "date": "2025-11-20", "city": "北京",
                 "unit": str(world["users"]["district"].unit_id), "created_by": str(root.pk)})
    response = superuser_client.post("/admin/events/event/add/", data)
    assert response.status_code == 302, _errors(response)
    event = Event.objects.get(title="后台新增的活动")
    row = AuditLog.objects.get(model="events.event", object_id=str(event.pk))
    assert (row.action, row.actor) == (AuditAction.CREATE, root)
    assert row.changes["title"] == [None, "后台新增的活动"]
    assert row.note.startswith("管理后台：新增")


def test_saving_an_unchanged_form_logs_nothing(world, root, superuser_client):
    event = world["event"]
    model_admin = admin.site._registry[type(event)]
    data, _ = _change_form_data(model_admin, _request(root), event)
    rows = AuditLog.objects.count()
    assert superuser_client.post(f"/admin/events/event/{event.pk}/change/", data).status_code == 302
    assert AuditLog.objects.count() == rows


def test_an_inline_row_logged_on_its_parent_is_logged_there(world, root, superuser_client):
    """An organisation's aliases are parent('organisation') rows: their edits are logged on it."""
    from apps.organisations.models import OrganisationAlias

    org = world["organisation"]
    alias = OrganisationAlias.objects.filter(organisation=org).first() or OrganisationAlias.objects.create(
        organisation=org, name="骅远旧名")
    assert coverage_for(OrganisationAlias).how == PARENT
    model_admin = admin.site._registry[type(org)]
    data, _ = _change_form_data(model_admin, _request(root), org)
    prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS"))
    index = next(k.split("-")[-2] for k, v in data.items() if k.endswith("-id") and v == str(alias.pk))
    old_name = alias.name
    data[f"{prefix}-{index}-name"] = "后台改的别名"
    response = superuser_client.post(f"/admin/organisations/organisation/{org.pk}/change/", data)
    assert response.status_code == 302, _errors(response)
    row = AuditLog.objects.filter(model="organisations.organisation", object_id=str(org.pk)).latest("id")
    assert row.actor == root
    assert row.changes == {"name": [old_name, "后台改的别名"]}
    assert f"#{alias.pk}" in row.note and row.note.startswith("管理后台：修改")

    data[f"{prefix}-{index}-name"] = "后台改的别名"
    data[f"{prefix}-{index}-DELETE"] = "on"
    response = superuser_client.post(f"/admin/organisations/organisation/{org.pk}/change/", data)
    assert response.status_code == 302, _errors(response)
    assert not OrganisationAlias.objects.filter(pk=alias.pk).exists()
    row = AuditLog.objects.filter(model="organisations.organisation", object_id=str(org.pk)).latest("id")
    assert row.changes["name"] == ["后台改的别名", None]
    assert row.note.startswith("管理后台：删除")


def test_a_user_edited_in_the_admin_never_has_the_password_hash_in_the_log(world, root, superuser_client):
    from apps.accounts.models import User

    user = world["users"]["district"]
    old_hash = user.password
    response = superuser_client.post(f"/admin/accounts/user/{user.pk}/password/",
                                     {"password1": "Another-pw-9137", "password2": "Another-pw-9137",
                                      "usable_password": "true"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != old_hash and user.check_password("Another-pw-9137")
    row = AuditLog.objects.filter(model="accounts.user", object_id=str(user.pk)).latest("id")
    assert (row.actor, row.action, row.note) == (root, AuditAction.UPDATE, "管理后台：密码已修改")

    response = superuser_client.post("/admin/accounts/user/add/", {
        "username": "t_new_admin_user", "unit": user.unit_id, "role": user.role,
        "password1": "New-user-pw-5521", "password2": "New-user-pw-5521", "usable_password": "true"})
    assert response.status_code == 302, _errors(response)
    created = User.objects.get(username="t_new_admin_user")
    row = AuditLog.objects.get(model="accounts.user", object_id=str(created.pk))
    assert row.action == AuditAction.CREATE and "已设置密码" in row.note
    assert row.changes["username"] == [None, "t_new_admin_user"]
    for entry in AuditLog.objects.filter(model="accounts.user"):
        assert "password" not in entry.changes
        assert user.password not in str(entry.changes) and created.password not in str(entry.changes)


def test_a_failed_admin_save_leaves_no_log_line(world, root, superuser_client):
    """The log line is written in the admin's transaction: an edit refused by the form writes nothing."""
    event = world["event"]
    model_admin = admin.site._registry[type(event)]
    data, _ = _change_form_data(model_admin, _request(root), event)
    data["title"] = ""  # required
    rows = AuditLog.objects.count()
    response = superuser_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 200
    assert AuditLog.objects.count() == rows


def test_a_deletion_logs_the_rows_it_takes_and_the_links_it_clears(world, root, superuser_client):
    """Deleting a record cascades to its rows and clears the links other records hold to it: each of those
    is logged on the record it touches, with the deletion that caused it in the note."""
    from apps.organisations.models import Organisation, OrganisationAlias
    from apps.projects.models import Project
    from apps.relations.models import Referral

    org = Organisation.objects.create(name="后台级联测试企业有限公司")
    alias = OrganisationAlias.objects.create(organisation=org, name="级联旧名")
    response = superuser_client.post(f"/admin/organisations/organisation/{org.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    row = AuditLog.objects.get(model="organisations.organisationalias", object_id=str(alias.pk))
    assert row.actor == root and "一并删除" in row.note and "后台级联测试企业有限公司" in row.note
    assert row.changes["name"] == ["级联旧名", None]

    landed = Project.objects.get(name="后台测试用第二个空白项目")
    referral = Referral.objects.get(reason="矩阵测试")
    Referral.objects.filter(pk=referral.pk).update(landed_project=landed)
    response = superuser_client.post(f"/admin/projects/project/{landed.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Project.objects.filter(pk=landed.pk).exists()
    row = AuditLog.objects.get(model="relations.referral", object_id=str(referral.pk))
    assert row.changes == {"landed_project": ["后台测试用第二个空白项目", None]}
    assert row.note == "管理后台：所关联的招商项目“后台测试用第二个空白项目”已删除"
