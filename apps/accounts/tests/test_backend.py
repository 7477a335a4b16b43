"""The session's user comes with its unit (apps.accounts.backends): every page asks for both."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.backends import ModelBackend


def _values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


@pytest.mark.django_db
def test_the_user_and_unit_are_read_in_two_plain_statements_as_the_orm_reads_them(users, django_assert_num_queries):
    from apps.accounts.models import User

    users["district"].last_login = timezone.now()  # a datetime column, converted back as the ORM does
    users["district"].save()
    for user in users.values():
        with django_assert_num_queries(2):
            read = ModelBackend().get_user(user.pk)
            unit = read.unit
        expected = User.objects.select_related("unit").get(pk=user.pk)
        assert _values(read) == _values(expected)
        assert _values(unit) == _values(expected.unit)
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
