"""Writing cooperations, activities and outcomes: who may, what is refused (by field, in Chinese, with
nothing written) and what the audit trail keeps."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.thinktanks import services
from apps.thinktanks.models import Cooperation, CooperationActivity, CooperationOutcome

pytestmark = pytest.mark.django_db


def _nothing_written(before_logs: int):
    assert AuditLog.objects.count() == before_logs


def test_the_office_registers_a_cooperation_and_the_audit_says_so(users, think_tank, values):
    cooperation = services.cooperation_create(actor=users["office"], values=values(think_tank))
    assert cooperation.partner == think_tank and cooperation.display_status_label == "合作中"
    log = AuditLog.objects.filter(model="thinktanks.cooperation", object_id=str(cooperation.pk)).get()
    assert "中国国际经济交流中心" in log.note


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"end_date": datetime.date(2025, 2, 1)}, "end_date", "不能早于合作开始日期"),
    ({"start_date": None, "end_date": datetime.date(2025, 2, 1)}, "end_date", "不能早于"),
    ({"title": "  "}, "title", "协议名称：必填"),
    ({"status": "expired"}, "status", "自动判断"),
    ({"status": "bogus"}, "status", "请选择"),
    ({"signed_date": None}, "signed_date", "签订日期：必填"),
    ({"status": "terminated", "end_date": None}, "end_date", "终止日期"),
    ({"agreement_no": "x" * 61}, "agreement_no", "最多60个字"),
])
def test_bad_cooperation_values_are_refused_by_field_and_nothing_is_written(users, think_tank, values, overrides,
                                                                          field, words):
    logs = AuditLog.objects.count()
    with pytest.raises(DomainError) as caught:
        services.cooperation_create(actor=users["office"], values=values(think_tank, **overrides))
    assert caught.value.field == field and words in caught.value.message
    assert not Cooperation.objects.exists()
    _nothing_written(logs)


def test_a_negotiation_needs_no_signed_date(users, think_tank, values):
    cooperation = services.cooperation_create(actor=users["office"], values=values(
        think_tank, status="negotiating", signed_date=None, start_date=None, end_date=None))
    assert cooperation.display_status_label == "洽谈中"


def test_a_firm_is_not_a_think_tank_partner(users, organisation, values):
    with pytest.raises(DomainError) as caught:
        services.cooperation_create(actor=users["office"], values=values(organisation))
    assert caught.value.field == "partner" and "企业" in caught.value.message
    assert not Cooperation.objects.exists()


def test_a_district_registers_only_for_its_own_unit(users, think_tank, values, units):
    with pytest.raises(DomainError) as caught:
        services.cooperation_create(actor=users["district"], values=values(think_tank))
    assert caught.value.field == "unit"
    mine = services.cooperation_create(actor=users["district"], values=values(think_tank, unit=units["九龙坡区"]))
    assert mine.unit.name == "九龙坡区"


@pytest.mark.parametrize("role", ["leader", "specialist"])
def test_leaders_and_specialists_register_nothing(users, think_tank, values, role):
    with pytest.raises(PermissionDenied):
        services.cooperation_create(actor=users[role], values=values(think_tank))
    assert not Cooperation.objects.exists()


@pytest.mark.parametrize(("role", "allowed"), [
    ("office_admin", True), ("office", True), ("leader", False), ("district", False), ("district_admin", False),
    ("specialist", False),
])
def test_who_changes_the_offices_cooperation(users, cooperation, role, allowed):
    if allowed:
        services.cooperation_update(actor=users[role], cooperation=cooperation, values={"title": "新协议名称"})
        cooperation.refresh_from_db()
        assert cooperation.title == "新协议名称" and cooperation.version == 2
    else:
        with pytest.raises(PermissionDenied):
            services.cooperation_update(actor=users[role], cooperation=cooperation, values={"title": "新协议名称"})
        cooperation.refresh_from_db()
        assert cooperation.title == "战略合作框架协议"


@pytest.mark.parametrize(("role", "allowed"), [
    ("office", True), ("district", True), ("district_admin", True), ("district2", False), ("liangjiang", False),
    ("leader", False),
])
def test_the_holding_unit_changes_its_own_cooperation(users, district_cooperation, role, allowed):
    call = lambda: services.activity_add(actor=users[role], cooperation=district_cooperation, values={  # noqa: E731
        "date": datetime.date(2025, 5, 1), "kind": "salon", "title": "数字经济沙龙", "participant_count": 30})
    if allowed:
        call()
        assert district_cooperation.activities.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert not CooperationActivity.objects.exists()


def test_an_edit_on_a_stale_version_is_refused(users, cooperation):
    with pytest.raises(ConflictError):
        services.cooperation_update(actor=users["office"], cooperation=cooperation, values={"title": "改"},
                                    expected_version=cooperation.version + 1)
    cooperation.refresh_from_db()
    assert cooperation.title == "战略合作框架协议"


def test_an_update_is_audited_field_by_field(users, cooperation):
    services.cooperation_update(actor=users["office"], cooperation=cooperation,
                                values={"end_date": datetime.date(2028, 2, 28)})
    log = AuditLog.objects.filter(model="thinktanks.cooperation", action="update").get()
    assert log.changes == {"end_date": ["2027-02-28", "2028-02-28"]}


def test_a_cooperation_past_its_end_date_reads_expired(users, cooperation):
    assert cooperation.display_status_on(datetime.date(2027, 2, 28)) == "active"
    assert cooperation.display_status_on(datetime.date(2027, 3, 1)) == "expired"


def test_an_activity_is_added_and_removed_with_the_audit_trail(users, cooperation):
    activity = services.activity_add(actor=users["office"], cooperation=cooperation, values={
        "date": datetime.date(2025, 6, 1), "kind": "report", "title": "产业研判报告会", "participant_count": "40",
        "output_title": "重庆电子信息产业链补链建议"})
    assert activity.participant_count == 40
    services.activity_remove(actor=users["office"], activity=activity)
    assert not CooperationActivity.objects.exists()
    notes = list(AuditLog.objects.filter(object_id=str(cooperation.pk)).values_list("note", flat=True))
    assert any("添加合作活动" in n for n in notes) and any("删除合作活动：2025-06-01 报告 产业研判报告会" in n for n in notes)


@pytest.mark.parametrize(("given", "field"), [
    ({"kind": "salon", "title": ""}, "title"),
    ({"kind": "dinner", "title": "晚宴"}, "kind"),
    ({"kind": "salon", "title": "沙龙", "participant_count": "-3"}, "participant_count"),
    ({"kind": "salon", "title": "沙龙", "participant_count": "很多"}, "participant_count"),
    ({"kind": "salon", "title": "沙龙", "date": None}, "date"),
])
def test_bad_activities_are_refused_and_nothing_written(users, cooperation, given, field):
    logs = AuditLog.objects.count()
    with pytest.raises(DomainError) as caught:
        services.activity_add(actor=users["office"], cooperation=cooperation,
                              values={"date": datetime.date(2025, 6, 1)} | given)
    assert caught.value.field == field
    assert not CooperationActivity.objects.exists()
    _nothing_written(logs)


def test_an_outcome_of_kind_project_needs_a_project(users, cooperation):
    logs = AuditLog.objects.count()
    with pytest.raises(DomainError) as caught:
        services.outcome_add(actor=users["office"], cooperation=cooperation,
                             values={"kind": "project", "date": datetime.date(2025, 7, 1), "note": "某项目"})
    assert caught.value.field == "project" and "请选择项目" in caught.value.message
    assert not CooperationOutcome.objects.exists()
    _nothing_written(logs)


def test_an_outcome_links_only_a_project_the_author_may_see(users, district_cooperation, make_project):
    changshou = make_project(name="长寿区项目", unit_name="长寿区", actor=users["district2"])
    with pytest.raises(DomainError) as caught:
        services.outcome_add(actor=users["district_admin"], cooperation=district_cooperation,
                             values={"kind": "project", "date": datetime.date(2025, 7, 1), "project": changshou})
    assert caught.value.field == "project"
    assert not CooperationOutcome.objects.exists()


def test_a_project_is_recorded_once_per_cooperation(users, cooperation, make_project):
    project = make_project(name="智库推荐项目")
    values = {"kind": "project", "date": datetime.date(2025, 7, 1), "project": project}
    services.outcome_add(actor=users["office"], cooperation=cooperation, values=values)
    with pytest.raises(DomainError) as caught:
        services.outcome_add(actor=users["office"], cooperation=cooperation, values=values)
    assert "只记一次" in caught.value.message
    assert CooperationOutcome.objects.count() == 1


@pytest.mark.parametrize(("kind", "field"), [("introduction", "organisation"), ("talent", "note"),
                                             ("report", "note"), ("bogus", "kind")])
def test_an_outcome_must_say_what_it_was(users, cooperation, kind, field):
    with pytest.raises(DomainError) as caught:
        services.outcome_add(actor=users["office"], cooperation=cooperation,
                             values={"kind": kind, "date": datetime.date(2025, 7, 1)})
    assert caught.value.field == field
    assert not CooperationOutcome.objects.exists()


def test_an_introduction_names_the_firm_and_can_be_removed(users, cooperation, organisation):
    outcome = services.outcome_add(actor=users["office"], cooperation=cooperation, values={
        "kind": "introduction", "date": datetime.date(2025, 8, 1), "organisation": organisation})
    assert outcome.organisation == organisation
    with pytest.raises(PermissionDenied):
        services.outcome_remove(actor=users["leader"], outcome=outcome)
    services.outcome_remove(actor=users["office"], outcome=outcome)
    assert not CooperationOutcome.objects.exists()
    assert AuditLog.objects.filter(note__contains="删除合作成果：引荐 骅远科技").exists()


def test_a_talent_outcome_names_the_talent_record_the_cooperation_brought(users, units, cooperation):
    from apps.talent.services import talent_create
    from apps.thinktanks.services import outcome_add

    person = talent_create(actor=users["office"], name="引进专家", unit=units["九龙坡区"],
                           first_contact_date=datetime.date(2025, 1, 2))
    outcome = outcome_add(actor=users["office"], cooperation=cooperation,
                          values={"kind": "talent", "date": datetime.date(2025, 5, 1), "talent": person})
    assert outcome.talent == person
    with pytest.raises(DomainError, match="带来的人才"):
        outcome_add(actor=users["office"], cooperation=cooperation,
                    values={"kind": "report", "date": datetime.date(2025, 5, 1), "talent": person, "note": "报告"})
    assert CooperationOutcome.objects.filter(talent=person).count() == 1
