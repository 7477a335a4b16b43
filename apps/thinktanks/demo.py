"""The demo's 智库合作: "与北京大学、清华大学等10家高端智库建立合作", "院士人才沙龙等活动20余场" (重庆日报,
2025-11-02). The article names two partners and gives two figures; everything else here is invented
and marked: the ten institutions are real Beijing universities and think tanks, but every agreement,
date, activity and result is a sample (is_sample=True, "（示例）" in the agreement's title).

21 activities across the ten (so the list's total reads as the article's "20余场"), one of them also
recorded as an 院士人才沙龙 event of the platform, and results that point at demo projects and
organisations where the other apps' demo has loaded them (looked up by name; a missing one is skipped).
Everything is written through the services, as a person would."""

import datetime

from apps.accounts.models import User
from apps.events.models import EventKind
from apps.events.services import event_create
from apps.organisations.choices import OrgKind
from apps.organisations.models import Organisation
from apps.organisations.services import organisation_create
from apps.projects.models import Project
from apps.thinktanks.models import ActivityKind, CooperationStatus, OutcomeKind
from apps.thinktanks.services import activity_add, cooperation_create, outcome_add
from apps.units.models import Unit

D = datetime.date
A = ActivityKind
# (name, kind, named in the article, holding unit, signed, end (None: open-ended), status, terms,
#  activities: (date, kind, title, participants, output title))
PARTNERS = [
    ("北京大学", OrgKind.UNIVERSITY, True, "驻京办", D(2024, 3, 18), D(2027, 3, 17), CooperationStatus.ACTIVE,
     "北京大学依托相关院系为重庆提供产业规划咨询、每年推荐不少于5名青年学者赴渝交流；驻京办提供在渝调研对接、"
     "协调区县承接成果转化项目。",
     [(D(2024, 6, 20), A.SALON, "院士人才沙龙（北京大学专场）", 60, ""),
      (D(2025, 4, 11), A.REPORT, "重庆新一代电子信息产业发展研判", 35, "重庆电子信息产业链补链建议"),
      (D(2025, 9, 5), A.LECTURE, "人工智能前沿讲座", 120, "")]),
    ("清华大学", OrgKind.UNIVERSITY, True, "驻京办", D(2024, 4, 9), D(2027, 4, 8), CooperationStatus.ACTIVE,
     "清华大学相关研究院为重庆智能网联新能源汽车、先进材料等集群提供技术咨询，推荐科技成果在渝转化；"
     "驻京办组织区县与研究团队对接，并提供转化项目落地服务。",
     [(D(2024, 9, 12), A.CONSULTATION, "智能网联汽车产业技术咨询会", 25, ""),
      (D(2025, 3, 27), A.SALON, "院士人才沙龙（清华大学专场）", 80, ""),
      (D(2025, 10, 16), A.RESEARCH, "重庆先进材料企业调研", 12, "先进材料集群调研报告")]),
    ("中国科学院科技战略咨询研究院", OrgKind.THINK_TANK, False, "驻京办", D(2024, 5, 22), None, CooperationStatus.ACTIVE,
     "研究院承担重庆“33618”产业集群科技战略专题研究；驻京办提供数据与调研安排，研究成果供市级决策参考。",
     [(D(2024, 11, 8), A.REPORT, "科技创新与产业集群协同发展专题报告会", 40, "33618产业集群科技支撑研究"),
      (D(2025, 6, 19), A.SALON, "科技战略青年学者沙龙", 30, "")]),
    ("中国国际经济交流中心", OrgKind.THINK_TANK, False, "驻京办", D(2024, 7, 2), D(2026, 7, 1), CooperationStatus.ACTIVE,
     "中心为重庆开放型经济和招商引资政策提供研究咨询，邀请重庆参加其主办的经济论坛；驻京办负责联络与成果报送。",
     [(D(2024, 12, 3), A.CONSULTATION, "开放型经济招商政策咨询", 18, "招商引资政策优化建议"),
      (D(2025, 7, 24), A.SALON, "经济形势与招商引资沙龙", 45, "")]),
    ("国务院发展研究中心国际技术经济研究所", OrgKind.THINK_TANK, False, "驻京办", D(2024, 8, 15), D(2025, 8, 14),
     CooperationStatus.ACTIVE,
     "研究所为重庆提供国际技术经济形势研判和产业链风险评估，每半年一份研判材料；驻京办提供需求清单。",
     [(D(2025, 1, 15), A.REPORT, "全球产业链格局研判报告会", 30, "全球产业链重构与重庆应对"),
      (D(2025, 6, 12), A.CONSULTATION, "产业链风险评估咨询", 15, "")]),
    ("中国宏观经济研究院", OrgKind.THINK_TANK, False, "驻京办", D(2024, 10, 10), None, CooperationStatus.ACTIVE,
     "研究院就成渝地区双城经济圈建设中的产业布局开展联合研究；驻京办协调市级部门和区县配合调研。",
     [(D(2025, 5, 14), A.RESEARCH, "成渝地区双城经济圈产业布局联合调研", 16, "成渝产业协同布局建议"),
      (D(2025, 10, 22), A.SALON, "宏观经济形势沙龙", 50, "")]),
    ("中国社会科学院工业经济研究所", OrgKind.THINK_TANK, False, "驻京办", D(2025, 1, 20), D(2027, 1, 19),
     CooperationStatus.ACTIVE,
     "研究所为重庆制造业高质量发展提供理论与政策研究支持，联合举办产业讲座；驻京办组织区县干部参加。",
     [(D(2025, 4, 24), A.LECTURE, "制造业高质量发展专题讲座", 90, "")]),
    ("中国信息通信研究院", OrgKind.INSTITUTE, False, "九龙坡区", D(2025, 2, 26), D(2028, 2, 25),
     CooperationStatus.ACTIVE,
     "信通院为九龙坡区数字经济和人工智能产业招商提供咨询、推荐重点企业；九龙坡区提供产业空间与政策支持。",
     [(D(2025, 6, 6), A.CONSULTATION, "人工智能产业招商咨询会", 20, ""),
      (D(2025, 9, 18), A.SALON, "数字经济企业家沙龙", 55, "")]),
    ("中国电子信息产业发展研究院", OrgKind.INSTITUTE, False, "驻京办", D(2025, 3, 6), D(2026, 3, 5),
     CooperationStatus.ACTIVE,
     "赛迪研究院为重庆电子信息、软件信息服务集群编制招商图谱；驻京办组织企业走访与项目对接。",
     [(D(2025, 5, 29), A.REPORT, "软件信息服务产业招商图谱发布会", 70, "重庆软件信息服务产业招商图谱"),
      (D(2025, 8, 21), A.SALON, "电子信息产业链企业沙龙", 40, "")]),
    ("中国人民大学国家发展与战略研究院", OrgKind.THINK_TANK, False, "驻京办", None, None,
     CooperationStatus.NEGOTIATING,
     "拟合作内容：区域发展战略研究与干部培训（洽谈中）。",
     [(D(2025, 8, 7), A.RESEARCH, "合作意向座谈", 10, ""),
      (D(2025, 11, 12), A.CONSULTATION, "区域发展战略合作方案研讨", 12, "")]),
]
# (partner, kind, date, project name, organisation name, note)
OUTCOMES = [
    ("北京大学", OutcomeKind.TALENT, D(2025, 5, 20), None, None, "推荐青年学者2名赴九龙坡区挂职交流（示例）。"),
    ("北京大学", OutcomeKind.PROJECT, D(2025, 11, 1), "骅远人工智能数据安全中心项目", None,
     "经北京大学团队推荐对接，在产业对接活动上签约（示例）。"),
    ("清华大学", OutcomeKind.INTRODUCTION, D(2025, 4, 2), None, "北京信技源信息服务有限公司",
     "院士人才沙龙后引荐该企业与江北区对接（示例）。"),
    ("清华大学", OutcomeKind.PROJECT, D(2025, 11, 1), "新凯精测(重庆)智造科技有限公司", None,
     "研究团队推荐技术成果，在渝设立智造公司（示例）。"),
    ("清华大学", OutcomeKind.TALENT, D(2025, 10, 20), None, None, "周院士（示例）受聘为重庆先进材料产业顾问。"),
    ("中国科学院科技战略咨询研究院", OutcomeKind.REPORT, D(2024, 12, 20), None, None,
     "《33618产业集群科技支撑研究》获市级领导批示（示例）。"),
    ("中国国际经济交流中心", OutcomeKind.INTRODUCTION, D(2025, 8, 10), None, "北京嘉岳",
     "经济沙龙上引荐该企业与长寿区洽谈（示例）。"),
    ("中国国际经济交流中心", OutcomeKind.PROJECT, D(2025, 11, 1), "分布式温室气体利用项目", None,
     "引荐后落地长寿区（示例）。"),
    ("中国宏观经济研究院", OutcomeKind.REPORT, D(2025, 7, 1), None, None, "《成渝产业协同布局建议》报送市发展改革委（示例）。"),
    ("中国信息通信研究院", OutcomeKind.INTRODUCTION, D(2025, 9, 25), None, None,
     "推荐3家人工智能企业与九龙坡区对接（示例）。"),
    ("中国电子信息产业发展研究院", OutcomeKind.REPORT, D(2025, 6, 10), None, None,
     "《重庆软件信息服务产业招商图谱》供区县招商使用（示例）。"),
]
SALON_EVENT = "院士人才沙龙（清华大学专场）"


def _partner(actor, name: str, kind: str, named: bool) -> Organisation:
    found = Organisation.objects.filter(name=name, merged_into__isnull=True, is_archived=False).first()
    if found is not None:
        return found
    # The two the article names are real records; the other eight are real institutions put in the
    # library only for the sample cooperations.
    return organisation_create(actor=actor, name=name, kind=kind, region="北京市", source="智库合作",
                               is_sample=not named)


def load(accounts: dict[str, User]) -> None:
    office = accounts["demo_office"]
    units = {u.name: u for u in Unit.objects.all()}
    holders = {"驻京办": office, "九龙坡区": accounts.get("demo_district_admin", office)}
    cooperations = {}
    for index, (name, kind, named, unit_name, signed, end, status, terms, activities) in enumerate(PARTNERS, 1):
        actor = holders[unit_name]
        partner = _partner(office, name, kind, named)
        title = "战略合作框架协议（示例）" if status != CooperationStatus.NEGOTIATING else "战略合作意向（洽谈中，示例）"
        cooperation = cooperation_create(actor=actor, is_sample=True, values={
            "partner": partner, "title": title, "agreement_no": f"示例-{signed.year}-{index:02d}" if signed else "",
            "signed_date": signed, "start_date": signed, "end_date": end, "status": status, "terms": terms,
            "unit": units[unit_name], "contact": actor, "partner_contact": "办公室联系人（示例）",
        })
        cooperations[name] = (cooperation, actor)
        for date, activity_kind, activity_title, participants, output in activities:
            event = None
            if activity_title == SALON_EVENT:
                event = event_create(actor=office, is_sample=True, today=date, values={
                    "title": f"{SALON_EVENT}（示例）", "kind": EventKind.SALON, "date": date, "city": "北京",
                    "unit": units["驻京办"], "hosts": "主办 重庆市人民政府驻北京办事处；协办 清华大学（示例）",
                    "attendee_count": participants, "summary": "院士、专家与重庆区县围绕先进制造交流（示例）。"})
            activity_add(actor=actor, cooperation=cooperation, values={
                "date": date, "kind": activity_kind, "title": activity_title, "participant_count": participants,
                "output_title": output, "event": event, "summary": "示例活动，内容为演示虚构。"})
    for partner_name, kind, date, project_name, organisation_name, note in OUTCOMES:
        cooperation, actor = cooperations[partner_name]
        project = organisation = None
        if project_name:
            project = Project.objects.filter(name=project_name, is_archived=False).first()
            if project is None:
                continue
        if organisation_name:
            organisation = Organisation.objects.filter(name=organisation_name, merged_into__isnull=True,
                                                       is_archived=False).first()
        outcome_add(actor=actor, cooperation=cooperation, values={
            "kind": kind, "date": date, "project": project, "organisation": organisation, "note": note})
