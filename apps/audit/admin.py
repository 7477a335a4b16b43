"""The Django admin writes rows directly, outside the services; every such write is logged here, in the
admin's own transaction, with the superuser as actor (AuditedAdminMixin on every ModelAdmin that can
write — apps/audit/tests/test_admin.py fails for one that does not)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils import translation

from apps.audit.coverage import EXEMPT, PARENT, coverage_for
from apps.audit.models import AuditAction, AuditLog
from apps.audit.services import audit_record, diff, snapshot

NOTE = "管理后台："

# A hard delete in the admin is 删除, with every value the row had kept in `changes` ([value, None]).
DELETE_ACTION = AuditAction.DELETE

# Never copied into the log: a change is noted ("密码已修改"), the value (a hash) is not.
SECRET_FIELDS = ("password",)


def _text(value) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)


def _json(value):
    """snapshot() leaves a few types JSONField cannot store (time, UUID, timedelta)."""
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)


def _field_names(model, names=None) -> tuple[list[str], list[str]]:
    """(concrete, many-to-many) field names of the model — all of them, or those of `names` — without secrets."""
    concrete = [f.name for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS]
    m2m = [f.name for f in model._meta.many_to_many]
    if names is not None:
        concrete = [n for n in concrete if n in names]
        m2m = [n for n in m2m if n in names]
    return concrete, m2m


def _values(instance, names) -> dict:
    if instance is None:
        return {}
    concrete, m2m = _field_names(type(instance), names)
    # snapshot() asks a FieldFile for its url, which raises when no file is stored: files by name here.
    files = {f.name for f in type(instance)._meta.concrete_fields if isinstance(f, models.FileField)}
    values = {k: _json(v) for k, v in snapshot(instance, [n for n in concrete if n not in files]).items()}
    values.update({n: getattr(instance, n).name or "" for n in concrete if n in files})
    for name in m2m:
        values[name] = sorted(_text(row) for row in getattr(instance, name).all()) if instance.pk else []
    return values


def _secret_notes(model, before, after, *, created: bool) -> list[str]:
    notes = []
    for name in SECRET_FIELDS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        old = getattr(before, name, None) if before is not None else None
        if getattr(after, name, None) != old:
            label = _text(field.verbose_name)
            notes.append(f"已设置{label}" if created else f"{label}已修改")
    return notes


def _actor(request):
    # Code that drives a ModelAdmin without a request (a script, a test) still logs, with no actor.
    return getattr(request, "user", None)


def _stored(obj):
    """The row as the database holds it, before this request's save."""
    if obj is None or obj.pk is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).first()


def _log_delete(actor, row, note_extra: str = ""):
    before = _values(row, None)
    audit_record(actor=actor, instance=row, action=DELETE_ACTION,
                 changes=diff(before, dict.fromkeys(before)),
                 note=f"{NOTE}删除{_text(row._meta.verbose_name)}“{_text(row)}”{note_extra}")


def _logged(model) -> bool:
    """A record of the project's whose changes the log follows (not exempt, not a join table)."""
    entry = coverage_for(model)
    return entry is not None and entry.how != EXEMPT


def _log_removal(actor, rows: list):
    """Log the rows about to be deleted, then what the deletion takes or changes with them: the rows it
    cascades to and the links it clears (on_delete CASCADE / SET_NULL) — each on the record it touches."""
    if not rows:
        return
    for row in rows:
        _log_delete(actor, row)
    collector = Collector(using=router.db_for_write(type(rows[0])), origin=rows)
    collector.collect(rows)
    deleted = {(type(row)._meta.label, row.pk) for row in rows}
    because = f"（随{_text(rows[0]._meta.verbose_name)}“{_text(rows[0])}”{'等' if len(rows) > 1 else ''}一并删除）"
    for model, instances in collector.data.items():
        if _logged(model):
            for row in instances:
                if (model._meta.label, row.pk) not in deleted:
                    _log_delete(actor, row, because)
    for queryset in collector.fast_deletes:
        if _logged(queryset.model):
            for row in queryset:
                _log_delete(actor, row, because)
    for (field, value), batches in collector.field_updates.items():
        if not _logged(field.model):
            continue
        for batch in batches:
            for row in batch:
                if (type(row)._meta.label, row.pk) in deleted:
                    continue
                audit_record(actor=actor, instance=row, action=AuditAction.UPDATE,
                             changes={field.name: [_values(row, {field.name})[field.name], _json(value)]},
                             note=f"{NOTE}所关联的{_text(rows[0]._meta.verbose_name)}“{_text(rows[0])}”已删除")


class AuditedAdminMixin:
    """For a ModelAdmin: additions, changes and deletions (one by one, in bulk, and of its inline rows)
    reach the audit log. Put it before admin.ModelAdmin: class FooAdmin(AuditedAdminMixin, admin.ModelAdmin).

    Inlines need no mixin of their own: Django saves every inline formset through the parent ModelAdmin's
    save_formset, which logs each row — on itself, or on the parent when apps/audit/coverage.py says the
    row is logged there (parent(...))."""

    # --- add and change: the stored row is read before the save; the log line is written after
    # save_related, once the many-to-many fields and the inlines are saved too.
    def save_model(self, request, obj, form, change):
        form._audit_before = _stored(obj) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before_row = getattr(form, "_audit_before", None)
        names = set(form.changed_data)
        before = _values(before_row, names) if change else {}
        after = _values(obj, names)
        changes = diff(before, after)
        notes = _secret_notes(type(obj), before_row, obj, created=not change)
        if change and not changes and not notes:
            return  # saved without a change: nothing happened to the record
        verb = "修改" if change else "新增"
        note = f"{NOTE}{verb}{_text(obj._meta.verbose_name)}" + "".join(f"；{n}" for n in notes)
        audit_record(actor=_actor(request), instance=obj, action=AuditAction.UPDATE if change else AuditAction.CREATE,
                     changes=changes, note=note)

    # --- deletions: logged before the row goes, so its name is still readable.
    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(self.model)):
            _log_removal(_actor(request), [obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action runs outside the admin's transaction (changelist_view):
        # the log lines and the deletion commit together or not at all.
        with transaction.atomic(using=router.db_for_write(self.model)):
            _log_removal(_actor(request), list(queryset))
            super().delete_queryset(request, queryset)

    # --- inline rows
    def save_formset(self, request, form, formset, change):
        parent = formset.instance
        model = formset.model
        entry = coverage_for(model)
        fk = getattr(formset, "fk", None)
        on_parent = entry is not None and entry.how == PARENT and fk is not None and entry.via == fk.name
        verbose = _text(model._meta.verbose_name)
        deleted = {id(f) for f in formset.deleted_forms}

        stored = {}
        for inline_form in formset.initial_forms:
            if id(inline_form) in deleted:
                row = _stored(inline_form.instance)
                if row is None:
                    continue
                if on_parent:
                    before = _values(row, None)
                    audit_record(actor=_actor(request), instance=parent, action=AuditAction.UPDATE,
                                 changes=diff(before, dict.fromkeys(before)),
                                 note=f"{NOTE}删除{verbose}“{_text(row)}”（#{row.pk}）")
                else:
                    _log_removal(_actor(request), [row])
            elif inline_form.has_changed():
                stored[inline_form.instance.pk] = (inline_form, _stored(inline_form.instance))

        super().save_formset(request, form, formset, change)

        for row in getattr(formset, "new_objects", []):
            inline_form = next((f for f in formset.forms if f.instance is row), None)
            names = set(inline_form.changed_data) if inline_form is not None else None
            changes = diff({}, _values(row, names))
            if on_parent:
                audit_record(actor=_actor(request), instance=parent, action=AuditAction.UPDATE, changes=changes,
                             note=f"{NOTE}新增{verbose}“{_text(row)}”（#{row.pk}）")
            else:
                audit_record(actor=_actor(request), instance=row, action=AuditAction.CREATE, changes=changes,
                             note=f"{NOTE}新增{verbose}")
        for row, changed in getattr(formset, "changed_objects", []):
            _, before_row = stored.get(row.pk, (None, None))
            names = set(changed)
            changes = diff(_values(before_row, names), _values(row, names))
            if not changes:
                continue
            if on_parent:
                audit_record(actor=_actor(request), instance=parent, action=AuditAction.UPDATE, changes=changes,
                             note=f"{NOTE}修改{verbose}“{_text(row)}”（#{row.pk}）")
            else:
                audit_record(actor=_actor(request), instance=row, action=AuditAction.UPDATE, changes=changes,
                             note=f"{NOTE}修改{verbose}")


class AuditedUserAdminMixin(AuditedAdminMixin):
    """For the UserAdmin: its separate password page saves the user outside save_model, and outside a
    transaction; the change is logged (never the hash) in one with it."""

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic(using=router.db_for_write(self.model)):
            user = self.get_object(request, unquote(id))
            before = user.password if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and user is not None:
                after = _stored(user)
                if after is not None and after.password != before:
                    audit_record(actor=_actor(request), instance=after, action=AuditAction.UPDATE,
                                 note=f"{NOTE}密码已修改")
            return response


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the log cannot be edited from the app (and so takes no AuditedAdminMixin)."""

    list_display = ["at", "actor", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_repr", "actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
