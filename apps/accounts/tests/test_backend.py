"""The session's user comes with its unit (apps.accounts.backends): every page asks for both."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.backends import ModelBackend
from apps.core.testing import field_values


@pytest.mark.django_db
def test_the_user_and_unit_are_read_as_the_orm_reads_them(users, django_assert_num_queries):
    from apps.accounts.models import User

    users["district"].last_login = timezone.now()  # a datetime column, converted back as the ORM does
    users["district"].save()
    for user in users.values():
        # Inside a transaction (this test's) the units are read, not kept: the user's statement and the units'.
        with django_assert_num_queries(2):
            read = ModelBackend().get_user(user.pk)
            unit = read.unit
        expected = User.objects.select_related("unit").get(pk=user.pk)
        assert field_values(read) == field_values(expected)
        assert field_values(unit) == field_values(expected.unit)
        assert read.get_session_auth_hash() == expected.get_session_auth_hash()
    assert ModelBackend().get_user(str(users["district"].pk)).unit.name == "九龙坡区"  # as the session keeps it


@pytest.mark.django_db
def test_an_inactive_missing_or_malformed_user_is_refused(users):
    users["district"].is_active = False
    users["district"].save()
    assert ModelBackend().get_user(users["district"].pk) is None
    assert ModelBackend().get_user(987654) is None
    assert ModelBackend().get_user("abc") is None


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


# serialized_rollback: see projects/tests/test_concurrency.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_unit_is_the_kept_one_a_copy_and_a_local_save_shows_at_once(users):
    from apps.units.models import Unit

    backend = ModelBackend()
    backend.get_user(users["district"].pk)  # the process keeps the units from here on
    with CaptureQueriesContext(connection) as queries:
        read = backend.get_user(users["district"].pk)
    assert [q["sql"] for q in queries if "units_unit" in q["sql"]] == [] and len(queries) == 1
    assert field_values(read.unit) == field_values(Unit.objects.get(pk=users["district"].unit_id))
    read.unit.name = "改了但没有保存"  # whoever is given the unit may change it: the next reader is not
    assert backend.get_user(users["district"].pk).unit.name == "九龙坡区"
    unit = Unit.objects.get(pk=users["district"].unit_id)
    unit.full_name = "重庆市九龙坡区（更正）"
    unit.save()  # saved by this process: forgotten at once
    assert backend.get_user(users["district"].pk).unit.full_name == "重庆市九龙坡区（更正）"
