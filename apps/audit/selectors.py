from django.utils.translation import gettext as _

from apps.audit.models import AuditLog
from apps.core.columns import USER_NAME, joined
from apps.core.statements import CompiledRead

# A record page's history, by the record alone (its caller has checked the reader may see the record), its latest
# 200 changes, compiled once per process (core.statements): on the organisation page, the most often opened record
# page. The actor's name only: a record page shows who, never the rest of their account.
_HISTORY = CompiledRead(AuditLog, lambda model, object_id: joined(
    AuditLog.objects.filter(model=model, object_id=object_id), {"actor": USER_NAME}).order_by("-at", "-id")[:200],
    kinds=(str, str), name="record history")


def record_history(instance, *, with_notes: bool = True, parts=(), own: bool = True) -> list[dict]:
    """A record's audit rows for its page (audit/partials/history.html), newest first: each change with
    the field's label and choice values in the words the form uses. The caller has already checked that
    the reader may see the record. ``with_notes=False`` leaves out the free-text notes, for a shared record
    whose notes may speak of other units' work (a merge's "迁移招商项目3条…" counts every unit's).

    ``parts``: (record, label) pairs for records that belong to this one and have no page of their own (a
    recommendation's districts, each answering for itself), which the reader may also see. Their changes are merged
    in, each entry named by its label, so the page tells the whole story in one list. ``own=False`` leaves out the
    record's own entries, for a reader who may see only some of its parts (a district, of a recommendation whose
    entries name every district it went to)."""
    entries = _entries(instance, with_notes=with_notes, subject="") if own else []
    if parts:
        for part, label in parts:
            entries += _entries(part, with_notes=with_notes, subject=str(label))
        entries.sort(key=lambda entry: (entry["log"].at, entry["log"].pk), reverse=True)
    return entries[:200]


def _entries(instance, *, with_notes: bool, subject: str) -> list[dict]:
    fields = {f.name: f for f in type(instance)._meta.fields}

    def shown(field, value):
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if field is not None and field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, list):
            return "、".join(str(v) for v in value) or "—"
        return value

    entries = []
    for log in _HISTORY(instance._meta.label_lower, str(instance.pk)):
        changes = []
        for name, pair in (log.changes or {}).items():
            before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
            if before in (None, "", False) and after in (None, "", False):
                continue
            field = fields.get(name)
            changes.append({"label": field.verbose_name if field else name,
                            "before": shown(field, before), "after": shown(field, after)})
        entries.append({"log": log, "changes": changes, "note": log.note if with_notes else "", "subject": subject})
    return entries
