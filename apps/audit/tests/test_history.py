"""A record's page shows its 修改记录 from the audit log: who changed which field from what to what."""

import pytest

from apps.servicedesk.services import request_assign, request_create

pytestmark = pytest.mark.django_db


def test_a_service_requests_page_shows_who_handed_it_where(client, users, units, make_project):
    project = make_project(name="骅远人工智能数据安全中心")
    request = request_create(actor=users["district"], project=project, category="land", title="用地指标")
    request_assign(actor=users["office"], request=request, owner_unit=units["长寿区"])
    client.force_login(users["office"])
    page = client.get(f"/requests/{request.pk}/").content.decode()
    history = page[page.index('id="history"'):]
    assert "承办单位：九龙坡区 → 长寿区" in history
    assert history.index("修改") < history.index("创建")  # newest first
    assert users["office"].display_name in history


def test_an_organisations_page_shows_its_history(client, users, organisation):
    client.force_login(users["office"])
    page = client.get(f"/organisations/{organisation.pk}/").content.decode()
    assert 'id="history"' in page and "创建" in page[page.index('id="history"'):]



def test_a_district_reads_an_organisations_changes_but_not_notes_about_other_units_work(client, users,
                                                                                       organisation):
    from apps.audit.services import AuditAction, audit_record

    audit_record(actor=users["office_admin"], instance=organisation, action=AuditAction.UPDATE,
                 changes={"region": ["北京市", "北京市海淀区"]}, note="合并：迁移招商项目3条、企业诉求2条")
    client.force_login(users["office"])
    assert "迁移招商项目3条" in client.get(f"/organisations/{organisation.pk}/").content.decode()
    client.force_login(users["district"])
    page = client.get(f"/organisations/{organisation.pk}/").content.decode()
    assert "迁移招商项目3条" not in page and "北京市 → 北京市海淀区" in page
