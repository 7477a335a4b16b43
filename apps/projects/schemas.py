"""What the project API reads and writes. Amounts go out twice — exact yuan as a string and the way
people say it ("5亿元") — and come in only as numbers of yuan: "5亿" is refused (422), because the
unit is for people and forms (apps.core.money), not for programs."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from apps.core.money import rate_for_input
from apps.core.schemas import Ref, UserRef, choices_text, yuan, yuan_display
from apps.projects import stages
from apps.projects.choices import AgreementType, ChainRole, Confidentiality, Priority, Stage

YUAN = "金额（元），数字或数字字符串，如 500000000 或 \"500000000.00\"；不接受“5亿”这类写法"


class ProjectOut(Schema):
    id: int
    name: str
    organisation: Ref
    unit: Ref
    source_unit: Ref | None
    stage: str
    stage_label: str
    paused_from: str
    first_contact_date: datetime.date
    planned_investment_yuan: str | None = Field(description="计划投资，精确到分的元，字符串")
    planned_investment_display: str | None = Field(description="如“5亿元”")
    cluster: Ref | None
    chain_role: str
    chain_role_label: str
    specialist: UserRef | None
    priority: str
    confidentiality: str
    protected_until: datetime.date | None
    description: str
    signed_date: datetime.date | None
    agreement_type: str
    signed_amount_yuan: str | None
    signed_amount_display: str | None
    signed_currency: str = Field(description="签约币种：CNY，或以外币签约时的 USD、EUR 等（签约金额已折算为人民币）")
    signed_original_amount: str | None = Field(description="外币签约的原币金额；人民币为 null")
    signed_exchange_rate: str | None = Field(description="外币签约的折算汇率（1单位外币折合人民币元数）；人民币为 null")
    registered_entity: str
    registered_credit_code: str
    registered_date: datetime.date | None
    construction_start_date: datetime.date | None
    production_date: datetime.date | None
    stage_changed_at: datetime.datetime | None
    is_sample: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return obj.get_stage_display()

    @staticmethod
    def resolve_chain_role_label(obj) -> str:
        return obj.get_chain_role_display()

    @staticmethod
    def resolve_planned_investment_yuan(obj):
        return yuan(obj.planned_investment)

    @staticmethod
    def resolve_planned_investment_display(obj):
        return yuan_display(obj.planned_investment)

    @staticmethod
    def resolve_signed_amount_yuan(obj):
        return yuan(obj.signed_amount)

    @staticmethod
    def resolve_signed_amount_display(obj):
        return yuan_display(obj.signed_amount)

    @staticmethod
    def resolve_signed_original_amount(obj):
        return yuan(obj.signed_original_amount)

    @staticmethod
    def resolve_signed_exchange_rate(obj):
        return rate_for_input(obj.signed_exchange_rate) or None


class ProjectDetailOut(ProjectOut):
    allowed_targets: list[str] = Field(description="下一步可选的阶段（仍按阶段规则校验）")

    @staticmethod
    def resolve_allowed_targets(obj) -> list[str]:
        return stages.allowed_targets(obj.stage, obj.paused_from)


class ProjectFilters(Schema):
    """The project list's own filter (apps/projects/filters.py), so ?… copied from a page link or a
    cockpit figure's params gives the same projects here. A value it does not accept is a 400 naming
    the parameter, never a silently wider list."""

    q: str = Field("", description="项目或企业名称")
    stage: str = Field("", description=choices_text(Stage))
    unit: int | None = Field(None, description="承接区县 id；含已并入该区县的原单位")
    cluster: int | str | None = Field(None, description="33618 产业集群 id；none 为未选择产业集群的项目")
    chain_role: str = Field("", description=choices_text(ChainRole) + "；none 为未填写链上作用的项目")
    mine: bool = Field(False, description="只看我登记或由我服务的项目")
    source_unit: int | str | None = Field(None, description="线索来源单位 id；none 为没有线索来源单位的项目")
    signed_from: datetime.date | None = Field(None, description="签约日期自（含当日）")
    signed_to: datetime.date | None = Field(None, description="签约日期至（含当日）")
    registered_from: datetime.date | None = Field(None, description="注册落地日期自（含当日）")
    registered_to: datetime.date | None = Field(None, description="注册落地日期至（含当日）")
    production_from: datetime.date | None = Field(None, description="投产日期自（含当日）")
    production_to: datetime.date | None = Field(None, description="投产日期至（含当日）")
    intention_from: datetime.date | None = Field(None, description="达成意向（进入意向/协议阶段）日期自（含当日）")
    intention_to: datetime.date | None = Field(None, description="达成意向（进入意向/协议阶段）日期至（含当日）")
    referred_by: int | None = Field(None, description="以商招商：由该企业（目标主体 id）引荐的项目")
    referred_from: datetime.date | None = Field(None, description="引荐日期自（含当日）")
    referred_to: datetime.date | None = Field(None, description="引荐日期至（含当日）")

    def form_data(self) -> dict[str, str]:
        """The values as the list page's query string would carry them."""
        out = {}
        for key, value in self.model_dump().items():
            if value is None or value == "" or value is False:
                continue
            out[key] = "1" if value is True else value.isoformat() if isinstance(value, datetime.date) else str(value)
        return out


class ProjectIn(Schema):
    organisation_id: int
    unit_id: int = Field(description="承接区县 id（区县用户只能填本单位）")
    name: str
    first_contact_date: datetime.date | None = Field(None, description="默认今天")
    planned_investment_yuan: Decimal | None = Field(None, description=YUAN)
    cluster_id: int | None = None
    chain_role: str = Field("", description=choices_text(ChainRole))
    specialist_id: int | None = None
    priority: str = Field(Priority.NORMAL.value, description=choices_text(Priority))
    confidentiality: str = Field(Confidentiality.NORMAL.value, description=choices_text(Confidentiality))
    description: str = ""
    source_unit_id: int | None = None


class ProjectPatch(Schema):
    """Only the fields sent change. null clears a field that may be empty; a fact that defines a stage
    the project has reached cannot be cleared (400)."""

    version: int = Field(description="读取时的 version；他人已先修改则返回 409")
    name: str = None
    planned_investment_yuan: Decimal | None = Field(None, description=YUAN)
    cluster_id: int | None = None
    chain_role: str = Field(None, description=choices_text(ChainRole))
    specialist_id: int | None = None
    priority: str = Field(None, description=choices_text(Priority))
    confidentiality: str = Field(None, description=choices_text(Confidentiality))
    description: str = None
    source_unit_id: int | None = None
    signed_date: datetime.date | None = None
    agreement_type: str = Field(None, description=choices_text(AgreementType))
    signed_amount_yuan: Decimal | None = Field(None, description=YUAN)
    registered_entity: str = None
    registered_credit_code: str = None
    registered_date: datetime.date | None = None
    construction_start_date: datetime.date | None = None
    production_date: datetime.date | None = None


class StageChangeIn(Schema):
    """The facts a stage needs (GET /projects/stages lists them) are sent with the move."""

    to_stage: str = Field(description=choices_text(Stage))
    expected_stage: str | None = Field(None, description="您看到的当前阶段；已被他人改变则返回 409，不会重复变更")
    note: str = ""
    skip_reason: str = Field("", description="跨阶段理由：跳过阶段时必填")
    evidence: str = Field("", description="佐证：协议编号、营业执照、开工报告等")
    occurred_on: datetime.date | None = Field(None, description="发生日期（默认今天；补录时填实际日期）")
    signed_date: datetime.date | None = None
    agreement_type: str = Field("", description=choices_text(AgreementType))
    signed_amount_yuan: Decimal | None = Field(None, description=YUAN)
    registered_entity: str = ""
    registered_credit_code: str = ""
    registered_date: datetime.date | None = None
    construction_start_date: datetime.date | None = None
    production_date: datetime.date | None = None
    planned_investment_yuan: Decimal | None = Field(None, description=YUAN)
    specialist_id: int | None = None


class StageChangeOut(Schema):
    id: int
    from_stage: str
    from_stage_label: str
    to_stage: str
    to_stage_label: str
    occurred_on: datetime.date
    changed_at: datetime.datetime
    changed_by: UserRef | None
    note: str
    skip_reason: str
    evidence: str

    @staticmethod
    def resolve_from_stage_label(obj) -> str:
        return obj.get_from_stage_display()

    @staticmethod
    def resolve_to_stage_label(obj) -> str:
        return obj.get_to_stage_display()


class StageChangeResultOut(Schema):
    change: StageChangeOut
    project: ProjectDetailOut


class TimelineEntryOut(Schema):
    at: datetime.datetime | datetime.date
    kind: str = Field(description="stage 阶段变更、activity 走访洽谈、edit 修改信息")
    title: str
    actor: str | None
    detail: str
    changes: dict | None = Field(description="修改信息：字段名 → [原值, 新值]")

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.display_name if obj.actor else None


class HistoryOut(Schema):
    stage_changes: list[StageChangeOut] = Field(description="阶段变更，按时间先后")
    timeline: list[TimelineEntryOut] = Field(description="阶段变更、走访洽谈与修改，最新的在前")


class StageFieldOut(Schema):
    field: str = Field(description="API 中的字段名（如 signed_amount_yuan）")
    label: str


class ProjectStageOut(Schema):
    value: str
    label: str
    in_pipeline: bool = Field(description="主流程阶段；暂缓、终止不在主流程中")
    position: int | None = Field(description="主流程中的次序，从 0 开始")
    required_fields: list[StageFieldOut] = Field(description="进入该阶段须已填写的字段")


class ClaimConflictOut(Schema):
    """409 when another unit holds the organisation (首谈负责制): the sentence plus its facts."""

    detail: str
    code: str | None = Field(None, description="claimed：其他单位在首谈保护期内；其他冲突另有代码")
    field: str | None = None
    holder_unit: str | None = Field(None, description="现跟进单位")
    holder_unit_id: int | None = None
    protected_until: datetime.date | None = Field(None, description="其首谈保护期至（含当日）")
    organisation_id: int | None = None
    arbitration: str | None = Field(None, description="申请协调的接口")


class ArbitrationIn(Schema):
    organisation_id: int
    unit_id: int = Field(description="申请单位 id（区县用户只能填本单位）")
    reason: str = Field(description="申请理由（必填）")


class ArbitrationDecisionIn(Schema):
    decision: str = Field(description="granted（同意：原单位保护期即日终止）或 rejected（不同意：维持原保护期）")
    note: str = Field(description="处理意见（必填），双方单位都会看到")


class ArbitrationOut(Schema):
    id: int
    organisation: Ref
    requesting_unit: Ref
    requested_by: UserRef | None
    requested_at: datetime.datetime
    holder_unit: Ref = Field(description="原跟进单位")
    holder_protected_until: datetime.date | None = Field(description="申请时原单位的保护期至")
    reason: str
    status: str = Field(description="pending 待协调、granted 同意、rejected 不同意、withdrawn 已撤回")
    status_label: str
    decided_by: UserRef | None
    decided_at: datetime.datetime | None
    decision_note: str

    @staticmethod
    def resolve_holder_unit(obj):
        return obj.holder_project.unit

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class ArbitrationFilters(Schema):
    status: str = Field("", description="pending、granted、rejected、withdrawn")
    organisation: int | None = Field(None, description="目标主体 id")
