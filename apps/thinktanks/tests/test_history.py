"""The cooperation page's 修改记录 names every outcome's project: only readers of every unit get it, as
the page itself hides another unit's project from a district."""

import datetime

import pytest

from apps.thinktanks import services

pytestmark = pytest.mark.django_db


def test_the_history_names_outcomes_for_the_office_and_a_district_reads_it_without_notes(client, users, cooperation,
                                                                                        make_project):
    project = make_project(name="长寿新材料产业园", unit_name="长寿区", actor=users["district2"])
    services.outcome_add(actor=users["office"], cooperation=cooperation,
                         values={"kind": "project", "date": datetime.date(2025, 7, 1), "project": project})
    client.force_login(users["office"])
    page = client.get(f"/thinktanks/{cooperation.pk}/").content.decode()
    assert 'id="history"' in page and "添加合作成果：项目 长寿新材料产业园" in page
    client.force_login(users["district"])
    response = client.get(f"/thinktanks/{cooperation.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="history"' in page and "长寿新材料产业园" not in page  # who changed it and when, not what the note says
