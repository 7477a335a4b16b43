"""What the district-offers API reads and writes: parks, sites, policies and resources of each district,
the office's need profiles and the districts ranked against one. Numbers with decimals (areas, prices,
water) go out as exact strings, as amounts do elsewhere in the API; they come in as JSON numbers."""

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Schema

from apps.core.schemas import Ref, UserRef, choices_text
from apps.fairness.schemas import FlagOut
from apps.offers.choices import ParkKind, PriceUnit, ResourceKind, SiteKind, SiteStatus
from apps.offers.matching import area_text, number_text


def _exact(value) -> str | None:
    return None if value is None else f"{value:f}"


class OfferOut(Schema):
    id: int
    unit: Ref = Field(description="所属区县")
    is_retired: bool = Field(description="已下架：不再参与匹配，仍可查看")
    retired_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    is_sample: bool


class OfferDetail(Schema):
    fairness_flags: list[FlagOut] = Field(description="公平竞争审查提示（区县只看到本单位记录的提示）")
    may_change: bool = Field(description="您能否修改、下架该记录（只有本区县的管理员、招商干部可以）")


class ParkOut(OfferOut):
    name: str
    kind: str = Field(description=choices_text(ParkKind))
    kind_label: str
    address: str
    clusters: list[Ref] = Field(description="主导产业集群")
    leading_industries: str
    description: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_clusters(obj) -> list:
        return list(obj.clusters.all())


class ParkDetailOut(ParkOut, OfferDetail):
    pass


class SiteOut(OfferOut):
    name: str
    kind: str = Field(description=choices_text(SiteKind))
    kind_label: str
    park: Ref | None = Field(description="所在园区")
    area: str = Field(description="面积（平方米），精确字符串")
    area_display: str = Field(description="如“50亩（33,333.5平方米）”；土地同时给出亩数")
    price: str | None = Field(description="价格，单位见 price_unit，精确字符串")
    price_unit: str = Field(description=choices_text(PriceUnit))
    price_display: str | None = Field(description="如“35万元/亩”“18 元/m²·月”")
    power_kva: int | None
    water_tpd: str | None = Field(description="供水能力（吨/日）")
    ready_date: datetime.date | None = Field(description="可交付日期；已可交付为 null")
    status: str = Field(description=choices_text(SiteStatus))
    status_label: str
    note: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_area(obj) -> str:
        return _exact(obj.area)

    @staticmethod
    def resolve_area_display(obj) -> str:
        return area_text(obj.area, obj.kind)

    @staticmethod
    def resolve_price(obj) -> str | None:
        return _exact(obj.price)

    @staticmethod
    def resolve_price_display(obj) -> str | None:
        # The page's wording (offers_display.site_price): land by the 万元/亩, buildings in 元.
        if obj.price is None:
            return None
        if obj.price_unit == PriceUnit.PER_MU and obj.price >= 10000:
            return f"{(Decimal(obj.price) / 10000).normalize():f}万元/亩"
        return f"{number_text(obj.price)} {obj.get_price_unit_display()}"

    @staticmethod
    def resolve_water_tpd(obj) -> str | None:
        return _exact(obj.water_tpd)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class SiteDetailOut(SiteOut, OfferDetail):
    pass


class PolicyOut(OfferOut):
    title: str
    doc_number: str
    summary: str
    conditions: str
    valid_from: datetime.date
    valid_until: datetime.date | None = Field(description="长期有效为 null")
    in_force: bool = Field(description="今天是否在有效期内")
    clusters: list[Ref] = Field(description="适用产业集群；空为普惠政策")

    @staticmethod
    def resolve_in_force(obj) -> bool:
        return obj.in_force_on(timezone.localdate())

    @staticmethod
    def resolve_clusters(obj) -> list:
        return list(obj.clusters.all())


class PolicyDetailOut(PolicyOut, OfferDetail):
    pass


class ResourceOut(OfferOut):
    kind: str = Field(description=choices_text(ResourceKind))
    kind_label: str
    title: str
    description: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class ResourceDetailOut(ResourceOut, OfferDetail):
    pass


# --- filters --------------------------------------------------------------------------------------

class OfferFilters(Schema):
    unit: int | None = Field(None, description="区县 id；含已并入该区县的原单位")
    include_retired: bool = Field(False, description="包括已下架的")


class ParkFilters(OfferFilters):
    kind: str = Field("", description=choices_text(ParkKind))


class SiteFilters(OfferFilters):
    kind: str = Field("", description=choices_text(SiteKind))
    status: str = Field("", description=choices_text(SiteStatus))


class PolicyFilters(OfferFilters):
    pass


class ResourceFilters(OfferFilters):
    kind: str = Field("", description=choices_text(ResourceKind))


# --- input: create (unit_id and the required fields) and PATCH (only the fields sent change) ----------

UNIT = "所属区县 id：只能是您本单位（区县管理员、招商干部）"
CLUSTERS = "产业集群 id（33618）"


class ParkIn(Schema):
    unit_id: int = Field(description=UNIT)
    name: str
    kind: str = Field(ParkKind.INDUSTRIAL.value, description=choices_text(ParkKind))
    address: str = ""
    cluster_ids: list[int] = Field([], description=CLUSTERS)
    leading_industries: str = ""
    description: str = ""


class ParkPatch(Schema):
    name: str = None
    kind: str = Field(None, description=choices_text(ParkKind))
    address: str = None
    cluster_ids: list[int] = Field(None, description=CLUSTERS)
    leading_industries: str = None
    description: str = None


class SiteIn(Schema):
    unit_id: int = Field(description=UNIT)
    name: str
    kind: str = Field(description=choices_text(SiteKind))
    park_id: int | None = Field(None, description="所在园区 id（须为本区县的园区）")
    area: Decimal = Field(description="面积（平方米）；土地也按平方米填写（1亩≈666.67平方米）")
    price: Decimal | None = Field(None, description="价格，数字；填写时须给 price_unit")
    price_unit: str = Field("", description=choices_text(PriceUnit) + "；土地为 per_mu，楼宇为 per_m2_month 或 per_m2")
    power_kva: int | None = None
    water_tpd: Decimal | None = None
    ready_date: datetime.date | None = Field(None, description="可交付日期；已可交付的不填")
    status: str = Field(SiteStatus.AVAILABLE.value, description=choices_text(SiteStatus))
    note: str = ""


class SitePatch(Schema):
    name: str = None
    kind: str = Field(None, description=choices_text(SiteKind))
    park_id: int | None = None
    area: Decimal = None
    price: Decimal | None = None
    price_unit: str = Field(None, description=choices_text(PriceUnit))
    power_kva: int | None = None
    water_tpd: Decimal | None = None
    ready_date: datetime.date | None = None
    status: str = Field(None, description=choices_text(SiteStatus))
    note: str = None


class PolicyIn(Schema):
    unit_id: int = Field(description=UNIT)
    title: str
    doc_number: str = ""
    summary: str = Field(description="政策要点")
    conditions: str = ""
    valid_from: datetime.date
    valid_until: datetime.date | None = Field(None, description="长期有效的不填")
    cluster_ids: list[int] = Field([], description=CLUSTERS + "；不填为普惠政策")


class PolicyPatch(Schema):
    title: str = None
    doc_number: str = None
    summary: str = None
    conditions: str = None
    valid_from: datetime.date = None
    valid_until: datetime.date | None = None
    cluster_ids: list[int] = Field(None, description=CLUSTERS)


class ResourceIn(Schema):
    unit_id: int = Field(description=UNIT)
    kind: str = Field(description=choices_text(ResourceKind))
    title: str
    description: str = ""


class ResourcePatch(Schema):
    kind: str = Field(None, description=choices_text(ResourceKind))
    title: str = None
    description: str = None


# --- need profiles and matching -------------------------------------------------------------------

class NeedOut(Schema):
    id: int
    title: str
    organisation: Ref | None
    project: Ref | None
    cluster: Ref
    chain_link: Ref | None
    site_kind: str = Field(description=choices_text(SiteKind) + "；空为不需要载体")
    area_min: str | None = Field(description="面积下限（平方米）")
    area_max: str | None
    power_kva: int | None
    water_tpd: str | None
    needs_talent: str
    needs_market: str
    needed_by: datetime.date | None
    notes: str
    created_by: UserRef | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    is_sample: bool

    @staticmethod
    def resolve_area_min(obj) -> str | None:
        return _exact(obj.area_min)

    @staticmethod
    def resolve_area_max(obj) -> str | None:
        return _exact(obj.area_max)

    @staticmethod
    def resolve_water_tpd(obj) -> str | None:
        return _exact(obj.water_tpd)


class NeedIn(Schema):
    title: str
    organisation_id: int | None = Field(None, description="企业 id；向区县推荐前必须填写")
    project_id: int | None = Field(None, description="关联项目 id；填写时企业取项目的企业")
    cluster_id: int = Field(description="产业集群 id")
    chain_link_id: int | None = Field(None, description="产业链环节 id，须属于所选产业集群")
    site_kind: str = Field("", description=choices_text(SiteKind) + "；不需要载体的不填")
    area_min: Decimal | None = Field(None, description="平方米")
    area_max: Decimal | None = Field(None, description="平方米")
    power_kva: int | None = None
    water_tpd: Decimal | None = None
    needs_talent: str = ""
    needs_market: str = ""
    needed_by: datetime.date | None = None
    notes: str = ""


class SiteFitOut(Schema):
    id: int
    name: str
    kind: str
    area: str
    area_display: str
    park_name: str
    fit: float = Field(description="0–1")
    notes: list[str] = Field(description="该载体与需求的差距或契合点")

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.site.id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.site.name

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.site.kind

    @staticmethod
    def resolve_area(obj) -> str:
        return _exact(obj.site.area)

    @staticmethod
    def resolve_area_display(obj) -> str:
        return area_text(obj.site.area, obj.site.kind)

    @staticmethod
    def resolve_park_name(obj) -> str:
        return obj.site.park_name


class MatchPolicyOut(Schema):
    id: int
    title: str
    doc_number: str


class MatchResourceOut(Schema):
    id: int
    kind: str
    title: str


class MatchParkOut(Schema):
    id: int
    name: str


class OfferMatchOut(Schema):
    unit: Ref
    score: float = Field(description="匹配度，0–100")
    reasons: list[str] = Field(description="契合点")
    missing: list[str] = Field(description="待确认或欠缺的事项")
    fits: dict[str, float] = Field(description="各项得分（0–1）：space、cluster、link、power、policy、water、talent、market")
    sites: list[SiteFitOut] = Field(description="合适的载体，最合适的在前")
    parks: list[MatchParkOut] = Field(description="主导该产业集群的园区")
    policies: list[MatchPolicyOut] = Field(description="有效的适用政策")
    resources: list[MatchResourceOut] = Field(description="回应人才、市场需求的资源")


class MatchesOut(Schema):
    need: NeedOut
    matches: list[OfferMatchOut] = Field(description="有契合之处的区县，按匹配度从高到低")
    without: list[Ref] = Field(description="没有任何契合之处的区县")


class SendIn(Schema):
    unit_ids: list[int] = Field(description="推荐区县 id，至少一个")
