"""What GET /api/v1/stats/summary returns: the figures of selectors.summary, amounts as exact yuan strings
with the way people say them (``*_yuan`` "23950000000.00", ``*_display`` "239.5亿元"), and with every figure
the project-list filter (``params``) that shows its records."""

import datetime

from ninja import Field, Schema

PARAMS = "该数字对应的记录列表筛选条件（如 {\"unit\": 12, \"signed_from\": \"2025-01-01\"}），用于点击穿透"


class StatsFilters(Schema):
    start: datetime.date | None = Field(None, description="统计期开始日期（含），默认为今年1月1日")
    end: datetime.date | None = Field(None, description="统计期结束日期（含），默认为今天")
    unit: int | None = Field(None, description="承接区县 id（含并入该区县的原单位，如两江新区含原江北区、原渝北区）")
    cluster: int | None = Field(None, description="33618产业集群 id")


class UnitFilterOut(Schema):
    id: int
    name: str
    note: str = Field(description="并入说明，如“含原江北区、原渝北区（2025年11月6日撤销，并入两江新区）”")


class ClusterFilterOut(Schema):
    id: int
    name: str
    tier: str


class FilterOut(Schema):
    start: datetime.date
    end: datetime.date
    today: datetime.date
    unit: UnitFilterOut | None
    cluster: ClusterFilterOut | None


class CountOut(Schema):
    count: int
    list: str = Field("projects", description="点击穿透的列表：projects、service_requests、alerts")
    params: dict = Field(description=PARAMS)


class CockpitRateOut(Schema):
    currency: str = Field(description="币种代码，如 USD")
    rate: str = Field(description="1单位该币种折合人民币元数，如 \"7.1\"")
    count: int = Field(description="按此汇率折算的项目数")
    original_amount: str = Field(description="这些项目的原币金额合计（该币种，精确到分）")
    text: str = Field(description="如“2个项目以美元签约（共3亿美元），按1美元=7.1元折算”")


RATES = "金额中外币签约所用的汇率（均已折算为人民币计入金额）"
RATES_TEXT = "说明折算的句子；全部以人民币签约时为空字符串"


class AmountOut(Schema):
    count: int = Field(description="项目数，每个项目只计一次")
    amount_yuan: str
    amount_display: str
    undisclosed: int = Field(description="其中金额未公开的项目数（不按0计）")
    rates: list[CockpitRateOut] = Field(description=RATES)
    rates_text: str = Field(description=RATES_TEXT)
    params: dict = Field(description=PARAMS)


class CockpitStageOut(Schema):
    key: str
    label: str
    count: int
    params: dict = Field(description=PARAMS)


class FundsOut(Schema):
    total_yuan: str = Field(description="统计期内到位资金（有效登记）")
    total_display: str
    projects: int = Field(description="这些资金所属的项目数")
    signed_amount_yuan: str = Field(description="这些项目的签约金额合计")
    signed_amount_display: str
    percent: str | None = Field(description="到位资金占签约金额的百分比（一位小数）")
    list: str
    params: dict = Field(description=PARAMS)


class FunnelStepOut(Schema):
    key: str
    label: str
    count: int
    params: dict | None = None


class EventOut(Schema):
    id: int
    title: str
    date: datetime.date
    count: int = Field(description="该活动签约项目数（活动本身的合计）")
    amount_yuan: str
    amount_display: str
    undisclosed: int


class SigningsOut(Schema):
    count: int = Field(description="统计期内签约记录涉及的项目数，每个项目只计一次（含意向协议）")
    amount_yuan: str
    amount_display: str
    undisclosed: int
    by_type: dict[str, int] = Field(description="按协议类型（intention/framework/contract）的项目数")
    rates: list[CockpitRateOut] = Field(description=RATES)
    rates_text: str = Field(description=RATES_TEXT)


class ReconciliationOut(Schema):
    signed: int
    signed_at_event: int = Field(description="本期签约项目中在活动上签署框架协议或正式合同的")
    signed_at_event_amount_yuan: str
    signed_at_event_amount_display: str
    signed_outside_events: int
    signed_outside_events_amount_yuan: str
    signed_outside_events_amount_display: str
    event_signing_projects: int = Field(description="本期活动签约涉及的项目数")
    event_signing_projects_in_signed: int = Field(description="其中已计入本期签约的")
    event_signing_projects_not_in_signed: int
    event_signing_projects_intention_only: int = Field(description="未计入者中仅签署意向协议的")
    text: str


class BreakdownRowOut(Schema):
    key: int | str = Field(description="id 或取值；\"none\" 表示未填写")
    label: str
    count: int
    amount_yuan: str
    amount_display: str
    undisclosed: int
    params: dict = Field(description=PARAMS)
    tier: str | None = None
    tier_label: str | None = None
    includes: list[str] | None = Field(None, description="并入该区县的原单位中本行包含的")
    note: str | None = None
    rank: int | None = None
    signed: int | None = Field(None, description="以商招商各行：其中已签约的项目数")


class SummaryOut(Schema):
    filter: FilterOut
    stages: list[CockpitStageOut]
    signed: AmountOut
    signed_to_date: AmountOut
    landed: AmountOut
    in_production: CountOut
    funds: FundsOut
    overdue_requests: CountOut
    stalled: CountOut
    funnel: list[FunnelStepOut]
    events: list[EventOut]
    signings: SigningsOut
    reconciliation: ReconciliationOut
    by_cluster: list[BreakdownRowOut]
    by_chain_role: list[BreakdownRowOut]
    by_unit: list[BreakdownRowOut]
    by_source_unit: list[BreakdownRowOut]
    by_month: list[BreakdownRowOut]
    ranking: list[BreakdownRowOut]
    by_referrer: list[BreakdownRowOut] = Field(description="以商招商：本期记入引荐的项目，按引荐企业（带动一串），多者在前")
