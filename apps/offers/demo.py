"""Demo offers: the evaluation's synthetic book of offers (eval/offers.json — invented parks, sites
and policy numbers for ten real units, parks marked （示例）) and one need profile of a sample
新能源汽车 parts maker that ranks them.

九龙坡区's and 长寿区's offers are entered through the services by their demo accounts, as a district
would. The other units have no demo account (and an offer may only be written by its own unit), so
theirs are written directly, marked is_sample like the rest."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from apps.chains.models import ChainLink, Cluster
from apps.offers import services
from apps.offers.models import Park, Policy, Resource, Site
from apps.organisations.choices import OrgKind
from apps.organisations.services import organisation_create
from apps.units.models import Unit

FIXTURE = Path(__file__).resolve().parent / "eval" / "offers.json"
DEMO_ORGANISATION = "擎川热管理科技(北京)有限公司(示例)"


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


def _num(value):
    return None if value is None else Decimal(str(value))


def load(accounts: dict) -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    clusters = {c.name: c for c in Cluster.objects.all()}
    units = {u.name: u for u in Unit.objects.all()}
    writers = {}
    for username in ("demo_district_admin", "demo_district", "demo_district2"):
        user = accounts.get(username)
        if user is not None and user.unit_id:
            writers.setdefault(user.unit.name, user)
    for district in data["districts"]:
        unit = units.get(district["name"])
        if unit is None or unit.ended_on:
            continue
        _load_district(unit, district, clusters, writers.get(unit.name))
    _load_need(accounts["demo_office"], clusters)
    _load_draft_for_review(writers.get("长寿区"), units.get("长寿区"))


def _load_draft_for_review(actor, unit) -> None:
    """A district's draft terms of the kind the fair-competition check exists for (公平竞争审查): it is saved,
    and flagged for the office's review with the article it touches."""
    if actor is None or unit is None:
        return
    services.policy_create(actor=actor, unit=unit, is_sample=True, values={
        "title": "长寿区重点项目招商引资扶持办法（征求意见稿）（示例）",
        "summary": "对固定资产投资10亿元以上的重点企业给予一企一策专项奖励；企业缴纳的增值税地方留存部分，前三年先征后返。"
                   "项目用地按零地价供应。",
        "conditions": "由区招商投资促进中心会同相关部门逐项审核。",
        "valid_from": datetime.date(2026, 1, 1),
    })


def _load_district(unit, district, clusters, actor) -> None:
    parks = {}
    for p in district["parks"]:
        values = {"name": p["name"], "kind": "industrial", "leading_industries": p["leading_industries"],
                  "description": p.get("description", ""), "clusters": [clusters[c] for c in p["clusters"]]}
        if actor:
            parks[p["name"]] = services.park_create(actor=actor, unit=unit, values=values, is_sample=True)
        else:
            chosen = values.pop("clusters")
            parks[p["name"]] = Park.objects.create(unit=unit, is_sample=True, **values)
            parks[p["name"]].clusters.set(chosen)
    for s in district["sites"]:
        values = {"name": s["name"], "park": parks.get(s.get("park")), "kind": s["kind"], "area": _num(s["area"]),
                  "power_kva": s.get("power_kva"), "water_tpd": _num(s.get("water_tpd")),
                  "ready_date": _day(s.get("ready_date")), "status": s.get("status", "available"),
                  "price": _num(s.get("price")), "price_unit": s.get("price_unit", "")}
        if actor:
            services.site_create(actor=actor, unit=unit, values=values, is_sample=True)
        else:
            Site.objects.create(unit=unit, is_sample=True, **values)
    for p in district["policies"]:
        values = {"title": p["title"] + "（示例）", "doc_number": p.get("doc_number", ""),
                  "summary": "（示例）" + p["title"] + "：对符合条件的项目给予租金减免、设备补助和人才奖励。",
                  "valid_from": _day(p["valid_from"]), "valid_until": _day(p.get("valid_until")),
                  "clusters": [clusters[c] for c in p["clusters"]]}
        if actor:
            services.policy_create(actor=actor, unit=unit, values=values, is_sample=True)
        else:
            chosen = values.pop("clusters")
            Policy.objects.create(unit=unit, is_sample=True, **values).clusters.set(chosen)
    for r in district["resources"]:
        values = {"kind": r["kind"], "title": r["title"], "description": r["description"]}
        if actor:
            services.resource_create(actor=actor, unit=unit, values=values, is_sample=True)
        else:
            Resource.objects.create(unit=unit, is_sample=True, **values)


def _load_need(office, clusters) -> None:
    organisation = organisation_create(actor=office, is_sample=True, name=DEMO_ORGANISATION, kind=OrgKind.ENTERPRISE,
                                       region="北京市", source="走访",
                                       description="演示用的示例企业（新能源汽车热管理系统），非真实主体。")
    cluster = clusters["智能网联新能源汽车"]
    services.need_create(actor=office, is_sample=True, values={
        "organisation": organisation, "title": "新能源汽车热管理系统西南生产基地（示例）", "cluster": cluster,
        "chain_link": ChainLink.objects.filter(cluster=cluster, name="热管理系统").first(),
        "site_kind": "factory", "area_min": Decimal(10000), "area_max": Decimal(15000), "power_kva": 4000,
        "needs_talent": "装配工、汽车电子工程师", "needs_market": "整车厂配套",
        "notes": "（示例）企业计划2027年投产，需标准厂房约1万平方米、用电4,000千伏安。",
    })
