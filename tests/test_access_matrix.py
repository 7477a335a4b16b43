"""The access matrix (issue 10, item 1): every page, admin and API route — discovered from the URL conf
and the OpenAPI document, so a new route cannot escape — called by every role and by an anonymous
visitor, on records held by 九龙坡区 (t_district's own unit; t_district2 of 长寿区 and t_liangjiang of
两江新区 are the other units). Each call must land in the outcome its route group's policy states
(tests/access_matrix/policy.py). On every route: no call answers 500; a refused call (401, 403, 404,
405, or a redirect to the login page) changes nothing anywhere (row counts, versions and update times
of every table, the audit log included, and no row written at all, counted by the database); the leader changes nothing; a GET changes nothing; and no
answer to another unit names one of 九龙坡区's records (world.SECRETS).

The world is built once for the module inside a transaction that is rolled back at the end, and every
single request runs in a savepoint that is rolled back too, so roles never see each other's writes."""

import os

import pytest
from django.test import Client

from tests.access_matrix import harness, policy
from tests.access_matrix.routes import api_routes, fill, page_routes
from tests.access_matrix.samples import api_body, sample_values
from tests.access_matrix.world import SECRETS, world_rolled_back

ROUTES = page_routes()
API = api_routes()
# Every test here needs the test database; marking them all also makes pytest-django create it when
# only the route-listing tests are selected.
pytestmark = pytest.mark.django_db


def _cases():
    cases = []
    for route in ROUTES:
        for method in ("GET", "POST"):
            if route.kind == "admin" and method == "POST":
                continue
            cases.append(_case(route, method))
    for route in API:
        cases.append(_case(route, route.method))
    return cases


def _case(route, method):
    return pytest.param(route, method, id=f"{method} {route.name}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_rolled_back(django_db_blocker) as w:
        w["clients"] = harness.make_clients(w["users"])
        yield w


def test_every_route_has_a_sample(world):
    """A route the matrix cannot fill is a route nobody checked: fail naming it."""
    problems = []
    for route in ROUTES + API:
        _values, missing = sample_values(route, world)
        if missing:
            problems.append(f"add a sample for {route.name} ({', '.join(missing)}) in tests/access_matrix/samples.py")
    assert not problems, "\n".join(problems)


def test_every_route_states_who_gets_what():
    """A new route must say in policy.py what each role gets from it. Held only to the promises every route keeps
    (no 500; nothing changed when refused), a route that let a district read another's records would pass."""
    unstated = [f"{method} {route.name}" for route, method in (case.values for case in _cases())
                if policy.rule_for(route, method).unstated]
    assert not unstated, ("state these routes' outcomes per role in tests/access_matrix/policy.py (PAGES or API):\n  "
                          + "\n  ".join(unstated))


def test_public_table_names_only_existing_routes():
    """A public route that was renamed must leave the table, or the table silently opens nothing."""
    names = {r.name for r in ROUTES} | {r.id for r in API}
    stale = sorted(set(policy.PUBLIC) - names)
    assert not stale, f"routes in policy.PUBLIC that no longer exist: {stale}"


def test_the_api_document_and_the_public_table_agree():
    """An operation the OpenAPI document says needs no authentication is public on purpose, or a leak."""
    open_ops = sorted(r.id for r in API if not r.secured)
    assert open_ops == sorted(k for k in policy.PUBLIC if k.split(" ")[1:2] == ["api"]), open_ops


@pytest.mark.parametrize(("role", "route_name", "secret"), [
    ("district", "projects:detail", "project"),
    ("district", "talent:detail", "talent"),
    ("district", "servicedesk:detail", "service_request"),
    ("office", "offers:need_match", "need"),
    ("district", "activities:list", "activity"),
    ("district", "cockpit:briefing_docx", "project"),  # the text inside a DOCX or XLSX is searched too
])
def test_the_secret_names_show_to_those_who_may_see_them(world, db, role, route_name, secret):
    """The leak check looks for these names in other units' answers: it proves something only if the
    names do appear where the record is legitimately shown."""
    route = next(r for r in ROUTES if r.name == route_name)
    values, _missing = sample_values(route, world)
    outcome, _changes = harness.run(world["clients"][role], role, "GET", fill(route, values), None, api=False,
                                    baseline=None)
    assert outcome.status == 200
    assert SECRETS[secret] in outcome.text


@pytest.mark.parametrize(("route", "method"), _cases())
def test_access(route, method, world, db):
    values, missing = sample_values(route, world)
    assert not missing, f"add a sample for {route.name} ({', '.join(missing)}) in tests/access_matrix/samples.py"
    path = fill(route, values)
    rule = policy.rule_for(route, method)
    body = api_body(route, world) if route.kind == "api" else None
    baseline = harness.snapshot()
    outcomes, leaks = [], []
    for role, client in world["clients"].items():
        if role not in rule.roles:
            continue
        outcome, changes = harness.run(client, role, method, path, body, api=route.kind == "api",
                                       baseline=baseline)
        outcomes.append(outcome)
        if role in policy.OTHER:
            shown = [f"{kind} “{name}”" for kind, name in SECRETS.items() if name in outcome.text]
            if shown and f"{method} {route.name}" not in policy.MAY_NAME_OTHER_UNITS:
                leaks.append(f"{role} of another unit was shown 九龙坡区's {', '.join(shown)}")
        if os.environ.get("MATRIX_OBSERVE") and changes:
            print(f"\nCHANGED {method} {route.name} {role}={outcome.status}: {'; '.join(changes[:4])}")
        if rule.key in policy.AUDITED_READS:  # an export writes its audit entry, and nothing else
            changes = [c for c in changes if not c.startswith('(SELECT COUNT(*) FROM "audit_auditlog")')
                       and c != f"{harness.WRITES}: 1"]
        if rule.key in policy.STAMPS_LAST_USE:
            changes = [c for c in changes if c != f"{harness.WRITES}: 1"]
        if changes and rule.must_not_change(role, outcome, method):
            leaks.append(f"{role} got {outcome.status} but changed: {'; '.join(changes[:5])}")
    if os.environ.get("MATRIX_OBSERVE"):
        print(f"\nOBSERVED {method} {route.name} {path} :: " + " ".join(map(str, outcomes)))
    wrong = [f"{o} expected {policy.describe(rule.expect(o.role))}" for o in outcomes
             if not policy.matches(rule.expect(o.role), o)]
    assert not leaks and not wrong, f"{method} {path}\n" + "\n".join(wrong + leaks)


# --- CSRF on every write ----------------------------------------------------------------------------------------
# The matrix's clients skip CSRF checks (as Django's test client does) to reach the views. Here a browser's session
# cookie arrives without its token, as a form on another site would send it: every page route's POST and every API
# operation that writes must refuse it before the view runs, and change nothing.
STRICT_ROLES = ("office_admin", "district", "leader")


def _write_cases():
    cases = [pytest.param(route, "POST", id=f"POST {route.name}") for route in ROUTES if route.kind == "page"]
    # An operation the API document marks open (the token request) reads no session: its credentials are in the body,
    # so a forged form gains nothing from the visitor's cookie. The matrix holds it to its public policy instead.
    cases += [pytest.param(route, route.method, id=route.id) for route in API if route.method != "GET" and route.secured]
    return cases


@pytest.fixture(scope="module")
def strict_clients(world):
    clients = {"anon": Client(enforce_csrf_checks=True, raise_request_exception=False)}
    for role in STRICT_ROLES:
        clients[role] = Client(enforce_csrf_checks=True, raise_request_exception=False)
        clients[role].force_login(world["users"][role])
    return clients


def test_every_write_route_is_in_the_csrf_check():
    """The CSRF check below covers what the matrix covers: every page route and every API operation that writes."""
    page_posts = {r.name for r in ROUTES if r.kind == "page"}
    api_writes = {r.id for r in API if r.method != "GET" and r.secured}
    assert page_posts and api_writes
    assert {case.id for case in _write_cases()} == {f"POST {n}" for n in page_posts} | api_writes


@pytest.mark.parametrize(("route", "method"), _write_cases())
def test_a_write_without_its_csrf_token_is_refused(route, method, world, strict_clients, db):
    values, _missing = sample_values(route, world)
    path = fill(route, values)
    api = route.kind == "api"
    body = api_body(route, world) if api else None
    baseline = harness.snapshot()
    wrong = []
    for role, client in strict_clients.items():
        if api and role == "anon":
            continue  # no session cookie, nothing for a forged form to ride on: the matrix covers the anonymous API
        outcome, changes = harness.run(client, role, method, path, body, api=api, baseline=baseline)
        if outcome.status != 403 or changes:
            wrong.append(f"{outcome} (expected 403, the CSRF refusal){'; changed: ' + '; '.join(changes[:3]) if changes else ''}")
        elif "CSRF" not in outcome.text:
            wrong.append(f"{outcome}: a 403, but not the CSRF refusal (the view ran and refused for its own reasons)")
    assert not wrong, f"{method} {path}\n" + "\n".join(wrong)
