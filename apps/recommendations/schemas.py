"""What the recommendation API reads and writes."""

import datetime

from ninja import Field, Schema

from apps.core.schemas import Ref, UserRef, choices_text
from apps.recommendations.models import TargetStatus


class ProjectBrief(Schema):
    id: int
    name: str
    stage: str
    stage_label: str

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return obj.get_stage_display()


class SiteVisitBrief(Schema):
    id: int
    date: datetime.date
    summary: str


class TargetOut(Schema):
    id: int
    unit: Ref
    status: str
    status_label: str
    decision_reason: str
    decided_by: UserRef | None
    decided_on: datetime.date | None = Field(description="答复（或撤回）日期")
    decided_at: datetime.datetime | None = Field(description="答复的记录时间")
    project: ProjectBrief | None = Field(description="区县承接的项目及其当前阶段")
    site_visit: SiteVisitBrief | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class RecommendationOut(Schema):
    id: int
    organisation: Ref
    project: Ref | None
    reason: str
    date: datetime.date
    recommended_by: UserRef | None
    from_unit: Ref
    created_at: datetime.datetime
    is_sample: bool
    targets: list[TargetOut] = Field(description="各区县的答复；区县账号只看到本单位的")

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(getattr(obj, "shown_targets", []))


class RecommendationFilters(Schema):
    status: str = Field("", description=choices_text(TargetStatus) + "（任一区县处于该状态）")
    organisation: int | None = Field(None, description="推荐企业 id")
    unit: int | None = Field(None, description="推荐区县 id")


class RecommendationIn(Schema):
    """Give the organisation, or the project when recommending a registered project."""

    organisation_id: int | None = None
    project_id: int | None = None
    unit_ids: list[int] = Field(description="推荐区县 id，至少一个")
    reason: str = Field(description="推荐理由")
    date: datetime.date | None = Field(None, description="推荐日期，默认今天")


class AcceptIn(Schema):
    reason: str = Field("", description="答复意见（选填）")


class DeclineIn(Schema):
    reason: str = Field("", description="婉拒理由（必填）")


class RecommendationWithdrawIn(Schema):
    reason: str = Field("", description="撤回理由（必填）")
    unit_ids: list[int] = Field([], description="只撤回这些区县；不填则撤回全部尚未答复的")


class SiteVisitIn(Schema):
    date: datetime.date = Field(description="考察日期")
    summary: str = Field(description="考察情况与共识")
    participants: str = ""
    counterparts: str = ""
    next_step: str = ""
    next_step_due: datetime.date | None = None


class FunnelQuery(Schema):
    start: datetime.date | None = Field(None, description="开始日期，默认当年1月1日")
    end: datetime.date | None = Field(None, description="结束日期（含），默认今天")
    unit: int | None = Field(None, description="只看某单位（驻京办、领导可选；区县只能是本单位）")


class FunnelOut(Schema):
    start: datetime.date
    end: datetime.date
    unit_id: int | None
    sentence: str = Field(description="拜访企业N家，推荐M家企业赴渝实地考察，其中K家已达成合作意向或实现落地")
    visited: int = Field(description="拜访企业数（驻京办或所选单位的走访、洽谈、会议座谈，去重）")
    recommended: int = Field(description="推荐赴渝考察的企业数（未撤回，去重；婉拒的仍计入）")
    accepted: int
    declined: int
    pending: int
    site_visited: int
    reached_intention_or_landed: int = Field(description="截至期末承接项目已达“意向/协议”或之后阶段的企业数")
    recommendation_count: int = Field(description="推荐记录条数（未去重）")
    target_count: int = Field(description="推荐区县次数（未去重）")
    organisation_ids: dict[str, list[int]] = Field(description="每个数字背后的企业 id")
