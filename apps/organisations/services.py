"""Writes to the target library. Each function is atomic, checks permission, audits, and raises
DomainError with a Chinese sentence naming the field."""

from django.db import transaction
from django.db.models import F

from apps.accounts.permissions import may_write_library, require
from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.core.codes import org_code_of, validate_uscc
from apps.core.errors import ConflictError, DomainError
from apps.core.idempotency import submission_claim
from apps.core.text import normalise_name
from apps.organisations.choices import AliasKind, IndustrySection, OrgKind, OrgSize, PersonKind
from apps.organisations.models import Organisation, OrganisationAlias, Person
from apps.organisations.names import parse_name, short_names_in, strip_short_name_note
from apps.organisations.search import index_organisations

ORG_FIELDS = [
    "name", "credit_code", "kind", "region", "industry_section", "size",
    "is_fortune500", "is_specialised", "is_listed", "source", "description",
]


def _clean_org_fields(data: dict, *, instance: Organisation | None = None) -> dict:
    cleaned = dict(data)
    if "name" in cleaned:
        # "北京信技源信息服务有限公司（以下简称“信技源”）" pasted from a document: the note becomes a
        # 简称, the name is what precedes it.
        notes = short_names_in(cleaned["name"] or "")
        if notes:
            cleaned["name"] = strip_short_name_note(cleaned["name"])
            cleaned["_notes"] = notes
        name = normalise_name(cleaned["name"])
        if len(name) < 2:
            raise DomainError("名称：请填写主体的完整名称（至少2个字）。", field="name")
        cleaned["name"] = name
        clash = Organisation.objects.filter(name=name)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise DomainError(f"名称：目标库中已有“{name}”，请直接使用该记录，不要重复登记。", field="name",
                              code="duplicate")
    if "credit_code" in cleaned:
        code = (cleaned["credit_code"] or "").strip()
        cleaned["credit_code"] = validate_uscc(code, field="统一社会信用代码") if code else None
        if cleaned["credit_code"]:
            clash = Organisation.objects.filter(credit_code=cleaned["credit_code"])
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            other = clash.first()
            if other:
                raise DomainError(
                    f"统一社会信用代码：{cleaned['credit_code']} 已登记为“{other.name}”，同一代码不能登记两次。",
                    field="credit_code", code="duplicate",
                )
    for field, choices, label in [
        ("kind", OrgKind, "类型"), ("industry_section", IndustrySection, "行业门类"), ("size", OrgSize, "规模"),
    ]:
        if cleaned.get(field) and cleaned[field] not in choices.values:
            raise DomainError(f"{label}：“{cleaned[field]}”不是可选值。", field=field)
    return cleaned


def _name_parts(name: str, *, own_pk: int | None = None) -> dict:
    """The parsed parts stored beside the name (names.parse_name), and for a 分公司 the company it
    belongs to when that company is in the library (a branch is linked, never merged)."""
    parts = parse_name(name)
    values = {
        "trade_name": parts.trade_name[:50], "name_region": parts.region[:50],
        "name_industry": parts.industry[:50], "name_form": parts.form[:30],
    }
    if parts.parent_name:
        parent = (Organisation.objects.filter(name=normalise_name(parts.parent_name), merged_into__isnull=True)
                  .exclude(pk=own_pk).first())
        if parent is not None:
            values["parent"] = parent
    return values


def _org_code(credit_code: str | None, current: str = "") -> str:
    # Characters 9-17 of a credit code are the 组织机构代码; keep a separately entered one otherwise.
    return org_code_of(credit_code) if credit_code else current


def _set_aliases(org: Organisation, short_names: list[str] | None) -> None:
    if short_names is None:
        return
    names = []
    for raw in short_names:
        name = normalise_name(raw)
        if name and name != org.name and name not in names:
            names.append(name)
    org.aliases.filter(kind=AliasKind.SHORT).exclude(name__in=names).delete()
    for name in names:
        OrganisationAlias.objects.get_or_create(organisation=org, name=name, defaults={"kind": AliasKind.SHORT})


@transaction.atomic
def organisation_create(*, actor, short_names: list[str] | None = None, submission_key: str = "",
                        is_sample: bool = False, **fields) -> Organisation:
    require(may_write_library(actor), "您的角色为只读，不能登记目标主体。")
    submission_claim(key=submission_key, user=actor)
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise DomainError(f"不支持的字段：{'、'.join(sorted(unknown))}。")
    cleaned = _clean_org_fields({"name": "", **fields})
    notes = cleaned.pop("_notes", [])
    cleaned.update(_name_parts(cleaned["name"]))
    cleaned["org_code"] = _org_code(cleaned.get("credit_code"))
    org = Organisation.objects.create(created_by=actor, is_sample=is_sample, **cleaned)
    _set_aliases(org, [*(short_names or []), *notes] if (short_names is not None or notes) else None)
    index_organisations([org.pk])
    audit_record(actor=actor, instance=org, action=AuditAction.CREATE, changes=diff({}, snapshot(org, ORG_FIELDS)))
    return org


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, version: int | None = None,
                        short_names: list[str] | None = None, **fields) -> Organisation:
    org = Organisation.objects.restrict(actor, "change").select_for_update().filter(pk=organisation.pk).first()
    require(org is not None, "您没有修改该主体的权限。")
    if version is not None and org.version != version:
        raise ConflictError("该主体已被他人修改，请刷新页面查看最新内容后再保存。")
    cleaned = _clean_org_fields({k: v for k, v in fields.items() if k in ORG_FIELDS}, instance=org)
    notes = cleaned.pop("_notes", [])
    if notes:
        short_names = [*(short_names if short_names is not None else
                         org.aliases.filter(kind=AliasKind.SHORT).values_list("name", flat=True)), *notes]
    before = snapshot(org, ORG_FIELDS)
    if "name" in cleaned:
        cleaned.update(_name_parts(cleaned["name"], own_pk=org.pk))
    if "credit_code" in cleaned:
        cleaned["org_code"] = _org_code(cleaned["credit_code"], org.org_code)
    for key, value in cleaned.items():
        setattr(org, key, value)
    org.version = F("version") + 1
    org.save()
    org.refresh_from_db()
    _set_aliases(org, short_names)
    index_organisations([org.pk])
    changes = diff(before, snapshot(org, ORG_FIELDS))
    if changes:
        audit_record(actor=actor, instance=org, action=AuditAction.UPDATE, changes=changes)
    return org


PERSON_FIELDS = ["name", "kind", "organisation", "title", "phone", "email", "notes"]


@transaction.atomic
def person_create(*, actor, submission_key: str = "", **fields) -> Person:
    require(may_write_library(actor), "您的角色为只读，不能登记人员。")
    submission_claim(key=submission_key, user=actor)
    name = (fields.get("name") or "").strip()
    if not name:
        raise DomainError("姓名：请填写姓名。", field="name")
    if fields.get("kind") and fields["kind"] not in PersonKind.values:
        raise DomainError("类别：不是可选值。", field="kind")
    fields["name"] = name
    person = Person.objects.create(created_by=actor, **{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    audit_record(actor=actor, instance=person, action=AuditAction.CREATE,
                 changes=diff({}, snapshot(person, PERSON_FIELDS)))
    return person
