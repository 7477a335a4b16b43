"""Writes: refreshing a record's flags after its text changed, and a person's review of a flag.

flags_refresh is called by other apps' services after they save a record. It must never stop that save:
any failure is logged and the record's current flags (possibly stale) are returned instead."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from apps.accounts.permissions import CHANGE, VIEW, actor_scope
from apps.audit.services import AuditAction, audit_record
from apps.core.errors import DomainError
from apps.core.text import zh
from apps.fairness.check import check_text
from apps.fairness.models import FairnessFlag, FlagStatus

logger = logging.getLogger(__name__)

REVIEW_DENIED = "只有驻京办管理员和招商专员可以审查公平竞争提示；区县和领导可查看，不能审查。"
REVIEWED = (FlagStatus.CLEARED, FlagStatus.AMENDED)


def _unit_id(obj, unit):
    if unit is not None:
        return unit.pk
    return getattr(obj, "unit_id", None)


def _key(field_name: str, rule_id: str, sentence: str) -> tuple:
    return field_name, rule_id, "".join(sentence.split())


def flags_for(obj) -> list[FairnessFlag]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return list(FairnessFlag.objects.filter(content_type=content_type, object_id=obj.pk)
                .order_by("field_name", "pk"))


def flags_refresh(*, obj, texts: dict[str, str], unit=None, actor=None) -> list[FairnessFlag]:
    """Check each named text of obj and make its flags match: open flags are replaced by the new findings,
    a reviewed flag stays while its sentence is still there (so a term someone cleared is not raised again)
    and goes when the sentence was rewritten. Returns the flags now attached to obj. Never raises."""
    try:
        with transaction.atomic():
            return _refresh(obj=obj, texts=texts, unit=unit, actor=actor)
    except Exception:
        logger.exception("公平竞争审查提示刷新失败：%s #%s", obj._meta.label_lower, obj.pk)
        try:
            return flags_for(obj)
        except Exception:
            logger.exception("公平竞争审查提示读取失败")
            return []


def _refresh(*, obj, texts, unit, actor) -> list[FairnessFlag]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    existing = list(FairnessFlag.objects.select_for_update()
                    .filter(content_type=content_type, object_id=obj.pk).order_by("pk"))
    findings = {}
    for field_name, text in texts.items():
        for finding in check_text(text or ""):
            findings.setdefault(_key(field_name, finding.rule_id, finding.sentence), (field_name, finding))
    unit_id = _unit_id(obj, unit)
    target_repr = zh(obj)[:200] if obj is not None else ""
    keep, drop = [], []
    for flag in existing:
        key = _key(flag.field_name, flag.rule_id, flag.sentence)
        # Checked fields only: a caller refreshing one field must not wipe the flags of another.
        if flag.field_name in texts and key not in findings:
            drop.append(flag)
        else:
            keep.append(flag)
            findings.pop(key, None)
    if drop:
        FairnessFlag.objects.filter(pk__in=[flag.pk for flag in drop]).delete()
    created = FairnessFlag.objects.bulk_create([
        FairnessFlag(
            content_type=content_type, object_id=obj.pk, unit_id=unit_id, target_repr=target_repr,
            field_name=field_name, rule_id=finding.rule_id, rule_name=finding.name,
            matched_text=finding.matched[:200], sentence=finding.sentence,
            match_offset=finding.offset_in_sentence, article=finding.article,
            explanation=finding.explanation, severity=finding.severity,
        )
        for field_name, finding in findings.values()
    ])
    stale = [flag for flag in keep if flag.unit_id != unit_id or flag.target_repr != target_repr]
    for flag in stale:
        flag.unit_id, flag.target_repr = unit_id, target_repr
    if stale:
        FairnessFlag.objects.bulk_update(stale, ["unit", "target_repr"])
    if created or drop:
        audit_record(
            actor=actor, instance=obj, action=AuditAction.UPDATE,
            changes={"公平竞争审查提示": [len(existing), len(keep) + len(created)]},
            note=f"公平竞争审查：新增 {len(created)} 条提示，撤下 {len(drop)} 条",
        )
    return sorted(keep + created, key=lambda flag: (flag.field_name, flag.pk or 0))


def may_review(actor) -> bool:
    """The same rule as FairnessFlagQuerySet.restrict(actor, CHANGE), asked without a flag at hand."""
    scope = actor_scope(actor)
    return scope.user_id is not None and not scope.read_only and (scope.is_office or actor.is_superuser)


@transaction.atomic
def flag_review(*, actor, flag: FairnessFlag, status: str, note: str) -> FairnessFlag:
    """A person's conclusion on a flag: 已确认无问题 (the term is lawful — say on what basis) or 已修改 (the
    text was changed). The note is required because the review is the record an inspection will ask for."""
    if not FairnessFlag.objects.restrict(actor, VIEW).filter(pk=flag.pk).exists():
        raise Http404
    locked = FairnessFlag.objects.restrict(actor, CHANGE).select_for_update().filter(pk=flag.pk).first()
    if locked is None:
        raise PermissionDenied(REVIEW_DENIED)
    if status not in REVIEWED:
        raise DomainError("审查结论：请选择“已确认无问题”或“已修改”。", field="status")
    note = (note or "").strip()
    if not note:
        raise DomainError("审查意见：请写明依据或修改情况，例如依据的法规、政策文件或修改后的条款。", field="note")
    if len(note) > 1000:
        raise DomainError("审查意见：请控制在 1000 字以内。", field="note")
    before = locked.status
    locked.status, locked.review_note = status, note
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor, instance=locked, action=AuditAction.UPDATE,
        changes={"status": [zh(FlagStatus(before).label), zh(FlagStatus(status).label)]},
        note=f"公平竞争审查：{zh(FlagStatus(status).label)}。{note}",
    )
    return locked
