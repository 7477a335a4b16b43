"""What the organisation and person API reads and writes. Choice fields are plain strings checked by
the services, so a wrong value gets the same Chinese sentence as on the page."""

import datetime
import functools

from django.utils import translation
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, model_validator

from apps.core.schemas import Ref, choices_text
from apps.organisations.choices import IndustrySection, OrgKind, OrgSize, PersonKind

_KIND_LABELS = dict(OrgKind.choices)
_SECTION_LABELS = dict(IndustrySection.choices)


class AliasOut(BaseModel):
    # Plain pydantic (reading attributes or dict keys): shared by OrganisationOut and the list's rows.
    model_config = ConfigDict(from_attributes=True)

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


class OrganisationSearchOut(BaseModel):
    # One organisation of the list (GET /organisations): the fields of OrganisationOut and `match`.
    # A plain pydantic model, not a ninja Schema, fed the dicts of selectors.organisation_rows: a
    # Schema reads every field through a Python getter, which for a 50-row search page at a million
    # organisations cost more than the search itself. The list without a query still passes
    # Organisation instances; _from_row turns them into the same dict. tests/test_api.py checks that
    # both give what OrganisationOut gives.

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
    match: str | None = Field(None, description="检索命中方式：exact 全称/字号/简称完全相同，prefix 开头相同，"
                                                "fragment 包含，pinyin 字号拼音首字母，code 信用代码开头")

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, data):
        if not isinstance(data, dict):  # an Organisation, aliases prefetched
            row = {name: getattr(data, name) for name in _ROW_FIELDS}
            row["aliases"] = [{"name": a.name, "kind": a.kind} for a in data.aliases.all()]
            row["match_class"] = getattr(data, "match_class", None)
            data = row
        kinds, sections = _labels(translation.get_language())
        data["kind_label"] = kinds.get(data["kind"], data["kind"])
        data["industry_section_label"] = sections.get(data["industry_section"], data["industry_section"])
        data["match"] = MATCH_CLASSES.get(data.get("match_class"))
        return data


@functools.cache
def _labels(language: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The choice labels in the active language (the cache key), translated once, not per row."""
    return ({k: str(v) for k, v in _KIND_LABELS.items()}, {k: str(v) for k, v in _SECTION_LABELS.items()})


_ROW_FIELDS = [name for name in OrganisationSearchOut.model_fields
               if name not in ("aliases", "kind_label", "industry_section_label", "match")]


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


class OrganisationMatchOut(Schema):
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
