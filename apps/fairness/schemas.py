"""What the fair-competition API reads and writes: a flag (also shown inside the records it is attached to,
such as a district's offer), the office's review of one, and the one-off check of a text."""

import datetime

from django.contrib.contenttypes.models import ContentType
from ninja import Field, Schema

from apps.core.schemas import Ref, UserRef, choices_text
from apps.fairness.models import FlagStatus


class FlagTargetOut(Schema):
    type: str = Field(description="记录类型，如 offers.policy（政策）、projects.project（项目）")
    type_label: str
    id: int
    name: str = Field(description="提示生成时记录的名称")


class FlagOut(Schema):
    id: int
    target: FlagTargetOut
    unit: Ref | None = Field(description="记录所属单位")
    field_name: str = Field(description="命中的字段，如 summary、conditions")
    rule_id: str
    rule_name: str
    matched_text: str = Field(description="命中的文字")
    sentence: str = Field(description="命中文字所在的句子")
    article: str = Field(description="涉及的《公平竞争审查条例》条款")
    explanation: str
    severity: str = Field(description="需审查 或 提示")
    status: str = Field(description=choices_text(FlagStatus))
    status_label: str
    review_note: str
    reviewed_by: UserRef | None
    reviewed_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_target(obj) -> dict:
        # get_for_id is served from ContentType's cache: no query per row.
        content_type = ContentType.objects.get_for_id(obj.content_type_id)
        model = content_type.model_class()
        label = str(model._meta.verbose_name) if model is not None else content_type.model
        return {"type": f"{content_type.app_label}.{content_type.model}", "type_label": label,
                "id": obj.object_id, "name": obj.target_repr}

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class FlagFilters(Schema):
    status: str = Field("open", description="open（待审查，默认）、cleared（已确认无问题）、amended（已修改）、all（全部）")
    q: str = Field("", description="在记录名称、句子和条款中查找")


class FlagReviewIn(Schema):
    status: str = Field(description="cleared（已确认无问题）或 amended（已修改）")
    note: str = Field(description="审查意见：依据的法规、政策文件或修改后的条款")


class CheckIn(Schema):
    text: str = Field(description="协议草案、政策条款或优惠承诺的文字；只用于本次检查，不保存。最多 20 万字")


class FindingOut(Schema):
    rule_id: str
    rule_name: str
    article: str = Field(description="涉及的《公平竞争审查条例》条款")
    matched: str = Field(description="命中的文字")
    excerpt: str = Field(description="命中文字所在的句子")
    start: int = Field(description="命中文字在所交文字中的位置（从 0 开始，按字符计）")
    end: int
    explanation: str
    severity: str = Field(description="需审查 或 提示")


class CheckOut(Schema):
    count: int
    findings: list[FindingOut]
    source: dict = Field(description="规则依据（法规名称、版本）")
