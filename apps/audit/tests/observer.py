"""Watching the service layer write: every call into a service module becomes a frame; inside the
outermost frame every row written (signals for save/delete with the row's id, the SQL itself for
``update()``, ``bulk_create``, ``bulk_update`` and many-to-many tables, which send no signal) is
checked, when the call returns, against the audit rows the same call wrote — as apps/audit/coverage.py
says the model is logged (own row, or its parent's)."""

import functools
import inspect
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from apps.audit.coverage import EXEMPT, OWN, PARENT, REGISTRY
from apps.audit.models import AuditLog

# The modules whose functions are the service layer: what pages, the API, commands and tasks call.
# apps.imports.services is left out while it is being reworked; the static walk still holds it
# (its two unlogged writers are listed in STATIC_ALLOWED as open gaps).
SERVICE_MODULES = [
    "apps.accounts.services", "apps.activities.services", "apps.chains.services", "apps.events.services",
    "apps.fairness.services", "apps.fulfilment.services", "apps.intelligence.services",
    "apps.notifications.services", "apps.offers.services", "apps.organisations.services",
    "apps.organisations.merge", "apps.organisations.bulk", "apps.projects.services", "apps.projects.claims",
    "apps.recommendations.services", "apps.relations.services", "apps.servicedesk.services",
    "apps.talent.services", "apps.thinktanks.services",
]

WRITE_SQL = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
SET_COLUMNS = re.compile(r'(?:SET|,)\s*"?([A-Za-z0-9_]+)"?\s*=')
IGNORED_ON_UPDATE = {"version", "updated_at", "created_at", "search_text"}


@dataclass
class Frame:
    name: str
    first_log: int
    rows: list = field(default_factory=list)  # (model, pk, op, (label, object_id) expected)
    tables: set = field(default_factory=set)  # db tables written by SQL
    before: dict = field(default_factory=dict)  # (model, pk) -> values before a save


def _table_models():
    out = {}
    for model in apps.get_models(include_auto_created=True):
        out[model._meta.db_table] = model
    return out


class ServiceObserver:
    def __init__(self):
        self.stack: list[Frame] = []
        self.problems: list[str] = []
        self.update_rows: list = []  # (service, model, pk, changed {field: (before, after)}, logs)
        self.calls: list[str] = []  # every service call that returned, nested ones too
        self.saving: list[str] = []  # tables of the Model.save() calls in progress
        self.tables = _table_models()
        self.through_owner = {f.remote_field.through: model for model in apps.get_models()
                              for f in model._meta.many_to_many}

    # ---- frames -------------------------------------------------------------------------------------
    def wrap(self, name, func):
        observer = self

        @functools.wraps(func)
        def watched(*args, **kwargs):
            outer = not observer.stack
            if outer:
                last = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                observer.stack.append(Frame(name, last))
            else:
                observer.stack.append(None)
            try:
                result = func(*args, **kwargs)
            except BaseException:
                observer.stack.pop()
                if outer:
                    observer.saving.clear()  # a save that raised never sent post_save
                raise
            frame = observer.stack.pop()
            observer.calls.append(name)
            if frame is not None:
                observer._check(frame)
            return result

        return watched

    def install(self, monkeypatch):
        import importlib

        for module_name in SERVICE_MODULES:
            module = importlib.import_module(module_name)
            for name, func in list(vars(module).items()):
                if (inspect.isfunction(func) and func.__module__ == module_name and not name.startswith("_")):
                    monkeypatch.setattr(module, name, self.wrap(f"{module_name}.{name}", func))
        for signal, receiver in ((pre_save, self._pre_save), (post_save, self._saved),
                                 (post_delete, self._deleted), (m2m_changed, self._m2m)):
            signal.connect(receiver, weak=False, dispatch_uid=f"audit-observer-{id(self)}-{signal!r}")
        self._wrapper_cm = connection.execute_wrapper(self._sql)
        self._wrapper_cm.__enter__()

    def uninstall(self):
        for signal in (pre_save, post_save, post_delete, m2m_changed):
            signal.disconnect(dispatch_uid=f"audit-observer-{id(self)}-{signal!r}")
        self._wrapper_cm.__exit__(None, None, None)

    @property
    def frame(self) -> Frame | None:
        return self.stack[0] if self.stack else None

    # ---- what was written ---------------------------------------------------------------------------
    def _pre_save(self, sender, instance, raw=False, **kwargs):
        frame = self.frame
        if frame is None:
            return
        self.saving.append(sender._meta.db_table)  # its INSERT or UPDATE is checked row by row
        if instance.pk is None or instance._state.adding:
            return
        row = type(instance)._base_manager.filter(pk=instance.pk).values().first()
        if row is not None:
            frame.before[(sender._meta.concrete_model, instance.pk)] = row

    def _saved(self, sender, instance, created, **kwargs):
        if self.frame is not None:
            self.saving.pop()
            model = sender._meta.concrete_model
            self.frame.rows.append((model, instance.pk, "create" if created else "update",
                                    self._expected(model, instance)))

    def _deleted(self, sender, instance, **kwargs):
        if self.frame is not None:
            model = sender._meta.concrete_model  # the ids are read now: a deleted instance loses its pk
            self.frame.rows.append((model, instance.pk, "delete", self._expected(model, instance)))

    def _m2m(self, sender, instance, action, **kwargs):
        if self.frame is not None and action.startswith("post_"):
            model = type(instance)._meta.concrete_model
            self.frame.rows.append((model, instance.pk, "update", self._expected(model, instance)))

    def _sql(self, execute, sql, params, many, context):
        frame = self.frame
        if frame is not None:
            match = WRITE_SQL.match(sql)
            result = execute(sql, params, many, context)
            # An UPDATE or DELETE that matched nothing (Django's SET_NULL on no rows) wrote nothing.
            in_save = bool(self.saving) and self.saving[-1] == (match.group(2) if match else None)
            if match and not in_save and getattr(context["cursor"], "rowcount", -1) != 0:
                model = self.tables.get(match.group(2))
                entry = REGISTRY.get(model._meta.label) if model is not None else None
                columns = set(SET_COLUMNS.findall(sql.split(" WHERE ")[0])) if match.group(1) == "UPDATE" else None
                if not (entry and entry.stamps and columns and columns <= set(entry.stamps)):
                    frame.tables.add(match.group(2))
            return result
        return execute(sql, params, many, context)

    # ---- the check ----------------------------------------------------------------------------------
    def _expected(self, model, instance):
        """(label, object_id or None) the log must hold for a write of this row, or None if exempt."""
        entry = REGISTRY.get(model._meta.label)
        if entry is None:
            return ("unregistered", None)
        if entry.how == EXEMPT:
            return None
        if entry.how == OWN:
            return (model._meta.label_lower, None if instance is None else str(instance.pk))
        assert entry.how == PARENT
        if entry.via == "content_object":
            if instance is None:
                return ("*", None)
            parent_model = instance.content_type.model_class()
            return (entry.label or parent_model._meta.label_lower, str(instance.object_id))
        fk = model._meta.get_field(entry.via)
        label = entry.label or fk.related_model._meta.label_lower
        return (label, None if instance is None else str(getattr(instance, fk.attname)))

    def _check(self, frame: Frame):
        logs = list(AuditLog.objects.filter(pk__gt=frame.first_log)
                    .values("model", "object_id", "changes", "note", "at", "actor_id", "action"))
        logged = {(log["model"], log["object_id"]) for log in logs}
        labels = {log["model"] for log in logs}
        for model, pk, op, want in frame.rows:
            if want is None:
                continue
            changed = None
            if op == "update" and (model, pk) in frame.before:
                before = frame.before[(model, pk)]
                after = model._base_manager.filter(pk=pk).values().first() or {}
                stamps = set(REGISTRY.get(model._meta.label).stamps) if model._meta.label in REGISTRY else set()
                changed = {k: (before[k], after.get(k)) for k in before
                           if k not in IGNORED_ON_UPDATE | stamps and before[k] != after.get(k)}
                if not changed:
                    continue  # saved as it was (a version bump): nothing of the record changed
            label, object_id = want
            if label == "unregistered":
                self.problems.append(f"{frame.name} wrote {model._meta.label}, which apps/audit/coverage.py "
                                     "does not register")
            elif ((label, object_id) not in logged and not (label == "*" and logs)
                  and (model._meta.label_lower, str(pk)) not in logged):  # a child logged on itself is fine
                self.problems.append(f"{frame.name}: {op} of {model._meta.label} #{pk} left no audit row for "
                                     f"{label} #{object_id}")
            elif changed and REGISTRY[model._meta.label].how == OWN:
                mine = [log for log in logs if (log["model"], log["object_id"]) == want]
                self.update_rows.append((frame.name, model, pk, changed, mine))
        for table in frame.tables:
            model = self.tables.get(table)
            if model is None:
                continue  # the unmanaged search index, written by raw SQL
            model = self.through_owner.get(model, model)  # a many-to-many table: its owner changed
            want = self._expected(model, None)
            if want is None:
                continue
            label, _ = want
            if label == "unregistered" and model._meta.app_config.name.startswith("apps."):
                self.problems.append(f"{frame.name} wrote {model._meta.label}, which apps/audit/coverage.py "
                                     "does not register")
            elif (label not in labels and model._meta.label_lower not in labels and not (label == "*" and logs)
                  and label != "unregistered"):
                self.problems.append(f"{frame.name} wrote table {table} ({model._meta.label}) and left no "
                                     f"audit row for {label}")
