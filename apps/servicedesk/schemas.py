"""What the service-request API reads and writes."""

import datetime

from ninja import Field, Schema

from apps.core.schemas import Ref, UserRef, choices_text
from apps.servicedesk.choices import Category, Status


class EscalationOut(Schema):
    level: int = Field(description="0 承办人，1 单位负责人，2 驻京办（按今天计算，不必等每日任务）")
    level_label: str
    overdue_days: int
    label: str = Field(description="如“已逾期3天 · 已升级至单位负责人”；未逾期为空")


class ServiceRequestOut(Schema):
    id: int
    project: Ref | None = Field(description="所属项目；人才诉求为 null")
    talent: Ref | None = Field(description="所属人才；项目诉求为 null")
    category: str
    category_label: str
    title: str
    description: str
    channel: str
    channel_label: str
    raised_by: UserRef | None
    contact_name: str
    contact_phone: str
    owner_unit: Ref
    owner: UserRef | None
    due_date: datetime.date
    status: str
    status_label: str
    escalation: EscalationOut
    escalated_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_category_label(obj) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_channel_label(obj) -> str:
        return obj.get_channel_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class ReplyOut(Schema):
    id: int
    author: UserRef | None
    author_name: str
    is_from_contact: bool
    body: str
    status_to: str
    attachment_name: str
    attachment_url: str | None = Field(description="下载地址（需登录或令牌）")
    created_at: datetime.datetime

    @staticmethod
    def resolve_author_name(obj) -> str:
        return obj.author_text

    @staticmethod
    def resolve_attachment_url(obj) -> str | None:
        if not obj.attachment:
            return None
        return f"/api/v1/service-requests/{obj.request_id}/replies/{obj.pk}/attachment"


class ServiceRequestDetailOut(ServiceRequestOut):
    replies: list[ReplyOut]

    @staticmethod
    def resolve_replies(obj) -> list:
        from apps.servicedesk.selectors import request_replies

        return request_replies(request=obj)


class ServiceRequestFilters(Schema):
    status: str = Field("", description=choices_text(Status))
    category: str = Field("", description=choices_text(Category))
    overdue: bool = Field(False, description="只看已逾期未办结的")
    mine: bool = Field(False, description="只看我承办或提出的")
    project: int | None = Field(None, description="项目 id")
    talent: int | None = Field(None, description="人才 id")
    subject: str = Field("", description="project 只看项目诉求，talent 只看人才诉求")
    q: str = Field("", description="标题、项目或人才名称、联系人")


class ServiceRequestIn(Schema):
    project_id: int | None = Field(None, description="所属项目（与 talent_id 二选一）")
    talent_id: int | None = Field(None, description="所属人才（与 project_id 二选一）")
    category: str = Field(description=choices_text(Category))
    title: str
    description: str = ""
    owner_unit_id: int | None = Field(None, description="默认为项目或人才的承接区县")
    owner_id: int | None = Field(None, description="默认为项目或人才的服务专员")


class StatusIn(Schema):
    to_status: str = Field(description=choices_text(Status))
    note: str = Field("", description="办结时的办理结果、关闭理由；企业联系人可见")
    version: int = Field(description="读取时的 version；他人已先修改返回 409")


class AssignIn(Schema):
    owner_unit_id: int
    owner_id: int | None = None
    version: int
