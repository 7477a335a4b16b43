"""What the organisation and person API reads and writes. Choice fields are plain strings checked by
the services, so a wrong value gets the same Chinese sentence as on the page."""

import datetime

from ninja import Field, Schema

from apps.core.schemas import Ref, choices_text
from apps.organisations.choices import IndustrySection, OrgKind, OrgSize, PersonKind

_KIND_LABELS = dict(OrgKind.choices)
_SECTION_LABELS = dict(IndustrySection.choices)


class AliasOut(Schema):
    name: str
    kind: str


class ClaimOut(Schema):
    """Another unit's live project on this organisation: only who holds it and until when."""

    unit: str
    protected_until: datetime.date


class OrganisationOut(Schema):
    id: int
    name: str
    credit_code: str | None
    kind: str
    kind_label: str
    region: str
    industry_section: str
    industry_section_label: str
    size: str
    is_fortune500: bool
    is_specialised: bool
    is_listed: bool
    source: str
    description: str
    is_sample: bool
    aliases: list[AliasOut]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    # Labels from a dict built once: Model.get_FOO_display() rebuilds its choices mapping on every
    # call (0.2 ms each), which was most of the time of a 50-row search page.
    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(_KIND_LABELS.get(obj.kind, obj.kind))

    @staticmethod
    def resolve_industry_section_label(obj) -> str:
        return str(_SECTION_LABELS.get(obj.industry_section, obj.industry_section))


MATCH_CLASSES = {0: "exact", 1: "prefix", 2: "fragment", 3: "pinyin", 4: "code"}


class OrganisationSearchOut(OrganisationOut):
    match: str | None = Field(None, description="检索命中方式：exact 全称/字号/简称完全相同，prefix 开头相同，"
                                                "fragment 包含，pinyin 字号拼音首字母，code 信用代码开头")

    @staticmethod
    def resolve_match(obj) -> str | None:
        return MATCH_CLASSES.get(getattr(obj, "match_class", None))


class NamePartsOut(Schema):
    region: str
    trade_name: str
    industry: str
    form: str
    branch: str
    parent_name: str


class MatchCandidateOut(Schema):
    organisation: Ref
    credit_code: str | None
    score: float
    verdict: str = Field(description="same 同一主体 / likely 可能相同 / different 不同主体")
    verdict_label: str
    reason: str

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation

    @staticmethod
    def resolve_credit_code(obj):
        return obj.organisation.credit_code


class MatchOut(Schema):
    name: str
    parts: NamePartsOut
    verdict: str = Field(description="最可能的结论：same / likely / different")
    candidates: list[MatchCandidateOut]


class MatchQuery(Schema):
    name: str = Field(description="待查名称（全称、简称或字号均可）")
    credit_code: str = Field("", description="统一社会信用代码（可选）")
    limit: int = Field(10, ge=1, le=50)


class OrganisationDetailOut(OrganisationOut):
    claims: list[ClaimOut]


class OrganisationFilters(Schema):
    q: str = Field("", description="名称、简称或信用代码开头")
    kind: str = Field("", description=choices_text(OrgKind))
    industry_section: str = Field("", description="GB/T 4754 门类字母，如 C、I")


class OrganisationIn(Schema):
    name: str
    credit_code: str | None = Field(None, description="18位统一社会信用代码，按GB 32100校验；没有可省略")
    kind: str = Field(OrgKind.ENTERPRISE.value, description=choices_text(OrgKind))
    region: str = ""
    industry_section: str = Field("", description=choices_text(IndustrySection))
    size: str = Field("", description=choices_text(OrgSize))
    is_fortune500: bool = False
    is_specialised: bool = False
    is_listed: bool = False
    source: str = ""
    description: str = ""
    short_names: list[str] = Field([], description="简称")


class OrganisationPatch(Schema):
    """Only the fields sent change; to clear the credit code send null or an empty string."""

    version: int = Field(description="读取时的 version；他人已先修改则返回 409")
    name: str = None
    credit_code: str | None = None
    kind: str = Field(None, description=choices_text(OrgKind))
    region: str = None
    industry_section: str = Field(None, description=choices_text(IndustrySection))
    size: str = Field(None, description=choices_text(OrgSize))
    is_fortune500: bool = None
    is_specialised: bool = None
    is_listed: bool = None
    source: str = None
    description: str = None
    short_names: list[str] = Field(None, description="简称（整体替换）")


class PersonOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    organisation: Ref | None
    title: str
    phone: str
    email: str
    notes: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class PersonFilters(Schema):
    q: str = Field("", description="姓名或所在单位名称")
    organisation: int | None = Field(None, description="所在单位（目标主体）id")


class PersonIn(Schema):
    name: str
    kind: str = Field(PersonKind.CONTACT.value, description=choices_text(PersonKind))
    organisation_id: int | None = None
    title: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""
