"""The talent services: what is written, what each stage needs, and that a refusal names the field and
writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.talent.models import Talent, TalentSpecialistAssignment, TalentStageChange
from apps.talent.services import (
    talent_archive,
    talent_assign_specialist,
    talent_create,
    talent_move_stage,
    talent_update,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def rows() -> dict:
    """What a refused call must leave as it was."""
    return {"talent": sorted(Talent.objects.values_list("pk", "version", "stage", "name", "mode", "signed_date",
                                                         "arrived_date", "specialist_id", "is_archived")),
            "changes": TalentStageChange.objects.count(), "audit": AuditLog.objects.count(),
            "assignments": sorted(TalentSpecialistAssignment.objects.values_list("pk", "ended_at"))}


def refused(call, field: str, error=DomainError):
    before = rows()
    with pytest.raises(error) as caught:
        call()
    assert caught.value.field == field, caught.value.message
    assert rows() == before
    return caught.value.message


def test_registering_starts_at_intention_with_history_audit_and_specialist(users, units, clusters, organisation):
    talent = talent_create(actor=users["district"], name="  梁振宇 ", unit=units["九龙坡区"], kind="academician",
                           title="中国工程院院士", affiliation=organisation, specialist=users["specialist"],
                           clusters=[clusters["新一代电子信息制造业"]], first_contact_date=D(2025, 10, 1))
    assert talent.name == "梁振宇" and talent.stage == "intention" and talent.version == 1
    assert [c.name for c in talent.clusters.all()] == ["新一代电子信息制造业"]
    change = talent.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.occurred_on) == ("", "intention", D(2025, 10, 1))
    log = AuditLog.objects.get(model="talent.talent", object_id=str(talent.pk))
    assert log.changes["clusters"] == [None, "新一代电子信息制造业"]
    assignment = talent.specialist_assignments.get()
    assert assignment.specialist == users["specialist"] and assignment.ended_at is None


def test_registering_refuses_bad_input_naming_the_field(users, units, make_talent):
    district = users["district"]
    assert "只能为本单位" in refused(lambda: talent_create(actor=district, name="某专家", unit=units["长寿区"]), "unit")
    refused(lambda: talent_create(actor=district, name="某", unit=units["九龙坡区"]), "name")
    refused(lambda: talent_create(actor=district, name="某团队", kind="team", unit=units["九龙坡区"]), "team_size")
    refused(lambda: talent_create(actor=district, name="某专家", kind="guru", unit=units["九龙坡区"]), "kind")
    refused(lambda: talent_create(actor=users["office"], name="某专家", unit=units["驻京办"]), "unit")
    refused(lambda: talent_create(actor=district, name="某专家", unit=units["九龙坡区"],
                                  first_contact_date=datetime.date.today() + datetime.timedelta(days=3)),
            "first_contact_date")
    # Signing facts belong to the move into 签约, not to registration.
    refused(lambda: talent_create(actor=district, name="某专家", unit=units["九龙坡区"], signed_date=D(2025, 1, 1)),
            "signed_date")
    with pytest.raises(PermissionDenied):
        talent_create(actor=users["leader"], name="某专家", unit=units["九龙坡区"])
    with pytest.raises(PermissionDenied):
        talent_create(actor=users["specialist"], name="某专家", unit=units["九龙坡区"])
    assert not Talent.objects.exists()


def test_a_team_keeps_its_size_and_others_lose_it(make_talent):
    team = make_talent(kind="team", team_size=12)
    assert team.team_size == 12
    expert = make_talent(kind="expert", team_size=5)
    assert expert.team_size is None


def test_one_step_forward_writes_a_history_row_and_an_audit_entry(make_talent, users):
    talent = make_talent(actor=users["district"])
    change = talent_move_stage(actor=users["district"], talent=talent, to_stage="negotiation",
                               occurred_on=D(2025, 7, 1), note="首次面谈", evidence="会议纪要")
    talent.refresh_from_db()
    assert talent.stage == "negotiation" and talent.version == 2
    assert (change.from_stage, change.to_stage, change.changed_by, change.note) == (
        "intention", "negotiation", users["district"], "首次面谈")
    assert AuditLog.objects.filter(object_id=str(talent.pk), action="stage", note="意向 → 洽谈").exists()


def test_skipping_needs_a_reason_and_backward_is_refused(make_talent, users):
    talent = make_talent()
    message = refused(lambda: talent_move_stage(actor=users["office"], talent=talent, to_stage="site_visit"),
                      "skip_reason")
    assert "跳过了“洽谈”" in message
    talent_move_stage(actor=users["office"], talent=talent, to_stage="site_visit", skip_reason="已在京面谈多次")
    assert "退回" in refused(lambda: talent_move_stage(actor=users["office"], talent=talent, to_stage="negotiation"),
                             "to_stage")


def test_signing_needs_mode_and_date_also_when_skipped(make_talent, users):
    talent = make_talent()
    office = users["office"]
    message = refused(lambda: talent_move_stage(actor=office, talent=talent, to_stage="signed", skip_reason="快"),
                      "mode")
    assert "引进方式、签约日期" in message
    refused(lambda: talent_move_stage(actor=office, talent=talent, to_stage="signed", skip_reason="快",
                                      values={"mode": "joint_lab"}), "signed_date")
    refused(lambda: talent_move_stage(actor=office, talent=talent, to_stage="signed", skip_reason="快",
                                      values={"mode": "wizard", "signed_date": D(2025, 9, 1)}), "mode")
    # 到岗 over 签约 still needs the signing's facts and its own date.
    refused(lambda: talent_move_stage(actor=office, talent=talent, to_stage="arrived", skip_reason="快",
                                      values={"mode": "full_time", "signed_date": D(2025, 9, 1)}), "arrived_date")
    talent_move_stage(actor=office, talent=talent, to_stage="signed", skip_reason="院士当场签约",
                      values={"mode": "joint_lab", "signed_date": D(2025, 9, 1)}, occurred_on=D(2025, 9, 1))
    talent.refresh_from_db()
    assert (talent.stage, talent.mode, talent.signed_date, talent.is_flexible) == (
        "signed", "joint_lab", D(2025, 9, 1), True)


def test_arrival_date_must_follow_signing_and_not_lie_ahead(signed_talent, users):
    talent = signed_talent()
    office = users["office"]
    assert "不能早于签约日期" in refused(lambda: talent_move_stage(
        actor=office, talent=talent, to_stage="arrived", values={"arrived_date": D(2025, 8, 1)}), "arrived_date")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert "晚于今天" in refused(lambda: talent_move_stage(
        actor=office, talent=talent, to_stage="arrived", values={"arrived_date": tomorrow}), "arrived_date")
    talent_move_stage(actor=office, talent=talent, to_stage="arrived", values={"arrived_date": D(2025, 10, 8)})
    talent_move_stage(actor=office, talent=talent, to_stage="serving")
    talent.refresh_from_db()
    assert talent.stage == "serving"
    assert list(talent.stage_changes.values_list("to_stage", flat=True)) == [
        "intention", "negotiation", "site_visit", "signed", "arrived", "serving"]


def test_pause_needs_a_reason_and_resumes_where_it_stopped(make_talent, users):
    talent = make_talent()
    office = users["office"]
    talent_move_stage(actor=office, talent=talent, to_stage="negotiation")
    refused(lambda: talent_move_stage(actor=office, talent=talent, to_stage="paused"), "note")
    talent_move_stage(actor=office, talent=talent, to_stage="paused", note="本人出国访学")
    talent.refresh_from_db()
    assert (talent.stage, talent.paused_from) == ("paused", "negotiation")
    talent_move_stage(actor=office, talent=talent, to_stage="negotiation")
    talent.refresh_from_db()
    assert (talent.stage, talent.paused_from) == ("negotiation", "")


def test_terminated_is_final(make_talent, users):
    talent = make_talent()
    talent_move_stage(actor=users["office"], talent=talent, to_stage="terminated", note="已去往他省")
    assert "已终止" in refused(lambda: talent_move_stage(actor=users["office"], talent=talent,
                                                        to_stage="negotiation"), "to_stage")


def test_a_stale_or_repeated_move_is_refused(make_talent, users):
    talent = make_talent()
    talent_move_stage(actor=users["office"], talent=talent, to_stage="negotiation", expected_stage="intention")
    refused(lambda: talent_move_stage(actor=users["office"], talent=talent, to_stage="negotiation",
                                      expected_stage="intention"), "to_stage", ConflictError)


def test_occurred_on_may_not_precede_the_last_move(make_talent, users):
    talent = make_talent(first_contact_date=D(2025, 6, 1))
    refused(lambda: talent_move_stage(actor=users["office"], talent=talent, to_stage="negotiation",
                                      occurred_on=D(2025, 5, 1)), "occurred_on")


def test_edit_checks_version_and_stage_facts(make_talent, signed_talent, users, clusters):
    talent = make_talent()
    office = users["office"]
    refused(lambda: talent_update(actor=office, talent=talent, version=7, name="新名字"), None, ConflictError)
    refused(lambda: talent_update(actor=office, talent=talent, version=1, mode="full_time"), "mode")
    updated = talent_update(actor=office, talent=talent, version=1, title="长江学者", clusters=[clusters["先进材料"]])
    assert updated.title == "长江学者" and updated.version == 2
    assert [c.name for c in updated.clusters.all()] == ["先进材料"]
    log = AuditLog.objects.get(object_id=str(talent.pk), model="talent.talent", action="update")
    assert log.changes["clusters"] == ["", "先进材料"]

    signed = signed_talent()
    refused(lambda: talent_update(actor=office, talent=signed, signed_date=None), "signed_date")
    corrected = talent_update(actor=office, talent=signed, mode="consultant")
    assert corrected.mode == "consultant"


def test_linking_a_project_needs_a_visible_project_and_a_kind(make_talent, make_project, users):
    other = make_project(unit_name="长寿区")
    own = make_project(unit_name="九龙坡区")
    talent = make_talent(actor=users["district"])
    refused(lambda: talent_update(actor=users["district"], talent=talent, project=other,
                                  link_kind="brings_project"), "project")
    refused(lambda: talent_update(actor=users["district"], talent=talent, project=own), "link_kind")
    linked = talent_update(actor=users["district"], talent=talent, project=own, link_kind="brings_project")
    assert linked.project == own and own.talent.get() == linked
    unlinked = talent_update(actor=users["district"], talent=talent, project=None)
    assert (unlinked.project, unlinked.link_kind) == (None, "")


def test_specialist_history_and_handover_note(make_talent, users):
    talent = make_talent(specialist=users["specialist"])
    refused(lambda: talent_assign_specialist(actor=users["office"], talent=talent, specialist=users["district"]),
            "note")
    refused(lambda: talent_assign_specialist(actor=users["office"], talent=talent, specialist=users["specialist"],
                                             note="x"), "specialist")
    talent_assign_specialist(actor=users["office"], talent=talent, specialist=users["district"], note="已交接联系方式")
    talent.refresh_from_db()
    assert talent.specialist == users["district"]
    history = list(talent.specialist_assignments.order_by("started_at", "id"))
    assert [a.specialist for a in history] == [users["specialist"], users["district"]]
    assert history[0].ended_at is not None and history[1].ended_at is None and history[1].note == "已交接联系方式"
    assert users["district"].notifications.filter(kind="talent.specialist_assigned").exists()


def test_archive_needs_a_reason(make_talent, users):
    talent = make_talent()
    refused(lambda: talent_archive(actor=users["office"], talent=talent, reason=" "), "reason")
    archived = talent_archive(actor=users["office"], talent=talent, reason="重复登记")
    assert archived.is_archived
    assert AuditLog.objects.filter(object_id=str(talent.pk), action="archive", note="重复登记").exists()


def test_a_district_cannot_name_another_district_s_staff_as_specialist(users, units):
    """Through the API as on the page: the specialist would otherwise see and change the record."""
    import datetime

    from apps.core.errors import DomainError
    from apps.talent.models import Talent
    from apps.talent.services import talent_create

    with pytest.raises(DomainError, match="服务专员"):
        talent_create(actor=users["district"], name="跨区专员测试", unit=units["九龙坡区"],
                      first_contact_date=datetime.date(2025, 1, 2), specialist=users["district2"])
    assert not Talent.objects.filter(name="跨区专员测试").exists()
    made = talent_create(actor=users["district"], name="本区专员测试", unit=units["九龙坡区"],
                         first_contact_date=datetime.date(2025, 1, 2), specialist=users["specialist"])
    assert made.specialist == users["specialist"]


def test_a_district_is_not_told_the_name_of_another_unit_s_linked_project(client, users, units, make_project):
    """ADR 0002: the office links 九龙坡区's talent to a 长寿区 project; 九龙坡区 sees that a project is linked,
    not which — on the page, in the API and in the history."""
    import datetime

    from apps.core.testing import bearer
    from apps.talent.services import talent_create, talent_update

    secret = make_project(unit_name="长寿区", name="长寿区保密项目")
    person = talent_create(actor=users["office"], name="被引荐专家", unit=units["九龙坡区"],
                           first_contact_date=datetime.date(2025, 1, 2))
    talent_update(actor=users["office"], talent=person, project=secret, link_kind="brought_by_project")
    client.force_login(users["district"])
    page = client.get(f"/talent/{person.pk}/").content.decode()
    assert "被引荐专家" in page and "长寿区保密项目" not in page and "其他单位的项目" in page
    body = client.get(f"/api/v1/talent/{person.pk}", headers=bearer(client, users["district"])).json()
    assert body["project"] is None
    client.force_login(users["office"])
    assert "长寿区保密项目" in client.get(f"/talent/{person.pk}/").content.decode()
