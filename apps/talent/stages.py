"""The talent pipeline's rules, as data the forms and the API can show: 意向 → 洽谈 → 考察 → 签约 →
到岗/落地 → 服务, with 暂缓 and 终止 beside it. The same principles as the projects' (ADR 0004): one
step forward at a time, or a jump with a written reason; no backward moves (a talent who hesitates is
paused or terminated, with a reason); entering a stage needs the facts that define it — 签约 the mode of
introduction and the signing date, 到岗/落地 the arrival date — also when the stage is jumped over."""

from django.conf import settings
from django.utils import timezone, translation

from apps.core.errors import DomainError
from apps.talent.choices import PIPELINE, TalentStage

STAGE_REQUIREMENTS: dict[str, list[tuple[str, str]]] = {
    TalentStage.SIGNED: [("mode", "引进方式"), ("signed_date", "签约日期")],
    TalentStage.ARRIVED: [("arrived_date", "到岗/落地日期")],
}
GATED_FIELDS = [field for reqs in STAGE_REQUIREMENTS.values() for field, _ in reqs]
GATED_LABELS = {field: field_label for reqs in STAGE_REQUIREMENTS.values() for field, field_label in reqs}
DATE_FIELDS = ["signed_date", "arrived_date"]


def label(stage: str) -> str:
    # Always Chinese: it goes into service messages and audit notes.
    with translation.override(settings.LANGUAGE_CODE):
        return str(TalentStage(stage).label)


def position(stage: str) -> int:
    return PIPELINE.index(TalentStage(stage))


def effective_stage(stage: str, paused_from: str) -> str:
    """Where in the pipeline a paused talent stands (the stage it was paused at)."""
    return paused_from if stage == TalentStage.PAUSED and paused_from else stage


def reached(stage: str, paused_from: str, target: str) -> bool:
    """Whether the talent is at ``target`` or beyond it (a paused one where it stopped)."""
    here = effective_stage(stage, paused_from)
    return here in PIPELINE and position(here) >= position(target)


def requirements_between(current: str, target: str) -> list[tuple[str, str, str]]:
    """(stage, field, label) for every stage entered on the way from current (exclusive) to target."""
    start = position(current) + 1 if current in PIPELINE else 0
    return [(stage, field, field_label) for stage in PIPELINE[start: position(target) + 1]
            for field, field_label in STAGE_REQUIREMENTS.get(stage, [])]


def allowed_targets(stage: str, paused_from: str = "") -> list[str]:
    """The stages a person may pick next (for the form's select); validity is still checked."""
    if stage == TalentStage.TERMINATED:
        return []
    here = effective_stage(stage, paused_from)
    targets = [s for s in PIPELINE if here not in PIPELINE or position(s) > position(here)]
    if stage == TalentStage.PAUSED and here in PIPELINE:
        targets = [here, *targets]
    if stage != TalentStage.PAUSED:
        targets.append(TalentStage.PAUSED)
    targets.append(TalentStage.TERMINATED)
    return [str(s) for s in targets]


def check_transition(*, current: str, paused_from: str, target: str, values: dict, note: str,
                     skip_reason: str) -> None:
    """Raise DomainError (Chinese, naming the field) if the move may not happen. ``values`` is the
    talent's state with the submitted values applied."""
    if target not in TalentStage.values:
        raise DomainError(f"新阶段：“{target}”不是有效的阶段。", field="to_stage")
    if current == TalentStage.TERMINATED:
        raise DomainError("新阶段：该人才引进已终止，不能再变更阶段；如重新接洽，请重新登记。", field="to_stage")
    if target == current:
        raise DomainError(f"新阶段：已处于“{label(current)}”阶段。", field="to_stage")
    if target in (TalentStage.PAUSED, TalentStage.TERMINATED):
        if not (note or "").strip():
            raise DomainError(f"说明：改为“{label(target)}”时请写明原因。", field="note")
        return

    here = effective_stage(current, paused_from)
    if not (current == TalentStage.PAUSED and target == here):  # resuming where it stopped needs no more
        gap = position(target) - position(here)
        if gap <= 0:
            raise DomainError(
                f"新阶段：不能从“{label(here)}”退回“{label(target)}”。如引进受阻，请改为“暂缓”或“终止”并说明原因。",
                field="to_stage", code="backward",
            )
        if gap > 1 and not (skip_reason or "").strip():
            skipped = "、".join(f"“{label(s)}”" for s in PIPELINE[position(here) + 1: position(target)])
            raise DomainError(
                f"跨阶段理由：从“{label(here)}”直接到“{label(target)}”跳过了{skipped}，请填写跨阶段的理由。",
                field="skip_reason", code="skip",
            )
    missing = [(field, field_label) for _, field, field_label in requirements_between(here, target)
               if values.get(field) in (None, "")]
    if missing:
        names = "、".join(field_label for _, field_label in missing)
        raise DomainError(f"{missing[0][1]}：进入“{label(target)}”阶段需要填写{names}。", field=missing[0][0],
                          code="required")
    check_dates(values)


def check_dates(values: dict) -> None:
    """Dates of things that happened may not lie in the future, and nobody arrives before signing."""
    today = timezone.localdate()
    for field in DATE_FIELDS:
        day = values.get(field)
        if day and day > today:
            raise DomainError(f"{GATED_LABELS[field]}：{day:%Y年%-m月%-d日}晚于今天，已发生的事项不能填写将来的日期。",
                              field=field)
    signed, arrived = values.get("signed_date"), values.get("arrived_date")
    if signed and arrived and arrived < signed:
        raise DomainError(f"到岗/落地日期：不能早于签约日期（{signed:%Y年%-m月%-d日}）。", field="arrived_date")
