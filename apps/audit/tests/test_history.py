"""A record's page shows its 修改记录 from the audit log: who changed which field from what to what."""

import pytest

from apps.audit.selectors import record_history
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


def test_a_recommendation_shows_each_districts_answer_in_its_history(client, users, units, organisation):
    from apps.recommendations.services import recommendation_accept, recommendation_create

    recommendation = recommendation_create(actor=users["office"], organisation=organisation,
                                           units=[units["九龙坡区"], units["长寿区"]], reason="用地需求约80亩")
    target = recommendation.targets.get(unit=units["九龙坡区"])
    recommendation_accept(actor=users["district"], target=target, reason="符合我区智能网联新能源汽车产业链")
    client.force_login(users["office"])
    page = client.get(f"/recommendations/{recommendation.pk}/").content.decode()
    history = page[page.index('id="history"'):]
    assert "九龙坡区</span> · " in history and users["district"].display_name in history
    assert history.index("九龙坡区</span> · ") < history.index("创建")  # newest first: the answer above the creation
    # 长寿区 reads the recommendation for its own part only: 九龙坡区's answer is not in its history.
    client.force_login(users["district2"])
    page = client.get(f"/recommendations/{recommendation.pk}/").content.decode()
    assert "九龙坡区</span> · " not in page[page.index('id="history-title"'):]


def test_parts_are_merged_newest_first_and_labelled(users, units, organisation):
    from apps.recommendations.services import recommendation_accept, recommendation_create

    recommendation = recommendation_create(actor=users["office"], organisation=organisation,
                                           units=[units["九龙坡区"]], reason="用地需求约80亩")
    target = recommendation.targets.get()
    recommendation_accept(actor=users["district"], target=target)
    entries = record_history(recommendation, parts=[(target, "九龙坡区")])
    assert [e["subject"] for e in entries][0] == "九龙坡区"
    assert entries[-1]["subject"] == "" and entries[-1]["log"].action == "create"
    times = [(e["log"].at, e["log"].pk) for e in entries]
    assert times == sorted(times, reverse=True)


def test_a_district_reads_its_own_answer_but_not_the_recommendations_own_entries(client, users, units, organisation):
    from apps.recommendations.services import recommendation_create, recommendation_decline

    recommendation = recommendation_create(actor=users["office"], organisation=organisation,
                                           units=[units["九龙坡区"], units["长寿区"]], reason="用地需求约80亩")
    recommendation_decline(actor=users["district2"], target=recommendation.targets.get(unit=units["长寿区"]),
                           reason="用地已饱和")
    client.force_login(users["district2"])
    page = client.get(f"/recommendations/{recommendation.pk}/").content.decode()
    history = page[page.index('id="history"'):]
    assert "长寿区</span> · " in history and "用地已饱和" in history
    assert "九龙坡区" not in history  # the creation entry names both districts: not shown to one of them
