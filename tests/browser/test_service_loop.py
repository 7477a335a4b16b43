"""The attraction-to-service loop of issue 4 in a real browser: the office recommends an organisation to two
districts; one accepts, logs the site visit and moves the project to 意向/协议 with a named specialist; the
enterprise's contact raises a request through the link given to them (no account); the request runs late
and escalates to the district's leader, who sees it on 我的工作 and in the inbox."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.organisations.services import organisation_create
from apps.projects.models import Project
from apps.recommendations.models import RecommendationTarget
from apps.servicedesk.models import ServiceRequest
from apps.servicedesk.services import escalate_overdue
from tests.browser.htmx import open_stage_form

pytestmark = pytest.mark.browser

ORG_NAME = "浏览器测试智算装备(北京)有限公司"


def test_recommend_accept_visit_intention_contact_request_escalates(browser, page, live, demo_data, log_in):
    office = User.objects.get(username="demo_office")
    organisation = organisation_create(actor=office, name=ORG_NAME, region="北京市海淀区")

    # 1. The office recommends it to two districts.
    log_in("demo_office")
    page.goto(f"{live}/recommendations/new/?organisation={organisation.pk}")
    page.get_by_label("九龙坡区").check()
    page.get_by_label("长寿区").check()
    page.get_by_label("推荐理由").fill("企业计划在西南布局智算装备生产基地，用地需求约80亩。")
    page.get_by_role("button", name="推荐并通知区县").click()
    page.wait_for_url(re.compile(r"/recommendations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(ORG_NAME)
    recommendation_url = page.url

    # 2. 九龙坡区 sees it waiting on 我的工作, accepts, and logs the site visit.
    page.context.clear_cookies()
    log_in("demo_district")
    expect(page.locator("#my-recommendations")).to_contain_text(ORG_NAME)
    page.goto(recommendation_url)
    target = page.locator("section", has=page.get_by_role("heading", name="九龙坡区", exact=True))
    target.get_by_role("button", name="接受推荐").click()
    page.wait_for_load_state()
    target = page.locator("section", has=page.get_by_role("heading", name="九龙坡区", exact=True))
    expect(target).to_contain_text("推荐考察")
    target.locator("summary", has_text="记录实地考察").click()
    target.get_by_label("考察日期").fill(timezone.localdate().isoformat())
    target.get_by_label("洽谈内容与共识").fill("企业高管一行考察西部科学城重庆高新区园区，对用地和配套表示满意。")
    target.get_by_role("button", name="保存考察记录").click()
    page.wait_for_load_state()
    target = page.locator("section", has=page.get_by_role("heading", name="九龙坡区", exact=True))
    expect(target).to_contain_text("实地考察")
    # 长寿区 has not answered: its row still waits.
    assert RecommendationTarget.objects.get(recommendation__organisation=organisation, unit__name="长寿区").status == "pending"

    # 3. The project moves to 意向/协议 with a planned investment and a named specialist.
    project = Project.objects.get(organisation=organisation)
    assert (project.unit.name, project.stage) == ("九龙坡区", "site_visit")
    page.goto(f"{live}/projects/{project.pk}/")
    open_stage_form(page)  # the form comes in place of the link
    page.get_by_label("新阶段").select_option(label="意向/协议")
    page.wait_for_load_state("networkidle")
    page.locator("input[name='planned_investment_0']").fill("12")
    page.locator("select[name='planned_investment_1']").select_option("亿元")
    page.get_by_label("服务专员").select_option(label="刘敏（九龙坡区）")
    page.get_by_role("button", name="变更阶段").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").filter(has_text="变更为“意向/协议”")).to_be_visible()
    expect(page.locator("#project-specialist")).to_contain_text("刘敏")

    # 4. The district gives the enterprise's contact a link; the contact raises a request without an account.
    page.goto(f"{live}/requests/project/{project.pk}/")
    page.get_by_label("企业联系人", exact=True).fill("张经理")
    page.get_by_role("button", name="生成链接和二维码").click()
    page.wait_for_load_state()
    expect(page.locator("#issued-link svg")).to_be_visible()  # the QR code
    link = page.locator("#issued-url").input_value()
    assert "/requests/c/" in link

    contact = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})  # a phone, no cookies
    try:
        phone = contact.new_page()
        phone.goto(link.replace("http://127.0.0.1:8000", live))
        expect(phone.get_by_role("heading", level=1)).to_contain_text(ORG_NAME)
        phone.get_by_label("诉求类别").select_option(label="水电气")
        phone.get_by_label("诉求标题").fill("生产基地双回路供电报装")
        phone.get_by_label("联系人姓名").fill("张经理")
        phone.get_by_label("联系电话").fill("13800138000")
        phone.get_by_role("button", name="提交诉求").click()
        phone.wait_for_load_state()
        expect(phone.locator("body")).to_contain_text("生产基地双回路供电报装")
        assert "我的工作" not in phone.content()  # no way into the internal site
    finally:
        contact.close()

    request = ServiceRequest.objects.get(project=project)
    assert (request.channel, request.owner.username, request.escalation_level) == ("contact", "demo_specialist", 0)

    # 5. Nobody answers: the due date passes (moved back, as time would) and the daily job escalates it.
    ServiceRequest.objects.filter(pk=request.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    assert escalate_overdue() == 1
    request.refresh_from_db()
    assert request.escalation_level == 1

    leader = User.objects.get(username="demo_district_admin")
    assert Notification.objects.filter(recipient=leader, kind="service_request.escalated").exists()
    page.context.clear_cookies()
    log_in("demo_district_admin")
    late = page.locator("#my-requests li", has_text="生产基地双回路供电报装")
    expect(late).to_contain_text("已逾期2天")
    expect(late).to_contain_text("单位负责人")
    expect(late.locator(".escalation-badge")).to_have_class(re.compile(r"\btext-bg-warning\b"))  # a coloured badge
    page.goto(f"{live}/requests/{request.pk}/")
    expect(page.locator("main")).to_contain_text("已逾期2天")
