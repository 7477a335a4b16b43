"""What the fulfilment API reads and writes. Amounts go out as exact yuan strings with the way people
say them ("1.2亿元"), and come in only as numbers of yuan (apps/projects/schemas.py explains why)."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from apps.core.schemas import Ref, UserRef, choices_text, yuan, yuan_display
from apps.fulfilment.choices import AlertKind

YUAN = "金额（元），数字或数字字符串，如 120000000 或 \"120000000.00\"；不接受“1.2亿”这类写法"


class AlertOut(Schema):
    id: int
    kind: str
    kind_label: str
    message: str = Field(description="预警内容（中文，含具体数字）")
    raised_on: datetime.date
    resolved_on: datetime.date | None
    resolved_reason: str
    project: Ref
    unit: Ref

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_unit(obj):
        return obj.project.unit


class AlertFilters(Schema):
    kind: str = Field("", description=choices_text(AlertKind))
    unit: int | None = Field(None, description="承接区县 id（含并入该区县的原单位）")
    project: int | None = Field(None, description="项目 id")
    open: bool = Field(True, description="true 只列未解除的预警；false 含已解除的")


class FundsEntryOut(Schema):
    id: int
    date: datetime.date
    amount_yuan: str
    amount_display: str
    cumulative_yuan: str | None = Field(None, description="截至该笔的累计到位资金")
    note: str
    evidence: str
    created_by: UserRef | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_amount_yuan(obj) -> str:
        return yuan(obj.amount)

    @staticmethod
    def resolve_amount_display(obj) -> str:
        return yuan_display(obj.amount)

    @staticmethod
    def resolve_cumulative_yuan(obj) -> str | None:
        return yuan(getattr(obj, "cumulative", None))


class FundsEntryCreatedOut(FundsEntryOut):
    funds_total_yuan: str = Field(description="登记后项目累计到位资金")
    funds_total_display: str
    warning: str = Field(description="累计超过签约金额等需要核实的情况；没有则为空")


class PlanItemOut(Schema):
    due_date: datetime.date
    amount_yuan: str = Field(description="本期计划金额")
    amount_display: str
    cumulative_yuan: str = Field(description="截至本期的累计计划金额")
    cumulative_display: str
    note: str
    is_due: bool
    met: bool = Field(description="截至计划日期的到位资金是否已达到累计计划")

    @staticmethod
    def resolve_amount_yuan(obj) -> str:
        return yuan(obj.amount)

    @staticmethod
    def resolve_amount_display(obj) -> str:
        return yuan_display(obj.amount)

    @staticmethod
    def resolve_cumulative_yuan(obj) -> str:
        return yuan(obj.cumulative)

    @staticmethod
    def resolve_cumulative_display(obj) -> str:
        return yuan_display(obj.cumulative)


class KeyDateOut(Schema):
    field: str
    label: str
    date: datetime.date | None
    days_after_previous: int | None = Field(None, description="与上一个关键日期间隔的天数")
    days_since: int | None = Field(None, description="最后一个已到达的关键日期距今天数")


class FulfilmentOut(Schema):
    project: Ref
    stage: str
    stage_label: str
    signed_date: datetime.date | None
    signed_amount_yuan: str | None
    signed_amount_display: str | None
    funds_total_yuan: str
    funds_total_display: str
    funds_percent: str | None = Field(description="到位资金占签约金额的百分比，一位小数，如 \"24.0\"")
    plan_total_yuan: str
    plan_due_yuan: str = Field(description="截至今天计划应到位的累计金额")
    plan_due_display: str
    plan_due_date: datetime.date | None
    behind_by_yuan: str = Field(description="计划应到位减实际到位，不滞后为 0")
    key_dates: list[KeyDateOut]
    entries: list[FundsEntryOut]
    plan_items: list[PlanItemOut]
    open_alerts: list[AlertOut]
    warning: str


class FundsEntryIn(Schema):
    date: datetime.date = Field(description="到位日期，不晚于今天、不早于签约日期")
    amount_yuan: Decimal = Field(description=YUAN)
    note: str = ""
    evidence: str = Field("", description="佐证：银行回单、验资报告等")


class PlanItemIn(Schema):
    due_date: datetime.date
    amount_yuan: Decimal = Field(description="本期计划金额；" + YUAN)
    note: str = ""


class PlanIn(Schema):
    items: list[PlanItemIn] = Field(description="整份计划（替换原计划）；空列表清除计划")
