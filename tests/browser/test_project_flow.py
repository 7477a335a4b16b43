"""What a district user does in a real browser: register an organisation and a project, move the
project two stages on and see both moves on its timeline; and not get into another district's project."""

import re

import pytest
from playwright.sync_api import expect

from apps.projects.models import Project
from apps.units.models import Unit
from tests.browser.htmx import open_stage_form

pytestmark = pytest.mark.browser

ORG_NAME = "浏览器测试精密仪器(北京)有限公司"
PROJECT_NAME = "浏览器测试精密仪器西南基地项目"


def change_stage(page, to_label: str):
    open_stage_form(page)
    page.get_by_label("新阶段").select_option(label=to_label)
    page.wait_for_load_state("networkidle")  # htmx swaps in the fields the chosen stage needs
    page.get_by_role("button", name="变更阶段").click()
    page.wait_for_load_state()


def test_district_registers_organisation_and_project_and_moves_it_two_stages(page, live, demo_data, log_in):
    jiulongpo = Unit.objects.get(name="九龙坡区")
    log_in("demo_district")
    expect(page.get_by_role("navigation")).to_contain_text("九龙坡区")

    page.goto(f"{live}/organisations/new/")
    page.get_by_label(re.compile(r"^名称")).fill(ORG_NAME)
    page.get_by_label("所在地区").fill("北京市海淀区")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/organisations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(ORG_NAME)

    page.goto(f"{live}/projects/new/")
    page.get_by_label(re.compile(r"^目标主体")).select_option(label=ORG_NAME)
    expect(page.get_by_label("承接区县")).to_have_value(str(jiulongpo.pk))
    page.get_by_label("项目名称").fill(PROJECT_NAME)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT_NAME)

    change_stage(page, "接洽")
    expect(page.get_by_role("alert").filter(has_text="阶段已由“线索”变更为“接洽”")).to_be_visible()
    change_stage(page, "推荐考察")
    expect(page.get_by_role("alert").filter(has_text="阶段已由“接洽”变更为“推荐考察”")).to_be_visible()

    timeline = page.locator("section", has=page.get_by_role("heading", name="项目历程"))
    expect(timeline).to_contain_text("线索 → 接洽")
    expect(timeline).to_contain_text("接洽 → 推荐考察")

    project = Project.objects.get(name=PROJECT_NAME)
    assert (project.unit.name, project.stage, project.organisation.name) == ("九龙坡区", "recommended", ORG_NAME)
    assert list(project.stage_changes.values_list("to_stage", flat=True)) == ["lead", "contact", "recommended"]


def test_district_cannot_open_another_districts_project(page, live, demo_data, log_in):
    changshou = Project.objects.get(name="分布式温室气体利用项目")
    assert changshou.unit.name == "长寿区"

    log_in("demo_district")
    for path in (f"/projects/{changshou.pk}/", f"/projects/{changshou.pk}/stage/", f"/projects/{changshou.pk}/edit/"):
        response = page.goto(f"{live}{path}")
        assert response.status == 404, path
        assert changshou.name not in page.content()
        assert "18亿" not in page.content()

    # The same page opens for the district that owns it, so the 404 above is the rule, not a broken page.
    page.context.clear_cookies()
    log_in("demo_district2")
    response = page.goto(f"{live}/projects/{changshou.pk}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text(changshou.name)


def test_the_stage_link_says_why_when_the_server_refuses_it(page, live, demo_data, log_in):
    """The stage form is fetched in place (htmx). If meanwhile the project left the district, or the session ended,
    the link does not just do nothing: the server's own page, or the sign-in page, takes the window."""
    project = (Project.objects.filter(unit__name="九龙坡区").exclude(stage__in=["terminated"])
               .exclude(specialist__username="demo_district").order_by("pk").first())
    jiulongpo, changshou = Unit.objects.get(name="九龙坡区"), Unit.objects.get(name="长寿区")
    log_in("demo_district")

    page.goto(f"{live}/projects/{project.pk}/")
    Project.objects.filter(pk=project.pk).update(unit=changshou)  # another district's now
    page.get_by_role("link", name="填写阶段变更").click()
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/stage/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("找不到该记录或页面")

    Project.objects.filter(pk=project.pk).update(unit=jiulongpo)
    page.goto(f"{live}/projects/{project.pk}/")
    page.context.clear_cookies()  # the session ends while the page is open
    page.get_by_role("link", name="填写阶段变更").click()
    page.wait_for_url(re.compile(rf"/accounts/login/\?next=/projects/{project.pk}/$"))
    expect(page.locator("#stage-body")).to_have_count(0)  # the whole window went, not the card
