"""The pages as people use them: the office recommends from an organisation's link, a district finds
what waits for its answer first, accepts or declines, logs the site visit, and the funnel page says the
article's sentence."""

import pytest
from django.urls import reverse

from apps.core.idempotency import new_submission_key
from apps.projects.models import Project
from apps.recommendations.models import Recommendation, TargetStatus
from apps.recommendations.services import recommendation_accept, recommendation_decline

from .factories import D, target_of


def create_data(org, *units, **overrides):
    return {"organisation": org.pk, "units": [u.pk for u in units], "reason": "企业有西南布局意向",
            "date": "2025-10-05", "submission_key": new_submission_key()} | overrides


def test_office_recommends_from_an_organisations_link(client, users, units, make_org):
    org = make_org("凌云智能装备（北京）有限公司")
    client.force_login(users["office"])
    url = reverse("recommendations:create") + f"?organisation={org.pk}"
    form = client.get(url).content.decode()
    assert f'<option value="{org.pk}" selected>' in form
    assert "九龙坡区" in form and "江北区" not in form  # ended units are not offered
    response = client.post(url, create_data(org, units["九龙坡区"], units["长寿区"]))
    recommendation = Recommendation.objects.get(organisation=org)
    assert response.status_code == 302 and response.url == reverse("recommendations:detail", args=[recommendation.pk])
    page = client.get(response.url).content.decode()
    assert "2025年10月5日" in page and "九龙坡区" in page and "长寿区" in page and "待答复" in page


def test_refusals_come_back_on_the_form(client, users, units, make_org, recommend):
    org = make_org()
    client.force_login(users["office"])
    url = reverse("recommendations:create")
    response = client.post(url, create_data(org))
    assert response.status_code == 200 and "请至少选择一个区县" in response.content.decode()
    recommend("九龙坡区", organisation=org, date=D(2025, 9, 1))
    response = client.post(url, create_data(org, units["九龙坡区"]))
    assert response.status_code == 200
    assert "已于2025年9月1日推荐给九龙坡区（待答复），不能重复推荐" in response.content.decode()
    assert Recommendation.objects.filter(organisation=org).count() == 1


def test_the_list_shows_each_units_answer_to_the_office_and_only_its_own_to_a_district(client, users, recommend):
    recommendation = recommend("九龙坡区", "长寿区")
    recommendation_decline(actor=users["district2"], target=target_of(recommendation, "长寿区"), reason="用地已饱和")
    client.force_login(users["office"])
    page = client.get(reverse("recommendations:list")).content.decode()
    assert "九龙坡区 · 待答复" in page and "长寿区 · 已婉拒" in page

    client.force_login(users["district"])
    page = client.get(reverse("recommendations:list")).content.decode()
    assert "待我单位答复" in page and recommendation.organisation.name in page
    assert "长寿区" not in page
    detail = client.get(reverse("recommendations:detail", args=[recommendation.pk])).content.decode()
    assert "用地已饱和" not in detail and "长寿区" not in detail and "接受推荐" in detail


@pytest.mark.parametrize("who", ["office", "district"])
def test_the_list_costs_the_same_queries_for_one_row_or_many(client, users, recommend, django_assert_num_queries,
                                                              who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users[who])
    recommend("九龙坡区", "长寿区", "两江新区")
    client.get(reverse("recommendations:list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("recommendations:list"))
    for _ in range(5):
        recommend("九龙坡区", "长寿区", "两江新区")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(reverse("recommendations:list")).status_code == 200


def test_district_accepts_then_logs_the_site_visit(client, users, recommend):
    target = target_of(recommend("九龙坡区"), "九龙坡区")
    client.force_login(users["district"])
    response = client.post(reverse("recommendations:accept", args=[target.pk]),
                           {f"accept-{target.pk}-reason": "下周安排考察"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "已接受推荐" in page and "推荐考察" in page and "记录实地考察" in page
    prefix = f"visit-{target.pk}"
    response = client.post(reverse("recommendations:site_visit", args=[target.pk]), {
        f"{prefix}-date": "2025-10-15", f"{prefix}-summary": "企业考察西部科学城园区",
        f"{prefix}-submission_key": new_submission_key()})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.project.stage == "site_visit"
    page = client.get(response.url).content.decode()
    assert "2025年10月15日" in page and "企业考察西部科学城园区" in page


def test_a_decline_without_a_reason_is_put_back_on_its_form(client, users, recommend):
    target = target_of(recommend("九龙坡区"), "九龙坡区")
    client.force_login(users["district"])
    response = client.post(reverse("recommendations:decline", args=[target.pk]), {f"decline-{target.pk}-reason": ""})
    assert response.status_code == 200 and "婉拒理由：请写明原因" in response.content.decode()
    target.refresh_from_db()
    assert target.status == TargetStatus.PENDING


def test_a_claim_conflict_on_accept_offers_arbitration_and_changes_nothing(client, users, make_project, make_org,
                                                                           recommend):
    org = make_org()
    make_project(organisation=org, unit_name="长寿区", actor=users["district2"])
    target = target_of(recommend("九龙坡区", organisation=org), "九龙坡区")
    client.force_login(users["district"])
    response = client.post(reverse("recommendations:accept", args=[target.pk]), {f"accept-{target.pk}-reason": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "已由长寿区登记跟进" in page and "申请协调" in page
    assert reverse("projects:arbitration_create") in page
    target.refresh_from_db()
    assert target.status == TargetStatus.PENDING and Project.objects.filter(organisation=org).count() == 1


def test_the_funnel_page_says_the_articles_sentence(client, users, recommend, make_org):
    from apps.activities.services import activity_create

    org = make_org()
    activity_create(actor=users["office"], organisation=org, kind="visit", date=D(2025, 10, 2), summary="走访")
    recommendation = recommend("九龙坡区", "长寿区", organisation=org, date=D(2025, 10, 5))
    recommendation_accept(actor=users["district"], target=target_of(recommendation, "九龙坡区"), today=D(2025, 10, 8))
    client.force_login(users["leader"])
    page = client.get(reverse("recommendations:funnel"), {"start": "2025-10-01", "end": "2025-10-31"}).content.decode()
    assert "拜访企业1家，推荐1家企业赴渝实地考察，其中0家已达成合作意向或实现落地" in page
    assert "2025年10月1日至2025年10月31日" in page
    assert org.name in page  # the drill-down lists
    page = client.get(reverse("recommendations:funnel"), {"start": "2025-11-01", "end": "2025-10-01"}).content.decode()
    assert "开始日期：不能晚于结束日期" in page


@pytest.mark.parametrize("who", ["district", "office"])
def test_waiting_selector_for_my_work(users, recommend, who):
    from apps.recommendations.selectors import recommendations_waiting

    first = recommend("九龙坡区", "长寿区", date=D(2025, 10, 5))
    recommend("长寿区", date=D(2025, 10, 6))
    recommend("九龙坡区", date=D(2025, 10, 7), actor=users["office_admin"])
    recommendation_accept(actor=users["district"], target=target_of(first, "九龙坡区"))
    waiting = list(recommendations_waiting(actor=users[who]))
    if who == "district":  # its own unit's unanswered targets, oldest first
        assert [(t.unit.name, t.recommendation.date) for t in waiting] == [("九龙坡区", D(2025, 10, 7))]
    else:  # the office person's own recommendations still unanswered
        assert [(t.unit.name, t.recommendation.date) for t in waiting] == [("长寿区", D(2025, 10, 5)),
                                                                          ("长寿区", D(2025, 10, 6))]
    assert list(recommendations_waiting(actor=users["leader"])) == []
