"""The organisation page's three lists — its people, projects and activities — read by the organisation's id alone
where the reader's scope adds nothing (compiled once per process), must hold exactly the rows, in the order and with
the values, that the scoped selectors give the same reader: for every role, an inactive account, a superuser and
nobody signed in."""

import datetime

import pytest

from apps.activities.models import Activity
from apps.activities.selectors import ORGANISATION_PAGE_ACTIVITY, activity_list, organisation_activities
from apps.core.columns import showing
from apps.organisations.models import Person
from apps.organisations.selectors import ORGANISATION_PAGE_PERSON, organisation_people, person_list
from apps.projects.models import Project
from apps.projects.selectors import ORGANISATION_PAGE_PROJECT, organisation_projects, project_list


def _values(rows, columns) -> list[tuple]:
    out = []
    for row in rows:
        values = [row.pk]
        for column in columns:
            value = row
            for part in column.split("__"):
                value = getattr(value, part) if value is not None else None
            values.append(value)
        out.append(tuple(values))
    return out


@pytest.mark.django_db
def test_each_list_is_the_scoped_selectors_for_every_reader(users, units, organisation, make_project, make_user):
    other = make_project(unit_name="长寿区").organisation  # rows of another organisation must never appear
    # Four districts' projects on one organisation (made apart: 首谈负责制 would refuse the second unit).
    projects = [make_project(unit_name=name) for name in ("九龙坡区", "长寿区", "两江新区", "九龙坡区")]
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(organisation=organisation)
    Project.objects.filter(pk=projects[3].pk).update(is_archived=True)
    Project.objects.filter(pk=projects[1].pk).update(specialist=users["specialist"])  # another district's, served by 九龙坡区's
    for n, (name, archived) in enumerate([("王五", False), ("张三", False), ("李四", True), ("赵六", False)]):
        Person.objects.create(name=name, organisation=organisation, is_archived=archived, title=f"职务{n}")
    Person.objects.create(name="钱七", organisation=other)
    day = datetime.date(2025, 10, 1)
    for n, (unit, project) in enumerate([("九龙坡区", projects[0]), ("长寿区", projects[1]), ("两江新区", None),
                                         ("九龙坡区", None), ("长寿区", projects[2]), ("九龙坡区", projects[3])]):
        Activity.objects.create(organisation=organisation, project=project, unit=units[unit], summary=f"洽谈{n}",
                                date=day + datetime.timedelta(days=n % 3), created_by=users["office"])
    Activity.objects.create(organisation=other, unit=units["长寿区"], summary="别家", date=day, created_by=users["office"])

    readers = [*users.values(), make_user("t_gone", "district_staff", "九龙坡区", is_active=False),
               make_user("t_root", "district_staff", "长寿区", is_superuser=True), None]
    seen = set()
    for reader in readers:
        who = getattr(reader, "username", None)
        expected = showing(person_list(actor=reader, organisation_id=organisation.pk), *ORGANISATION_PAGE_PERSON)[:50]
        got = organisation_people(actor=reader, organisation_id=organisation.pk)
        assert _values(got, ORGANISATION_PAGE_PERSON) == _values(expected, ORGANISATION_PAGE_PERSON), who

        expected = showing(project_list(actor=reader, organisation_id=organisation.pk), *ORGANISATION_PAGE_PROJECT)[:50]
        got = organisation_projects(actor=reader, organisation_id=organisation.pk)
        assert _values(got, ORGANISATION_PAGE_PROJECT) == _values(expected, ORGANISATION_PAGE_PROJECT), who
        seen.add(("projects", len(got)))

        expected = showing(activity_list(actor=reader, organisation_id=organisation.pk), *ORGANISATION_PAGE_ACTIVITY)[:20]
        got = organisation_activities(actor=reader, organisation_id=organisation.pk)
        assert _values(got, ORGANISATION_PAGE_ACTIVITY) == _values(expected, ORGANISATION_PAGE_ACTIVITY), who
        seen.add(("activities", len(got)))
    # The readers differ: every unit's (3 live projects, 6 activities), one district's, nobody's.
    assert {("projects", 3), ("projects", 0), ("activities", 6), ("activities", 0)} <= seen
    assert len({n for kind, n in seen if kind == "projects"}) >= 3


@pytest.mark.django_db
def test_the_page_shows_them(client, users, organisation, make_project):
    project = make_project(organisation=organisation, name="智能网联汽车零部件项目")
    Person.objects.create(name="周八", organisation=organisation, title="总经理")
    Activity.objects.create(organisation=organisation, project=project, unit=project.unit, summary="首次拜访",
                            date=datetime.date(2025, 10, 9), created_by=users["office"])
    for reader in ("office", "district", "district2"):
        client.force_login(users[reader])
        page = client.get(f"/organisations/{organisation.pk}/").content.decode()
        assert "周八" in page and "总经理" in page
        # The project is 九龙坡区's: its district and the office see it and its visit, 长寿区 sees neither.
        assert ("智能网联汽车零部件项目" in page) is (reader != "district2")
        assert ("首次拜访" in page) is (reader != "district2")
