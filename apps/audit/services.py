"""Writing the audit log. Call inside the service's transaction."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import translation

from apps.audit.models import AuditAction, AuditLog


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (Decimal, datetime.date, datetime.datetime)):
        return str(value)
    if isinstance(value, FieldFile):  # .url of an empty one raises: only the name is wanted
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def audit_record(*, actor, instance: models.Model | None, action: str, changes: dict | None = None,
                 note: str = "", model_label: str | None = None) -> AuditLog:
    # The log is read by auditors in Chinese; a record's name (e.g. an activity's kind) must not be
    # stored in whatever language the person making the change was reading.
    with translation.override(settings.LANGUAGE_CODE):
        object_repr = str(instance)[:200] if instance is not None else ""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        model=model_label or instance._meta.label_lower,
        object_id=str(instance.pk) if instance is not None else "",
        object_repr=object_repr,
        changes=changes or {},
        note=note[:300],
    )


__all__ = ["AuditAction", "audit_record", "diff", "snapshot"]
