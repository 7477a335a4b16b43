"""Fixtures shared by every app's tests: one user per role, in the office and in two districts."""

import datetime
import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Under CI=true a skipped database or browser test is a gap, not a pass: fail the run.
    skipped = terminalreporter.stats.get("skipped", [])
    if IN_CI and skipped:
        terminalreporter.write_line(f"CI=true: {len(skipped)} test(s) skipped — a skip is a failure in CI:", red=True)
        for report in skipped:
            terminalreporter.write_line(f"  {report.nodeid}: {report.longrepr}", red=True)


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter and reporter.stats.get("skipped") and session.exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fresh_unit_successors():
    # A process keeps the unit successor map for a few seconds (units.selectors): a transactional test's
    # units are gone after it, so no test may start with another's map.
    from apps.projects.filters import FILTER_CHOICES
    from apps.units.selectors import unit_successors_forget

    unit_successors_forget()
    FILTER_CHOICES.forget()
    yield
    unit_successors_forget()
    FILTER_CHOICES.forget()


@pytest.fixture
def units(db):
    from apps.units.models import Unit

    return {u.name: u for u in Unit.objects.all()}


@pytest.fixture
def make_user(db, units):
    from apps.accounts.models import User

    def make(username: str, role: str, unit_name: str, **extra):
        return User.objects.create_user(
            username=username, password="pw-for-tests-1", role=role, unit=units[unit_name], **extra
        )

    return make


@pytest.fixture
def users(make_user):
    """office_admin, office_staff, leader (office); district/district_admin (九龙坡区);
    district2 (长寿区); specialist (九龙坡区); liangjiang (两江新区)."""
    return {
        "office_admin": make_user("t_office_admin", "office_admin", "驻京办"),
        "office": make_user("t_office", "office_staff", "驻京办"),
        "leader": make_user("t_leader", "leader", "驻京办"),
        "district": make_user("t_district", "district_staff", "九龙坡区"),
        "district_admin": make_user("t_district_admin", "district_admin", "九龙坡区"),
        "district2": make_user("t_district2", "district_staff", "长寿区"),
        "specialist": make_user("t_specialist", "specialist", "九龙坡区"),
        "liangjiang": make_user("t_liangjiang", "district_staff", "两江新区"),
    }


@pytest.fixture
def organisation(users):
    from apps.organisations.services import organisation_create

    return organisation_create(
        actor=users["office"], name="骅远科技(北京)有限公司", credit_code="91110000600037341L", kind="enterprise",
        region="北京市海淀区", industry_section="I",
    )


@pytest.fixture
def make_project(users, units):
    from apps.organisations.services import organisation_create
    from apps.projects.services import project_create

    counter = {"n": 0}

    def make(*, actor=None, unit_name: str = "九龙坡区", organisation=None, **fields):
        counter["n"] += 1
        actor = actor or users["office"]
        if organisation is None:
            organisation = organisation_create(actor=users["office"], name=f"测试企业{counter['n']:03d}有限公司")
        fields.setdefault("name", f"测试项目{counter['n']:03d}")
        fields.setdefault("first_contact_date", datetime.date(2025, 10, 1))
        return project_create(actor=actor, organisation=organisation, unit=units[unit_name], **fields)

    return make
