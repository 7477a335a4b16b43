"""Every page and API endpoint of 推荐考察 against every role of the `users` fixture (and nobody signed
in). The recommendation under test is made to 九龙坡区 only: the office and leaders see it; 九龙坡区's
people (and its service specialist) see it, only its admin/staff answer; 长寿区 and 两江新区 meet 404s.
A refusal leaves the records as they were."""

import pytest
from django.urls import reverse

from apps.core.idempotency import new_submission_key
from apps.recommendations.models import Recommendation, TargetStatus
from apps.recommendations.services import recommendation_accept

from .factories import D, target_of

ROLES = ["anonymous", "office_admin", "office", "leader", "district", "district_admin", "district2", "specialist",
         "liangjiang"]
SEES = {"office_admin", "office", "leader", "district", "district_admin", "specialist"}
OFFICE = {"office_admin", "office"}
ANSWERS = {"district", "district_admin"}
API = "/api/v1/recommendations"


def expected(who, allowed, ok, *, sees=SEES, anonymous=302):
    """ok for the allowed roles; 404 for roles that may not see the row; 403 for the others."""
    if who == "anonymous":
        return anonymous
    if who in allowed:
        return ok
    return 403 if who in sees else 404


def sign_in(client, users, who):
    if who != "anonymous":
        client.force_login(users[who])
    return client


@pytest.fixture
def target(recommend):
    return target_of(recommend("九龙坡区", date=D(2025, 10, 5)), "九龙坡区")


@pytest.fixture
def accepted(users, target):
    return recommendation_accept(actor=users["district"], target=target, today=D(2025, 10, 8))


def visit_form(prefix):
    return {f"{prefix}-date": "2025-10-15", f"{prefix}-summary": "考察园区", f"{prefix}-participants": "",
            f"{prefix}-counterparts": "", f"{prefix}-next_step": "", f"{prefix}-next_step_due": "",
            f"{prefix}-submission_key": new_submission_key()}


# --- pages --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ROLES)
def test_page_list_and_funnel(client, users, target, who):
    sign_in(client, users, who)
    everyone = set(ROLES) - {"anonymous"}
    for url in [reverse("recommendations:list"), reverse("recommendations:funnel")]:
        assert client.get(url).status_code == expected(who, everyone, 200)
    page = client.get(reverse("recommendations:list")).content.decode()
    if who in SEES:
        assert target.recommendation.organisation.name in page
    elif who != "anonymous":
        assert target.recommendation.organisation.name not in page


@pytest.mark.parametrize("who", ROLES)
def test_page_create(client, users, units, make_org, who):
    sign_in(client, users, who)
    org = make_org()
    url = reverse("recommendations:create") + f"?organisation={org.pk}"
    assert client.get(url).status_code == expected(who, OFFICE, 200, sees=set(ROLES))
    response = client.post(url, {"organisation": org.pk, "units": [units["九龙坡区"].pk], "reason": "推荐理由",
                                 "date": "2025-10-05", "submission_key": new_submission_key()})
    assert response.status_code == expected(who, OFFICE, 302, sees=set(ROLES))
    assert Recommendation.objects.filter(organisation=org).exists() == (who in OFFICE)


@pytest.mark.parametrize("who", ROLES)
def test_page_detail(client, users, target, who):
    sign_in(client, users, who)
    response = client.get(reverse("recommendations:detail", args=[target.recommendation_id]))
    assert response.status_code == expected(who, SEES, 200)
    if response.status_code == 200:
        assert ("接受推荐" in response.content.decode()) == (who in ANSWERS)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_page_answer(client, users, target, who, action):
    sign_in(client, users, who)
    response = client.post(reverse(f"recommendations:{action}", args=[target.pk]),
                           {f"{action}-{target.pk}-reason": "理由"})
    assert response.status_code == expected(who, ANSWERS, 302)
    target.refresh_from_db()
    done = TargetStatus.ACCEPTED if action == "accept" else TargetStatus.DECLINED
    assert target.status == (done if who in ANSWERS else TargetStatus.PENDING)


@pytest.mark.parametrize("who", ROLES)
def test_page_site_visit(client, users, accepted, who):
    sign_in(client, users, who)
    response = client.post(reverse("recommendations:site_visit", args=[accepted.pk]), visit_form(f"visit-{accepted.pk}"))
    assert response.status_code == expected(who, ANSWERS, 302)
    accepted.refresh_from_db()
    assert (accepted.site_visit_id is not None) == (who in ANSWERS)


@pytest.mark.parametrize("who", ROLES)
def test_page_withdraw(client, users, target, who):
    sign_in(client, users, who)
    response = client.post(reverse("recommendations:withdraw", args=[target.recommendation_id]), {"reason": "误推"})
    assert response.status_code == expected(who, OFFICE, 302)
    target.refresh_from_db()
    assert target.status == (TargetStatus.WITHDRAWN if who in OFFICE else TargetStatus.PENDING)


# --- API ----------------------------------------------------------------------------------------------

def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.mark.parametrize("who", ROLES)
def test_api_list_funnel_and_detail(client, users, target, who):
    sign_in(client, users, who)
    everyone = set(ROLES) - {"anonymous"}
    listing = client.get(API)
    assert listing.status_code == expected(who, everyone, 200, anonymous=401)
    if listing.status_code == 200:
        assert listing.json()["count"] == (1 if who in SEES else 0)
    funnel = client.get(f"{API}/funnel", {"start": "2025-10-01", "end": "2025-10-31"})
    assert funnel.status_code == expected(who, everyone, 200, anonymous=401)
    if funnel.status_code == 200:
        assert funnel.json()["recommended"] == (1 if who in SEES else 0)
    detail = client.get(f"{API}/{target.recommendation_id}")
    assert detail.status_code == expected(who, SEES, 200, anonymous=401)


@pytest.mark.parametrize("who", ROLES)
def test_api_create(client, users, units, make_org, who):
    sign_in(client, users, who)
    org = make_org()
    response = post(client, API, {"organisation_id": org.pk, "unit_ids": [units["九龙坡区"].pk], "reason": "推荐理由",
                                  "date": "2025-10-05"})
    assert response.status_code == expected(who, OFFICE, 201, sees=set(ROLES), anonymous=401)
    assert Recommendation.objects.filter(organisation=org).exists() == (who in OFFICE)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_api_answer(client, users, target, who, action):
    sign_in(client, users, who)
    response = post(client, f"{API}/targets/{target.pk}/{action}", {"reason": "理由"})
    assert response.status_code == expected(who, ANSWERS, 200, anonymous=401)
    target.refresh_from_db()
    done = TargetStatus.ACCEPTED if action == "accept" else TargetStatus.DECLINED
    assert target.status == (done if who in ANSWERS else TargetStatus.PENDING)


@pytest.mark.parametrize("who", ROLES)
def test_api_site_visit(client, users, accepted, who):
    sign_in(client, users, who)
    response = post(client, f"{API}/targets/{accepted.pk}/site-visit", {"date": "2025-10-15", "summary": "考察园区"})
    assert response.status_code == expected(who, ANSWERS, 201, anonymous=401)
    accepted.refresh_from_db()
    assert (accepted.site_visit_id is not None) == (who in ANSWERS)


@pytest.mark.parametrize("who", ROLES)
def test_api_withdraw(client, users, target, who):
    sign_in(client, users, who)
    response = post(client, f"{API}/{target.recommendation_id}/withdraw", {"reason": "误推"})
    assert response.status_code == expected(who, OFFICE, 200, anonymous=401)
    target.refresh_from_db()
    assert target.status == (TargetStatus.WITHDRAWN if who in OFFICE else TargetStatus.PENDING)
