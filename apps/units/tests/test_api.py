"""Units over the API. Units are reference data: every signed-in role reads every unit (there is no
other district's record to hide and nothing to write), so the four clients shrink to anonymous
(401) and each kind of reader; what matters is that the 2025-11-06 change reads right."""

import pytest

from apps.core.testing import bearer

API = "/api/v1/units"



def test_list_anonymous_is_401(client, db):
    response = client.get(API)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_detail_anonymous_is_401(client, units):
    assert client.get(f"{API}/{units['九龙坡区'].pk}").status_code == 401


@pytest.mark.parametrize("role", ["leader", "district2", "specialist", "office"])
def test_every_role_reads_every_unit(client, users, units, role):
    client.force_login(users[role])
    data = {u["name"]: u for u in client.get(API).json()}
    assert set(data) == set(units)
    assert client.get(f"{API}/{units['九龙坡区'].pk}").json()["full_name"] == units["九龙坡区"].full_name


def test_ended_units_name_their_successor_and_the_successor_says_it_rolls_them_up(client, users):
    data = {u["name"]: u for u in client.get(API, headers=bearer(client, users["district"])).json()}
    jiangbei = data["江北区"]
    assert jiangbei["is_active"] is False
    assert jiangbei["ended_on"] == "2025-11-06"
    assert jiangbei["successor"]["name"] == "两江新区"
    assert "原江北区" in data["两江新区"]["rollup_note"] and "原渝北区" in data["两江新区"]["rollup_note"]
    assert data["两江新区"]["is_active"] is True
    assert data["九龙坡区"]["rollup_note"] == "" and data["九龙坡区"]["successor"] is None


def test_active_lists_only_the_units_that_exist_today(client, users):
    client.force_login(users["district"])
    names = {u["name"] for u in client.get(API, {"active": "true"}).json()}
    assert "两江新区" in names and "九龙坡区" in names
    assert "江北区" not in names and "渝北区" not in names


def test_detail_of_the_successor_carries_the_rollup_note(client, users, units):
    client.force_login(users["district2"])
    data = client.get(f"{API}/{units['两江新区'].pk}").json()
    assert "并入两江新区" in data["rollup_note"]


def test_unknown_unit_is_404_in_chinese(client, users):
    client.force_login(users["office"])
    response = client.get(f"{API}/999999")
    assert response.status_code == 404
    assert response.json()["detail"] == "记录不存在或您无权查看。"


def test_list_query_count_is_bounded(client, users, django_assert_max_num_queries):
    client.force_login(users["office"])
    with django_assert_max_num_queries(10):
        assert len(client.get(API).json()) > 40
