"""The demo's 以商招商: the sample firm that landed in 九龙坡区 (registered, from apps.core.demo) with five
related sample organisations — four proposed as leads, one already in 九龙坡区's pipeline — a few person
ties, and one proposal already turned into a lead so that 带动一串 has a row. Everything through the
services; every invented record says 示例."""

from apps.organisations.choices import OrgKind, PersonKind
from apps.organisations.services import organisation_create, person_create
from apps.projects.models import Project
from apps.projects.services import project_create
from apps.relations import services
from apps.relations.choices import RelationKind, Strength, TieChannel, Warmth
from apps.relations.selectors import LANDED_STAGES

# (name, what it is to the landed firm, strength, evidence)
PARTNERS = [
    ("渝芯光电材料（北京）有限公司（示例）", RelationKind.SUPPLIER, Strength.STRONG, "示例：偏光片与光学膜一级供应商，年供货额约3亿元。"),
    ("京显驱动芯片（北京）有限公司（示例）", RelationKind.SUPPLIER, Strength.MEDIUM, "示例：显示驱动芯片供应商。"),
    ("华屏智能终端（北京）有限公司（示例）", RelationKind.CUSTOMER, Strength.STRONG, "示例：车载与平板显示模组的主要客户。"),
    ("北辰显示研究院（示例）", RelationKind.PARTNER, Strength.MEDIUM, "示例：联合实验室合作伙伴。"),
    ("中关村显示产业基金（示例）", RelationKind.INVESTOR, Strength.WEAK, "示例：B轮投资方。"),
]
# Already a 九龙坡区 lead: related, but not proposed again.
IN_PIPELINE = ("精微背光科技（北京）有限公司（示例）", RelationKind.SUPPLIER, Strength.STRONG, "示例：背光模组供应商。")


def landed_demo_project():
    """The sample project at 注册落地 in 九龙坡区 (apps.core.demo.SAMPLE_PLAN), so demo_district sees it."""
    return (Project.objects.filter(is_sample=True, unit__name="九龙坡区", stage__in=LANDED_STAGES, is_archived=False)
            .select_related("organisation", "unit", "cluster").order_by("pk").first())


def load(accounts) -> None:
    office, district = accounts["demo_office"], accounts["demo_district"]
    landed = landed_demo_project()
    if landed is None:
        return
    firm = landed.organisation
    partners = []
    for name, kind, strength, evidence in [*PARTNERS, IN_PIPELINE]:
        org = organisation_create(actor=office, is_sample=True, name=name, kind=OrgKind.ENTERPRISE, region="北京市",
                                  source="以商招商", description="演示用的示例企业，非真实主体。")
        services.relation_create(actor=office, organisation=firm, related=org, kind=kind, strength=strength,
                                 evidence=evidence)
        partners.append(org)
    project_create(actor=district, is_sample=True, organisation=partners[-1], unit=landed.unit,
                   name="精微背光模组项目（示例）", first_contact_date=landed.first_contact_date,
                   cluster=landed.cluster, description="示例项目，演示用。")

    cadre = person_create(actor=office, name="刘挂职（示例）", kind=PersonKind.CONTACT, title="在京挂职干部（示例）",
                          notes="示例人员，非真实人员。")
    alumnus = person_create(actor=office, name="陈校友（示例）", kind=PersonKind.EXPERT, title="校友会秘书长（示例）",
                            notes="示例人员，非真实人员。")
    services.person_tie_create(actor=office, person=cadre, organisation=firm, channel=TieChannel.SECONDED_CADRE,
                               warmth=Warmth.CLOSE, note="示例：挂职期间服务该企业落地。")
    services.person_tie_create(actor=office, person=alumnus, organisation=partners[2], channel=TieChannel.ALUMNI,
                               warmth=Warmth.WARM, note="示例：与企业创始人为校友。")
    services.person_tie_create(actor=office, person=alumnus, organisation=partners[3], channel=TieChannel.THINK_TANK,
                               warmth=Warmth.COOL)

    # One proposal already followed: the investor became a 九龙坡区 lead, credited to the landed firm.
    referral = services.proposal_accept(actor=district, landed_organisation=firm, candidate=partners[4])
    Project.objects.filter(pk=referral.project_id).update(is_sample=True)
