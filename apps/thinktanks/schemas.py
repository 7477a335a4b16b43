"""What the think-tank cooperation API reads and writes. An outcome's project or talent the reader may not
see is not named (cooperation_outcomes): the reader learns that a project came of it, not which."""

import datetime

from ninja import Field, Schema

from apps.core.schemas import Ref, UserRef, choices_text
from apps.thinktanks.models import ActivityKind, CooperationStatus, OutcomeKind

STORED = "negotiating（洽谈中）、active（合作中）、terminated（已终止）；已到期由结束日期自动判断"


class PartnerOut(Ref):
    kind: str
    kind_label: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class CooperationOut(Schema):
    id: int
    partner: PartnerOut = Field(description="合作机构（智库、高校或科研院所）")
    title: str
    agreement_no: str
    signed_date: datetime.date | None
    start_date: datetime.date | None
    end_date: datetime.date | None = Field(description="长期合作为 null")
    status: str = Field(description=choices_text(CooperationStatus) + "；合作中且已过结束日期显示为 expired")
    status_label: str
    terms: str
    unit: Ref = Field(description="负责单位：该单位的管理员、招商干部与驻京办可以修改")
    contact: UserRef | None = Field(description="我方联系人")
    partner_contact: str
    is_sample: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_status(obj) -> str:
        return str(obj.display_status)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.display_status_label)


class CooperationListOut(CooperationOut):
    activity_count: int
    outcome_count: int
    project_count: int = Field(description="项目成果数（含您无权查看的项目）")
    talent_count: int
    introduction_count: int
    report_count: int
    other_count: int


class ThinktankEventRef(Schema):
    id: int
    title: str
    date: datetime.date


class ThinktankActivityOut(Schema):
    id: int
    date: datetime.date
    kind: str = Field(description=choices_text(ActivityKind))
    kind_label: str
    title: str
    summary: str
    participant_count: int | None
    event: ThinktankEventRef | None = Field(description="同时登记在“活动与签约”中的活动")
    output_title: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class OutcomeOut(Schema):
    id: int
    kind: str = Field(description=choices_text(OutcomeKind))
    kind_label: str
    date: datetime.date
    project: Ref | None = Field(description="带来的项目；您无权查看的项目为 null，project_hidden 为 true")
    project_hidden: bool
    organisation: Ref | None = Field(description="引荐的主体")
    talent: Ref | None = Field(description="带来的人才；您无权查看的为 null")
    note: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_project(obj):
        return getattr(obj, "shown_project", None)

    @staticmethod
    def resolve_project_hidden(obj) -> bool:
        return getattr(obj, "project_hidden", bool(obj.project_id))

    @staticmethod
    def resolve_talent(obj):
        return getattr(obj, "shown_talent", None)


class CooperationDetailOut(CooperationOut):
    activities: list[ThinktankActivityOut] = Field(description="合作活动，最新的在前")
    outcomes: list[OutcomeOut] = Field(description="合作成果，最新的在前")
    may_change: bool = Field(description="您能否修改该合作、登记活动和成果")

    @staticmethod
    def resolve_activities(obj) -> list:
        return obj.shown_activities

    @staticmethod
    def resolve_outcomes(obj) -> list:
        return obj.shown_outcomes


class CooperationFilters(Schema):
    q: str = Field("", description="机构名称、协议名称、协议编号或合作内容")
    status: str = Field("", description=choices_text(CooperationStatus))
    partner_kind: str = Field("", description="think_tank（智库）、university（高校）、institute（科研院所）")


class CooperationIn(Schema):
    partner_id: int = Field(description="合作机构 id：目标库中类型为智库、高校或科研院所的机构")
    title: str
    agreement_no: str = ""
    status: str = Field(CooperationStatus.ACTIVE.value, description=STORED)
    signed_date: datetime.date | None = Field(None, description="合作中、已终止的合作必填")
    start_date: datetime.date | None = Field(None, description="不填则按签订日期")
    end_date: datetime.date | None = Field(None, description="长期合作不填；已终止的填终止日期")
    unit_id: int | None = Field(None, description="负责单位 id，默认您的单位；区县只能填本单位")
    contact_id: int | None = Field(None, description="我方联系人（用户 id）")
    partner_contact: str = ""
    terms: str = ""


class CooperationPatch(Schema):
    """Only the fields sent change; null clears a date or the contact."""

    version: int = Field(description="读取时的 version；他人已先修改则返回 409")
    partner_id: int = None
    title: str = None
    agreement_no: str = None
    status: str = Field(None, description=STORED)
    signed_date: datetime.date | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    unit_id: int = None
    contact_id: int | None = None
    partner_contact: str = None
    terms: str = None


class ThinktankActivityIn(Schema):
    date: datetime.date
    kind: str = Field(ActivityKind.OTHER.value, description=choices_text(ActivityKind))
    title: str
    summary: str = ""
    participant_count: int | None = None
    event_id: int | None = Field(None, description="关联活动 id（活动与签约）")
    output_title: str = Field("", description="形成成果：报告、建议等成果文件的标题")


class OutcomeIn(Schema):
    kind: str = Field(description=choices_text(OutcomeKind))
    date: datetime.date
    project_id: int | None = Field(None, description="带来的项目 id；成果类型为项目时必填")
    organisation_id: int | None = Field(None, description="引荐的主体 id")
    talent_id: int | None = Field(None, description="带来的人才 id；只用于成果类型为人才")
    note: str = ""
