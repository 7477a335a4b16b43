import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core.errors import ConflictError, DomainError
from apps.organisations.models import Organisation
from apps.organisations.services import organisation_create, organisation_update, person_create


def test_create_normalises_name_and_keeps_short_names(users):
    org = organisation_create(actor=users["district"], name="北京信技源信息服务有限公司 ", short_names=["北京信技源"])
    assert org.name == "北京信技源信息服务有限公司"
    assert [a.name for a in org.aliases.all()] == ["北京信技源"]
    assert AuditLog.objects.filter(model="organisations.organisation", object_id=str(org.pk)).count() == 1


def test_wrong_credit_code_is_refused_and_nothing_is_created(users):
    with pytest.raises(DomainError) as exc:
        organisation_create(actor=users["district"], name="某某科技有限公司", credit_code="91110000600037341N")
    assert "校验位" in exc.value.message and "“L”" in exc.value.message
    assert not Organisation.objects.exists()


def test_the_same_code_or_name_cannot_be_entered_twice(users, organisation):
    with pytest.raises(DomainError) as exc:
        organisation_create(actor=users["district"], name="另一个名字有限公司", credit_code="91110000600037341L")
    assert organisation.name in exc.value.message
    with pytest.raises(DomainError):
        organisation_create(actor=users["district"], name="骅远科技（北京）有限公司")  # full-width brackets
    assert Organisation.objects.count() == 1


def test_leader_reads_only(users, organisation):
    with pytest.raises(PermissionDenied):
        organisation_create(actor=users["leader"], name="领导登记的企业")
    with pytest.raises(PermissionDenied):
        organisation_update(actor=users["leader"], organisation=organisation, region="天津")
    organisation.refresh_from_db()
    assert organisation.region == "北京市海淀区"


def test_stale_edit_is_refused(users, organisation):
    organisation_update(actor=users["district"], organisation=organisation, version=1, region="北京市朝阳区")
    with pytest.raises(ConflictError):
        organisation_update(actor=users["district2"], organisation=organisation, version=1, region="天津市")
    organisation.refresh_from_db()
    assert organisation.region == "北京市朝阳区"
    log = AuditLog.objects.filter(action="update").get()
    assert log.changes == {"region": ["北京市海淀区", "北京市朝阳区"]}


def test_person_needs_a_name(users, organisation):
    with pytest.raises(DomainError):
        person_create(actor=users["district"], name=" ", organisation=organisation)
    p = person_create(actor=users["district"], name="姜锺焕", kind="expert", organisation=organisation, title="核心技术带头人")
    assert p.organisation == organisation
