"""The session's user comes with its unit (apps.accounts.backends): every page asks for both."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.backends import ModelBackend


@pytest.mark.django_db
def test_the_user_is_read_with_the_unit_in_one_query(users, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(users["district"].pk)
        assert user.unit.name == "九龙坡区"
    users["district"].is_active = False
    users["district"].save()
    assert ModelBackend().get_user(users["district"].pk) is None
    assert ModelBackend().get_user(987654) is None


@pytest.mark.django_db
def test_a_signed_in_page_does_not_ask_for_the_unit_again(client, users):
    client.force_login(users["district"])
    assert client.session[BACKEND_SESSION_KEY] == "apps.accounts.backends.ModelBackend"
    unit_id = users["district"].unit_id
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/organisations/?q=测试").status_code == 200
    by_pk = [q["sql"] for q in queries if 'FROM "units_unit"' in q["sql"] and f"= {unit_id}" in q["sql"]
             and "LIMIT 21" in q["sql"]]
    assert by_pk == []
