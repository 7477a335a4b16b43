import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from apps.chains import excel, services
from apps.chains.models import ChainLink, ChainMapVersion, Cluster, Placement
from apps.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_the_three_trillion_clusters_ship_with_sourced_three_level_maps_and_the_others_start_empty():
    for name in ["智能网联新能源汽车", "新一代电子信息制造业", "先进材料"]:
        cluster = Cluster.objects.get(name=name)
        snapshot = services.map_snapshot(cluster)
        count = ChainLink.objects.filter(cluster=cluster).count()
        assert 25 <= count <= 40, name
        assert [top["name"] for top in snapshot["links"]] == ["上游", "中游", "下游"]
        depth3 = ChainLink.objects.filter(cluster=cluster, parent__parent__isnull=False).count()
        assert depth3 >= count // 2
        assert any("行动方案" in s for s in cluster.map_sources)
        assert ChainMapVersion.objects.get(cluster=cluster).number == 1
    assert not ChainLink.objects.filter(cluster__name="生物医药").exists()


def test_an_office_admin_adds_renames_moves_and_deletes_links_each_edit_a_new_version(users, car, links):
    admin = users["office_admin"]
    segment = links["中游/关键零部件"]
    link = services.link_create(actor=admin, cluster=car, parent=segment, name="汽车玻璃", keywords="汽车玻璃、天窗")
    assert services.link_path(link) == "中游/关键零部件/汽车玻璃"
    assert link.keywords == ["汽车玻璃", "天窗"]
    # The new link is last among its siblings and the map still reads in order.
    siblings = list(ChainLink.objects.filter(parent=segment).order_by("position").values_list("name", flat=True))
    assert siblings[-1] == "汽车玻璃"
    services.link_update(actor=admin, link=link, name="智能玻璃")
    services.link_move(actor=admin, link=link, parent=links["上游/关键材料"], after=links["上游/关键材料/负极材料"])
    order = list(ChainLink.objects.filter(parent=links["上游/关键材料"]).order_by("position").values_list("name", flat=True))
    assert order[:3] == ["正极材料", "负极材料", "智能玻璃"]
    services.link_delete(actor=admin, link=ChainLink.objects.get(pk=link.pk))
    versions = list(ChainMapVersion.objects.filter(cluster=car).order_by("number").values_list("number", "note"))
    assert [n for n, _ in versions] == [1, 2, 3, 4, 5]
    assert "重命名" in versions[2][1] and "移动" in versions[3][1] and "删除" in versions[4][1]
    # The snapshot of version 3 still has the renamed link where it was added.
    snap = ChainMapVersion.objects.get(cluster=car, number=3).snapshot
    parts = next(c for c in next(t for t in snap["links"] if t["name"] == "中游")["children"] if c["name"] == "关键零部件")
    assert parts["children"][-1]["name"] == "智能玻璃"


def test_a_link_cannot_move_under_itself_or_take_a_sibling_name(users, links):
    admin = users["office_admin"]
    with pytest.raises(DomainError, match="自己或它的下级"):
        services.link_move(actor=admin, link=links["上游"], parent=links["上游/关键材料"])
    with pytest.raises(DomainError, match="已有名为“负极材料”"):
        services.link_update(actor=admin, link=links["上游/关键材料/正极材料"], name="负极材料")


def test_a_link_with_placements_is_not_deleted_until_they_are_moved(users, links, make_org):
    admin = users["office_admin"]
    org = make_org()
    services.placement_create(actor=users["district"], link=links["上游/关键材料/正极材料"], organisation=org)
    with pytest.raises(DomainError, match="有1个标注，不能删除。请先把这些标注移到其他环节"):
        services.link_delete(actor=admin, link=links["上游/关键材料"])
    assert ChainLink.objects.filter(pk=links["上游/关键材料/正极材料"].pk).exists()
    services.placements_move(actor=admin, source=links["上游/关键材料/正极材料"], target=links["上游/关键材料/负极材料"])
    services.link_delete(actor=admin, link=links["上游/关键材料/正极材料"])
    assert Placement.objects.get(organisation=org).link == links["上游/关键材料/负极材料"]


@pytest.mark.parametrize("role", ["office", "district", "leader", "specialist"])
def test_only_office_admins_edit_maps(users, car, links, role):
    before = ChainLink.objects.count()
    with pytest.raises(PermissionDenied):
        services.link_create(actor=users[role], cluster=car, name="新环节")
    with pytest.raises(PermissionDenied):
        services.link_delete(actor=users[role], link=links["下游/充换电与后市场/汽车服务与出行"])
    assert ChainLink.objects.count() == before


def test_a_version_can_be_restored_and_keeps_placements(users, car, links, make_org):
    admin = users["office_admin"]
    org = make_org()
    services.placement_create(actor=admin, link=links["下游/整车制造/新能源乘用车"], organisation=org)
    services.link_update(actor=admin, link=links["下游/整车制造/新能源乘用车"], name="智能电动乘用车")
    services.link_create(actor=admin, cluster=car, name="回收利用")
    version = services.version_restore(actor=admin, version=ChainMapVersion.objects.get(cluster=car, number=1))
    assert version.number == 4
    names = set(ChainLink.objects.filter(cluster=car).values_list("name", flat=True))
    assert "新能源乘用车" in names and "智能电动乘用车" not in names and "回收利用" not in names
    # The snapshot names the link's id, so the restore renames that same row back: the placement stays.
    assert Placement.objects.get(organisation=org).link.name == "新能源乘用车"
    assert services.map_snapshot(car)["links"] == ChainMapVersion.objects.get(cluster=car, number=1).snapshot["links"]


def test_export_then_import_of_xlsx_and_json_round_trips(users, car):
    admin = users["office_admin"]
    before = services.map_snapshot(car)
    content = excel.map_to_xlsx(before)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == excel.HEADERS
    assert sheet["A2"].value == "上游" and sheet["A4"].value == "上游/关键材料/正极材料"
    rows, sources, errors = excel.xlsx_to_rows(content)
    assert errors == [] and sources == before["sources"]
    services.map_import_rows(actor=admin, cluster=car, rows=rows, sources=sources, note="导入")
    assert services.map_snapshot(car) == before
    services.map_replace(actor=admin, cluster=car, data=json.loads(json.dumps(before)), note="JSON")
    assert services.map_snapshot(car) == before
    assert ChainMapVersion.objects.filter(cluster=car).count() == 3


def test_text_that_a_spreadsheet_would_run_is_exported_inert_and_read_back_as_typed(users, car):
    data = services.map_snapshot(car)
    data["links"][0]["description"] = "=HYPERLINK(\"http://evil.example\",\"点此\")"
    data["sources"] = ["@SUM(1+1)"] + data["sources"]
    content = excel.map_to_xlsx(data)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["C2"].value == "'=HYPERLINK(\"http://evil.example\",\"点此\")" and sheet["C2"].data_type == "s"
    rows, sources, errors = excel.xlsx_to_rows(content)
    assert errors == [] and rows[0].description.startswith("=HYPERLINK") and sources[0] == "@SUM(1+1)"


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(excel.HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_bad_xlsx_reports_each_row_in_chinese_and_writes_nothing(users):
    cluster = Cluster.objects.get(name="生物医药")
    content = _xlsx([
        ["上游", "", "", "", "", ""],
        ["上游/原料药", "原料药、中间体", "", "", "", ""],
        ["中游/制剂/化学药", "", "", "", "", ""],  # parent not listed
        ["上游//辅料", "", "", "", "", ""],  # empty level
        ["上游/原料药", "", "", "", "", ""],  # duplicate
    ])
    rows, _sources, errors = excel.xlsx_to_rows(content)
    assert errors == []
    with pytest.raises(DomainError) as caught:
        services.map_import_rows(actor=users["office_admin"], cluster=cluster, rows=rows, sources=None, note="x")
    found = caught.value.extra["errors"]
    assert found[0].startswith("第4行：上级环节“中游/制剂”没有在前面的行中出现")
    assert found[1].startswith("第5行：层级路径为空")
    assert found[2].startswith("第6行：层级路径“上游/原料药”重复出现")
    assert not ChainLink.objects.filter(cluster=cluster).exists()
    assert not ChainMapVersion.objects.filter(cluster=cluster).exists()


def test_an_import_that_drops_a_placed_link_is_refused(users, car, links, make_org):
    admin = users["office_admin"]
    services.placement_create(actor=admin, link=links["下游/充换电与后市场/充换电设施"], organisation=make_org())
    data = services.map_snapshot(car)
    data["links"] = [top for top in data["links"] if top["name"] != "下游"]
    with pytest.raises(DomainError, match="“下游/充换电与后市场/充换电设施”（1个标注）"):
        services.map_replace(actor=admin, cluster=car, data=data, note="x")
    assert ChainLink.objects.filter(cluster=car, name="下游").exists()


def test_placements_one_subject_leaders_only_organisations_and_no_duplicates(users, links, make_org, make_project):
    link = links["下游/整车制造/新能源乘用车"]
    org = make_org()
    project = make_project()
    with pytest.raises(DomainError, match="二选一"):
        services.placement_create(actor=users["office"], link=link, organisation=org, project=project)
    with pytest.raises(DomainError, match="链主只能标注在目标主体"):
        services.placement_create(actor=users["office"], link=link, project=project, is_chain_leader=True)
    services.placement_create(actor=users["office"], link=link, organisation=org, is_chain_leader=True)
    with pytest.raises(DomainError, match="已标注在环节"):
        services.placement_create(actor=users["office"], link=link, organisation=org)


def test_placing_a_project_needs_change_rights_on_it(users, links, make_project):
    project = make_project(unit_name="九龙坡区")
    link = links["下游/整车制造/新能源乘用车"]
    for role in ["district2", "leader", "liangjiang"]:
        with pytest.raises(PermissionDenied):
            services.placement_create(actor=users[role], link=link, project=project)
    assert not Placement.objects.exists()
    with pytest.raises(PermissionDenied):  # leaders read only, also in the library
        services.placement_create(actor=users["leader"], link=link, organisation=project.organisation)
    services.placement_create(actor=users["district"], link=link, project=project)
    assert Placement.objects.count() == 1


def test_a_merge_moves_the_duplicates_placements_to_the_survivor(users, links, make_org):
    from apps.organisations.merge import organisation_merge

    survivor, duplicate = make_org(name="京能电芯有限公司"), make_org(name="京能电芯（北京）有限公司")
    services.placement_create(actor=users["office"], link=links["上游/电池与电驱/动力电池电芯"], organisation=duplicate,
                              is_chain_leader=True)
    organisation_merge(actor=users["office_admin"], survivor=survivor, merged=duplicate, reason="重复")
    placement = Placement.objects.get()
    assert placement.organisation == survivor and placement.is_chain_leader
