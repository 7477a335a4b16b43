"""The demo's 招才引智: eight invented talent records across the pipeline — a 中国工程院院士 in 洽谈 for
九龙坡区's 新一代电子信息 cluster, a team brought in flexibly as a joint lab, two that have arrived, one
serving, one paused, one linked to the project that brought him. The people are invented and say 示例;
their universities are real institutions, looked up in the library and added (without a credit code)
when missing. Everything goes through the services, so the demo obeys the stage rules."""

import datetime

from django.db.models import F
from django.utils import timezone

from apps.chains.models import Cluster
from apps.organisations.choices import OrgKind
from apps.organisations.models import Organisation
from apps.organisations.services import organisation_create
from apps.projects.models import Project
from apps.talent.choices import IntroductionMode, ProjectLinkKind, TalentKind, TalentStage
from apps.talent.services import talent_create, talent_move_stage
from apps.units.models import Unit

AFFILIATIONS = [
    ("北京航空航天大学", OrgKind.UNIVERSITY, False),
    ("北京理工大学", OrgKind.UNIVERSITY, False),
    ("北京化工大学", OrgKind.UNIVERSITY, False),
    ("清华大学", OrgKind.UNIVERSITY, False),
    ("中国科学院微电子研究所", OrgKind.INSTITUTE, False),
    ("京研生物医药科技（北京）有限公司（示例）", OrgKind.ENTERPRISE, True),
]


def _affiliation(actor, name: str, kind: str, invented: bool) -> Organisation:
    found = Organisation.objects.filter(name=name, merged_into__isnull=True, is_archived=False).first()
    if found:
        return found
    return organisation_create(actor=actor, is_sample=invented, name=name, kind=kind, region="北京市",
                               source="招才引智", description="演示用的示例企业，非真实主体。" if invented else "")


def _advance(actor, talent, moves) -> None:
    """moves: (stage, day, values); values may carry the move's note and skip_reason beside the facts."""
    for stage, day, values in moves:
        values = dict(values)
        talent_move_stage(actor=actor, talent=talent, to_stage=stage, occurred_on=day,
                          note=values.pop("note", ""), skip_reason=values.pop("skip_reason", ""), values=values)


def _project_link(unit) -> dict:
    """A 九龙坡区 sample project as the one that brought the academician (项目带人才): one of his cluster
    if the demo has it, else the one furthest along."""
    live = (Project.objects.filter(unit=unit, is_archived=False, is_sample=True)
            .exclude(stage__in=["paused", "terminated"]).order_by(F("signed_date").desc(nulls_last=True), "pk"))
    project = live.filter(cluster__name="新型显示").first() or live.first()
    return {"project": project, "link_kind": ProjectLinkKind.BROUGHT_BY_PROJECT} if project else {}


def load(accounts) -> None:
    office, district = accounts["demo_office"], accounts["demo_district"]
    district2, specialist = accounts["demo_district2"], accounts["demo_specialist"]
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    units = {u.name: u for u in Unit.objects.all()}
    clusters = {c.name: c for c in Cluster.objects.all()}
    orgs = {name: _affiliation(office, name, kind, invented) for name, kind, invented in AFFILIATIONS}
    office_unit = units["驻京办"]

    def add(actor, *, name, unit, cluster_names, affiliation, **fields):
        return talent_create(actor=actor, is_sample=True, name=name, unit=units[unit],
                             clusters=[clusters[c] for c in cluster_names if c in clusters],
                             affiliation=orgs[affiliation], **fields)

    academician = add(office, name="梁振宇（示例）", kind=TalentKind.ACADEMICIAN, title="中国工程院院士（示例）",
                      affiliation="中国科学院微电子研究所", field="集成电路工艺与微电子器件", unit="九龙坡区",
                      cluster_names=["新一代电子信息制造业"], source_unit=office_unit, specialist=specialist,
                      first_contact_date=ago(75),
                      description="示例：驻京办在京走访时接洽，拟在九龙坡区设立院士工作站，牵头功率半导体工艺攻关。")
    _advance(district, academician, [(TalentStage.NEGOTIATION, ago(40), {"note": "院士赴渝前电话沟通工作站方案。"})])

    team = add(office, name="北航智能感知团队（示例）", kind=TalentKind.TEAM, team_size=12,
               title="国家重点研发计划项目团队（示例）", affiliation="北京航空航天大学", field="MEMS传感器与智能感知",
               unit="九龙坡区", cluster_names=["传感器及仪器仪表", "新一代电子信息制造业"], source_unit=office_unit,
               specialist=specialist, first_contact_date=ago(200))
    _advance(district, team, [
        (TalentStage.NEGOTIATION, ago(170), {}), (TalentStage.SITE_VISIT, ago(140), {}),
        (TalentStage.SIGNED, ago(100), {"mode": IntroductionMode.JOINT_LAB, "signed_date": ago(100),
                                        "note": "签订共建联合实验室协议，团队成员不迁档案。"}),
        (TalentStage.ARRIVED, ago(45), {"arrived_date": ago(45), "note": "联合实验室在九龙坡区挂牌。"}),
    ])

    materials = add(district2, name="宋启明（示例）", kind=TalentKind.HIGH_LEVEL, title="国家杰出青年科学基金获得者（示例）",
                    affiliation="北京化工大学", field="高性能纤维与复合材料", unit="长寿区", cluster_names=["先进材料"],
                    first_contact_date=ago(260))
    _advance(district2, materials, [
        (TalentStage.NEGOTIATION, ago(230), {}), (TalentStage.SITE_VISIT, ago(200), {}),
        (TalentStage.SIGNED, ago(150), {"mode": IntroductionMode.FULL_TIME, "signed_date": ago(150)}),
        (TalentStage.ARRIVED, ago(90), {"arrived_date": ago(90), "note": "全职到岗，任新材料研究院院长。"}),
    ])

    vehicles = add(district, name="韩雪（示例）", kind=TalentKind.EXPERT, title="正高级工程师（示例）",
                   affiliation="北京理工大学", field="新能源汽车电驱动系统", unit="九龙坡区",
                   cluster_names=["智能网联新能源汽车"], specialist=specialist, first_contact_date=ago(320))
    _advance(district, vehicles, [
        (TalentStage.NEGOTIATION, ago(300), {}),
        # Jumping 考察 needs a reason, as it would for a person.
        (TalentStage.SIGNED, ago(260), {"mode": IntroductionMode.CONSULTANT, "signed_date": ago(260),
                                        "skip_reason": "专家多次来渝，考察已在洽谈中完成。"}),
        (TalentStage.ARRIVED, ago(240), {"arrived_date": ago(240)}),
        (TalentStage.SERVING, ago(200), {"note": "每季度来渝指导两次，已协助企业解决电机控制器散热问题。"}),
    ])

    robotics = add(office, name="周立衡（示例）", kind=TalentKind.HIGH_LEVEL, title="长江学者特聘教授（示例）",
                   affiliation="清华大学", field="服务机器人感知与控制", unit="两江新区",
                   cluster_names=["AI及服务机器人"], source_unit=office_unit, first_contact_date=ago(60))
    _advance(office, robotics, [(TalentStage.NEGOTIATION, ago(45), {}),
                                (TalentStage.SITE_VISIT, ago(10), {"note": "赴两江新区考察机器人产业园。"})])

    add(district2, name="京渝抗体药物研发团队（示例）", kind=TalentKind.TEAM, team_size=8,
                  affiliation="京研生物医药科技（北京）有限公司（示例）", field="双特异性抗体药物", unit="长寿区",
                  cluster_names=["生物医药"], first_contact_date=ago(20))

    paused = add(district, name="陈墨（示例）", kind=TalentKind.EXPERT, title="工业软件架构师（示例）",
                 affiliation="北京航空航天大学", field="工业软件与数字孪生", unit="九龙坡区",
                 cluster_names=["软件信息服务"], first_contact_date=ago(120))
    _advance(district, paused, [
        (TalentStage.NEGOTIATION, ago(90), {}),
        (TalentStage.PAUSED, ago(30), {"note": "本人家庭原因暂缓，明年春季再联系。"}),
    ])

    display = add(office, name="林知远（示例）", kind=TalentKind.ACADEMICIAN, title="中国科学院院士（示例）",
                  affiliation="清华大学", field="柔性显示材料", unit="九龙坡区", cluster_names=["新型显示"],
                  source_unit=office_unit, specialist=specialist, first_contact_date=ago(150),
                  **_project_link(units["九龙坡区"]))
    _advance(district, display, [
        (TalentStage.NEGOTIATION, ago(130), {}), (TalentStage.SITE_VISIT, ago(110), {}),
        (TalentStage.SIGNED, ago(80), {"mode": IntroductionMode.PART_TIME, "signed_date": ago(80),
                                       "note": "受聘为企业首席科学家（兼职）。"}),
    ])

    _service_requests(specialist=specialist, district2=district2, team=team, materials=materials, today=today)


def _service_requests(*, specialist, district2, team, materials, today) -> None:
    """What a landed talent asks for, on the same desk as an enterprise's requests: the joint lab's fit-out
    (late, so the desk and the cockpit show a talent request escalated) and the scientist's child's school
    place (answered)."""
    from apps.servicedesk.services import (
        deadline_days,
        escalate_overdue,
        request_change_status,
        request_create,
        request_reply,
    )

    # Two days past its 规划与审批 time limit: with the unit's leaders by now, as the daily job would have it.
    request_create(actor=specialist, talent=team, category="planning", title="联合实验室装修消防审批（示例）",
                   description="实验室500平方米，需办理装修消防设计审查，团队希望一个月内开工。",
                   today=today - datetime.timedelta(days=deadline_days("planning") + 2), is_sample=True)
    escalate_overdue(today=today)
    school = request_create(actor=district2, talent=materials, category="talent", title="子女就近入学（示例）",
                            description="宋教授子女8岁，希望在研究院附近小学插班就读。",
                            today=today - datetime.timedelta(days=30), is_sample=True)
    request_reply(actor=district2, request=school, body="已协调区教委，安排在晏家小学三年级插班。")
    request_change_status(actor=district2, request=school, to_status="resolved", note="已于开学前办妥入学手续。")
