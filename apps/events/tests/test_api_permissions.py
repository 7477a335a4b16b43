"""Every endpoint of the events API against every role of the `users` fixture (and nobody signed in),
with the status each one gets, derived from the rules in apps/events/querysets.py:

- everyone signed in sees every event and its totals (the announced figures, hidden rows included);
- an event is changed by the office or by the admin/staff of the unit that runs it; a leader changes
  nothing (403), a service specialist no event (403);
- a signing is seen by whoever sees its project or runs its event, and changed by whoever may change
  its project or its event; one the reader may not see is a 404, one seen but not changeable a 403.

The world: an event run by 九龙坡区 with four signings — K (九龙坡区, served by the 九龙坡区 specialist),
K2 (九龙坡区, no specialist), C (长寿区) and J (江北区, which ended on 2025-11-06 and rolled up into
两江新区). A refused request leaves every row as it was."""

import datetime
from decimal import Decimal

import pytest

from apps.audit.models import AuditLog
from apps.core.testing import text
from apps.events.models import Event, Signing
from apps.events.services import event_create, signing_create
from apps.projects.models import StageChange

D = datetime.date
API = "/api/v1/events"
SIGNINGS = "/api/v1/signings"
ROLES = ["anonymous", "office_admin", "office", "leader", "district", "district_admin", "district2", "specialist",
         "liangjiang"]
SIGNED_IN = set(ROLES) - {"anonymous"}
OFFICE = {"office_admin", "office"}
RUNNERS = {"district", "district_admin"}           # 九龙坡区 runs the event
EVENT_CHANGERS = OFFICE | RUNNERS
EVENT_CREATORS = OFFICE | RUNNERS | {"district2", "liangjiang"}
# Which of the event's signings each role sees and may change.
SEES = {
    "office_admin": {"K", "K2", "C", "J"}, "office": {"K", "K2", "C", "J"}, "leader": {"K", "K2", "C", "J"},
    "district": {"K", "K2", "C", "J"}, "district_admin": {"K", "K2", "C", "J"},
    "specialist": {"K", "K2"},      # their unit's projects
    "district2": {"C"},
    "liangjiang": {"J"},            # 江北区's project, rolled up into 两江新区
}
CHANGES = {
    "office_admin": {"K", "K2", "C", "J"}, "office": {"K", "K2", "C", "J"}, "leader": set(),
    "district": {"K", "K2", "C", "J"}, "district_admin": {"K", "K2", "C", "J"},
    "specialist": {"K"},            # only the project they serve
    "district2": {"C"},
    "liangjiang": {"J"},
}
# The unit of a project each role may record a signing for (the specialist: one they serve; the
# leader's is refused anyway).
OWN_UNIT = {"office_admin": "长寿区", "office": "两江新区", "leader": "九龙坡区", "district": "九龙坡区",
            "district_admin": "九龙坡区", "district2": "长寿区", "specialist": "九龙坡区", "liangjiang": "两江新区"}


def expected(who, allowed: bool, ok: int, *, sees: bool = True) -> int:
    if who == "anonymous":
        return 401
    if allowed:
        return ok
    return 403 if sees else 404


def sign_in(client, users, who):
    if who != "anonymous":
        client.force_login(users[who])
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def rows():
    return (Event.objects.count(), Signing.objects.count(), AuditLog.objects.count(), StageChange.objects.count(),
            sorted(Event.objects.values_list("pk", "version", "venue")),
            sorted(Signing.objects.values_list("pk", "version", "order", "status", "their_signatory")))


@pytest.fixture
def world(users, make_project):
    event = event_create(actor=users["district"], values={"title": "重庆（北京）产业合作推介会", "kind": "promotion",
                                                          "date": D(2025, 11, 1)})
    projects = {
        "K": make_project(unit_name="九龙坡区", specialist=users["specialist"], name="九龙坡智能制造项目"),
        "K2": make_project(unit_name="九龙坡区", name="九龙坡新材料项目"),
        "C": make_project(unit_name="长寿区", actor=users["district2"], name="长寿化工新材料项目"),
        "J": make_project(unit_name="江北区", name="江北精密检测项目"),
    }
    signings = {}
    for n, (key, project) in enumerate(projects.items(), start=1):
        signings[key] = signing_create(actor=users["office"], project=project, event=event, advance_stage=False,
                                       values={"agreement_type": "framework", "amount": Decimal(n * 100_000_000),
                                               "date": D(2025, 11, 1)})
    return {"event": event, "projects": projects, "signings": signings}


@pytest.fixture
def new_project(users, make_project):
    """A 九龙坡区 project with no signing yet, served by the 九龙坡区 specialist, ready to reach 意向/协议."""
    return make_project(unit_name="九龙坡区", specialist=users["specialist"], planned_investment=Decimal("300000000"),
                        name="九龙坡新签项目")


# --- events ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ROLES)
def test_list_and_detail_show_every_event_and_its_full_totals(client, users, world, who):
    sign_in(client, users, who)
    event = world["event"]
    listing = client.get(API)
    assert listing.status_code == expected(who, True, 200)
    detail = client.get(f"{API}/{event.pk}")
    assert detail.status_code == expected(who, True, 200)
    if who == "anonymous":
        return
    # The announced figures: all four signings, whoever reads.
    item = listing.json()["items"][0]
    assert (item["id"], item["signing_count"], item["amount_text"]) == (event.pk, 4, "10亿元")
    totals = detail.json()["totals"]
    assert (totals["count"], totals["amount"]) == (4, "1000000000.00")
    assert detail.json()["may_change"] == (who in EVENT_CHANGERS)


@pytest.mark.parametrize("who", ROLES)
def test_create_event(client, users, who):
    sign_in(client, users, who)
    before = Event.objects.count()
    response = post(client, API, {"title": "招商推介会", "date": "2025-12-01"})
    assert response.status_code == expected(who, who in EVENT_CREATORS, 201)
    assert Event.objects.count() == before + (1 if who in EVENT_CREATORS else 0)
    if who in EVENT_CREATORS:
        assert response.json()["unit"]["id"] == users[who].unit_id


@pytest.mark.parametrize("who", ROLES)
def test_change_event(client, users, world, who):
    sign_in(client, users, who)
    event = world["event"]
    before = rows()
    response = patch(client, f"{API}/{event.pk}", {"version": 1, "venue": "北京国际饭店"})
    assert response.status_code == expected(who, who in EVENT_CHANGERS, 200)
    if who in EVENT_CHANGERS:
        assert Event.objects.get(pk=event.pk).venue == "北京国际饭店"
    else:
        assert rows() == before
    if response.status_code == 403:
        assert "组织单位" in response.json()["detail"]


# --- the signing list and the tally --------------------------------------------------------------------

@pytest.mark.parametrize("who", ROLES)
def test_event_signings_show_only_the_rows_one_may_see(client, users, world, who):
    sign_in(client, users, who)
    response = client.get(f"{API}/{world['event'].pk}/signings")
    assert response.status_code == expected(who, True, 200)
    if who == "anonymous":
        return
    body = response.json()
    ids = {key: s.pk for key, s in world["signings"].items()}
    assert {s["id"] for s in body["signings"]} == {ids[key] for key in SEES[who]}
    assert body["hidden"] == 4 - len(SEES[who])
    assert {s["id"] for s in body["signings"] if s["may_change"]} == {ids[key] for key in CHANGES[who]}
    for key, project in world["projects"].items():
        assert (project.name in text(response)) == (key in SEES[who])


@pytest.mark.parametrize("who", ROLES)
def test_tally_counts_everything_and_names_only_what_one_may_see(client, users, world, who):
    sign_in(client, users, who)
    response = client.get(f"{API}/{world['event'].pk}/tally")
    assert response.status_code == expected(who, True, 200)
    if who == "anonymous":
        return
    body = response.json()
    assert body["totals"]["count"] == 4
    named = {row["name"] for row in body["latest"]} - {None}
    assert named == {world["projects"][key].name for key in SEES[who]}


# --- recording signings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("where", ["event", "standalone"])
def test_record_a_signing_for_a_project_of_9longpo(client, users, world, new_project, who, where):
    """Recording needs the right to change the project: a unit that cannot see it meets a 404."""
    sign_in(client, users, who)
    url = f"{API}/{world['event'].pk}/signings" if where == "event" else SIGNINGS
    before = rows()
    response = post(client, url, {"project_id": new_project.pk, "agreement_type": "intention",
                                  "amount_text": "3亿元", "date": "2025-11-01"})
    allowed = who in OFFICE | RUNNERS | {"specialist"}
    assert response.status_code == expected(who, allowed, 201, sees=who not in {"district2", "liangjiang"})
    assert Signing.objects.filter(project=new_project).exists() == allowed
    if not allowed:
        assert rows() == before
    if response.status_code == 404:
        assert response.json()["field"] == "project_id"


@pytest.mark.parametrize("who", ROLES)
def test_any_unit_may_put_its_own_project_into_the_event(client, users, units, world, make_project, who):
    """Seeing the event is enough to enter one's own project in it (the rules' first point)."""
    sign_in(client, users, who)
    unit_name = OWN_UNIT.get(who, "九龙坡区")
    project = make_project(unit_name=unit_name, name=f"{unit_name}自有项目",
                           specialist=users["specialist"] if who == "specialist" else None)
    before = rows()
    response = post(client, f"{API}/{world['event'].pk}/signings", {"project_id": project.pk,
                                                                     "agreement_type": "intention",
                                                                     "advance_stage": False})
    allowed = who in SIGNED_IN - {"leader"}
    assert response.status_code == expected(who, allowed, 201)
    if allowed:
        assert response.json()["order"] == 5
    else:
        assert rows() == before


# --- changing signings ------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("key", ["K", "K2", "C", "J"])
def test_change_a_signing(client, users, world, who, key):
    sign_in(client, users, who)
    signing = world["signings"][key]
    before = rows()
    response = patch(client, f"{SIGNINGS}/{signing.pk}", {"version": signing.version, "their_signatory": "董事长"})
    allowed = who != "anonymous" and key in CHANGES[who]
    sees = who != "anonymous" and key in SEES[who]
    assert response.status_code == expected(who, allowed, 200, sees=sees)
    if allowed:
        assert Signing.objects.get(pk=signing.pk).their_signatory == "董事长"
    else:
        assert rows() == before


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("key", ["K", "K2", "C", "J"])
def test_withdraw_a_signing(client, users, world, who, key):
    sign_in(client, users, who)
    signing = world["signings"][key]
    before = rows()
    response = post(client, f"{SIGNINGS}/{signing.pk}/withdraw", {"reason": "企业决策推迟"})
    allowed = who != "anonymous" and key in CHANGES[who]
    sees = who != "anonymous" and key in SEES[who]
    assert response.status_code == expected(who, allowed, 200, sees=sees)
    assert Signing.objects.get(pk=signing.pk).status == ("withdrawn" if allowed else "active")
    if not allowed:
        assert rows() == before


@pytest.mark.parametrize("who", ROLES)
def test_reorder_the_ceremony(client, users, world, who):
    sign_in(client, users, who)
    ids = [s.pk for s in world["signings"].values()][::-1]
    before = rows()
    response = post(client, f"{API}/{world['event'].pk}/signings/order", {"ids": ids})
    assert response.status_code == expected(who, who in EVENT_CHANGERS, 200)
    if who in EVENT_CHANGERS:
        assert list(Signing.objects.filter(pk__in=ids).order_by("order").values_list("pk", flat=True)) == ids
    else:
        assert rows() == before


def test_entering_at_a_place_is_the_organisers_and_moves_nothing_otherwise(client, users, world, make_project):
    # Putting a signing in at a place re-numbers those after it: a district that does not run the event
    # is refused (naming the field) and no other row moves; appending needs no such right.
    client.force_login(users["district2"])
    project = make_project(unit_name="长寿区", actor=users["district2"], name="长寿区插队项目")
    others = {s.pk: (s.order, s.version) for key, s in world["signings"].items() if key != "C"}
    body = {"project_id": project.pk, "agreement_type": "intention", "advance_stage": False, "order": 1}
    response = post(client, f"{API}/{world['event'].pk}/signings", body)
    assert response.status_code == 400 and response.json()["field"] == "order"
    assert {s.pk: (s.order, s.version) for s in Signing.objects.filter(pk__in=others)} == others
    assert not Signing.objects.filter(project=project).exists()
    response = post(client, f"{API}/{world['event'].pk}/signings", {**body, "order": None})
    assert response.status_code == 201
    assert {s.pk: (s.order, s.version) for s in Signing.objects.filter(pk__in=others)} == others
