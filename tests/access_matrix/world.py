"""The world the access matrix runs in: one user per role and one record of every kind that has a page
or an API route, all held by 九龙坡区 (t_district's own unit; 长寿区's t_district2 and 两江新区's
t_liangjiang are the "other unit"). Records are made through the apps' services, as a user would make
them, except the few rows only the worker or a background check writes (deliveries, flags, imports)."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

D = datetime.date
DAY = D(2025, 10, 1)
YI = Decimal(100_000_000)
PASSWORD = "pw-for-tests-1"

# Same usernames, roles and units as the root conftest's `users` fixture.
ROLES = {
    "office_admin": ("t_office_admin", "office_admin", "驻京办"),
    "office": ("t_office", "office_staff", "驻京办"),
    "leader": ("t_leader", "leader", "驻京办"),
    "district": ("t_district", "district_staff", "九龙坡区"),
    "district_admin": ("t_district_admin", "district_admin", "九龙坡区"),
    "district2": ("t_district2", "district_staff", "长寿区"),
    "specialist": ("t_specialist", "specialist", "九龙坡区"),
    "liangjiang": ("t_liangjiang", "district_staff", "两江新区"),
    # Another unit's administrator and specialist: what a unit's own admin or specialist may do must not reach
    # into 九龙坡区's records from 长寿区.
    "district_admin2": ("t_district_admin2", "district_admin", "长寿区"),
    "specialist2": ("t_specialist2", "specialist", "长寿区"),
}

# Names only 九龙坡区's own records carry: another unit's page or answer that shows one has leaked it.
SECRETS = {
    "project": "矩阵甲数据安全中心项目",
    "activity": "矩阵乙走访纪要",
    "talent": "矩阵丙博士",
    "need": "矩阵丁西南基地需求",
    "service_request": "矩阵戊用电增容诉求",
}

# A news text the rule-based extractor turns into an organisation, a project and a signing item.
ARTICLE_TEXT = (
    "11月1日，重庆市与京津冀地区产业对接活动在北京国际饭店举行。骅远科技（北京）有限公司与九龙坡区签约"
    "骅远人工智能数据安全中心项目，总投资5亿元，项目落户九龙坡区。"
)


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@contextmanager
def world_rolled_back(django_db_blocker):
    """build_world() for a module-scoped fixture: built once inside a transaction that is rolled back when the
    module is done (each test's own writes roll back in their savepoints), so the next module meets an empty
    database."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)


def build_world() -> dict:
    from apps.accounts.models import User
    from apps.activities.services import activity_create
    from apps.chains.models import ChainLink, ChainMapVersion, Cluster, Placement
    from apps.chains.services import placement_create
    from apps.events.models import EventPhoto
    from apps.events.services import (
        event_add_participant,
        event_create,
        public_page_publish,
        signing_create,
    )
    from apps.fairness.models import FairnessFlag
    from apps.fulfilment.services import funds_entry_add
    from apps.imports.models import ImportJob
    from apps.intelligence.services import article_create
    from apps.notifications.models import Notification, WebhookDelivery, WebhookEndpoint
    from apps.offers import services as offers
    from apps.organisations.merge import organisation_merge
    from apps.organisations.services import organisation_create, person_create
    from apps.projects.choices import Stage
    from apps.projects.claims import arbitration_request
    from apps.projects.services import project_change_stage, project_create
    from apps.recommendations.services import recommendation_create
    from apps.relations.services import person_tie_create, relation_create
    from apps.servicedesk.services import contact_link_create, request_create, request_reply
    from apps.talent.services import talent_create
    from apps.thinktanks.services import activity_add, cooperation_create, outcome_add
    from apps.units.models import Unit

    units = {u.name: u for u in Unit.objects.all()}
    users = {
        key: User.objects.create_user(username=name, password=PASSWORD, role=role, unit=units[unit])
        for key, (name, role, unit) in ROLES.items()
    }
    office, district = users["office"], users["district"]
    jlp = units["九龙坡区"]
    car = Cluster.objects.get(name="智能网联新能源汽车")
    w: dict = {"users": users, "units": units, "unit": jlp, "other_unit": units["长寿区"], "cluster": car}

    org = organisation_create(actor=office, name="骅远科技(北京)有限公司", credit_code="91110000600037341L",
                              kind="enterprise", region="北京市海淀区", industry_section="I")
    w["organisation"] = org
    w["organisation2"] = organisation_create(actor=office, name="矩阵测试供应商（北京）有限公司")
    w["person"] = person_create(actor=office, name="张明", organisation=org)

    # The project of 九龙坡区, signed (fulfilment pages need a signed project), its specialist t_specialist.
    project = project_create(actor=office, organisation=org, unit=jlp, name=SECRETS["project"],
                             first_contact_date=D(2025, 6, 1), cluster=car)
    project_change_stage(
        actor=office, project=project, to_stage=Stage.SIGNED, skip_reason="集中签约，前期对接在线下完成",
        occurred_on=DAY, values={"planned_investment": 5 * YI, "specialist": users["specialist"], "signed_date": DAY,
                                 "agreement_type": "contract", "signed_amount": 5 * YI})
    project.refresh_from_db()
    w["project"] = project
    # The 签约 step's evidence (an uploaded agreement), downloadable by whoever sees the project.
    w["stage_change"] = project.stage_changes.order_by("-pk").first()
    w["stage_change"].evidence_file = SimpleUploadedFile("协议.pdf", b"%PDF-1.4\n%%EOF\n")
    w["stage_change"].save(update_fields=["evidence_file"])
    w["funds_entry"] = funds_entry_add(actor=office, project=project, date=DAY, amount=YI, note="首期到位",
                                       today=D(2025, 11, 1))

    # 长寿区 asks for 协调 over an organisation 九龙坡区 holds in its 首谈 period.
    held = organisation_create(actor=office, name="协调测试企业（北京）有限公司")
    project_create(actor=district, organisation=held, unit=jlp, name="协调测试项目", first_contact_date=DAY)
    w["arbitration"] = arbitration_request(actor=users["district2"], organisation=held, unit=units["长寿区"],
                                           reason="我区2025年5月已首次接触该企业并完成考察。")
    dup = organisation_create(actor=office, name="骅远科技（北京）有限公司重复登记")
    w["merge"] = organisation_merge(actor=users["office_admin"], survivor=w["organisation2"], merged=dup,
                                    reason="重复登记")

    w["activity"] = activity_create(actor=district, date=DAY, summary=SECRETS["activity"], project=project,
                                    next_step="寄送政策汇编", next_step_due=D(2025, 10, 15))

    w["talent"] = talent_create(actor=office, name=SECRETS["talent"], unit=jlp, first_contact_date=D(2025, 6, 1))

    think_tank = organisation_create(actor=office, name="中国国际经济交流中心", kind="think_tank", region="北京市")
    w["cooperation"] = cooperation_create(actor=users["district_admin"], values={
        "partner": think_tank, "title": "九龙坡区合作协议", "agreement_no": "JLP-2025-01", "signed_date": D(2025, 3, 1),
        "start_date": D(2025, 3, 1), "end_date": D(2027, 2, 28), "status": "active", "terms": "每年两份报告",
        "unit": jlp, "contact": users["district_admin"], "partner_contact": "张明"})
    w["cooperation_activity"] = activity_add(actor=office, cooperation=w["cooperation"], values={
        "date": D(2025, 5, 1), "title": "产业研究报告会", "kind": "report"})
    w["cooperation_outcome"] = outcome_add(actor=office, cooperation=w["cooperation"], values={
        "kind": "project", "date": D(2025, 6, 1), "project": project})

    offer_values = {
        "park": {"name": "九龙坡智能制造产业园", "kind": "industrial", "clusters": [car], "leading_industries": "汽车零部件"},
        "policy": {"title": "促进汽车零部件产业发展十条", "doc_number": "九龙坡府发〔2025〕3号", "summary": "租金减免",
                   "valid_from": D(2025, 1, 1), "valid_until": D(2030, 12, 31), "clusters": [car]},
        "resource": {"kind": "finance", "title": "九龙坡产业引导基金"},
    }
    admin = users["district_admin"]
    w["park"] = offers.park_create(actor=admin, unit=jlp, values=offer_values["park"])
    w["site"] = offers.site_create(actor=admin, unit=jlp, values={
        "name": "白市驿标准厂房2栋", "park": w["park"], "kind": "factory", "area": Decimal(12000), "power_kva": 5000})
    w["policy"] = offers.policy_create(actor=admin, unit=jlp, values=offer_values["policy"])
    w["resource"] = offers.resource_create(actor=admin, unit=jlp, values=offer_values["resource"])
    w["need"] = offers.need_create(actor=office, values={"title": SECRETS["need"], "cluster": car, "project": project})

    w["recommendation"] = recommendation_create(actor=office, organisation=w["organisation2"], units=[jlp],
                                                reason="产业方向契合", date=DAY)
    w["target"] = w["recommendation"].targets.get(unit=jlp)

    w["service_request"] = request_create(actor=district, project=project, category="utilities",
                                          title=SECRETS["service_request"], description="需增容至2000千伏安。", today=D(2025, 11, 3))
    issued = contact_link_create(actor=district, project=project, contact_name="王经理",
                                 base_url="https://zsj.example.cn")
    w["contact_link"], w["contact_token"] = issued.link, issued.token
    w["reply"] = request_reply(request=w["service_request"], body="附批复文件。", link=w["contact_link"],
                               attachment=SimpleUploadedFile("批复.pdf", b"%PDF-1.4\n%%EOF\n",
                                                             content_type="application/pdf"))

    w["event"] = event_create(actor=office, values={
        "title": "重庆市与京津冀地区产业对接活动", "kind": "matchmaking", "date": D(2025, 11, 1), "city": "北京",
        "venue": "北京国际饭店", "unit": units["驻京办"], "hosts": "主办：重庆市人民政府", "attendee_count": 400})
    w["signing"] = signing_create(actor=office, project=project, event=w["event"],
                                  values={"agreement_type": "framework", "amount": 5 * YI})
    w["participant"] = event_add_participant(actor=office, event=w["event"], organisation=org)
    w["photo"] = EventPhoto.objects.create(event=w["event"], image=SimpleUploadedFile("p.png", _png()),
                                           uploaded_by=office)
    from apps.events import publicity

    w["event_page"] = public_page_publish(actor=office, event=w["event"],
                                          fields=[*publicity.EVENT_DEFAULT, "photos"])
    w["project_page"] = public_page_publish(actor=office, project=project)

    w["article"], _ = article_create(actor=district, text=ARTICLE_TEXT, title="产业对接活动签约", source="测试")

    w["relation"] = relation_create(actor=office, organisation=org, related=w["organisation2"], kind="supplier")
    w["tie"] = person_tie_create(actor=office, person=w["person"], organisation=org, channel="alumni")

    link = ChainLink.objects.filter(cluster=car).order_by("pk").first()
    w["link"] = link
    w["placement"] = placement_create(actor=office, link=link, organisation=org)
    w["map_version"] = (ChainMapVersion.objects.filter(cluster=car).order_by("-number").first()
                        or ChainMapVersion.objects.create(cluster=car, number=1, snapshot={}, note="矩阵测试"))
    assert Placement.objects.filter(pk=w["placement"].pk).exists()

    w["notification"] = Notification.objects.create(recipient=district, kind="test.matrix", title="矩阵测试通知",
                                                     url=f"/projects/{project.pk}/", project=project)
    w["webhook"] = WebhookEndpoint.objects.create(
        unit=jlp, platform="wecom", name="九龙坡区企业微信群",
        url="http://127.0.0.1:9/cgi-bin/webhook/send?key=matrix")  # refused at once if it is ever sent
    w["delivery"] = WebhookDelivery.objects.create(endpoint=w["webhook"], kind="test.matrix", title="矩阵测试",
                                                   payload={"msgtype": "text"}, status="failed")

    w["import_job"] = ImportJob.objects.create(
        file=SimpleUploadedFile("目标库.csv", "名称\n骅远科技\n".encode()), original_name="目标库.csv",
        status="done", created_by=district, unit=jlp)
    w["flag"] = FairnessFlag.objects.create(
        content_type=ContentType.objects.get_for_model(w["policy"]), object_id=w["policy"].pk, unit=jlp,
        target_repr=str(w["policy"]), field_name="summary", rule_id="matrix", matched_text="本地企业",
        sentence="仅限本地企业享受。", article="第十条")
    return w
