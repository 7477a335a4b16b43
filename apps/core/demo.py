"""The demo data behind `make demo`: six accounts, the records the 2025-11-02 重庆日报 article names,
and about thirty clearly marked sample projects so that lists, the board and the work list are not
empty. Everything after the accounts goes through the same services the pages and the API use, so
the demo obeys every rule a person would meet (stage gates, unit validity, permissions, audit).

Real organisations from the article are stored with is_sample=False and without credit codes: we do
not know theirs and will not invent one for a real firm. Anything invented is is_sample=True and says
"示例" in its name."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.activities.models import ActivityKind
from apps.activities.services import activity_create
from apps.chains.models import Cluster
from apps.core.codes import make_org_code, make_uscc
from apps.organisations.choices import OrgKind, PersonKind
from apps.organisations.services import organisation_create, person_create
from apps.projects.choices import AgreementType, ChainRole, Priority, Stage
from apps.projects.models import Project
from apps.projects.services import project_change_stage, project_create
from apps.units.models import Unit

DEMO_PASSWORD = "demo-password"
YI = Decimal(100_000_000)
WAN = Decimal(10_000)
SEED = 20251101
EVENT_DATE = datetime.date(2025, 11, 1)
EVENT_NAME = "重庆市与京津冀地区产业对接活动"

# username, role, unit, last_name, first_name, staff/superuser
ACCOUNTS = [
    ("demo_office", Role.OFFICE_STAFF, "驻京办", "王", "晓京", False),
    ("demo_district", Role.DISTRICT_STAFF, "九龙坡区", "李", "渝龙", False),
    ("demo_district_admin", Role.DISTRICT_ADMIN, "九龙坡区", "周", "建平", False),
    ("demo_district2", Role.DISTRICT_STAFF, "长寿区", "陈", "长风", False),
    ("demo_specialist", Role.SPECIALIST, "九龙坡区", "刘", "敏", False),
    ("demo_leader", Role.LEADER, "驻京办", "赵", "国栋", False),
    ("demo_admin", Role.OFFICE_ADMIN, "驻京办", "孙", "立新", True),
]
DEMO_USERNAMES = [row[0] for row in ACCOUNTS]


def demo_exists() -> bool:
    return User.objects.filter(username__in=DEMO_USERNAMES).exists()


@transaction.atomic
def demo_load() -> dict:
    """Load everything in one transaction, so a failure half-way leaves no half demo behind."""
    units = {u.name: u for u in Unit.objects.all()}
    clusters = {c.name: c for c in Cluster.objects.all()}
    accounts = _accounts(units)
    _article_records(accounts, units, clusters)
    _sample_records(accounts, units, clusters)
    _service_records(accounts, units)
    return {"accounts": len(accounts), "projects": Project.objects.count()}


def _service_records(accounts, units) -> None:
    """The attraction-to-service loop on top of the projects: recommendations and their answers,
    service requests (one late and escalated), funds in place with alerts. Each app loads its own part."""
    from apps.fulfilment import demo as fulfilment_demo
    from apps.recommendations import demo as recommendations_demo
    from apps.servicedesk import demo as servicedesk_demo

    today = timezone.localdate()
    projects = list(Project.objects.filter(is_archived=False).order_by("pk"))
    recommendations_demo.load(accounts, units, today)
    servicedesk_demo.load(accounts, projects, today)
    fulfilment_demo.load(accounts, projects, today)
    # The article's signing ceremony with its 18 signings (the named projects above and 14 samples).
    from apps.events import demo as events_demo

    events_demo.load(accounts, units, today)
    # The article itself in 招商情报, its known organisations linked.
    from apps.intelligence import demo as intelligence_demo

    intelligence_demo.load(accounts)
    # The chain maps' placements: the article's projects placed so the rules give their roles, and the
    # sample firms that make 九龙坡区's gaps worth reading.
    from apps.chains import demo as chains_demo

    chains_demo.load(accounts)
    # 以商招商: a landed firm's partners proposed as leads, one already taken up and credited.
    from apps.relations import demo as relations_demo

    relations_demo.load(accounts)
    # 招才引智: talent records (one brought by a 九龙坡区 project), the ten think-tank cooperations with their
    # activities and results, the districts' offers with a need profile ranked against them.
    from apps.offers import demo as offers_demo
    from apps.talent import demo as talent_demo
    from apps.thinktanks import demo as thinktanks_demo

    talent_demo.load(accounts)
    thinktanks_demo.load(accounts)
    offers_demo.load(accounts)
    _salon_participants(accounts)


def _salon_participants(accounts) -> None:
    """The article's 院士人才沙龙 with its participants: the academicians and teams of the talent demo who
    came, and the universities they came from."""
    from apps.events.models import Event, EventKind, EventParticipant
    from apps.talent.models import Talent, TalentKind
    from apps.talent.services import talent_attend

    salon = Event.objects.filter(kind=EventKind.SALON).order_by("-date").first()
    if salon is None:
        return
    people = Talent.objects.filter(is_sample=True, kind__in=[TalentKind.ACADEMICIAN, TalentKind.TEAM,
                                                             TalentKind.HIGH_LEVEL]).select_related("affiliation")
    for person in people.order_by("pk"):
        talent_attend(actor=accounts["demo_office"], talent=person, event=salon)
        if person.affiliation_id:
            EventParticipant.objects.get_or_create(event=salon, organisation=person.affiliation,
                                                   defaults={"note": "随人才参会"})


def _accounts(units) -> dict[str, User]:
    # There is no user-creation service yet; Django's create_user (with its password hashing) is it.
    out = {}
    for username, role, unit_name, last_name, first_name, admin in ACCOUNTS:
        out[username] = User.objects.create_user(
            username=username, password=DEMO_PASSWORD, role=role, unit=units[unit_name],
            last_name=last_name, first_name=first_name, is_staff=admin, is_superuser=admin,
        )
    return out


# The date that defines a stage, where it has one; other moves are dated like the step before.
STAGE_DATE_FIELD = {"signed": "signed_date", "registered": "registered_date",
                    "construction": "construction_start_date", "production": "production_date"}


def _advance(actor, project, moves):
    """Walk a project through stages one by one, so its timeline shows each step, dated when it
    happened rather than when the demo was loaded."""
    day = project.first_contact_date
    for to_stage, note, values in moves:
        day = (values or {}).get(STAGE_DATE_FIELD.get(to_stage, ""), None) or day
        project_change_stage(actor=actor, project=project, to_stage=to_stage, expected_stage=project.stage,
                             note=note, values=values or {}, occurred_on=day)
        project.refresh_from_db()
    return project


def _event_activity(actor, project, summary):
    # Each project's own timeline records that it attended the 2025-11-01 event; the event itself, with
    # its signings and totals, is loaded by apps.events.demo.
    activity_create(actor=actor, project=project, date=EVENT_DATE, kind=ActivityKind.MEETING,
                    summary=f"{EVENT_NAME}（北京）：{summary}", participants="驻京办、相关区县代表")


def _article_records(accounts, units, clusters):
    office, district, district2 = accounts["demo_office"], accounts["demo_district"], accounts["demo_district2"]
    specialist = accounts["demo_specialist"]

    # 新凯精测: found by the office on a routine visit in March 2025 (the article gives the month; the
    # day is ours), landed in 江北区 at the 2025-11-01 event — five days before 江北区 ended on
    # 2025-11-06. It keeps 江北区, and "as of now" rolls up into 两江新区. The article names no chain
    # role for it (unlike the three below), so none is recorded.
    xinjiyuan = organisation_create(
        actor=office, name="北京信技源信息服务有限公司", short_names=["北京信技源"], kind=OrgKind.ENTERPRISE,
        region="北京市", source="走访",
        description="精密检测领域企业，客户包括现代起亚集团、东风本田、韩国日进轴承、洛阳轴承、重庆西源等。"
                    "（据重庆日报2025年11月2日报道）",
    )
    person_create(actor=office, name="姜锺焕", kind=PersonKind.EXPERT, organisation=xinjiyuan,
                  title="核心技术带头人（韩国）", notes="计划引进韩国精密检测专家团队。")
    xinkai = project_create(
        actor=office, organisation=xinjiyuan, unit=units["江北区"], name="新凯精测(重庆)智造科技有限公司",
        first_contact_date=datetime.date(2025, 3, 14), source_unit=units["驻京办"],
        cluster=clusters["智能装备及智能制造"], priority=Priority.HIGH,
        planned_investment=100 * YI,
        description="在重庆建立全球研发中心与生产基地，引进韩国精密检测专家团队；计划逐步引入半导体、精胚制造及"
                    "新材料等关联技术与人才，中长期投资规模预计超过百亿元。",
    )
    activity_create(actor=office, project=xinkai, date=datetime.date(2025, 3, 14), kind=ActivityKind.VISIT,
                    summary="常态化走访企业，了解到北京信技源的全国布局意向，当即启动专项对接机制。",
                    participants="驻京办招商专员")
    _advance(office, xinkai, [
        (Stage.CONTACT, "多次组织技术研讨会与政策洽谈会。", None),
        (Stage.RECOMMENDED, "协助企业对接多个区县的政策、人才与市场资源。", None),
        (Stage.SITE_VISIT, "企业赴渝考察，与江北区深入洽谈。", None),
        (Stage.INTENTION, "与江北区达成合作意向；驻京办安排一对一服务专员。", {"specialist": office}),
        # The article gives no separate contract figure; we record its own "超过百亿元" scale as the
        # signed amount, and the type of the agreements signed at the event is not reported either.
        (Stage.SIGNED, f"{EVENT_NAME}集中签约。", {
            "signed_date": EVENT_DATE, "agreement_type": AgreementType.FRAMEWORK, "signed_amount": 100 * YI,
            "registered_entity": "新凯精测(重庆)智造科技有限公司",
        }),
    ])
    _event_activity(office, xinkai, "新凯精测项目集中签约，正式落户江北区。")

    # 骅远: 九龙坡区, 5亿元, 固链 — data security, privacy computing and AI governance underneath the
    # city's software and connected-vehicle industries.
    huayuan = organisation_create(
        actor=district, name="骅远", kind=OrgKind.ENTERPRISE, source="产业对接活动",
        description="报道仅称“骅远”，企业全称与统一社会信用代码待核实。",
    )
    huayuan_project = project_create(
        actor=district, organisation=huayuan, unit=units["九龙坡区"], name="骅远人工智能数据安全中心项目",
        first_contact_date=datetime.date(2025, 6, 10), source_unit=units["驻京办"],
        cluster=clusters["软件信息服务"], chain_role=ChainRole.CONSOLIDATE, planned_investment=5 * YI,
        priority=Priority.HIGH,
        description="聚焦智能网联新能源汽车、软件信息服务等产业，提供底层的数据安全、隐私计算和AI治理保障。",
    )
    _advance(district, huayuan_project, [
        (Stage.CONTACT, "", None),
        (Stage.RECOMMENDED, "", None),
        (Stage.SITE_VISIT, "", None),
        (Stage.INTENTION, "", {"specialist": specialist}),
        (Stage.SIGNED, f"{EVENT_NAME}集中签约。", {
            "signed_date": EVENT_DATE, "agreement_type": AgreementType.FRAMEWORK, "signed_amount": 5 * YI,
        }),
    ])
    _event_activity(office, huayuan_project, "骅远人工智能数据安全中心项目集中签约，落地九龙坡区。")

    # 北京嘉岳, 长寿区, 18亿元, 补链. Cluster: 先进材料 rather than 新能源及新型储能 — the project turns
    # greenhouse gases into higher-value products on site and the article names the gap it fills as
    # "装备制造与新材料一体化"; it neither generates nor stores energy.
    jiayue = organisation_create(
        actor=district2, name="北京嘉岳", kind=OrgKind.ENTERPRISE, region="北京市", source="产业对接活动",
        description="报道称“北京嘉岳”，企业全称与统一社会信用代码待核实。",
    )
    jiayue_project = project_create(
        actor=district2, organisation=jiayue, unit=units["长寿区"], name="分布式温室气体利用项目",
        first_contact_date=datetime.date(2025, 7, 8), source_unit=units["驻京办"],
        cluster=clusters["先进材料"], chain_role=ChainRole.FILL, planned_investment=18 * YI,
        priority=Priority.HIGH,
        description="建设分布式温室气体原位高值利用中试及样板示范项目以及设备组装基地和维修工厂，推动重庆在绿色"
                    "低碳领域形成装备制造与新材料一体化发展能力。",
    )
    _advance(district2, jiayue_project, [
        (Stage.CONTACT, "", None),
        (Stage.RECOMMENDED, "", None),
        (Stage.SITE_VISIT, "", None),
        (Stage.INTENTION, "", {"specialist": district2}),
        (Stage.SIGNED, f"{EVENT_NAME}集中签约。", {
            "signed_date": EVENT_DATE, "agreement_type": AgreementType.FRAMEWORK, "signed_amount": 18 * YI,
        }),
    ])
    _event_activity(office, jiayue_project, "北京嘉岳分布式温室气体利用项目集中签约，与长寿区达成合作。")

    # 弘海微创, 大渡口区, 延链, 生物医药. It signed at the event, but the article gives no amount and the
    # 签约 stage rightly demands one (and 意向/协议 a planned investment), so the record stops at 实地考察
    # and says what is missing — the gate working as it would for a district that lacks the figure.
    honghai = organisation_create(
        actor=office, name="弘海微创", kind=OrgKind.ENTERPRISE, source="产业对接活动",
        description="医疗器械企业。报道称“弘海微创”，企业全称与统一社会信用代码待核实。",
    )
    honghai_project = project_create(
        actor=office, organisation=honghai, unit=units["大渡口区"], name="弘海微创医疗器械全国总部项目",
        first_contact_date=datetime.date(2025, 8, 5), source_unit=units["驻京办"],
        cluster=clusters["生物医药"], chain_role=ChainRole.EXTEND, priority=Priority.HIGH,
        description="建设生产、研发、全国及海外营销体系，利用北京地区高密度医学人才研发技术优势带动重庆取栓支架"
                    "技术突破。已在2025年11月1日产业对接活动上签约；投资额报道未公开，补录计划投资和签约金额后"
                    "可变更为“签约”。",
    )
    _advance(office, honghai_project, [
        (Stage.CONTACT, "", None),
        (Stage.RECOMMENDED, "", None),
        (Stage.SITE_VISIT, "", None),
    ])
    _event_activity(office, honghai_project, "弘海微创医疗器械全国总部项目集中签约，落地大渡口区（投资额未公开）。")


# --- sample records -------------------------------------------------------------------------------

BRANDS = ["京泰", "博远", "天衡", "星河", "华岳", "瑞科", "中拓", "云图", "鼎信", "恒析", "启明", "泽润",
          "联创", "东升", "北辰", "海纳", "卓远", "安维", "融智", "盛禾", "嘉禾", "清源", "锐驰", "宏图",
          "长青", "九章", "金石", "知行", "同舟", "远望", "新桥", "光合"]
BEIJING_DISTRICTS = [("北京市海淀区", "110108"), ("北京市朝阳区", "110105"), ("北京市丰台区", "110106"),
                     ("天津市滨海新区", "120116"), ("河北省石家庄市", "130100"), ("北京市昌平区", "110114")]
# (cluster, 行业字样 for names, GB/T 4754 section)
SECTORS = [
    ("智能网联新能源汽车", "汽车零部件", "C"), ("新一代电子信息制造业", "电子", "C"), ("先进材料", "新材料", "C"),
    ("智能装备及智能制造", "智能装备", "C"), ("食品及农产品加工", "食品", "C"), ("软件信息服务", "软件", "I"),
    ("生物医药", "生物医药", "C"), ("新能源及新型储能", "储能科技", "D"), ("AI及服务机器人", "机器人", "C"),
    ("传感器及仪器仪表", "仪器仪表", "C"), ("轻合金材料", "轻合金", "C"), ("新型显示", "显示科技", "C"),
]
SAMPLE_PROJECT_KINDS = ["西南基地项目", "研发中心项目", "生产线项目", "区域总部项目", "产业园项目", "中试基地项目"]

# (district, stage) for each sample project, in a fixed order; the rest is drawn from the seeded RNG.
SAMPLE_PLAN = [
    ("九龙坡区", Stage.LEAD), ("长寿区", Stage.LEAD), ("两江新区", Stage.LEAD), ("沙坪坝区", Stage.LEAD),
    ("永川区", Stage.LEAD),
    ("九龙坡区", Stage.CONTACT), ("长寿区", Stage.CONTACT), ("大渡口区", Stage.CONTACT), ("渝北区", Stage.CONTACT),
    ("九龙坡区", Stage.RECOMMENDED), ("两江新区", Stage.RECOMMENDED), ("璧山区", Stage.RECOMMENDED),
    ("长寿区", Stage.RECOMMENDED),
    ("九龙坡区", Stage.SITE_VISIT), ("沙坪坝区", Stage.SITE_VISIT), ("江津区", Stage.SITE_VISIT),
    ("九龙坡区", Stage.INTENTION), ("九龙坡区", Stage.INTENTION), ("两江新区", Stage.INTENTION),
    ("长寿区", Stage.SIGNED), ("永川区", Stage.SIGNED), ("九龙坡区", Stage.SIGNED),
    ("两江新区", Stage.REGISTERED), ("九龙坡区", Stage.REGISTERED),
    ("大渡口区", Stage.CONSTRUCTION), ("长寿区", Stage.CONSTRUCTION),
    ("两江新区", Stage.PRODUCTION),
    ("沙坪坝区", Stage.PAUSED), ("永川区", Stage.TERMINATED),
]
# Indexes into SAMPLE_PLAN: whose work list shows a next step that is overdue or due soon
# (九龙坡区 → demo_district, 长寿区 → demo_district2, the others → demo_office).
NEXT_STEP_OVERDUE = {0}
NEXT_STEP_DUE_SOON = {5, 6, 9, 10, 13, 16, 19}
NEXT_STEPS = ["报送项目推荐函", "安排企业赴渝考察行程", "提交投资协议草案", "协调用地指标", "约企业高层视频沟通"]
TALK_SUMMARIES = ["就投资规模、用地需求与配套政策交换意见。", "介绍园区产业配套与人才政策，企业表示有兴趣。",
                  "企业介绍了扩产计划，双方商定下一步安排。", "沟通项目进展，梳理企业诉求。"]
PIPELINE_ORDER = [Stage.LEAD, Stage.CONTACT, Stage.RECOMMENDED, Stage.SITE_VISIT, Stage.INTENTION,
                  Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION, Stage.PRODUCTION]
STAGE_NOTES = {
    Stage.CONTACT: "已与企业负责人建立联系。",
    Stage.RECOMMENDED: "驻京办推荐企业赴渝实地考察。",
    Stage.SITE_VISIT: "企业赴区县实地考察园区与配套。",
    Stage.INTENTION: "双方达成投资意向。",
    Stage.SIGNED: "签订投资协议。",
    Stage.REGISTERED: "项目公司完成工商注册。",
    Stage.CONSTRUCTION: "项目开工建设。",
    Stage.PRODUCTION: "项目建成投产。",
}


@dataclass
class _Dates:
    first_contact: datetime.date
    signed: datetime.date
    registered: datetime.date
    construction: datetime.date
    production: datetime.date


def _sample_dates(rng: random.Random, today: datetime.date, stage: str) -> _Dates:
    """Dates that run forward and never pass today: later stages started longer ago."""
    depth = PIPELINE_ORDER.index(stage) if stage in PIPELINE_ORDER else 3
    first = today - datetime.timedelta(days=20 + depth * 45 + rng.randint(0, 40))
    signed = first + datetime.timedelta(days=depth * 25 + rng.randint(0, 10))
    registered = signed + datetime.timedelta(days=rng.randint(15, 40))
    construction = registered + datetime.timedelta(days=rng.randint(20, 50))
    production = construction + datetime.timedelta(days=rng.randint(30, 60))
    return _Dates(first, min(signed, today), min(registered, today), min(construction, today), min(production, today))


def _sample_credit_code(rng: random.Random, region_code: str) -> str:
    # Generated, valid by GB 32100 and GB 11714, and only ever attached to a record marked 示例.
    body = "".join(rng.choice("0123456789") for _ in range(8))
    return make_uscc("91" + region_code + make_org_code(body))


def _stage_values(stage, dates: _Dates, *, amount, specialist, entity, code):
    return {
        Stage.INTENTION: {"specialist": specialist},
        Stage.SIGNED: {"signed_date": dates.signed, "agreement_type": AgreementType.CONTRACT,
                       "signed_amount": amount},
        Stage.REGISTERED: {"registered_entity": entity, "registered_credit_code": code,
                           "registered_date": dates.registered},
        Stage.CONSTRUCTION: {"construction_start_date": dates.construction},
        Stage.PRODUCTION: {"production_date": dates.production},
    }.get(stage)


def _sample_records(accounts, units, clusters):
    rng = random.Random(SEED)
    today = timezone.localdate()
    office = accounts["demo_office"]
    # Each district's own demo account registers and works its projects; the office does the rest,
    # as it does for districts without an account in the demo.
    workers = {"九龙坡区": accounts["demo_district"], "长寿区": accounts["demo_district2"]}
    specialists = {"九龙坡区": accounts["demo_specialist"], "长寿区": accounts["demo_district2"]}
    brands = rng.sample(BRANDS, len(SAMPLE_PLAN))

    for index, (district, stage) in enumerate(SAMPLE_PLAN):
        actor = workers.get(district, office)
        cluster_name, trade, section = SECTORS[index % len(SECTORS)]
        region, region_code = rng.choice(BEIJING_DISTRICTS)
        brand = brands[index]
        org = organisation_create(
            actor=actor, is_sample=True, name=f"{brand}{trade}（北京）有限公司（示例）", kind=OrgKind.ENTERPRISE,
            credit_code=_sample_credit_code(rng, region_code) if index % 3 == 0 else "",
            region=region, industry_section=section, source=rng.choice(["走访", "推介会", "以商招商", "新闻线索"]),
            is_specialised=rng.random() < 0.3, description="演示用的示例企业，非真实主体。",
        )
        # 渝北区 ended on 2025-11-06, so its sample lead is dated before: it shows the roll-up into 两江新区.
        dates = _sample_dates(rng, today, stage)
        if units[district].ended_on:
            dates.first_contact = min(dates.first_contact, units[district].ended_on - datetime.timedelta(days=50))
        amount = Decimal(rng.choice([3000, 5000, 8000, 12000, 20000, 50000, 80000, 150000])) * WAN
        project = project_create(
            actor=actor, is_sample=True, organisation=org, unit=units[district],
            name=f"{brand}{trade}{rng.choice(SAMPLE_PROJECT_KINDS)}（示例）",
            first_contact_date=dates.first_contact, source_unit=units["驻京办"] if rng.random() < 0.6 else None,
            cluster=clusters[cluster_name], chain_role=rng.choice(ChainRole.values),
            planned_investment=amount if stage != Stage.LEAD or rng.random() < 0.5 else None,
            priority=Priority.HIGH if amount >= 10 * YI else Priority.NORMAL,
            description="示例项目，演示用。",
        )
        target = stage if stage in PIPELINE_ORDER else Stage.SITE_VISIT
        entity = f"{brand}{trade}（重庆）有限公司（示例）"
        code = _sample_credit_code(rng, units[district].gb_code or "500000")
        moves = []
        for step in PIPELINE_ORDER[1: PIPELINE_ORDER.index(target) + 1]:
            values = _stage_values(step, dates, amount=amount, specialist=specialists.get(district, office),
                                   entity=entity, code=code)
            if step == Stage.INTENTION:
                values = {**values, "planned_investment": amount}
            moves.append((step, STAGE_NOTES[step], values))
        if stage == Stage.PAUSED:
            moves.append((Stage.PAUSED, "企业投资计划调整，暂缓推进，半年后再联系。", None))
        if stage == Stage.TERMINATED:
            moves.append((Stage.TERMINATED, "企业决定在其他省份布局，项目终止。", None))
        _advance(actor, project, moves)

        if stage in (Stage.PAUSED, Stage.TERMINATED):
            continue
        # A recent talk on most projects; the work lists get next steps due soon and one overdue.
        if index in NEXT_STEP_OVERDUE or index in NEXT_STEP_DUE_SOON or rng.random() < 0.6:
            talk_date = today - datetime.timedelta(days=rng.randint(3, 12))
            next_step, due = "", None
            if index in NEXT_STEP_OVERDUE:
                talk_date = today - datetime.timedelta(days=20)
                next_step, due = "向企业反馈用地方案并约定再次洽谈时间", today - datetime.timedelta(days=3)
            elif index in NEXT_STEP_DUE_SOON:
                next_step = rng.choice(NEXT_STEPS)
                due = today + datetime.timedelta(days=rng.randint(1, 10))
            activity_create(
                actor=actor, project=project, is_sample=True, date=max(talk_date, dates.first_contact),
                kind=rng.choice([ActivityKind.TALK, ActivityKind.VISIT, ActivityKind.CALL]),
                summary=f"（示例）{rng.choice(TALK_SUMMARIES)}",
                participants=actor.display_name, next_step=next_step, next_step_due=due,
            )
        if index in (0, 9, 16):
            person_create(actor=actor, name=f"{rng.choice('张王李赵周吴郑孙')}{rng.choice(['经理', '总监', '博士'])}（示例）",
                          kind=PersonKind.CONTACT, organisation=org, title="投资发展部负责人",
                          notes="示例联系人，非真实人员。")
    person_create(actor=office, name="周院士（示例）", kind=PersonKind.ACADEMICIAN,
                  title="中国工程院院士（示例）", notes="示例人才，非真实人员；用于演示招才引智。")
