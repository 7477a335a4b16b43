"""The stage rules, in one place, as data the forms and the API can also show.

Modelled on how the UK's investment CRM gates its stages: to enter a stage, the facts that define it
must be on the record (签约 needs the date, type and amount of the agreement; 注册落地 the
registered entity and its credit code; 投产 the production date). A jump forward over stages needs
a reason and still needs every skipped stage's facts. Going backwards is refused: a project that
falters is paused (暂缓) or terminated (终止), so the history never lies about how far it got."""

from django.conf import settings
from django.utils import timezone, translation

from apps.core.codes import validate_uscc
from apps.core.errors import DomainError
from apps.projects.choices import PIPELINE, Stage

STAGE_REQUIREMENTS: dict[str, list[tuple[str, str]]] = {
    Stage.INTENTION: [("planned_investment", "计划投资"), ("specialist", "服务专员")],
    Stage.SIGNED: [("signed_date", "签约日期"), ("agreement_type", "协议类型"), ("signed_amount", "签约金额")],
    Stage.REGISTERED: [
        ("registered_entity", "注册主体名称"),
        ("registered_credit_code", "注册主体统一社会信用代码"),
        ("registered_date", "注册日期"),
    ],
    Stage.CONSTRUCTION: [("construction_start_date", "开工日期")],
    Stage.PRODUCTION: [("production_date", "投产日期")],
}
GATED_FIELDS = [field for reqs in STAGE_REQUIREMENTS.values() for field, _ in reqs]
DATE_FIELDS = {"signed_date", "registered_date", "construction_start_date", "production_date"}


def label(stage: str) -> str:
    # Always Chinese: it goes into Chinese service messages and audit notes, and a note written while
    # an English reader happened to be signed in must not land in the log in English.
    with translation.override(settings.LANGUAGE_CODE):
        return str(Stage(stage).label)


def position(stage: str) -> int:
    return PIPELINE.index(Stage(stage))


def effective_stage(stage: str, paused_from: str) -> str:
    """Where in the pipeline a paused project stands (the stage it was paused at)."""
    return paused_from if stage == Stage.PAUSED and paused_from else stage


def requirements_between(current: str, target: str) -> list[tuple[str, str, str]]:
    """(stage, field, label) for every stage entered on the way from current (exclusive) to target."""
    start = position(current) + 1 if current in PIPELINE else 0
    out = []
    for stage in PIPELINE[start: position(target) + 1]:
        for field, field_label in STAGE_REQUIREMENTS.get(stage, []):
            out.append((stage, field, field_label))
    return out


def allowed_targets(stage: str, paused_from: str = "") -> list[str]:
    """The stages a person may pick next (for the form's select); validity is still checked."""
    if stage == Stage.TERMINATED:
        return []
    here = effective_stage(stage, paused_from)
    targets = [s for s in PIPELINE if position(s) > position(here)] if here in PIPELINE else list(PIPELINE)
    if stage == Stage.PAUSED and here in PIPELINE:
        targets = [here, *targets]
    if stage != Stage.PAUSED:
        targets.append(Stage.PAUSED)
    targets.append(Stage.TERMINATED)
    return [str(s) for s in targets]


def check_transition(*, current: str, paused_from: str, target: str, values: dict, note: str,
                     skip_reason: str) -> None:
    """Raise DomainError (Chinese, naming the field) if the move may not happen. ``values`` is the
    project's state with the submitted field values applied."""
    if target not in Stage.values:
        raise DomainError(f"阶段：“{target}”不是有效的阶段。", field="to_stage")
    if current == Stage.TERMINATED:
        raise DomainError("该项目已终止，不能再变更阶段；如需重新跟进，请登记新项目。", field="to_stage")
    if target == current:
        raise DomainError(f"项目已处于“{label(current)}”阶段。", field="to_stage")
    if target in (Stage.PAUSED, Stage.TERMINATED):
        if not (note or "").strip():
            raise DomainError(f"说明：改为“{label(target)}”时请写明原因。", field="note")
        return

    here = effective_stage(current, paused_from)
    if current == Stage.PAUSED and target == here:
        return  # resuming where it stopped
    if here in PIPELINE:
        gap = position(target) - position(here)
        if gap <= 0:
            raise DomainError(
                f"不能从“{label(here)}”退回“{label(target)}”。如项目受阻，请改为“暂缓”或“终止”并说明原因。",
                field="to_stage",
                code="backward",
            )
        if gap > 1 and not (skip_reason or "").strip():
            skipped = "、".join(f"“{label(s)}”" for s in PIPELINE[position(here) + 1: position(target)])
            raise DomainError(
                f"跨阶段理由：从“{label(here)}”直接到“{label(target)}”跳过了{skipped}，请填写跨阶段的理由。",
                field="skip_reason",
                code="skip",
            )

    missing = [(stage, field_label) for stage, field, field_label in requirements_between(here, target)
               if values.get(field) in (None, "")]
    if missing:
        names = "、".join(field_label for _, field_label in missing)
        raise DomainError(f"进入“{label(target)}”阶段需要填写：{names}。", field=missing_field(here, target, values),
                          code="required")
    if values.get("registered_credit_code"):
        validate_uscc(values["registered_credit_code"], field="注册主体统一社会信用代码", key="registered_credit_code")
    today = timezone.localdate()
    for field in DATE_FIELDS:
        day = values.get(field)
        if day and day > today:
            field_label = dict((f, lbl) for reqs in STAGE_REQUIREMENTS.values() for f, lbl in reqs)[field]
            raise DomainError(f"{field_label}：{day:%Y年%-m月%-d日}晚于今天，已发生的事项不能填写将来的日期。", field=field)


def missing_field(here: str, target: str, values: dict) -> str | None:
    for _, field, _ in requirements_between(here, target):
        if values.get(field) in (None, ""):
            return field
    return None
