"""Demo recommendations (推荐考察), loaded after apps.core.demo's accounts and records: five sample
organisations that no unit holds yet, visited by the office, recommended to districts and answered —
accepted, declined, pending, one re-recommended after a decline, one visited on site and carried to
意向/协议 — so the list, the "待我单位答复" box and the funnel page all show something. Everything goes
through the services; every invented record is is_sample=True and says 示例."""

import datetime
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.activities.models import ActivityKind
from apps.activities.services import activity_create
from apps.organisations.choices import OrgKind
from apps.organisations.services import organisation_create
from apps.projects.choices import Stage
from apps.projects.services import project_change_stage
from apps.recommendations.models import Recommendation
from apps.recommendations.services import (
    recommendation_accept,
    recommendation_create,
    recommendation_decline,
    target_log_site_visit,
)
from apps.units.models import Unit

# key: (name, region, what the office learnt on its visit)
ORGANISATIONS = {
    "lingyun": ("凌云智能装备（北京）有限公司（示例）", "北京市海淀区", "企业计划在西南建设智能装备生产基地，关注产业配套与用地。"),
    "chengming": ("澄明光电（北京）有限公司（示例）", "北京市朝阳区", "企业有新型显示模组扩产需求，希望靠近整机厂。"),
    "yuanfan": ("远帆新材料（北京）有限公司（示例）", "北京市昌平区", "企业研发轻量化复合材料，寻找中试基地。"),
    "mozi": ("墨子量子信息（北京）有限公司（示例）", "北京市海淀区", "企业拟设立西部研发中心，关注人才政策。"),
    "hongyi": ("弘毅储能科技（北京）有限公司（示例）", "北京市丰台区", "企业布局工商业储能，考虑在西南设厂。"),
}


def load(accounts: dict[str, User], units: dict[str, Unit], today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    office, district, district2 = accounts["demo_office"], accounts["demo_district"], accounts["demo_district2"]

    def day(days_ago: int) -> datetime.date:
        # Within this year, so the funnel page's default period (今年以来) shows them.
        return max(today - datetime.timedelta(days=days_ago), datetime.date(today.year, 1, 1))

    orgs = {}
    for key, (name, region, learnt) in ORGANISATIONS.items():
        orgs[key] = organisation_create(actor=office, is_sample=True, name=name, kind=OrgKind.ENTERPRISE,
                                        region=region, source="走访", description="演示用的示例企业，非真实主体。")
        activity_create(actor=office, organisation=orgs[key], date=day(70), kind=ActivityKind.VISIT, is_sample=True,
                        summary=f"（示例）驻京办走访企业。{learnt}", participants=office.display_name)

    def recommend(key, unit_names, days_ago, reason):
        return recommendation_create(actor=office, organisation=orgs[key], units=[units[n] for n in unit_names],
                                     reason=f"（示例）{reason}", date=day(days_ago), today=today, is_sample=True)

    def target(recommendation: Recommendation, unit_name: str):
        return recommendation.targets.get(unit=units[unit_name])

    # Accepted by 九龙坡区, visited on site, carried to 意向/协议; declined by 长寿区.
    lingyun = recommend("lingyun", ["九龙坡区", "长寿区"], 45, "智能装备整机企业，与九龙坡区、长寿区的装备制造园区方向契合。")
    accepted = recommendation_accept(actor=district, target=target(lingyun, "九龙坡区"), today=day(40),
                                     reason="欢迎企业来区考察，已安排招商局对接。")
    recommendation_decline(actor=district2, target=target(lingyun, "长寿区"), today=day(41),
                           reason="本区装备制造园区用地已基本饱和，暂不具备承接条件。")
    target_log_site_visit(actor=district, target=accepted, date=day(30), is_sample=True,
                          summary="（示例）企业考察西部科学城园区及配套企业，对用地和人才政策表示满意。",
                          participants="九龙坡区招商局", counterparts="凌云智能装备 副总经理")
    project = accepted.project
    project.refresh_from_db()
    project_change_stage(actor=district, project=project, to_stage=Stage.INTENTION, expected_stage=project.stage,
                         note="（示例）双方就投资规模和选址达成合作意向。", occurred_on=day(20),
                         values={"planned_investment": Decimal(300_000_000), "specialist": accounts["demo_specialist"]})

    # Accepted by 长寿区, no site visit yet.
    chengming = recommend("chengming", ["长寿区"], 35, "显示模组企业，可与长寿区电子材料产业形成配套。")
    recommendation_accept(actor=district2, target=target(chengming, "长寿区"), today=day(33))

    # Declined by 长寿区, then recommended to it again with a new reason (allowed after a decline): the
    # funnel counts 弘毅 once.
    hongyi = recommend("hongyi", ["长寿区"], 50, "储能企业，长寿区有化工园区配套。")
    recommendation_decline(actor=district2, target=target(hongyi, "长寿区"), today=day(48),
                           reason="企业产品方向与本区储能规划暂不匹配。")
    recommend("hongyi", ["长寿区"], 12, "企业已调整产品线，新增工商业储能电池包，与长寿区新规划的储能产业园契合。")

    # Waiting for answers: 九龙坡区 (demo_district's box) and 两江新区 (no demo account; the office waits).
    recommend("yuanfan", ["九龙坡区"], 10, "轻量化复合材料可服务区内汽车零部件企业。")
    recommend("mozi", ["两江新区", "九龙坡区"], 7, "量子信息研发中心，契合两江新区、九龙坡区的软件信息服务集群。")
    return {"recommendations": Recommendation.objects.filter(is_sample=True).count()}
