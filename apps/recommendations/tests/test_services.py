"""Recommending, answering and visiting, through the services: who may, what each step writes (the
project, its stage history, the site visit, the notices) and what a refusal leaves untouched."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from apps.activities.models import Activity, ActivityKind
from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.notifications.models import Notification
from apps.projects.models import Project, StageChange
from apps.recommendations.models import Recommendation, RecommendationTarget, TargetStatus
from apps.recommendations.services import (
    recommendation_accept,
    recommendation_create,
    recommendation_decline,
    recommendation_withdraw,
    target_log_site_visit,
)

from .factories import D, target_of


def stages_of(project):
    return list(StageChange.objects.filter(project=project).order_by("id").values_list("to_stage", "occurred_on"))


# --- recommend ----------------------------------------------------------------------------------------

def test_office_recommends_to_two_districts_and_each_districts_people_are_told(users, units, make_org):
    org = make_org("凌云智能装备（北京）有限公司")
    recommendation = recommendation_create(actor=users["office"], organisation=org, units=[units["九龙坡区"],
                                           units["长寿区"]], reason="智能装备整机，契合两区园区方向", date=D(2025, 10, 5))
    assert recommendation.from_unit.name == "驻京办" and recommendation.recommended_by == users["office"]
    assert sorted(t.unit.name for t in recommendation.targets.all()) == ["九龙坡区", "长寿区"]
    assert set(recommendation.targets.values_list("status", flat=True)) == {TargetStatus.PENDING}
    told = Notification.objects.filter(kind="recommendation.created")
    assert {n.recipient.username for n in told} == {"t_district", "t_district_admin", "t_district2"}
    notice = told.get(recipient=users["district2"])
    assert "凌云智能装备" in notice.title and "长寿区" in notice.title
    assert notice.body == "智能装备整机，契合两区园区方向"
    assert notice.url == f"/recommendations/{recommendation.pk}/"
    assert AuditLog.objects.filter(model="recommendations.recommendation", object_id=str(recommendation.pk)).exists()


@pytest.mark.parametrize("who", ["leader", "district", "district_admin", "specialist", "liangjiang"])
def test_only_the_office_recommends(users, units, make_org, who):
    with pytest.raises(PermissionDenied):
        recommendation_create(actor=users[who], organisation=make_org(), units=[units["九龙坡区"]], reason="理由")
    assert Recommendation.objects.count() == 0


@pytest.mark.parametrize("unit_names,reason,field,words", [
    ([], "理由", "units", "至少选择一个区县"),
    (["驻京办"], "理由", "units", "驻京办不承接项目"),
    (["江北区"], "理由", "units", "江北区已于2025年11月6日撤销，请选择两江新区"),
    (["九龙坡区"], "   ", "reason", "推荐理由"),
])
def test_recommendation_needs_a_reason_and_live_districts(users, units, make_org, unit_names, reason, field, words):
    with pytest.raises(DomainError) as refused:
        recommendation_create(actor=users["office"], organisation=make_org(), units=[units[n] for n in unit_names],
                              reason=reason)
    assert refused.value.field == field and words in refused.value.message
    assert Recommendation.objects.count() == 0 and Notification.objects.count() == 0


def test_future_date_is_refused(users, units, make_org):
    with pytest.raises(DomainError) as refused:
        recommendation_create(actor=users["office"], organisation=make_org(), units=[units["九龙坡区"]], reason="理由",
                              date=D(2025, 10, 6), today=D(2025, 10, 5))
    assert refused.value.field == "date"


def test_a_second_recommendation_to_a_unit_still_considering_it_is_refused_naming_the_first(users, units,
                                                                                           recommend, make_org):
    org = make_org()
    recommend("九龙坡区", "长寿区", organisation=org, date=D(2025, 10, 5))
    with pytest.raises(ConflictError) as refused:
        recommend("长寿区", "两江新区", organisation=org, date=D(2025, 10, 20))
    assert refused.value.code == "duplicate_recommendation"
    assert "2025年10月5日推荐给长寿区（待答复）" in refused.value.message
    assert Recommendation.objects.count() == 1
    # Another unit, in a separate recommendation, is fine.
    recommend("两江新区", organisation=org, date=D(2025, 10, 20))
    assert Recommendation.objects.count() == 2


def test_accepted_blocks_a_repeat_but_a_decline_allows_recommending_again(users, units, recommend, make_org):
    org = make_org()
    first = recommend("九龙坡区", "长寿区", organisation=org)
    recommendation_accept(actor=users["district"], target=target_of(first, "九龙坡区"), today=D(2025, 10, 8))
    recommendation_decline(actor=users["district2"], target=target_of(first, "长寿区"), reason="用地不足",
                           today=D(2025, 10, 9))
    with pytest.raises(ConflictError) as refused:
        recommend("九龙坡区", organisation=org, date=D(2025, 10, 20))
    assert "已接受" in refused.value.message
    again = recommend("长寿区", organisation=org, date=D(2025, 10, 20), reason="企业调整了产品线")
    assert target_of(again, "长寿区").status == TargetStatus.PENDING


# --- accept -------------------------------------------------------------------------------------------

def test_accepting_registers_the_districts_project_at_recommended(users, units, recommend, make_org):
    org = make_org("澄明光电（北京）有限公司")
    recommendation = recommend("九龙坡区", organisation=org, date=D(2025, 10, 5))
    target = recommendation_accept(actor=users["district"], target=target_of(recommendation, "九龙坡区"),
                                   reason="安排下周考察", today=D(2025, 10, 8))
    project = Project.objects.get(organisation=org)
    assert target.project == project and target.status == TargetStatus.ACCEPTED
    assert target.decided_by == users["district"] and target.decided_on == D(2025, 10, 8)
    assert project.unit.name == "九龙坡区" and project.source_unit.name == "驻京办"
    assert project.first_contact_date == D(2025, 10, 5) and project.name == f"{org.name}项目"
    assert project.stage == "recommended"
    assert stages_of(project) == [("lead", D(2025, 10, 5)), ("recommended", D(2025, 10, 8))]
    told = Notification.objects.get(kind="recommendation.accepted")
    assert told.recipient == users["office"] and "九龙坡区已接受" in told.title and told.project == project


def test_accepting_links_the_units_existing_project_and_never_moves_it_back(users, make_project, recommend, make_org):
    org = make_org()
    early = make_project(organisation=org, unit_name="九龙坡区")  # at 线索
    recommendation = recommend("九龙坡区", organisation=org, date=D(2025, 10, 5))
    target = recommendation_accept(actor=users["district"], target=target_of(recommendation, "九龙坡区"),
                                   today=D(2025, 10, 8))
    early.refresh_from_db()
    assert target.project == early and early.stage == "recommended"
    assert Project.objects.filter(organisation=org).count() == 1

    org2 = make_org()
    far = make_project(organisation=org2, unit_name="长寿区", actor=users["district2"])
    for stage in ["contact", "recommended", "site_visit"]:
        from apps.projects.services import project_change_stage

        project_change_stage(actor=users["district2"], project=far, to_stage=stage, occurred_on=D(2025, 10, 2))
    second = recommend("长寿区", organisation=org2, date=D(2025, 10, 5))
    target = recommendation_accept(actor=users["district2"], target=target_of(second, "长寿区"))
    far.refresh_from_db()
    assert target.project == far and far.stage == "site_visit"


def test_a_claim_held_by_another_district_blocks_the_accept_and_nothing_changes(users, make_project, recommend,
                                                                                make_org):
    org = make_org()
    held = make_project(organisation=org, unit_name="长寿区", actor=users["district2"])
    recommendation = recommend("九龙坡区", organisation=org)
    target = target_of(recommendation, "九龙坡区")
    audit_before = AuditLog.objects.count()
    with pytest.raises(ConflictError) as refused:
        recommendation_accept(actor=users["district"], target=target)
    assert refused.value.code == "claimed" and "长寿区" in refused.value.message
    target.refresh_from_db()
    assert target.status == TargetStatus.PENDING and target.project is None and target.decided_by is None
    assert list(Project.objects.filter(organisation=org)) == [held]
    assert AuditLog.objects.count() == audit_before
    assert not Notification.objects.filter(kind="recommendation.accepted").exists()


@pytest.mark.parametrize("who", ["office", "office_admin", "leader", "specialist", "district2"])
def test_only_the_recommended_districts_people_answer(users, recommend, who):
    target = target_of(recommend("九龙坡区"), "九龙坡区")
    for answer in (lambda: recommendation_accept(actor=users[who], target=target),
                   lambda: recommendation_decline(actor=users[who], target=target, reason="不合适")):
        with pytest.raises(PermissionDenied):
            answer()
    target.refresh_from_db()
    assert target.status == TargetStatus.PENDING and not Project.objects.exists()


def test_an_answered_recommendation_cannot_be_answered_again(users, recommend):
    target = target_of(recommend("九龙坡区"), "九龙坡区")
    recommendation_accept(actor=users["district"], target=target, today=D(2025, 10, 8))
    with pytest.raises(ConflictError) as refused:
        recommendation_accept(actor=users["district_admin"], target=target)
    assert refused.value.code == "already_decided" and "2025年10月8日" in refused.value.message
    with pytest.raises(ConflictError):
        recommendation_decline(actor=users["district_admin"], target=target, reason="改主意")
    assert Project.objects.count() == 1


# --- decline, withdraw --------------------------------------------------------------------------------

def test_declining_needs_a_reason_and_tells_the_recommender(users, recommend):
    target = target_of(recommend("长寿区"), "长寿区")
    with pytest.raises(DomainError) as refused:
        recommendation_decline(actor=users["district2"], target=target, reason=" ")
    assert refused.value.field == "reason"
    recommendation_decline(actor=users["district2"], target=target, reason="产业方向不符", today=D(2025, 10, 9))
    target.refresh_from_db()
    assert target.status == TargetStatus.DECLINED and target.decision_reason == "产业方向不符"
    told = Notification.objects.get(kind="recommendation.declined")
    assert told.recipient == users["office"] and told.body == "产业方向不符"


def test_withdrawing_calls_back_only_the_unanswered_part(users, recommend):
    recommendation = recommend("九龙坡区", "长寿区")
    recommendation_accept(actor=users["district"], target=target_of(recommendation, "九龙坡区"))
    with pytest.raises(PermissionDenied):
        recommendation_withdraw(actor=users["leader"], recommendation=recommendation, reason="误推")
    with pytest.raises(DomainError):
        recommendation_withdraw(actor=users["office"], recommendation=recommendation, reason="")
    withdrawn = recommendation_withdraw(actor=users["office"], recommendation=recommendation, reason="企业暂停投资计划")
    assert [t.unit.name for t in withdrawn] == ["长寿区"]
    assert dict(recommendation.targets.values_list("unit__name", "status")) == {
        "九龙坡区": TargetStatus.ACCEPTED, "长寿区": TargetStatus.WITHDRAWN}
    assert Notification.objects.filter(kind="recommendation.withdrawn", recipient=users["district2"]).exists()
    with pytest.raises(ConflictError):
        recommendation_withdraw(actor=users["office"], recommendation=recommendation, reason="再撤一次")


# --- site visit ---------------------------------------------------------------------------------------

def test_logging_the_site_visit_records_an_activity_and_moves_the_project(users, recommend):
    recommendation = recommend("九龙坡区", date=D(2025, 10, 5))
    target = target_of(recommendation, "九龙坡区")
    with pytest.raises(DomainError) as refused:
        target_log_site_visit(actor=users["district"], target=target, date=D(2025, 10, 15), summary="考察园区")
    assert refused.value.code == "not_accepted"
    target = recommendation_accept(actor=users["district"], target=target, today=D(2025, 10, 8))
    with pytest.raises(DomainError) as refused:
        target_log_site_visit(actor=users["district"], target=target, date=D(2025, 10, 1), summary="考察园区")
    assert refused.value.field == "date"
    with pytest.raises(PermissionDenied):
        target_log_site_visit(actor=users["office"], target=target, date=D(2025, 10, 15), summary="考察园区")

    activity = target_log_site_visit(actor=users["district"], target=target, date=D(2025, 10, 15),
                                     summary="企业考察西部科学城园区", participants="九龙坡区招商局")
    target.refresh_from_db()
    project = target.project
    assert target.site_visit == activity
    assert activity.kind == ActivityKind.SITE_VISIT and activity.project == project and activity.unit.name == "九龙坡区"
    assert project.stage == "site_visit" and stages_of(project)[-1] == ("site_visit", D(2025, 10, 15))
    assert Notification.objects.filter(kind="recommendation.site_visit", recipient=users["office"]).exists()
    with pytest.raises(ConflictError):
        target_log_site_visit(actor=users["district"], target=target, date=D(2025, 10, 16), summary="再次考察")
    assert Activity.objects.filter(kind=ActivityKind.SITE_VISIT).count() == 1


def test_a_site_visit_on_a_project_already_further_along_leaves_its_stage(users, recommend):
    from apps.projects.services import project_change_stage

    target = recommendation_accept(actor=users["district"], target=target_of(recommend("九龙坡区"), "九龙坡区"),
                                   today=D(2025, 10, 8))
    project = target.project
    project_change_stage(actor=users["district"], project=project, to_stage="intention", skip_reason="直接达成意向",
                         values={"planned_investment": Decimal(300_000_000), "specialist": users["specialist"]},
                         occurred_on=D(2025, 10, 12))
    target_log_site_visit(actor=users["district"], target=target, date=D(2025, 10, 15), summary="补录考察")
    project.refresh_from_db()
    assert project.stage == "intention"
    assert RecommendationTarget.objects.get(pk=target.pk).site_visit is not None
