"""Reads: the office's review queue and the flags of one record, always through restrict(actor, VIEW)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from apps.accounts.permissions import VIEW
from apps.fairness.models import FairnessFlag, FlagStatus


def flag_queue(*, actor, status: str = FlagStatus.OPEN, q: str = ""):
    """Flags awaiting (or past) review, newest first, with their target records fetched in one query per
    target type rather than one per row."""
    rows = FairnessFlag.objects.restrict(actor, VIEW).select_related("unit", "reviewed_by")
    if status:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(target_repr__icontains=q) | Q(sentence__icontains=q) | Q(article__icontains=q))
    return rows.prefetch_related("target").order_by("-created_at", "-pk")


def flags_for_object(*, actor, obj):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return list(FairnessFlag.objects.restrict(actor, VIEW).filter(content_type=content_type, object_id=obj.pk)
                .select_related("reviewed_by").order_by("field_name", "pk"))


def flags_for_objects(*, actor, objects) -> dict:
    """{(model class, pk): [flags]} for many records of any types, one query per type (a page listing many)."""
    by_type: dict = {}
    for obj in objects:
        by_type.setdefault(type(obj), []).append(obj.pk)
    out: dict = {}
    for model, pks in by_type.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        for flag in (FairnessFlag.objects.restrict(actor, VIEW).filter(content_type=content_type, object_id__in=pks)
                     .select_related("reviewed_by").order_by("field_name", "pk")):
            out.setdefault((model, flag.object_id), []).append(flag)
    return out


def flag_get(*, actor, pk: int) -> FairnessFlag:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(FairnessFlag.objects.restrict(actor, VIEW).select_related("reviewed_by"), pk=pk)


def open_count(*, actor) -> int:
    return FairnessFlag.objects.restrict(actor, VIEW).filter(status=FlagStatus.OPEN).count()
