import io
import json

import pytest
from django.urls import reverse
from openpyxl import Workbook

from apps.chains import excel, services
from apps.chains.models import ChainLink, ChainMapVersion, Cluster, Placement

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_every_signed_in_user_sees_the_clusters_by_tier_and_anonymous_is_sent_to_login(client, users):
    response = client.get(reverse("chains:index"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    text = _login(client, users["district"]).get(reverse("chains:index")).content.decode()
    for label in ["万亿级主导产业集群", "五千亿级支柱产业集群", "千亿级特色优势产业集群", "“新星”产业集群",
                  "智能网联新能源汽车", "AI及服务机器人", "尚无链图"]:
        assert label in text


def test_the_map_page_shows_sources_and_only_admins_get_edit_controls(client, users, car):
    text = _login(client, users["district"]).get(reverse("chains:map", args=[car.pk])).content.decode()
    assert "正极材料" in text and "行动方案" in text and "新增环节" not in text
    response = client.post(reverse("chains:link_add", args=[car.pk]), {"name": "偷加的环节"})
    assert response.status_code == 403
    assert not ChainLink.objects.filter(name="偷加的环节").exists()
    client.force_login(users["office_admin"])
    assert "新增环节" in client.get(reverse("chains:map", args=[car.pk])).content.decode()
    response = client.post(reverse("chains:link_add", args=[car.pk]), {"name": "车载光学", "keywords": "车载镜头"})
    assert response.status_code == 302
    assert ChainLink.objects.get(name="车载光学").parent is None


def test_deleting_a_placed_link_says_to_move_the_placements_first(client, users, links, make_org):
    services.placement_create(actor=users["office"], link=links["下游/整车制造/新能源乘用车"], organisation=make_org())
    _login(client, users["office_admin"])
    response = client.post(reverse("chains:link_delete", args=[links["下游/整车制造/新能源乘用车"].pk]), follow=True)
    assert "有1个标注，不能删除。请先把这些标注移到其他环节" in response.content.decode()
    assert ChainLink.objects.filter(pk=links["下游/整车制造/新能源乘用车"].pk).exists()


def test_a_bad_import_lists_the_rows_and_a_good_one_makes_a_new_version(client, users):
    cluster = Cluster.objects.get(name="生物医药")
    _login(client, users["office_admin"])
    book = Workbook()
    sheet = book.active
    sheet.append(excel.HEADERS)
    sheet.append(["上游/原料药", "原料药", "", "", "", ""])
    bad = io.BytesIO()
    book.save(bad)
    bad.seek(0)
    bad.name = "bad.xlsx"
    response = client.post(reverse("chains:import", args=[cluster.pk]), {"file": bad})
    assert response.status_code == 400
    assert "第2行：上级环节“上游”没有在前面的行中出现" in response.content.decode()
    assert not ChainLink.objects.filter(cluster=cluster).exists()
    good = io.BytesIO(json.dumps({"cluster": "生物医药", "sources": ["测试来源"], "links": [
        {"name": "下游", "children": [{"name": "神经介入器械", "keywords": ["取栓支架"], "extension": True}]}]},
        ensure_ascii=False).encode())
    good.name = "map.json"
    response = client.post(reverse("chains:import", args=[cluster.pk]), {"file": good})
    assert response.status_code == 302
    assert ChainLink.objects.get(cluster=cluster, name="神经介入器械").extension
    assert ChainMapVersion.objects.get(cluster=cluster).number == 1


def test_export_downloads_xlsx_and_json(client, users, car):
    _login(client, users["leader"])
    response = client.get(reverse("chains:export", args=[car.pk, "xlsx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    data = json.loads(client.get(reverse("chains:export", args=[car.pk, "json"])).content)
    assert data["cluster"] == "智能网联新能源汽车" and len(data["links"]) == 3
    assert client.get(reverse("chains:export", args=[car.pk, "csv"])).status_code == 404


def test_versions_can_be_viewed_by_all_and_restored_by_admins(client, users, car, links):
    services.link_update(actor=users["office_admin"], link=links["上游/关键材料/正极材料"], name="正极")
    _login(client, users["district"])
    text = client.get(reverse("chains:version", args=[car.pk, 1])).content.decode()
    assert "上游/关键材料/正极材料" in text and "恢复到此版本" not in text
    assert client.post(reverse("chains:version_restore", args=[car.pk, 1])).status_code == 403
    client.force_login(users["office_admin"])
    assert client.post(reverse("chains:version_restore", args=[car.pk, 1])).status_code == 302
    assert ChainLink.objects.filter(cluster=car, name="正极材料").exists()


def test_the_gap_page_draws_the_tree_and_a_table_with_clickable_numbers(client, users, units, car, links, make_org,
                                                                         make_project, django_assert_max_num_queries):
    for i in range(4):
        org = make_org(name=f"整车{i}有限公司", region="重庆市九龙坡区")
        services.placement_create(actor=users["office"], link=links["下游/整车制造/新能源乘用车"], organisation=org,
                                  is_chain_leader=i == 0)
        project = make_project(unit_name="九龙坡区")
        services.placement_create(actor=users["office"], link=links["上游/电池与电驱/动力电池电芯"], project=project)
    _login(client, users["district"])
    url = reverse("chains:gaps", args=[car.pk]) + f"?unit={units['九龙坡区'].pk}"
    client.get(url)
    with django_assert_max_num_queries(40):
        response = client.get(url)
    text = response.content.decode()
    assert 'id="chain-chart"' in text and "echarts.min.js" in text and "js/chains.js" in text
    link_url = reverse("chains:link", args=[links["下游/整车制造/新能源乘用车"].pk]) + f"?unit={units['九龙坡区'].pk}"
    assert f'href="{link_url}#firms">4</a>' in text
    chart = json.loads(text.split('id="chain-chart" type="application/json">')[1].split("</script>")[0])
    cars = chart["tree"]["children"][2]["children"][0]["children"][0]
    assert cars["name"] == "新能源乘用车" and cars["status"] == "strong" and cars["url"] == link_url
    # The projects on the map with their suggested roles: four firms on one link strengthen it.
    assert text.count("尚无链主，项目增强该环节 → 强链") == 4


def test_the_link_page_lists_firms_projects_and_candidates(client, users, links, make_org):
    link = links["上游/电池与电驱/动力电池电芯"]
    services.placement_create(actor=users["office"], link=link, organisation=make_org(name="京芯电池有限公司"),
                              is_chain_leader=True)
    text = _login(client, users["district"]).get(reverse("chains:link", args=[link.pk])).content.decode()
    assert "京芯电池有限公司" in text and "是此环节的链主" in text


def test_a_district_places_its_project_but_not_another_districts(client, users, links, make_project):
    own = make_project(unit_name="九龙坡区")
    other = make_project(unit_name="长寿区")
    _login(client, users["district"])
    url = reverse("chains:place", args=[links["上游/电池与电驱/动力电池电芯"].pk])
    assert client.post(url, {"project": own.pk, "reason": "主营电芯"}).status_code == 302
    assert Placement.objects.get(project=own).reason == "主营电芯"
    assert client.post(url, {"project": other.pk}).status_code == 404
    assert not Placement.objects.filter(project=other).exists()


def test_the_project_fragment_shows_the_suggested_role_with_its_rule_and_the_persons_choice(client, users, links,
                                                                                          make_project):
    project = make_project(unit_name="九龙坡区", chain_role="strengthen")
    services.placement_create(actor=users["office"], link=links["上游/电池与电驱/动力电池电芯"], project=project)
    _login(client, users["district"])
    response = client.get(reverse("chains:project", args=[project.pk]), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "<html" not in text
    assert 'id="chain-role-suggested">补链' in text and "缺失环节" in text
    assert 'id="chain-role-chosen">强链' in text and "以人工选择为准" in text
    client.force_login(users["district2"])
    assert client.get(reverse("chains:project", args=[project.pk])).status_code == 404


def test_an_organisations_suggestions_can_be_accepted(client, users, make_org):
    org = make_org(name="京锂动力电池有限公司", industry_section="C", description="动力电池电芯研发")
    _login(client, users["district"])
    text = client.get(reverse("chains:organisation", args=[org.pk])).content.decode()
    assert "名称含“动力电池”" in text and "采纳" in text
    link = ChainLink.objects.get(name="动力电池电芯")
    client.post(reverse("chains:place", args=[link.pk]), {"organisation": org.pk, "method": "suggested",
                                                          "reason": "名称含“动力电池”"})
    placement = Placement.objects.get(organisation=org)
    assert placement.method == "suggested" and placement.link == link


def test_an_admin_edits_and_moves_a_link_through_the_pages(client, users, car, links):
    link = links["下游/充换电与后市场/汽车服务与出行"]
    _login(client, users["district_admin"])
    assert client.get(reverse("chains:link_edit", args=[link.pk])).status_code == 403
    client.force_login(users["office_admin"])
    text = client.get(reverse("chains:link_edit", args=[link.pk])).content.decode()
    assert "汽车后市场" in text and "删除此环节及其下级环节" in text
    response = client.post(reverse("chains:link_edit", args=[link.pk]), {
        "name": "出行服务", "keywords": "网约车，汽车租赁", "description": "", "source_note": ""})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.name == "出行服务" and link.keywords == ["网约车", "汽车租赁"]
    response = client.post(reverse("chains:link_move", args=[link.pk]), {"parent": links["下游/整车制造"].pk})
    assert response.status_code == 302
    assert services.link_path(ChainLink.objects.get(pk=link.pk)) == "下游/整车制造/出行服务"
    text = client.get(reverse("chains:versions", args=[car.pk])).content.decode()
    assert "第3版" in text and "移动环节“下游/充换电与后市场/出行服务”到“下游/整车制造/出行服务”" in text
