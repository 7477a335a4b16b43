"""What the events API reads and writes. Amounts go out as exact yuan in a string ("500000000.00")
beside the way people say it ("5亿元"); they come in either as yuan (`amount`: a number or a numeric
string) or as people write them (`amount_text`: "5亿元", "3000万元", parsed by apps.core.money), never
both. A total is always computed from the signings behind it (apps/events/selectors.py)."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from apps.core.money import rate_for_input
from apps.core.schemas import Ref, UserRef, choices_text, yuan, yuan_display
from apps.events.models import EventKind
from apps.projects.choices import AgreementType

AMOUNT = ("签约金额（元）：数字或数字字符串，如 500000000 或 \"500000000.00\"；"
          "与 amount_text 二选一；都不填（或 null）表示金额未公开")
AMOUNT_TEXT = ("签约金额的中文写法，如 \"5亿元\"、\"3000万元\"（须写明单位）；外币写明币种，如 \"3亿美元\"、"
               "\"2000万欧元\"（须同时填 exchange_rate）；与 amount 二选一")
EXCHANGE_RATE = ("折算汇率：1单位外币折合人民币元数，如 7.1；仅 amount_text 为外币时填写，金额按此折算为人民币计入合计。"
                 "修改时不填则沿用原汇率（同一币种）")


# --- events ------------------------------------------------------------------------------------------

class EventOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    date: datetime.date
    end_date: datetime.date | None
    city: str
    venue: str
    unit: Ref = Field(description="组织单位（其管理员、招商干部可修改该活动）")
    hosts: str
    attendee_count: int | None
    attendee_count_is_floor: bool = Field(description="参会人数为约数（“400余人”）")
    summary: str
    agenda: str
    is_sample: bool
    created_by: UserRef | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class EventListOut(EventOut):
    signing_count: int = Field(description="有效签约项目数")
    signing_amount: str = Field(description="已公开的签约金额合计，精确到分的元，字符串")
    amount_text: str = Field(description="如“239.5亿元”")

    @staticmethod
    def resolve_signing_count(obj) -> int:
        return obj.signing_count or 0

    @staticmethod
    def resolve_signing_amount(obj) -> str:
        return yuan(obj.signing_amount or Decimal("0"))

    @staticmethod
    def resolve_amount_text(obj) -> str:
        return yuan_display(obj.signing_amount) if obj.signing_amount else "0元"


class ClusterTotalOut(Schema):
    cluster: str | None = Field(description="33618 产业集群名称；null 为未归入集群的项目")
    count: int
    amount: str = Field(description="精确到分的元，字符串")


class SigningRateOut(Schema):
    currency: str = Field(description="币种代码，如 USD")
    rate: str = Field(description="1单位该币种折合人民币元数")
    count: int = Field(description="按此汇率折算的项目数")
    original_amount: str = Field(description="这些项目的原币金额合计")
    text: str = Field(description="如“2个项目以美元签约（共3亿美元），按1美元=7.1元折算”")

    @staticmethod
    def resolve_rate(obj) -> str:
        return rate_for_input(obj.rate)

    @staticmethod
    def resolve_original_amount(obj) -> str:
        return yuan(obj.original)


class TotalsOut(Schema):
    count: int = Field(description="签约项目数（每个项目只计一次）")
    amount: str = Field(description="已公开金额合计，精确到分的元，字符串")
    amount_text: str = Field(description="如“239.5亿元”")
    undisclosed: int = Field(description="金额未公开的项目数（不计入合计）")
    by_type: dict[str, int] = Field(description="协议类型 → 项目数；" + choices_text(AgreementType))
    by_cluster: list[ClusterTotalOut] = Field(description="按产业集群，金额大的在前")
    rates: list[SigningRateOut] = Field(description="合计中外币签约所用的汇率（均已折算为人民币计入 amount）")
    rates_text: str = Field(description="说明折算的句子；全部以人民币签约时为空字符串")

    @staticmethod
    def resolve_amount(obj) -> str:
        return yuan(obj.amount)

    @staticmethod
    def resolve_by_cluster(obj) -> list[dict]:
        return [{"cluster": name or None, "count": count, "amount": yuan(amount)}
                for name, count, amount in obj.by_cluster]


class EventDetailOut(EventOut):
    totals: TotalsOut = Field(description="按全部有效签约计算（对外公布的数字），不论读者能看到哪些签约明细")
    may_change: bool = Field(description="当前用户可否修改该活动、调整签约顺序")


class EventFilters(Schema):
    q: str = Field("", description="活动名称、城市、地点或主办单位")
    year: int | None = Field(None, ge=2000, le=2100, description="活动年份，如 2025（2000–2100）")
    kind: str = Field("", description=choices_text(EventKind))


class EventIn(Schema):
    title: str = Field(description="活动名称")
    kind: str = Field(EventKind.MATCHMAKING.value, description=choices_text(EventKind))
    date: datetime.date = Field(description="活动日期")
    end_date: datetime.date | None = Field(None, description="结束日期（多日活动），最长31天")
    city: str = ""
    venue: str = ""
    unit_id: int | None = Field(None, description="组织单位 id，默认本人单位；区县只能填本单位")
    hosts: str = Field("", description="主办/承办单位（照节目单填写）")
    attendee_count: int | None = None
    attendee_count_is_floor: bool = Field(False, description="人数为约数（“余”）")
    summary: str = ""
    agenda: str = Field("", description="每行一项，如：14:00 领导致辞")


class EventPatch(Schema):
    """Only the fields sent change; null clears a field that may be empty."""

    version: int = Field(description="读取时的 version；他人已先修改则返回 409")
    title: str = None
    kind: str = Field(None, description=choices_text(EventKind))
    date: datetime.date = None
    end_date: datetime.date | None = None
    city: str = None
    venue: str = None
    unit_id: int = None
    hosts: str = None
    attendee_count: int | None = None
    attendee_count_is_floor: bool = None
    summary: str = None
    agenda: str = None


# --- signings ----------------------------------------------------------------------------------------

class EventRef(Schema):
    id: int
    title: str
    date: datetime.date


class SigningProjectOut(Schema):
    id: int
    name: str
    unit: Ref = Field(description="承接区县")
    organisation: Ref
    stage: str = Field(description="项目当前阶段（签约可能已推动阶段）")
    stage_label: str

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return str(obj.get_stage_display())


class SigningOut(Schema):
    id: int
    event: EventRef | None = Field(description="签约活动；单独签约为 null")
    project: SigningProjectOut
    agreement_type: str = Field(description=choices_text(AgreementType))
    agreement_label: str
    amount: str | None = Field(description="签约金额，精确到分的元，字符串；null 为金额未公开")
    amount_text: str | None = Field(description="如“5亿元”；null 为金额未公开")
    currency: str = Field(description="签约币种：CNY 人民币，或 USD、EUR、HKD、JPY、GBP（此时 amount 为折算后的人民币）")
    original_amount: str | None = Field(description="外币签约的原币金额，精确到分，字符串；人民币签约为 null")
    exchange_rate: str | None = Field(description="外币签约的折算汇率（1单位外币折合人民币元数）；人民币签约为 null")
    conversion_note: str = Field(description="如“（3亿美元，按1美元=7.1元折算）”；人民币签约为空字符串")
    date: datetime.date
    our_signatory: str
    their_signatory: str
    order: int = Field(description="签约顺序（在活动中的第几位）")
    status: str = Field(description="active 有效、withdrawn 已撤回（保留记录，不再计入合计）")
    status_label: str
    withdrawn_reason: str
    withdrawn_at: datetime.datetime | None
    withdrawn_by: UserRef | None
    created_by: UserRef | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_agreement_label(obj) -> str:
        return str(obj.get_agreement_type_display())

    @staticmethod
    def resolve_amount(obj) -> str | None:
        return yuan(obj.amount)

    @staticmethod
    def resolve_amount_text(obj) -> str | None:
        return yuan_display(obj.amount)

    @staticmethod
    def resolve_original_amount(obj) -> str | None:
        return yuan(obj.original_amount)

    @staticmethod
    def resolve_exchange_rate(obj) -> str | None:
        return rate_for_input(obj.exchange_rate) or None

    @staticmethod
    def resolve_conversion_note(obj) -> str:
        return obj.foreign_note

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class EventSigningRowOut(SigningOut):
    may_change: bool = Field(description="当前用户可否修改、撤回该签约")

    @staticmethod
    def resolve_may_change(obj) -> bool:
        return bool(getattr(obj, "may_change", False))


class EventSigningsOut(Schema):
    signings: list[EventSigningRowOut] = Field(description="当前用户可查看的有效签约，按签约顺序")
    hidden: int = Field(description="本活动中当前用户无权查看明细的有效签约数（仍计入活动合计）")
    withdrawn: list[SigningOut] = Field(description="当前用户可查看的已撤回签约，最近撤回的在前")

    @staticmethod
    def resolve_signings(obj) -> list:
        return obj.rows


class SigningIn(Schema):
    project_id: int = Field(description="签约项目 id（须为本单位承接或由您服务的项目）")
    agreement_type: str = Field(description=choices_text(AgreementType))
    amount: Decimal | str | None = Field(None, description=AMOUNT)
    amount_text: str | None = Field(None, description=AMOUNT_TEXT)
    exchange_rate: Decimal | str | None = Field(None, description=EXCHANGE_RATE)
    date: datetime.date | None = Field(None, description="签约日期；在活动中签约的默认活动日期，须在活动日期内")
    our_signatory: str = Field("", description="我方签约代表，如：长寿区人民政府 副区长")
    their_signatory: str = Field("", description="企业方签约代表，如：北京嘉岳 董事长")
    order: int | None = Field(None, description="签约顺序；不填排在最后，填已有位置则插入该位置")
    advance_stage: bool = Field(True, description="同时把项目推进到该协议对应的阶段（意向协议 → 意向/协议；"
                                                   "框架协议、正式合同 → 签约）；阶段规则不满足时整笔拒绝（400，"
                                                   "field=advance_stage），可改为 false 只登记签约")


class SigningPatch(Schema):
    """Only the fields sent change. The event and the project of a signing do not change: withdraw it
    and record it again."""

    version: int = Field(description="读取时的 version；他人已先修改则返回 409")
    agreement_type: str = Field(None, description=choices_text(AgreementType))
    amount: Decimal | str | None = Field(None, description=AMOUNT + "；null 改为金额未公开")
    amount_text: str | None = Field(None, description=AMOUNT_TEXT)
    exchange_rate: Decimal | str | None = Field(None, description=EXCHANGE_RATE)
    date: datetime.date = None
    our_signatory: str = None
    their_signatory: str = None
    order: int = None


class SigningWithdrawIn(Schema):
    reason: str = Field("", description="撤回原因（必填）")


class ReorderIn(Schema):
    ids: list[int] = Field(description="本活动全部有效签约的 id，按新的签约顺序；名单已变则返回 409")


# --- the live tally ------------------------------------------------------------------------------------

class TallyRowOut(Schema):
    order: int
    name: str | None = Field(description="项目名称；当前用户无权查看该签约时为 null")
    unit: str | None = Field(description="承接区县；无权查看时为 null")
    amount: str | None = Field(description="如“5亿元”；null 为金额未公开或无权查看")
    agreement: str | None = Field(description="协议类型（中文）；无权查看时为 null")


class TallyOut(Schema):
    totals: TotalsOut
    latest: list[TallyRowOut] = Field(description="最近登记的签约，新的在前")
    stamp: str = Field(description="大屏轮询用：内容有变化时 stamp 随之改变")
