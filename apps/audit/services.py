"""Writing the audit log. Call inside the service's transaction."""

import datetime
from decimal import Decimal

from django.db import models

from apps.audit.models import AuditAction, AuditLog


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (Decimal, datetime.date, datetime.datetime)):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def audit_record(*, actor, instance: models.Model | None, action: str, changes: dict | None = None,
                 note: str = "", model_label: str | None = None) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        model=model_label or instance._meta.label_lower,
        object_id=str(instance.pk) if instance is not None else "",
        object_repr=str(instance)[:200] if instance is not None else "",
        changes=changes or {},
        note=note[:300],
    )


__all__ = ["AuditAction", "audit_record", "diff", "snapshot"]
