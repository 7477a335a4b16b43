"""Every page and form by role (anonymous → login; leaders read only; a district sees only its own landed
firms), and what a person sees and does on them."""

import io

import openpyxl
import pytest
from django.urls import reverse

from apps.relations import services
from apps.relations.models import PersonTie, Referral, Relation

pytestmark = pytest.mark.django_db

ROLES = ["office_admin", "office", "leader", "district", "district_admin", "district2", "specialist", "liangjiang",
         "anonymous"]
READ_ALL = {role: 200 for role in ROLES} | {"anonymous": 302}
WRITE = {**READ_ALL, "leader": 403}


def _client(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.fixture
def world(users, landed, make_org):
    from apps.organisations.services import person_create

    supplier = make_org("宁德时代新能源科技股份有限公司")
    other = make_org("比亚迪股份有限公司")
    relation = services.relation_create(actor=users["office"], organisation=landed.organisation, related=supplier,
                                        kind="supplier", strength=3, evidence="年报披露")
    person = person_create(actor=users["office"], name="王挂职")
    tie = services.person_tie_create(actor=users["office"], person=person, organisation=landed.organisation,
                                     channel="seconded", warmth=3)
    return {"firm": landed.organisation, "supplier": supplier, "other": other, "relation": relation, "tie": tie,
            "person": person, "landed": landed}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "expected"), [
    ("organisation", READ_ALL), ("landed", READ_ALL), ("referrals", READ_ALL), ("import", WRITE),
    ("import_template", READ_ALL),
])
def test_pages_by_role(client, users, world, role, name, expected):
    args = [world["firm"].pk] if name == "organisation" else []
    response = _client(client, users, role).get(reverse(f"relations:{name}", args=args))
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_relation_by_role(client, users, world, role):
    url = reverse("relations:relation_add", args=[world["firm"].pk])
    response = _client(client, users, role).post(url, {"related": "比亚迪股份有限公司", "kind": "customer",
                                                       "strength": "2", "evidence": "合作协议"})
    assert response.status_code == (403 if role == "leader" else 302)  # anonymous: to the login page
    created = Relation.objects.filter(related=world["firm"], organisation=world["other"]).exists()
    assert created == (role not in ("leader", "anonymous"))


@pytest.mark.parametrize("role", ROLES)
def test_removing_a_relation_and_a_tie_by_role(client, users, world, role):
    c = _client(client, users, role)
    firm = world["firm"]
    r1 = c.post(reverse("relations:relation_remove", args=[firm.pk, world["relation"].pk]))
    r2 = c.post(reverse("relations:tie_remove", args=[firm.pk, world["tie"].pk]))
    allowed = role not in ("leader", "anonymous")
    assert (r1.status_code, r2.status_code) == ((302, 302) if allowed else (WRITE[role], WRITE[role]))
    assert Relation.objects.exists() is not allowed and PersonTie.objects.exists() is not allowed


def test_a_relation_of_another_organisation_is_404_and_nothing_changes(client, users, world, make_org):
    stranger = make_org("无关企业有限公司")
    client.force_login(users["office"])
    response = client.post(reverse("relations:relation_remove", args=[stranger.pk, world["relation"].pk]))
    assert response.status_code == 404 and Relation.objects.count() == 1
    assert client.get(reverse("relations:organisation", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_turning_a_proposal_into_a_lead_by_role(client, users, world, role):
    url = reverse("relations:proposal_accept", args=[world["firm"].pk])
    response = _client(client, users, role).post(url, {"candidate": world["supplier"].pk})
    # Who sees the landed 九龙坡区 project may turn its proposals into 九龙坡区 leads; a 长寿区 or 两江新区
    # person does not see it (404), a leader may not create projects (403), a specialist may not either.
    expected = {"office_admin": 302, "office": 302, "leader": 403, "district": 302, "district_admin": 302,
                "district2": 404, "specialist": 403, "liangjiang": 404, "anonymous": 302}[role]
    assert response.status_code == expected
    created = Referral.objects.filter(referring_organisation=world["firm"]).exists()
    assert created == (role in ("office_admin", "office", "district", "district_admin"))
    if created:
        assert response.url == reverse("projects:detail", args=[Referral.objects.get().project_id])


def test_the_organisation_page_shows_relations_proposals_and_who_can_introduce_us(client, users, world):
    client.force_login(users["district"])
    body = client.get(reverse("relations:organisation", args=[world["firm"].pk])).content.decode()
    assert "宁德时代新能源科技股份有限公司" in body and "年报披露" in body
    assert "长安汽车股份有限公司的供应商（关系强）" in body
    assert "转为九龙坡区线索" in body
    body = client.get(reverse("relations:organisation", args=[world["supplier"].pk])).content.decode()
    assert "王挂职通过在京挂职干部联系长安汽车股份有限公司（密切），长安汽车股份有限公司是宁德时代新能源科技股份有限公司的客户（关系强）" in body


def test_adding_a_relation_to_an_unknown_name_says_so_in_chinese(client, users, world):
    client.force_login(users["district"])
    response = client.post(reverse("relations:relation_add", args=[world["firm"].pk]),
                           {"related": "查无此企业有限公司", "kind": "supplier", "strength": "2"})
    assert response.status_code == 400
    assert "目标库中找不到“查无此企业有限公司”" in response.content.decode()


def test_the_landed_page_lists_the_firm_with_its_proposal_and_one_click_makes_the_lead(client, users, world):
    client.force_login(users["district"])
    body = client.get(reverse("relations:landed")).content.decode()
    assert "长安汽车股份有限公司" in body and "宁德时代新能源科技股份有限公司" in body
    client.post(reverse("relations:proposal_accept", args=[world["firm"].pk]), {"candidate": world["supplier"].pk})
    body = client.get(reverse("relations:landed")).content.decode()
    assert "转为九龙坡区线索" not in body
    body = client.get(reverse("relations:referrals")).content.decode()
    assert "1家企业共带来项目1个" in body and "线索 1" in body
    client.force_login(users["district2"])
    assert "长安汽车股份有限公司" not in client.get(reverse("relations:landed")).content.decode()


def test_the_landed_page_is_a_bounded_number_of_queries(client, users, world, django_assert_max_num_queries):
    client.force_login(users["district"])
    with django_assert_max_num_queries(25):
        client.get(reverse("relations:landed"))


def _xlsx(rows):
    book = openpyxl.Workbook()
    book.active.append(["企业名称", "关联企业名称", "关系类型", "强度", "依据"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "relations.xlsx"
    return out


def test_import_page_reports_rows_in_chinese_and_writes_nothing_on_error(client, users, world):
    client.force_login(users["district"])
    response = client.post(reverse("relations:import"), {"file": _xlsx([
        ["长安汽车股份有限公司", "比亚迪股份有限公司", "合作伙伴", "强", ""],
        ["长安汽车股份有限公司", "查无此企业有限公司", "供应商", "中", ""],
        ["长安汽车股份有限公司", "比亚迪股份有限公司", "亲戚", "特强", ""],
    ])})
    body = response.content.decode()
    assert response.status_code == 400
    assert "第3行：关联企业名称：目标库中找不到“查无此企业有限公司”" in body
    assert "第4行：关系类型“亲戚”无法识别" in body and "强度“特强”无法识别" in body
    assert Relation.objects.count() == 1
