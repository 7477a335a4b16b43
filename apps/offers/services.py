"""Writes of district offers and need profiles. Atomic, permission-checked, audited; a DomainError
names the field in Chinese and nothing is written.

An offer is created, changed and retired only by its own unit's admin/staff (querysets.py). Retiring
keeps the row (a recommendation's reason may have cited it) and takes it out of matching."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.accounts.permissions import CHANGE, VIEW, require
from apps.audit.services import AuditAction, audit_record, diff, snapshot
from apps.chains.models import ChainLink, Cluster
from apps.core.errors import DomainError
from apps.core.values import date_value as _date
from apps.core.values import text_value as _text
from apps.offers.choices import PRICE_UNITS_FOR, ParkKind, PriceUnit, ResourceKind, SiteKind, SiteStatus
from apps.offers.models import NeedProfile, Park, Policy, Resource, Site
from apps.offers.querysets import may_change_offers_of, may_manage_needs
from apps.units.models import Unit

NOT_OWN_UNIT = gettext_noop("区县资源只能由本区县的管理员、招商干部维护。")
NOT_OFFICE = gettext_noop("企业需求由驻京办维护。")
MAX_AREA = Decimal("100000000")  # 10,000 hectares: anything bigger is a typo


def _choice(values: dict, key: str, label: str, choices, *, default=None, blank: bool = False) -> str:
    value = values.get(key) or default or ""
    if blank and not value:
        return ""
    if value not in choices.values:
        raise DomainError(f"{label}：请从列表中选择。", field=key)
    return value


def _decimal(values: dict, key: str, label: str, *, required: bool = False, positive: bool = True,
             maximum: Decimal | None = None) -> Decimal | None:
    raw = values.get(key)
    if raw in (None, ""):
        if required:
            raise DomainError(f"{label}：必填。", field=key)
        return None
    try:
        value = Decimal(str(raw).replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise DomainError(f"{label}：请填写数字。", field=key) from None
    if not value.is_finite():
        raise DomainError(f"{label}：请填写数字。", field=key)
    if positive and value <= 0:
        raise DomainError(f"{label}：应大于0。", field=key)
    if maximum is not None and value > maximum:
        raise DomainError(f"{label}：不能超过{maximum:,}，请检查单位。", field=key)
    return value


def _int(values: dict, key: str, label: str, *, maximum: int = 10_000_000) -> int | None:
    value = _decimal(values, key, label, maximum=Decimal(maximum))
    if value is None:
        return None
    if value != value.to_integral_value():
        raise DomainError(f"{label}：请填写整数。", field=key)
    return int(value)


def _clusters(values: dict, key: str = "clusters") -> list[Cluster]:
    clusters = list(values.get(key) or [])
    if any(not isinstance(c, Cluster) for c in clusters):
        raise DomainError("产业集群：请从列表中选择。", field=key)
    return clusters


# ---- per kind: the fields, their checks ------------------------------------------------------------

def _check_park(values: dict, unit: Unit) -> tuple[dict, dict]:
    clean = {
        "name": _text(values, "name", "园区名称", required=True, max_length=100),
        "kind": _choice(values, "kind", "园区类型", ParkKind, default=ParkKind.INDUSTRIAL),
        "address": _text(values, "address", "地址"),
        "leading_industries": _text(values, "leading_industries", "主导产业", max_length=1000),
        "description": _text(values, "description", "园区简介", max_length=5000),
    }
    return clean, {"clusters": _clusters(values)}


def _check_site(values: dict, unit: Unit, *, today: datetime.date) -> tuple[dict, dict]:
    kind = _choice(values, "kind", "载体类型", SiteKind)
    clean = {
        "name": _text(values, "name", "名称", required=True, max_length=100),
        "kind": kind,
        "area": _decimal(values, "area", "面积", required=True, maximum=MAX_AREA),
        "power_kva": _int(values, "power_kva", "供电容量"),
        "water_tpd": _decimal(values, "water_tpd", "供水能力", maximum=Decimal("10000000")),
        "status": _choice(values, "status", "状态", SiteStatus, default=SiteStatus.AVAILABLE),
        "note": _text(values, "note", "说明", max_length=2000),
    }
    price = _decimal(values, "price", "价格", maximum=Decimal("1000000000"))
    price_unit = _choice(values, "price_unit", "价格单位", PriceUnit, blank=True)
    if price is not None and not price_unit:
        raise DomainError("价格单位：填写了价格，请选择单位（土地为元/亩，租金为元/m²·月）。", field="price_unit")
    if price_unit and price is None:
        price_unit = ""
    if price_unit and price_unit not in PRICE_UNITS_FOR[kind]:
        allowed = "、".join(str(PriceUnit(u).label) for u in sorted(PRICE_UNITS_FOR[kind]))
        raise DomainError(f"价格单位：{SiteKind(kind).label}的价格应以{allowed}计。", field="price_unit")
    clean["price"], clean["price_unit"] = price, price_unit
    ready = _date(values, "ready_date", "可交付日期")
    if ready is not None and ready > today + datetime.timedelta(days=3653):  # ten years (29 February safe)
        raise DomainError("可交付日期：十年以后的载体请不要登记为可用资源，请检查日期。", field="ready_date")
    clean["ready_date"] = ready
    park = values.get("park") or None
    if park is not None and (not isinstance(park, Park) or park.unit_id != unit.pk):
        raise DomainError("所在园区：请选择本区县的园区。", field="park")
    clean["park"] = park
    return clean, {}


def _check_policy(values: dict, unit: Unit) -> tuple[dict, dict]:
    clean = {
        "title": _text(values, "title", "政策名称", required=True),
        "doc_number": _text(values, "doc_number", "文号", max_length=100),
        "summary": _text(values, "summary", "政策要点", required=True, max_length=5000),
        "conditions": _text(values, "conditions", "适用条件", max_length=5000),
        "valid_from": _date(values, "valid_from", "生效日期", required=True),
        "valid_until": _date(values, "valid_until", "有效期至"),
    }
    if clean["valid_until"] and clean["valid_until"] < clean["valid_from"]:
        raise DomainError("有效期至：不能早于生效日期。", field="valid_until")
    return clean, {"clusters": _clusters(values)}


def _check_resource(values: dict, unit: Unit) -> tuple[dict, dict]:
    return {
        "kind": _choice(values, "kind", "资源类型", ResourceKind),
        "title": _text(values, "title", "名称", required=True),
        "description": _text(values, "description", "说明", max_length=5000),
    }, {}


# What the fair-competition check reads of each kind of offer (apps.fairness: a warning for review, never a block).
FAIRNESS_FIELDS = {Park: ("leading_industries", "description"), Site: ("note",),
                   Policy: ("title", "summary", "conditions"), Resource: ("title", "description")}


def _fairness(row, actor) -> None:
    from apps.fairness.services import flags_refresh

    flags_refresh(obj=row, texts={name: getattr(row, name) or "" for name in FAIRNESS_FIELDS[type(row)]},
                  actor=actor)


CHECKS = {Park: _check_park, Site: _check_site, Policy: _check_policy, Resource: _check_resource}
NOUN = {Park: "园区", Site: "载体", Policy: "政策", Resource: "资源"}


def _check(model, values: dict, unit: Unit, *, today: datetime.date) -> tuple[dict, dict]:
    if model is Site:
        return _check_site(values, unit, today=today)
    return CHECKS[model](values, unit)


def _create(model, *, actor, unit: Unit, values: dict, is_sample: bool, today: datetime.date | None):
    require(may_change_offers_of(actor, unit), NOT_OWN_UNIT)
    if unit.is_office:
        raise DomainError("所属区县：驻京办不登记区县资源。", field="unit")
    clean, m2m = _check(model, values, unit, today=today or timezone.localdate())
    row = model.objects.create(unit=unit, created_by=actor, is_sample=is_sample, **clean)
    for key, items in m2m.items():
        getattr(row, key).set(items)
    audit_record(actor=actor, instance=row, action=AuditAction.CREATE,
                 note=f"{unit.name}登记{NOUN[model]}：{row}")
    _fairness(row, actor)
    return row


def _locked(model, actor, row):
    if not model.objects.restrict(actor, VIEW).filter(pk=row.pk).exists():
        raise model.DoesNotExist
    locked = model.objects.restrict(actor, CHANGE).select_for_update(of=("self",)).filter(pk=row.pk).first()
    require(locked is not None, NOT_OWN_UNIT)
    return locked


def _update(model, *, actor, row, values: dict, today: datetime.date | None):
    row = _locked(model, actor, row)
    if row.retired_at:
        raise DomainError(f"该{NOUN[model]}已下架，不能修改。", field=None)
    clean, m2m = _check(model, values, row.unit, today=today or timezone.localdate())
    fields = list(clean)
    before = snapshot(row, fields)
    for key, value in clean.items():
        setattr(row, key, value)
    row.save()
    changes = diff(before, snapshot(row, fields))
    for key, items in m2m.items():
        old = sorted(c.name for c in getattr(row, key).all())
        getattr(row, key).set(items)
        new = sorted(c.name for c in items)
        if old != new:
            changes[key] = ["、".join(old), "、".join(new)]
    audit_record(actor=actor, instance=row, action=AuditAction.UPDATE, changes=changes,
                 note=f"修改{NOUN[model]}：{row}")
    _fairness(row, actor)
    return row


def _retire(model, *, actor, row):
    row = _locked(model, actor, row)
    if row.retired_at:
        return row
    row.retired_at = timezone.now()
    row.save(update_fields=["retired_at", "updated_at"])
    audit_record(actor=actor, instance=row, action=AuditAction.ARCHIVE, note=f"下架{NOUN[model]}：{row}")
    return row


@transaction.atomic
def park_create(*, actor, unit: Unit, values: dict, is_sample: bool = False) -> Park:
    return _create(Park, actor=actor, unit=unit, values=values, is_sample=is_sample, today=None)


@transaction.atomic
def park_update(*, actor, park: Park, values: dict) -> Park:
    return _update(Park, actor=actor, row=park, values=values, today=None)


@transaction.atomic
def park_retire(*, actor, park: Park) -> Park:
    return _retire(Park, actor=actor, row=park)


@transaction.atomic
def site_create(*, actor, unit: Unit, values: dict, is_sample: bool = False,
                today: datetime.date | None = None) -> Site:
    return _create(Site, actor=actor, unit=unit, values=values, is_sample=is_sample, today=today)


@transaction.atomic
def site_update(*, actor, site: Site, values: dict, today: datetime.date | None = None) -> Site:
    return _update(Site, actor=actor, row=site, values=values, today=today)


@transaction.atomic
def site_retire(*, actor, site: Site) -> Site:
    return _retire(Site, actor=actor, row=site)


@transaction.atomic
def policy_create(*, actor, unit: Unit, values: dict, is_sample: bool = False) -> Policy:
    return _create(Policy, actor=actor, unit=unit, values=values, is_sample=is_sample, today=None)


@transaction.atomic
def policy_update(*, actor, policy: Policy, values: dict) -> Policy:
    return _update(Policy, actor=actor, row=policy, values=values, today=None)


@transaction.atomic
def policy_retire(*, actor, policy: Policy) -> Policy:
    return _retire(Policy, actor=actor, row=policy)


@transaction.atomic
def resource_create(*, actor, unit: Unit, values: dict, is_sample: bool = False) -> Resource:
    return _create(Resource, actor=actor, unit=unit, values=values, is_sample=is_sample, today=None)


@transaction.atomic
def resource_update(*, actor, resource: Resource, values: dict) -> Resource:
    return _update(Resource, actor=actor, row=resource, values=values, today=None)


@transaction.atomic
def resource_retire(*, actor, resource: Resource) -> Resource:
    return _retire(Resource, actor=actor, row=resource)


# ---- need profiles -------------------------------------------------------------------------------

NEED_FIELDS = ["organisation", "project", "title", "cluster", "chain_link", "site_kind", "area_min", "area_max",
               "power_kva", "water_tpd", "needs_talent", "needs_market", "needed_by", "notes"]


def _check_need(values: dict) -> dict:
    cluster = values.get("cluster")
    if not isinstance(cluster, Cluster):
        raise DomainError("产业集群：请选择。", field="cluster")
    link = values.get("chain_link") or None
    if link is not None and (not isinstance(link, ChainLink) or link.cluster_id != cluster.pk):
        raise DomainError(f"产业链环节：请选择{cluster.name}链图中的环节。", field="chain_link")
    clean = {
        "title": _text(values, "title", "需求名称", required=True),
        "cluster": cluster,
        "chain_link": link,
        "site_kind": _choice(values, "site_kind", "所需载体", SiteKind, blank=True),
        "area_min": _decimal(values, "area_min", "面积下限", maximum=MAX_AREA),
        "area_max": _decimal(values, "area_max", "面积上限", maximum=MAX_AREA),
        "power_kva": _int(values, "power_kva", "用电需求"),
        "water_tpd": _decimal(values, "water_tpd", "用水需求", maximum=Decimal("10000000")),
        "needs_talent": _text(values, "needs_talent", "人才需求", max_length=1000),
        "needs_market": _text(values, "needs_market", "市场需求", max_length=1000),
        "needed_by": _date(values, "needed_by", "需要日期"),
        "notes": _text(values, "notes", "备注", max_length=5000),
        "organisation": values.get("organisation") or None,
        "project": values.get("project") or None,
    }
    if clean["area_min"] and clean["area_max"] and clean["area_max"] < clean["area_min"]:
        raise DomainError("面积上限：不能小于面积下限。", field="area_max")
    project = clean["project"]
    if project is not None:
        if clean["organisation"] is not None and clean["organisation"].pk != project.organisation_id:
            raise DomainError("关联项目：与所选企业不一致。", field="project")
        clean["organisation"] = project.organisation
    return clean


@transaction.atomic
def need_create(*, actor, values: dict, is_sample: bool = False) -> NeedProfile:
    require(may_manage_needs(actor), NOT_OFFICE)
    need = NeedProfile.objects.create(created_by=actor, is_sample=is_sample, **_check_need(values))
    audit_record(actor=actor, instance=need, action=AuditAction.CREATE, note=f"登记企业需求：{need.title}")
    return need


@transaction.atomic
def need_update(*, actor, need: NeedProfile, values: dict) -> NeedProfile:
    if not NeedProfile.objects.restrict(actor, VIEW).filter(pk=need.pk).exists():
        raise NeedProfile.DoesNotExist
    locked = NeedProfile.objects.restrict(actor, CHANGE).select_for_update().filter(pk=need.pk).first()
    require(locked is not None, NOT_OFFICE)
    clean = _check_need(values)
    before = snapshot(locked, NEED_FIELDS)
    for key, value in clean.items():
        setattr(locked, key, value)
    locked.save()
    audit_record(actor=actor, instance=locked, action=AuditAction.UPDATE,
                 changes=diff(before, snapshot(locked, NEED_FIELDS)), note=f"修改企业需求：{locked.title}")
    return locked


def recommendation_reason(need: NeedProfile, match) -> str:
    """The recommendation's reason, built from the match: what the enterprise needs and why this
    district fits (the district reads it when it answers)."""
    head = f"{need.organisation.name if need.organisation_id else need.title}：{need.title}。"
    fits = "；".join(match.reasons[:5]) or "区县资源与需求相符"
    gaps = f" 待确认：{'；'.join(match.missing[:3])}。" if match.missing else ""
    return f"{head}与{match.unit.name}的契合点：{fits}（匹配度{match.score:g}分）。{gaps}".strip()


def need_send_recommendations(*, actor, need: NeedProfile, units: list[Unit], matches: list,
                              submission_key: str = ""):
    """Recommend the need's organisation to the ticked districts in one step (one Recommendation, a
    target per district); the reason lists each district's own fit."""
    from apps.recommendations.services import recommendation_create

    if need.organisation_id is None:
        raise DomainError("企业：请先在需求中选择企业，再向区县推荐。", field="organisation")
    if not units:
        raise DomainError("推荐区县：请至少勾选一个区县。", field="units")
    by_unit = {m.unit.pk: m for m in matches}
    parts = [recommendation_reason(need, by_unit[u.pk]) for u in units if u.pk in by_unit]
    reason = "\n".join(parts) or need.title
    return recommendation_create(actor=actor, organisation=need.organisation, units=units, reason=reason,
                                 project=need.project, submission_key=submission_key)
