"""Stage rules, scoping of writes, concurrency and the audit trail of project services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.projects.choices import Stage
from apps.projects.models import Project, StageChange
from apps.projects.services import project_archive, project_change_stage, project_create, project_update

D = datetime.date


def move(project, actor, to_stage, **kw):
    return project_change_stage(actor=actor, project=project, to_stage=to_stage, **kw)


def test_create_records_the_first_stage_and_an_audit_line(make_project, users):
    project = make_project(planned_investment=Decimal("500000000"))
    assert project.stage == Stage.LEAD
    assert project.protected_until > project.first_contact_date
    assert list(project.stage_changes.values_list("from_stage", "to_stage")) == [("", "lead")]
    assert AuditLog.objects.filter(model="projects.project", object_id=str(project.pk), action="create").exists()


def test_moving_one_stage_at_a_time_is_recorded_with_who_and_note(make_project, users):
    project = make_project()
    move(project, users["district"], Stage.CONTACT, note="首次拜访")
    move(project, users["district"], Stage.RECOMMENDED)
    project.refresh_from_db()
    assert project.stage == Stage.RECOMMENDED
    changes = list(project.stage_changes.order_by("id").values_list("from_stage", "to_stage", "changed_by__username"))
    assert changes[1:] == [("lead", "contact", "t_district"), ("contact", "recommended", "t_district")]


def test_skipping_stages_needs_a_reason(make_project, users):
    project = make_project()
    with pytest.raises(DomainError) as exc:
        move(project, users["district"], Stage.SITE_VISIT)
    assert exc.value.field == "skip_reason"
    assert "跳过了“接洽”、“推荐考察”" in exc.value.message
    project.refresh_from_db()
    assert project.stage == Stage.LEAD and project.stage_changes.count() == 1

    move(project, users["district"], Stage.SITE_VISIT, skip_reason="企业主动来渝考察")
    project.refresh_from_db()
    assert project.stage == Stage.SITE_VISIT
    assert project.stage_changes.last().skip_reason == "企业主动来渝考察"


def test_going_backwards_is_refused_and_points_to_pause(make_project, users):
    project = make_project()
    move(project, users["district"], Stage.CONTACT)
    with pytest.raises(DomainError) as exc:
        move(project, users["district"], Stage.LEAD)
    assert "不能从“接洽”退回“线索”" in exc.value.message and "暂缓" in exc.value.message


def test_intention_needs_investment_and_specialist(make_project, users):
    project = make_project()
    with pytest.raises(DomainError) as exc:
        move(project, users["district"], Stage.INTENTION, skip_reason="快速推进")
    assert "计划投资" in exc.value.message and "服务专员" in exc.value.message
    move(project, users["district"], Stage.INTENTION, skip_reason="快速推进",
         values={"planned_investment": Decimal("500000000"), "specialist": users["specialist"]})
    project.refresh_from_db()
    assert project.specialist == users["specialist"]


def test_signing_needs_date_type_and_amount(make_project, users):
    project = make_project(planned_investment=Decimal("1e8"), specialist=users["specialist"])
    move(project, users["district"], Stage.INTENTION, skip_reason="老客户")
    with pytest.raises(DomainError) as exc:
        move(project, users["district"], Stage.SIGNED, values={"signed_date": D(2025, 11, 1)})
    assert exc.value.message == "进入“签约”阶段需要填写：协议类型、签约金额。"
    assert exc.value.field == "agreement_type"
    project.refresh_from_db()
    assert project.stage == Stage.INTENTION and project.signed_date is None  # nothing half-saved


def test_registration_needs_a_valid_credit_code(make_project, users):
    project = make_project(planned_investment=Decimal("1e8"), specialist=users["specialist"])
    move(project, users["district"], Stage.SIGNED, skip_reason="签约仪式集中签约",
         values={"signed_date": D(2025, 11, 1), "agreement_type": "contract", "signed_amount": Decimal("1e8")})
    bad = {"registered_entity": "骅远(重庆)科技有限公司", "registered_credit_code": "91110000600037341N",
           "registered_date": D(2025, 12, 1)}
    with pytest.raises(DomainError) as exc:
        move(project, users["district"], Stage.REGISTERED, values=bad)
    assert "校验位" in exc.value.message
    move(project, users["district"], Stage.REGISTERED, values=bad | {"registered_credit_code": "91110000600037341L"})
    project.refresh_from_db()
    assert project.stage == Stage.REGISTERED and project.registered_credit_code == "91110000600037341L"


def test_jumping_to_production_needs_every_skipped_stages_facts(make_project, users):
    project = make_project()
    with pytest.raises(DomainError) as exc:
        move(project, users["office"], Stage.PRODUCTION, skip_reason="补录历史项目",
             values={"production_date": D(2026, 1, 1)})
    for word in ["计划投资", "服务专员", "签约日期", "注册主体名称", "开工日期"]:
        assert word in exc.value.message


def test_future_dates_for_things_that_happened_are_refused(make_project, users):
    project = make_project(planned_investment=Decimal("1e8"), specialist=users["specialist"])
    with pytest.raises(DomainError) as exc:
        move(project, users["district"], Stage.SIGNED, skip_reason="x",
             values={"signed_date": D(2099, 1, 1), "agreement_type": "contract", "signed_amount": Decimal(1)})
    assert exc.value.field == "signed_date"


def test_pause_needs_a_reason_and_resumes_where_it_stopped(make_project, users):
    project = make_project()
    move(project, users["district"], Stage.CONTACT)
    with pytest.raises(DomainError):
        move(project, users["district"], Stage.PAUSED)
    move(project, users["district"], Stage.PAUSED, note="企业融资未到位")
    project.refresh_from_db()
    assert project.paused_from == Stage.CONTACT
    with pytest.raises(DomainError):
        move(project, users["district"], Stage.LEAD)  # cannot resume backwards
    move(project, users["district"], Stage.CONTACT)
    project.refresh_from_db()
    assert project.stage == Stage.CONTACT and project.paused_from == ""


def test_terminated_is_final(make_project, users):
    project = make_project()
    move(project, users["district"], Stage.TERMINATED, note="企业放弃")
    with pytest.raises(DomainError) as exc:
        move(project, users["district"], Stage.CONTACT)
    assert "已终止" in exc.value.message


def test_a_stale_form_cannot_move_the_stage_twice(make_project, users):
    """The same stage form posted twice: the second carries the old expected stage and is refused."""
    project = make_project()
    move(project, users["district"], Stage.CONTACT, expected_stage=Stage.LEAD)
    with pytest.raises(ConflictError):
        move(project, users["district"], Stage.RECOMMENDED, expected_stage=Stage.LEAD)
    assert project.stage_changes.count() == 2


def test_optimistic_lock_refuses_a_stale_edit(make_project, users):
    project = make_project()
    version = project.version
    project_update(actor=users["district"], project=project, version=version, name="骅远数据安全中心")
    with pytest.raises(ConflictError):
        project_update(actor=users["office"], project=project, version=version, name="别的名字")
    project.refresh_from_db()
    assert project.name == "骅远数据安全中心" and project.version == version + 1


def test_edit_cannot_blank_a_fact_of_a_reached_stage(make_project, users):
    project = make_project(planned_investment=Decimal("1e8"), specialist=users["specialist"])
    move(project, users["district"], Stage.INTENTION, skip_reason="x")
    with pytest.raises(DomainError) as exc:
        project_update(actor=users["district"], project=project, planned_investment=None)
    assert "计划投资" in exc.value.message


def test_district_cannot_register_for_another_district(make_project, users, units, organisation):
    with pytest.raises(DomainError) as exc:
        project_create(actor=users["district"], organisation=organisation, unit=units["长寿区"], name="越权项目")
    assert "只能为本单位" in exc.value.message
    assert not Project.objects.exists()


def test_an_ended_unit_cannot_take_new_projects_dated_after_it_ended(users, units, organisation):
    with pytest.raises(DomainError) as exc:
        project_create(actor=users["office"], organisation=organisation, unit=units["江北区"], name="新项目",
                       first_contact_date=D(2025, 12, 1))
    assert "江北区已于2025年11月6日撤销" in exc.value.message and "两江新区" in exc.value.message
    # Dated before the change, the record keeps the unit it had.
    old = project_create(actor=users["office"], organisation=organisation, unit=units["江北区"], name="新凯精测",
                         first_contact_date=D(2025, 3, 15))
    assert old.unit.name == "江北区"


def test_the_office_cannot_be_the_working_unit(users, units, organisation):
    with pytest.raises(DomainError) as exc:
        project_create(actor=users["office"], organisation=organisation, unit=units["驻京办"], name="x项目")
    assert exc.value.field == "unit"


def test_first_to_register_holds_the_organisation(users, units, organisation, make_project):
    make_project(actor=users["district"], organisation=organisation)
    with pytest.raises(ConflictError) as exc:
        project_create(actor=users["district2"], organisation=organisation, unit=units["长寿区"], name="同一企业")
    assert "九龙坡区" in exc.value.message and "首谈保护期至" in exc.value.message
    assert Project.objects.filter(organisation=organisation).count() == 1


def test_the_holder_may_register_a_second_project_on_the_same_organisation(users, organisation, make_project):
    make_project(actor=users["district"], organisation=organisation)
    make_project(actor=users["district"], organisation=organisation, name="二期项目")
    assert Project.objects.filter(organisation=organisation).count() == 2


def test_a_repeated_create_with_the_same_key_creates_one_project(users, units, organisation):
    project_create(actor=users["district"], organisation=organisation, unit=units["九龙坡区"], name="一次",
                   submission_key="k-1")
    with pytest.raises(ConflictError):
        project_create(actor=users["district"], organisation=organisation, unit=units["九龙坡区"], name="一次",
                       submission_key="k-1")
    assert Project.objects.count() == 1


@pytest.mark.parametrize("who", ["leader", "district2"])
def test_who_may_not_change_changes_nothing(make_project, users, who):
    project = make_project()
    with pytest.raises(PermissionDenied):
        move(project, users[who], Stage.CONTACT)
    with pytest.raises(PermissionDenied):
        project_update(actor=users[who], project=project, name="改名")
    project.refresh_from_db()
    assert project.stage == Stage.LEAD and project.name.startswith("测试项目")
    assert StageChange.objects.filter(project=project).count() == 1


def test_specialist_changes_only_their_projects(make_project, users):
    theirs = make_project(specialist=users["specialist"])
    other = make_project()
    move(theirs, users["specialist"], Stage.CONTACT)
    with pytest.raises(PermissionDenied):
        move(other, users["specialist"], Stage.CONTACT)


def test_leader_cannot_create(users, units, organisation):
    with pytest.raises(PermissionDenied):
        project_create(actor=users["leader"], organisation=organisation, unit=units["九龙坡区"], name="领导项目")


def test_archive_hides_but_keeps(make_project, users):
    from apps.projects.selectors import project_list

    project = make_project()
    with pytest.raises(DomainError):
        project_archive(actor=users["district"], project=project, reason=" ")
    project_archive(actor=users["district"], project=project, reason="重复登记")
    assert project not in project_list(actor=users["district"])
    assert Project.objects.filter(pk=project.pk).exists()


def test_a_move_can_be_entered_after_the_fact_but_not_out_of_order(make_project, users):
    project = make_project(first_contact_date=D(2025, 3, 14))
    with pytest.raises(DomainError) as exc:
        move(project, users["district"], Stage.CONTACT, occurred_on=D(2025, 3, 1))
    assert exc.value.field == "occurred_on" and "2025年3月14日" in exc.value.message
    move(project, users["district"], Stage.CONTACT, occurred_on=D(2025, 4, 2))
    with pytest.raises(DomainError):
        move(project, users["district"], Stage.RECOMMENDED, occurred_on=D(2025, 4, 1))
    with pytest.raises(DomainError):
        move(project, users["district"], Stage.RECOMMENDED, occurred_on=D(2099, 1, 1))
    change = move(project, users["district"], Stage.RECOMMENDED)
    assert change.occurred_on == timezone.localdate()  # defaults to today
    assert list(project.stage_changes.order_by("id").values_list("occurred_on", flat=True))[:2] == [
        D(2025, 3, 14), D(2025, 4, 2)]
