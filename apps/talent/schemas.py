"""What the talent API reads and writes."""

import datetime

from ninja import Field, Schema

from apps.core.schemas import Ref, UserRef, choices_text
from apps.talent import stages
from apps.talent.choices import IntroductionMode, ProjectLinkKind, TalentKind, TalentStage


class TalentOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    team_size: int | None
    title: str
    affiliation: Ref | None
    field: str
    clusters: list[Ref]
    unit: Ref
    source_unit: Ref | None
    specialist: UserRef | None
    stage: str
    stage_label: str
    paused_from: str
    first_contact_date: datetime.date
    mode: str
    mode_label: str
    signed_date: datetime.date | None
    arrived_date: datetime.date | None
    project: Ref | None = Field(description="关联项目（您无权查看的其他单位项目为 null）")
    link_kind: str = Field(description=choices_text(ProjectLinkKind))
    description: str
    is_sample: bool
    is_archived: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_project(obj):
        # talent_list / talent_get annotate project_visible; without it nothing is named.
        return obj.project if obj.project_id and getattr(obj, "project_visible", False) else None

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return obj.get_stage_display()

    @staticmethod
    def resolve_mode_label(obj) -> str:
        return obj.get_mode_display()

    @staticmethod
    def resolve_clusters(obj) -> list:
        return list(obj.clusters.all())


class TalentDetailOut(TalentOut):
    allowed_targets: list[str] = Field(description="下一步可选的阶段（仍按阶段规则校验）")

    @staticmethod
    def resolve_allowed_targets(obj) -> list[str]:
        return stages.allowed_targets(obj.stage, obj.paused_from)


class TalentFilters(Schema):
    q: str = Field("", description="姓名、职称、领域或所在单位")
    stage: str = Field("", description=choices_text(TalentStage))
    kind: str = Field("", description=choices_text(TalentKind))
    cluster: str = Field("", description="33618 产业集群 id；none 为未选择产业集群")
    unit: str = Field("", description="承接区县 id；含已并入该区县的原单位")


class TalentIn(Schema):
    name: str
    kind: str = Field(TalentKind.EXPERT.value, description=choices_text(TalentKind))
    team_size: int | None = Field(None, description="团队人数：类别为团队时必填")
    title: str = Field("", description="职称与荣誉，如“中国工程院院士”")
    affiliation_id: int | None = Field(None, description="所在单位（目标库中的高校、院所或企业）id")
    field: str = Field("", description="研究领域")
    cluster_ids: list[int] = Field([], description="33618 产业集群 id")
    unit_id: int = Field(description="承接区县 id（区县用户只能填本单位）")
    source_unit_id: int | None = None
    specialist_id: int | None = None
    first_contact_date: datetime.date | None = Field(None, description="默认今天")
    project_id: int | None = Field(None, description="关联项目 id")
    link_kind: str = Field("", description=choices_text(ProjectLinkKind) + "；关联项目时必填")
    description: str = ""


class TalentStageIn(Schema):
    to_stage: str = Field(description=choices_text(TalentStage))
    expected_stage: str | None = Field(None, description="您看到的当前阶段；已被他人改变则返回 409")
    note: str = Field("", description="说明：暂缓、终止时必填")
    skip_reason: str = Field("", description="跨阶段理由：跳过阶段时必填")
    evidence: str = ""
    occurred_on: datetime.date | None = Field(None, description="发生日期（默认今天）")
    mode: str = Field("", description=choices_text(IntroductionMode) + "；进入签约时必填")
    signed_date: datetime.date | None = Field(None, description="进入签约时必填")
    arrived_date: datetime.date | None = Field(None, description="进入到岗/落地时必填")


class TalentStageChangeOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    to_stage_label: str
    occurred_on: datetime.date
    changed_at: datetime.datetime
    changed_by: UserRef | None
    note: str
    skip_reason: str
    evidence: str

    @staticmethod
    def resolve_to_stage_label(obj) -> str:
        return obj.get_to_stage_display()


class TalentStageResultOut(Schema):
    change: TalentStageChangeOut
    talent: TalentDetailOut


class TalentPatch(Schema):
    """Only the fields sent change; null clears a field that may be empty. The 承接区县 is not changed here,
    and a stage's facts (mode, signed_date, arrived_date) only once the record has reached that stage."""

    version: int = Field(description="读取时的 version；他人已先修改则返回 409")
    name: str = None
    kind: str = Field(None, description=choices_text(TalentKind))
    team_size: int | None = None
    title: str = None
    affiliation_id: int | None = None
    field: str = None
    cluster_ids: list[int] = Field(None, description="33618 产业集群 id；发送即整体替换")
    source_unit_id: int | None = None
    specialist_id: int | None = None
    handover_note: str = Field("", description="更换服务专员时的交接说明（已有专员时必填）")
    project_id: int | None = None
    link_kind: str = Field(None, description=choices_text(ProjectLinkKind))
    description: str = None
    mode: str = Field(None, description=choices_text(IntroductionMode))
    signed_date: datetime.date | None = None
    arrived_date: datetime.date | None = None


class TalentArchiveIn(Schema):
    reason: str = Field(description="归档原因，如“重复登记”")


class SpecialistAssignmentOut(Schema):
    id: int
    specialist: UserRef
    started_at: datetime.datetime
    ended_at: datetime.datetime | None = Field(description="仍在任为 null")
    assigned_by: UserRef | None
    note: str = Field(description="交接说明")


class TalentTimelineEntryOut(Schema):
    kind: str = Field(description="stage 阶段变更、specialist 服务专员、edit 修改信息")
    at: datetime.datetime
    title: str
    actor: str | None
    changes: dict | None = Field(None, description="修改信息：字段 → [原值, 新值]（其他单位的项目不显示名称）")

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj["actor"].display_name if obj["actor"] else None

    @staticmethod
    def resolve_changes(obj) -> dict | None:
        return obj.get("changes")


class TalentHistoryOut(Schema):
    stage_changes: list[TalentStageChangeOut] = Field(description="阶段变更，按时间先后")
    specialist_assignments: list[SpecialistAssignmentOut] = Field(description="服务专员任职，按时间先后")
    timeline: list[TalentTimelineEntryOut] = Field(description="阶段变更、服务专员与修改，最新的在前")
