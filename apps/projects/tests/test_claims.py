"""首谈负责制 after registration: recorded work extends the protection; a refused district asks for 协调;
the office decides (one owner — granting ends the holder's protection); both units and the office see
every step. Services, pages as each role, and the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apps.activities.services import activity_create
from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.core.idempotency import new_submission_key
from apps.core.templatetags.display import cndate
from apps.core.testing import bearer, text
from apps.projects.choices import Stage
from apps.projects.claims import arbitration_decide, arbitration_request, arbitration_withdraw
from apps.projects.models import ArbitrationStatus, ClaimArbitration, Project
from apps.projects.services import project_change_stage, project_create

REASON = "我区2025年9月已在京拜访该企业董事长，并已安排考察。"


@pytest.fixture
def held(make_project, organisation):
    """九龙坡区 holds the organisation."""
    return make_project(organisation=organisation, unit_name="九龙坡区", name="骅远算力中心")


def today():
    return timezone.localdate()


def fresh(obj):
    obj.refresh_from_db()
    return obj


def request_arbitration(users, units, organisation, **kwargs):
    return arbitration_request(actor=users["district2"], organisation=organisation, unit=units["长寿区"],
                               reason=kwargs.get("reason", REASON))


# --- protection extended by activity ----------------------------------------------------------------

@override_settings(PROJECT_PROTECTION_EXTENSION_DAYS=90)
def test_recorded_activity_extends_protection_and_is_audited(users, held):
    Project.objects.filter(pk=held.pk).update(protected_until=today() + datetime.timedelta(days=10))
    activity_create(actor=users["district"], date=today(), summary="第二次洽谈", project=held)
    assert fresh(held).protected_until == today() + datetime.timedelta(days=90)
    log = AuditLog.objects.filter(model="projects.project", object_id=str(held.pk)).first()
    assert "首谈保护期延长至" in log.note and cndate(today() + datetime.timedelta(days=90)) in log.note

    # An older visit never shortens it.
    activity_create(actor=users["district"], date=today() - datetime.timedelta(days=30), summary="补录", project=held)
    assert fresh(held).protected_until == today() + datetime.timedelta(days=90)


def test_no_extension_outside_claiming_stages_or_without_a_project(users, held, organisation):
    project_change_stage(actor=users["district"], project=held, to_stage=Stage.TERMINATED, note="企业放弃")
    Project.objects.filter(pk=held.pk).update(protected_until=today())
    activity_create(actor=users["district"], date=today(), summary="礼节性回访", project=fresh(held))
    assert fresh(held).protected_until == today()
    activity_create(actor=users["district"], date=today(), summary="未关联项目", organisation=organisation)
    assert fresh(held).protected_until == today()


# --- the refusal ------------------------------------------------------------------------------------

def test_refusal_names_holder_and_end_date_and_offers_arbitration(users, units, organisation, held):
    with pytest.raises(ConflictError) as caught:
        project_create(actor=users["district2"], organisation=organisation, unit=units["长寿区"], name="长寿项目")
    assert caught.value.code == "claimed"
    assert "九龙坡区" in caught.value.message and cndate(held.protected_until) in caught.value.message
    assert "协调" in caught.value.message


def test_api_409_carries_holder_and_date_as_fields(client, users, units, organisation, held):
    response = client.post("/api/v1/projects", {"organisation_id": organisation.pk, "unit_id": units["长寿区"].pk,
                                                "name": "长寿项目"},
                           content_type="application/json", headers=bearer(client, users["district2"]))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "claimed" and body["holder_unit"] == "九龙坡区"
    assert body["protected_until"] == held.protected_until.isoformat()
    assert "首谈保护期至" in body["detail"] and "骅远算力中心" not in text(response)


def test_create_page_links_to_arbitration(client, users, units, organisation, held):
    client.force_login(users["district2"])
    response = client.post(reverse("projects:create"), {
        "organisation": organisation.pk, "unit": units["长寿区"].pk, "name": "长寿项目",
        "first_contact_date": today().isoformat(), "planned_investment_0": "", "planned_investment_1": "万元",
        "priority": "normal", "confidentiality": "normal", "submission_key": new_submission_key(),
    })
    page = response.content.decode()
    assert "九龙坡区" in page and "首谈保护期至" in page and "申请协调" in page
    assert f"{reverse('projects:arbitration_create')}?organisation={organisation.pk}&amp;unit={units['长寿区'].pk}" in page


# --- arbitration services -----------------------------------------------------------------------------

def test_request_needs_a_reason_and_a_holder_and_is_filed_once(users, units, organisation, held, make_project):
    with pytest.raises(DomainError, match="申请理由"):
        request_arbitration(users, units, organisation, reason="  ")
    arbitration = request_arbitration(users, units, organisation)
    assert arbitration.holder_project == held and arbitration.status == ArbitrationStatus.PENDING
    assert arbitration.holder_protected_until == held.protected_until
    assert AuditLog.objects.filter(model="projects.claimarbitration", object_id=str(arbitration.pk)).exists()
    with pytest.raises(ConflictError, match="请勿重复申请"):
        request_arbitration(users, units, organisation)
    free = make_project(unit_name="九龙坡区").organisation
    Project.objects.filter(organisation=free).update(protected_until=today() - datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="可以直接登记项目"):
        request_arbitration(users, units, free)
    with pytest.raises(DomainError, match="不能代九龙坡区申请"):
        arbitration_request(actor=users["district2"], organisation=organisation, unit=units["九龙坡区"], reason=REASON)
    with pytest.raises(PermissionDenied):
        arbitration_request(actor=users["leader"], organisation=organisation, unit=units["长寿区"], reason=REASON)


def test_granted_ends_the_holders_protection_so_the_requester_can_register(users, units, organisation, held):
    arbitration = request_arbitration(users, units, organisation)
    for role in ("district", "district2", "leader", "specialist"):
        with pytest.raises(PermissionDenied):
            arbitration_decide(actor=users[role], arbitration=arbitration, decision="granted", note="同意")
    with pytest.raises(DomainError, match="处理意见"):
        arbitration_decide(actor=users["office"], arbitration=arbitration, decision="granted", note="")

    arbitration_decide(actor=users["office"], arbitration=arbitration, decision="granted",
                       note="长寿区首次接触在先，有拜访记录为证")
    arbitration = fresh(arbitration)
    assert arbitration.status == ArbitrationStatus.GRANTED and arbitration.decided_by == users["office"]
    assert fresh(held).protected_until == today() - datetime.timedelta(days=1)
    log = AuditLog.objects.filter(model="projects.project", object_id=str(held.pk)).first()
    assert "首谈保护期于" in log.note and "终止" in log.note and "有拜访记录为证" in log.note

    project = project_create(actor=users["district2"], organisation=organisation, unit=units["长寿区"], name="长寿项目")
    assert project.unit == units["长寿区"]
    # The holder's later visits do not bring the protection back.
    activity_create(actor=users["district"], date=today(), summary="再次拜访", project=held)
    assert fresh(held).protected_until == today() - datetime.timedelta(days=1)
    with pytest.raises(ConflictError, match="不能再次处理"):
        arbitration_decide(actor=users["office_admin"], arbitration=arbitration, decision="rejected", note="改判")


def test_rejected_keeps_the_protection(users, units, organisation, held):
    arbitration = request_arbitration(users, units, organisation)
    arbitration_decide(actor=users["office_admin"], arbitration=arbitration, decision="rejected", note="九龙坡区先登记")
    assert fresh(arbitration).status == ArbitrationStatus.REJECTED
    assert fresh(held).protected_until == held.protected_until
    with pytest.raises(ConflictError):
        project_create(actor=users["district2"], organisation=organisation, unit=units["长寿区"], name="长寿项目")


def test_requester_withdraws(users, units, organisation, held):
    arbitration = request_arbitration(users, units, organisation)
    with pytest.raises(PermissionDenied):
        arbitration_withdraw(actor=users["district"], arbitration=arbitration)
    # The office decides a request; taking it back is the requester's alone.
    for office_user in ("office", "office_admin"):
        with pytest.raises(PermissionDenied, match="只有申请单位"):
            arbitration_withdraw(actor=users[office_user], arbitration=arbitration)
        assert fresh(arbitration).status == ArbitrationStatus.PENDING
    arbitration_withdraw(actor=users["district2"], arbitration=arbitration)
    assert fresh(arbitration).status == ArbitrationStatus.WITHDRAWN
    request_arbitration(users, units, organisation)  # a new request may follow a withdrawn one


# --- pages ---------------------------------------------------------------------------------------------

def test_request_page_and_list_for_each_party(client, users, units, organisation, held):
    client.force_login(users["district2"])
    url = f"{reverse('projects:arbitration_create')}?organisation={organisation.pk}&unit={units['长寿区'].pk}"
    form = client.get(url).content.decode()
    assert "九龙坡区跟进" in form and cndate(held.protected_until) in form and "不设“共同跟进”" in form
    refused = client.post(url, {"organisation": organisation.pk, "unit": units["长寿区"].pk, "reason": ""})
    assert "请填写申请理由" in refused.content.decode() and not ClaimArbitration.objects.exists()
    response = client.post(url, {"organisation": organisation.pk, "unit": units["长寿区"].pk, "reason": REASON},
                           follow=True)
    page = response.content.decode()
    assert "已提交协调申请" in page and REASON in page and "撤回申请" in page
    assert "骅远算力中心" not in page  # the requester learns the holder unit, not its project

    client.force_login(users["district"])  # the holder sees the request against its project
    page = client.get(reverse("projects:arbitrations")).content.decode()
    assert REASON in page and "针对本单位项目" in page and "骅远算力中心" in page and "同意（原保护期终止）" not in page

    client.force_login(users["liangjiang"])  # a third district sees nothing
    assert REASON not in client.get(reverse("projects:arbitrations")).content.decode()
    arbitration = ClaimArbitration.objects.get()
    assert client.post(reverse("projects:arbitration_withdraw", args=[arbitration.pk])).status_code == 404

    client.force_login(users["district"])
    assert client.post(reverse("projects:arbitration_decide", args=[arbitration.pk]),
                       {"decision": "granted", "note": "自己批"}).status_code == 403
    assert fresh(arbitration).status == ArbitrationStatus.PENDING


def test_office_decides_on_the_list_page_and_the_holder_sees_why(client, users, units, organisation, held):
    arbitration = request_arbitration(users, units, organisation)
    client.force_login(users["office"])
    page = client.get(reverse("projects:arbitrations")).content.decode()
    assert "同意（原保护期终止）" in page and "不同意（维持原保护期）" in page
    missing_note = client.post(reverse("projects:arbitration_decide", args=[arbitration.pk]),
                               {"decision": "granted", "note": ""}, follow=True)
    assert "请填写处理意见" in missing_note.content.decode()
    assert fresh(arbitration).status == ArbitrationStatus.PENDING
    response = client.post(reverse("projects:arbitration_decide", args=[arbitration.pk]),
                           {"decision": "granted", "note": "长寿区首次接触在先"}, follow=True)
    assert "已处理“骅远科技(北京)有限公司”的协调申请：同意" in response.content.decode()

    client.force_login(users["district"])
    detail = client.get(reverse("projects:detail", args=[held.pk])).content.decode()
    assert "长寿区申请协调：同意" in detail and "长寿区首次接触在先" in detail
    client.force_login(users["district2"])
    listing = client.get(reverse("projects:arbitrations")).content.decode()
    assert "长寿区首次接触在先" in listing and "处理" in listing


# --- API -----------------------------------------------------------------------------------------------

def test_api_request_list_and_decide(client, users, units, organisation, held):
    district2 = bearer(client, users["district2"])
    response = client.post("/api/v1/projects/arbitrations", {"organisation_id": organisation.pk,
                                                             "unit_id": units["长寿区"].pk, "reason": REASON},
                           content_type="application/json", headers=district2)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["holder_unit"]["name"] == "九龙坡区" and body["status"] == "pending"
    assert "骅远算力中心" not in text(response)
    arbitration_id = body["id"]

    again = client.post("/api/v1/projects/arbitrations", {"organisation_id": organisation.pk,
                                                          "unit_id": units["长寿区"].pk, "reason": REASON},
                        content_type="application/json", headers=district2)
    assert again.status_code == 409 and again.json()["code"] == "duplicate_arbitration"

    assert client.get("/api/v1/projects/arbitrations", headers=bearer(client, users["district"])).json()["count"] == 1
    assert client.get("/api/v1/projects/arbitrations",
                      headers=bearer(client, users["liangjiang"])).json()["count"] == 0

    denied = client.post(f"/api/v1/projects/arbitrations/{arbitration_id}/decide",
                         {"decision": "granted", "note": "x"}, content_type="application/json", headers=district2)
    assert denied.status_code == 403
    hidden = client.post(f"/api/v1/projects/arbitrations/{arbitration_id}/decide",
                         {"decision": "granted", "note": "x"}, content_type="application/json",
                         headers=bearer(client, users["liangjiang"]))
    assert hidden.status_code == 404
    bad = client.post(f"/api/v1/projects/arbitrations/{arbitration_id}/decide", {"decision": "both", "note": "共同跟进"},
                      content_type="application/json", headers=bearer(client, users["office"]))
    assert bad.status_code == 400 and "同意" in bad.json()["detail"]
    decided = client.post(f"/api/v1/projects/arbitrations/{arbitration_id}/decide",
                          {"decision": "granted", "note": "首次接触在先"}, content_type="application/json",
                          headers=bearer(client, users["office"]))
    assert decided.status_code == 200 and decided.json()["status"] == "granted"
    created = client.post("/api/v1/projects", {"organisation_id": organisation.pk, "unit_id": units["长寿区"].pk,
                                               "name": "长寿项目"}, content_type="application/json", headers=district2)
    assert created.status_code == 201
