"""The searchable pickers in a real browser: a record the select does not list at first is found by
typing in the search box beside it (htmx refills the options), chosen, and saved."""

import re

import pytest
from playwright.sync_api import expect

from apps.offers.models import NeedProfile
from apps.organisations.models import Organisation
from apps.projects.models import Project
from apps.thinktanks.models import Cooperation, CooperationOutcome

pytestmark = pytest.mark.browser


@pytest.fixture
def short_lists(monkeypatch):
    # The live server answers from a thread of this process, so shortening the lists here makes "beyond
    # the first screen" true for the demo's few hundred records as it is for a million.
    monkeypatch.setattr("apps.projects.forms.ORGANISATION_SHORTLIST", 3)
    monkeypatch.setattr("apps.projects.forms.PROJECT_SHORTLIST", 3)


def test_the_need_form_finds_an_organisation_beyond_the_short_list(page, live, demo_data, log_in, short_lists):
    oldest = Organisation.objects.filter(merged_into__isnull=True, is_archived=False).order_by("id").first()
    log_in("demo_office")
    page.goto(f"{live}/offers/needs/new/")
    select = page.get_by_label("企业", exact=True)
    expect(select.locator(f'option[value="{oldest.pk}"]')).to_have_count(0)

    page.get_by_label("查找目标主体").fill(oldest.name)
    expect(select.locator(f'option[value="{oldest.pk}"]')).to_have_count(1)
    select.select_option(str(oldest.pk))
    page.get_by_label(re.compile(r"^需求名称|^标题")).fill("浏览器测试选址需求")
    page.get_by_label(re.compile(r"^产业集群")).select_option(index=1)
    page.get_by_role("button", name="保存并匹配").click()
    page.wait_for_url(re.compile(r"/offers/needs/\d+/$"))
    assert NeedProfile.objects.get(title="浏览器测试选址需求").organisation == oldest


def test_the_outcome_form_finds_a_project_beyond_the_short_list(page, live, demo_data, log_in, short_lists):
    cooperation = Cooperation.objects.filter(unit__name="驻京办").order_by("id").first()
    least_recent = Project.objects.filter(is_archived=False).order_by("updated_at", "id").first()
    log_in("demo_office")
    page.goto(f"{live}/thinktanks/{cooperation.pk}/outcomes/new/")
    select = page.get_by_label("带来的项目")
    expect(select.locator(f'option[value="{least_recent.pk}"]')).to_have_count(0)

    page.get_by_label("成果类型").select_option(value="project")
    page.get_by_label(re.compile(r"^日期")).fill("2025-06-01")
    page.get_by_label("查找项目").fill(least_recent.name)
    expect(select.locator(f'option[value="{least_recent.pk}"]')).to_have_count(1)
    select.select_option(str(least_recent.pk))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(rf"/thinktanks/{cooperation.pk}/(#outcomes)?$"))
    expect(page.get_by_role("alert").filter(has_text="合作成果已登记")).to_be_visible()
    assert CooperationOutcome.objects.filter(cooperation=cooperation, project=least_recent).exists()
