from apps.audit.models import AuditLog


def audit_for_object(instance, *, limit: int = 200):
    return (
        AuditLog.objects.filter(model=instance._meta.label_lower, object_id=str(instance.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
