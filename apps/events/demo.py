"""The demo's event: 重庆市与京津冀地区产业对接活动, Beijing, 2025-11-01 — 18 projects signed, 239.5亿元,
400余人 (重庆日报, 2025-11-02). Loaded after apps.core.demo's article records, whose four named projects
sign here: 新凯精测 (江北区, 100亿元 as its own "超过百亿元" scale), 骅远 (九龙坡区, 5亿元), 北京嘉岳
(长寿区, 18亿元) and 弘海微创 (大渡口区, amount not reported — recorded as undisclosed, not invented).

The article names no other project. The other fourteen are marked samples (示例) in the fields it names
(先进材料, 智能装备及智能制造, 软件信息服务 …), whose amounts make the disclosed total exactly the
reported 239.5亿元. The event's figures on every page come from these signings, never from a typed
total. Public pages are published for the event and for 新凯精测, so the poster and 喜报 buttons work
straight away."""

import datetime
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.activities.models import ActivityKind
from apps.activities.services import activity_create
from apps.chains.models import Cluster
from apps.core.codes import make_org_code, make_uscc
from apps.core.demo import EVENT_DATE, EVENT_NAME
from apps.events.models import Event
from apps.events.services import event_create, public_page_publish, signing_create
from apps.fulfilment.services import raise_alerts
from apps.organisations.choices import OrgKind
from apps.organisations.services import organisation_create
from apps.projects.choices import AgreementType, ChainRole, Priority, Stage
from apps.projects.models import Project
from apps.projects.services import project_change_stage, project_create
from apps.units.models import Unit

YI = Decimal(100_000_000)
REPORTED_TOTAL = Decimal("239.5") * YI
# The four projects the article names, by project name, with the amount it reports (None: not reported).
NAMED = [("新凯精测(重庆)智造科技有限公司", 100), ("骅远人工智能数据安全中心项目", 5), ("分布式温室气体利用项目", 18),
         ("弘海微创医疗器械全国总部项目", None)]
# (字号+行业 for the sample names, district, cluster, chain role, 亿元, agreement)
SAMPLES = [
    ("恒瑞新材料", "长寿区", "先进材料", ChainRole.STRENGTHEN, "20", AgreementType.CONTRACT),
    ("智擎装备", "璧山区", "智能装备及智能制造", ChainRole.FILL, "15", AgreementType.FRAMEWORK),
    ("云启软件", "两江新区", "软件信息服务", ChainRole.EXTEND, "12", AgreementType.FRAMEWORK),
    ("碳谷科技", "涪陵区", "先进材料", ChainRole.FILL, "10", AgreementType.CONTRACT),
    ("锐芯电子", "重庆高新区", "新一代电子信息制造业", ChainRole.STRENGTHEN, "9.5", AgreementType.FRAMEWORK),
    ("驰远汽车零部件", "永川区", "智能网联新能源汽车", ChainRole.CONSOLIDATE, "8", AgreementType.CONTRACT),
    ("精工机器人", "九龙坡区", "AI及服务机器人", ChainRole.EXTEND, "8", AgreementType.FRAMEWORK),
    ("储能时代", "万州区", "新能源及新型储能", ChainRole.FILL, "7", AgreementType.FRAMEWORK),
    ("数安信息", "渝中区", "软件信息服务", ChainRole.CONSOLIDATE, "6", AgreementType.INTENTION),
    ("轻铝科技", "綦江区", "轻合金材料", ChainRole.STRENGTHEN, "6", AgreementType.FRAMEWORK),
    ("感知仪表", "北碚区", "传感器及仪器仪表", ChainRole.FILL, "5", AgreementType.CONTRACT),
    ("康源生物", "巴南区", "生物医药", ChainRole.EXTEND, "4", AgreementType.FRAMEWORK),
    ("晶显科技", "沙坪坝区", "新型显示", ChainRole.CONSOLIDATE, "3.5", AgreementType.INTENTION),
    ("绿源食品", "江津区", "食品及农产品加工", ChainRole.EXTEND, "2.5", AgreementType.FRAMEWORK),
]


def load(accounts: dict[str, User], units: dict[str, Unit], today: datetime.date | None = None) -> Event:
    today = today or timezone.localdate()
    office, admin = accounts["demo_office"], accounts["demo_admin"]
    clusters = {c.name: c for c in Cluster.objects.all()}
    event = event_create(actor=office, is_sample=False, values={
        "title": EVENT_NAME, "kind": "matchmaking", "date": EVENT_DATE, "city": "北京", "unit": units["驻京办"],
        "attendee_count": 400, "attendee_count_is_floor": True,
        "summary": "推动“成渝地区双城经济圈建设”与“京津冀协同发展”两大国家战略对接。京津冀地区重点企业、商协会"
                   "及重庆部分区县代表参加。活动现场，“重庆市驻京津冀地区招商服务中心”正式授牌成立，将为重庆在"
                   "京津冀地区开展招商引资提供信息咨询与项目对接服务。",
        "agenda": "领导致辞\n重庆市驻京津冀地区招商服务中心授牌\n重点项目集中签约\n企业代表发言",
    })
    order = 0
    named = {p.name: p for p in Project.objects.filter(name__in=[name for name, _ in NAMED])}
    for name, amount_yi in NAMED:
        order += 1
        project = named[name]
        # Already moved to 签约 by the article records (with their amounts); the signing links them.
        signing_create(actor=office, project=project, event=event, advance_stage=False, values={
            "agreement_type": project.agreement_type or AgreementType.FRAMEWORK,
            "amount": None if amount_yi is None else amount_yi * YI, "date": EVENT_DATE, "order": order,
        })
    disclosed = sum(Decimal(row[4]) for row in SAMPLES) * YI + sum(a * YI for _, a in NAMED if a)
    assert disclosed == REPORTED_TOTAL, disclosed  # the samples are chosen to meet the reported figure
    for brand, district, cluster, role, amount_yi, agreement in SAMPLES:
        order += 1
        amount = Decimal(amount_yi) * YI
        org = organisation_create(actor=office, is_sample=True, name=f"{brand}（北京）有限公司（示例）",
                                  kind=OrgKind.ENTERPRISE, region="北京市", source="产业对接活动",
                                  description="演示用的示例企业，非真实主体。")
        project = project_create(
            actor=office, is_sample=True, organisation=org, unit=units[district], source_unit=units["驻京办"],
            name=f"{brand}西南基地项目（示例）", first_contact_date=datetime.date(2025, 6, 1) + datetime.timedelta(days=order),
            cluster=clusters[cluster], chain_role=role, planned_investment=amount, priority=Priority.HIGH,
            description="示例项目：在2025年11月1日产业对接活动上签约，演示用。",
        )
        project_change_stage(actor=office, project=project, to_stage=Stage.INTENTION, occurred_on=datetime.date(2025, 10, 15),
                             skip_reason="（示例）经驻京办对接，直接达成合作意向。", values={"specialist": office})
        project.refresh_from_db()
        signing_create(actor=office, project=project, event=event, is_sample=True, advance_stage=True, values={
            "agreement_type": agreement, "amount": amount, "date": EVENT_DATE, "order": order,
            "our_signatory": f"{district}人民政府负责同志（示例）", "their_signatory": f"{brand}负责人（示例）",
        })
        _follow_up(office, project, units[district], brand, order, today)
    # The daily check, as the scheduler would run it: signed samples still unregistered a year on are
    # flagged 签约未落地, which is what the fulfilment monitor is for.
    raise_alerts(today=today)
    public_page_publish(actor=admin, event=event)
    # And a 喜报 for the article's flagship signing, ready from its project page.
    public_page_publish(actor=admin, project=named["新凯精测(重庆)智造科技有限公司"])
    return event


# Of the signed samples, the first eight registered their company in the district within a few weeks of
# the ceremony; the rest have not (the monitor flags them). Every sample had a follow-up visit lately.
REGISTERED_SAMPLES = 8


def _follow_up(office, project, unit: Unit, brand: str, order: int, today: datetime.date) -> None:
    project.refresh_from_db()
    if project.stage == Stage.SIGNED and order - len(NAMED) <= REGISTERED_SAMPLES:
        body = f"{order:08d}"
        project_change_stage(
            actor=office, project=project, to_stage=Stage.REGISTERED, expected_stage=project.stage,
            occurred_on=EVENT_DATE + datetime.timedelta(days=20 + order), note="（示例）项目公司完成注册。",
            values={"registered_entity": f"{brand}（重庆）有限公司（示例）",
                    "registered_credit_code": make_uscc("91" + (unit.gb_code or "500000") + make_org_code(body)),
                    "registered_date": EVENT_DATE + datetime.timedelta(days=20 + order)})
    activity_create(actor=office, project=project, is_sample=True, kind=ActivityKind.VISIT,
                    date=today - datetime.timedelta(days=3 + order % 25), participants=office.display_name,
                    summary="（示例）回访签约项目，了解注册、用地与建设进展。")
