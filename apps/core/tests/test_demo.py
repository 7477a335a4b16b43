import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone

from apps.accounts.models import User
from apps.activities.models import Activity
from apps.audit.models import AuditLog
from apps.core.codes import is_valid_uscc
from apps.organisations.models import Organisation, OrganisationAlias, Person
from apps.projects.models import Project
from apps.projects.selectors import project_list

YI = Decimal(100_000_000)
ACCOUNTS = {
    "demo_office": ("office_staff", "驻京办"),
    "demo_district": ("district_staff", "九龙坡区"),
    "demo_district_admin": ("district_admin", "九龙坡区"),
    "demo_district2": ("district_staff", "长寿区"),
    "demo_specialist": ("specialist", "九龙坡区"),
    "demo_leader": ("leader", "驻京办"),
    "demo_admin": ("office_admin", "驻京办"),
}


@pytest.fixture
def demo(db, settings):
    settings.DEMO = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_accounts_log_in_with_the_published_password(demo):
    for username, (role, unit) in ACCOUNTS.items():
        # As the login page does: with the request (the login throttle counts per account and address).
        user = authenticate(RequestFactory().post("/accounts/login/"), username=username, password="demo-password")
        assert user is not None, username
        assert (user.role, user.unit.name) == (role, unit)
        assert user.last_name and user.first_name  # a Chinese display name, not the username
        assert user.display_name != username
    admin = User.objects.get(username="demo_admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.get(username="demo_office").is_superuser


def test_demo_has_the_article_projects(demo):
    by_name = {p.name: p for p in Project.objects.select_related("unit", "cluster", "organisation")}
    xinkai = by_name["新凯精测(重庆)智造科技有限公司"]
    assert xinkai.organisation.name == "北京信技源信息服务有限公司"
    assert xinkai.organisation.aliases.filter(name="北京信技源").exists()
    assert xinkai.unit.name == "江北区"
    assert xinkai.stage == "signed" and str(xinkai.signed_date) == "2025-11-01"

    huayuan = by_name["骅远人工智能数据安全中心项目"]
    assert (huayuan.unit.name, huayuan.planned_investment, huayuan.chain_role) == ("九龙坡区", 5 * YI, "consolidate")
    assert huayuan.cluster.name == "软件信息服务"

    jiayue = by_name["分布式温室气体利用项目"]
    assert jiayue.organisation.name == "北京嘉岳"
    assert (jiayue.unit.name, jiayue.planned_investment, jiayue.chain_role) == ("长寿区", 18 * YI, "fill")

    honghai = by_name["弘海微创医疗器械全国总部项目"]
    assert (honghai.unit.name, honghai.chain_role, honghai.cluster.name) == ("大渡口区", "extend", "生物医药")

    article = [xinkai, huayuan, jiayue, honghai]
    assert not any(p.is_sample or p.organisation.is_sample for p in article)
    # Real firms: no invented credit codes.
    assert all(p.organisation.credit_code is None for p in article)
    assert Activity.objects.filter(project__in=article, kind="meeting", date="2025-11-01").count() == 4


def test_jiangbei_project_counts_under_liangjiang_as_of_now(demo, units):
    office = User.objects.get(username="demo_office")
    names = set(project_list(actor=office, unit_id=units["两江新区"].id).values_list("name", flat=True))
    assert "新凯精测(重庆)智造科技有限公司" in names
    # and the 两江新区 district user sees it as its own work
    district = User.objects.create_user(username="lj", password="x", role="district_staff", unit=units["两江新区"])
    assert project_list(actor=district).filter(name="新凯精测(重庆)智造科技有限公司").exists()


def test_demo_samples_are_marked_and_cover_the_board(demo):
    samples = Project.objects.filter(is_sample=True)
    assert samples.count() >= 25
    assert all("示例" in p.name and "示例" in p.organisation.name for p in samples.select_related("organisation"))
    stages = set(samples.values_list("stage", flat=True))
    assert stages == {"lead", "contact", "recommended", "site_visit", "intention", "signed", "registered",
                      "construction", "production", "paused", "terminated"}
    assert len(set(samples.values_list("unit__name", flat=True))) >= 6
    for project in samples.filter(stage__in=["registered", "construction", "production"]):
        assert is_valid_uscc(project.registered_credit_code)
    assert all(p.specialist.username == "demo_specialist"
               for p in samples.filter(unit__name="九龙坡区", stage="intention"))
    assert Activity.objects.filter(next_step_done=False, next_step_due__lt=timezone.localdate()).count() == 1
    assert Activity.objects.filter(next_step_done=False, next_step_due__gte=timezone.localdate()).count() >= 4
    # Every sample organisation is there for a reason: a sample project, a recommendation of it that no
    # district has taken up (yet), its place on a chain map (the firms 九龙坡区's gap analysis counts), or
    # its relation to a landed firm (以商招商's proposals), a think-tank cooperation, a talent's affiliation, or a
    # need profile matched against the districts' offers.
    from apps.offers.models import NeedProfile

    unexplained = Organisation.objects.filter(is_sample=True, projects__isnull=True, recommendations__isnull=True,
                                              chain_placements__isnull=True, relations_in__isnull=True,
                                              relations_out__isnull=True, think_tank_cooperations__isnull=True,
                                              talent__isnull=True).exclude(
        pk__in=NeedProfile.objects.values("organisation_id"))
    assert list(unexplained) == []


def test_demo_has_the_article_in_intelligence_with_its_known_organisations_linked(demo):
    from apps.intelligence.models import Article

    article = Article.objects.get()
    assert article.source == "重庆日报" and "1860.9亿元" in article.text
    linked = sorted(link.organisation.name for link in article.links.all())
    assert "北京信技源信息服务有限公司" in linked
    assert all(link.action == "linked" for link in article.links.all())  # nothing new made by the demo


def test_second_run_changes_nothing(demo):
    counts = (Project.objects.count(), Organisation.objects.count(), Activity.objects.count(), AuditLog.objects.count(),
              User.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "演示数据已存在，跳过" in out.getvalue()
    assert (Project.objects.count(), Organisation.objects.count(), Activity.objects.count(),
            AuditLog.objects.count(), User.objects.count()) == counts


def test_demo_data_is_the_same_every_time(db, settings):
    settings.DEMO = True
    call_command("load_demo", stdout=io.StringIO())
    first = sorted(Project.objects.values_list("name", "unit__name", "stage", "planned_investment"))
    # Everything hanging off projects first (PROTECT keeps history from vanishing with a project).
    from apps.chains.models import Placement
    from apps.events.models import Event, EventParticipant, Signing
    from apps.fairness.models import FairnessFlag
    from apps.fulfilment.models import FundsEntry
    from apps.intelligence.models import Article, ArticleLink
    from apps.offers.models import NeedProfile, Park, Policy, Resource, Site
    from apps.recommendations.models import Recommendation
    from apps.relations.models import PersonTie, Referral, Relation
    from apps.servicedesk.models import ServiceRequest
    from apps.talent.models import Talent
    from apps.thinktanks.models import Cooperation

    for model in (FairnessFlag, NeedProfile, Site, Park, Policy, Resource, Cooperation, ServiceRequest, Talent,
                  Referral, PersonTie, Relation, Placement, ArticleLink, Article, FundsEntry, Recommendation, Signing,
                  EventParticipant, Event, Activity, Project):
        model.objects.all().delete()
    Person.objects.all().delete()
    OrganisationAlias.objects.all().delete()
    Organisation.objects.all().delete()
    User.objects.filter(username__startswith="demo_").delete()
    call_command("load_demo", stdout=io.StringIO())
    assert sorted(Project.objects.values_list("name", "unit__name", "stage", "planned_investment")) == first


def test_refuses_without_demo_setting(db, settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="演示环境"):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.filter(username__startswith="demo_").exists()
    assert not Project.objects.exists()


def test_test_and_production_settings_do_not_enable_demo():
    from django.conf import settings

    assert not getattr(settings, "DEMO", False)  # config.settings.test
    # prod reads SECRET_KEY at import time, so look at it in a fresh interpreter.
    env = {**os.environ, "SECRET_KEY": "only-to-import-prod-settings-" + "k7Qz" * 10}  # prod refuses a short key
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.prod as s; print(getattr(s, 'DEMO', False))"],
        env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR,
    )
    assert result.stdout.strip() == "False"


def test_demo_has_the_academician_salon_with_its_participants_and_a_draft_flagged_for_review(demo):
    from apps.events.models import Event
    from apps.fairness.models import FairnessFlag
    from apps.offers.models import NeedProfile
    from apps.thinktanks.models import Cooperation

    salon = Event.objects.filter(kind="salon").order_by("-date").first()
    assert salon.talent.filter(kind="academician").count() >= 2
    assert salon.participant_rows.filter(organisation__name="清华大学").exists()
    assert Cooperation.objects.count() == 10
    assert NeedProfile.objects.exists()
    flagged = FairnessFlag.objects.filter(target_repr__contains="长寿区重点项目招商引资扶持办法")
    assert {flag.status for flag in flagged} == {"open"} and flagged.count() >= 3  # 一企一策, 先征后返, 零地价
