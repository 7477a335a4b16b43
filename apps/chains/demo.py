"""The chains part of the demo: the article's three projects placed so that the rules give the roles the
article names (骅远 → 固链, 北京嘉岳 → 补链, 弘海微创 → 延链), and sample organisations that make 九龙坡区's
map of 智能网联新能源汽车 show every status: a strong link with its 链主, weak links, and missing links
with candidate targets from the library. Called by the demo loader as load(accounts)."""

from apps.chains.models import ChainLink, Cluster
from apps.chains.services import placement_create
from apps.organisations.choices import OrgKind
from apps.organisations.services import organisation_create
from apps.projects.models import Project

CAR = "智能网联新能源汽车"
MATERIALS = "先进材料"

# (name, region, section, link path, 链主, flags) — sample organisations, not real ones.
SAMPLE_ORGS = [
    ("渝驰智能汽车（重庆）有限公司（示例）", "重庆市九龙坡区", "C", "下游/整车制造/新能源乘用车", True, {"is_listed": True}),
    ("西永新能源汽车制造有限公司（示例）", "重庆市九龙坡区", "C", "下游/整车制造/新能源乘用车", False, {}),
    ("九龙智电汽车科技有限公司（示例）", "重庆市九龙坡区", "C", "下游/整车制造/新能源乘用车", False, {}),
    ("巴岳电驱动系统有限公司（示例）", "重庆市九龙坡区", "C", "上游/电池与电驱/驱动电机与电控", False,
     {"is_specialised": True}),
    ("华岩电机控制器有限公司（示例）", "重庆市九龙坡区", "C", "上游/电池与电驱/驱动电机与电控", False, {}),
    ("白市驿热管理科技有限公司（示例）", "重庆市九龙坡区", "C", "中游/关键零部件/热管理系统", False, {}),
    # Targets outside Chongqing: the candidates for 九龙坡区's missing links.
    ("京能动力电池科技（北京）有限公司（示例）", "北京市昌平区", "C", "上游/电池与电驱/动力电池电芯", True,
     {"is_fortune500": True, "is_listed": True}),
    ("中关村固态电池有限公司（示例）", "北京市海淀区", "C", "上游/电池与电驱/动力电池电芯", False,
     {"is_specialised": True}),
    ("亦庄车规芯片设计有限公司（示例）", "北京市大兴区", "I", "上游/芯片与传感器/车规级芯片", False,
     {"is_specialised": True}),
    ("京西激光雷达技术有限公司（示例）", "北京市海淀区", "C", "上游/芯片与传感器/车载传感器", False, {}),
]


def _links(cluster_name: str) -> dict[str, ChainLink]:
    cluster = Cluster.objects.get(name=cluster_name)
    links = list(ChainLink.objects.filter(cluster=cluster))
    by_id = {link.id: link for link in links}

    def path(link):
        parts = []
        while link is not None:
            parts.append(link.name)
            link = by_id.get(link.parent_id)
        return "/".join(reversed(parts))

    return {path(link): link for link in links}


def load(accounts) -> dict:
    office = accounts["demo_office"]
    car, materials = _links(CAR), _links(MATERIALS)
    projects = {p.name: p for p in Project.objects.filter(name__in=[
        "骅远人工智能数据安全中心项目", "分布式温室气体利用项目", "弘海微创医疗器械全国总部项目"])}

    # 骅远: data security under the connected-vehicle chain — a foundation link → 固链.
    placement_create(actor=office, link=car["中游/车联网与数据/汽车数据安全"],
                     project=projects["骅远人工智能数据安全中心项目"],
                     reason="为智能网联新能源汽车提供底层的数据安全、隐私计算和AI治理保障。")
    # 北京嘉岳: greenhouse-gas utilisation, a link 长寿区 has no firm on → 补链.
    placement_create(actor=office, link=materials["中游/前沿新材料/碳资源利用与绿色低碳材料"],
                     project=projects["分布式温室气体利用项目"],
                     reason="分布式温室气体原位高值利用，装备制造与新材料一体化。")
    # 弘海微创 stays unplaced: its cluster (生物医药) has no map yet, so it lies beyond the current
    # maps → 延链 (rules.suggest_chain_role says so with its rule).

    for name, region, section, link_path, leader, flags in SAMPLE_ORGS:
        org = organisation_create(actor=office, is_sample=True, name=name, kind=OrgKind.ENTERPRISE, region=region,
                                  industry_section=section, source="产业链梳理",
                                  description="演示用的示例企业，非真实主体。", **flags)
        placement_create(actor=office, link=car[link_path], organisation=org, is_chain_leader=leader,
                         reason="演示：按主营业务标注。")
    return {"placements": 2 + len(SAMPLE_ORGS)}
