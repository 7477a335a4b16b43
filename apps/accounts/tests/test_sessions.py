"""apps.accounts.sessions reads a session as Django's database store does — what was saved comes back; a
missing, expired or tampered session reads as empty — and brings the signed-in user in the same statement,
which Django's own get_user then checks as it checks any user (active, password hash)."""

import datetime

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.middleware import reading_session
from apps.accounts.models import Session, User
from apps.accounts.sessions import SessionStore
from apps.core.testing import field_values

BACKEND = "apps.accounts.backends.ModelBackend"


class DjangoStore(DatabaseSessionStore):
    """Django's own store, reading through the ORM, on the same table."""

    __qualname__ = "SessionStore"  # Django signs session data with the store's class name as salt

    @classmethod
    def get_model_class(cls):
        return Session


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def _signed_in(user) -> str:
    return _saved(**{SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: BACKEND,
                     HASH_SESSION_KEY: user.get_session_auth_hash()})


def test_a_saved_session_reads_back_as_djangos_store_reads_it(db):
    key = _saved(user="42", note="驻京办", nested={"a": [1, 2]})
    ours, django = SessionStore(key), DjangoStore(key)
    assert ours.load() == django.load() == {"user": "42", "note": "驻京办", "nested": {"a": [1, 2]}}
    assert ours.session_key == key
    assert ours.loaded_user is None  # nobody signed in


@pytest.mark.parametrize("case", ["expired", "unknown", "tampered"])
def test_what_cannot_be_read_is_an_empty_session_without_a_key(db, users, case):
    key = _signed_in(users["district"])
    if case == "expired":
        # A second ago, and an hour ago: the boundary is "expires after now", as Django's expire_date__gt.
        Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    elif case == "unknown":
        key = "x" * 32
    else:
        Session.objects.filter(session_key=key).update(session_data="forged:data")
    ours, django = SessionStore(key), DjangoStore(key)
    assert ours.load() == django.load() == {}
    # Expired or unknown: no key (a new one is made if anything is stored). Tampered: Django keeps the key and
    # reads nothing from it; so does this store.
    assert ours.session_key == django.session_key == (key if case == "tampered" else None)
    if case != "tampered":
        assert ours.loaded_user is None
    # Whatever came with a tampered row, its data names nobody: Django's get_user finds no id to ask for.
    assert SESSION_KEY not in ours.load()


def test_a_session_valid_for_a_moment_longer_still_reads(db):
    key = _saved(user="7")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    assert SessionStore(key).load() == {"user": "7"}


def test_the_row_names_the_user_the_data_names_on_every_save(db, users):
    district, office = users["district"], users["office"]
    key = _signed_in(district)
    assert Session.objects.get(session_key=key).user_id == district.pk
    store = SessionStore(key)
    store[SESSION_KEY] = str(office.pk)  # whatever changes the data changes the column with it
    store.save()
    assert Session.objects.get(session_key=key).user_id == office.pk
    del store[SESSION_KEY]
    store.save()
    assert Session.objects.get(session_key=key).user_id is None
    assert Session.objects.get(session_key=_saved(**{SESSION_KEY: "not-an-id"})).user_id is None


def test_the_user_read_with_the_session_is_the_orms_field_for_field(db, users):
    district = users["district"]
    district.last_login = timezone.now()  # a datetime column, converted back as the ORM does
    district.save()
    store = SessionStore(_signed_in(district))
    with CaptureQueriesContext(connection) as queries:
        data = store.load()
    assert len(queries) == 1
    assert data[SESSION_KEY] == str(district.pk)
    assert field_values(store.loaded_user) == field_values(User.objects.get(pk=district.pk))
    assert not hasattr(store.loaded_user, "session__data")
    # Handed over once, and only for the id asked for.
    assert store.take_loaded_user(district.pk + 1) is None
    assert store.take_loaded_user(district.pk) is None  # the wrong ask used it up: read afresh
    store.load()
    assert store.take_loaded_user(district.pk).pk == district.pk
    assert store.take_loaded_user(district.pk) is None


def test_a_signed_in_page_reads_session_and_user_in_one_statement(client, users):
    client.force_login(users["district"])
    assert Session.objects.get(session_key=client.session.session_key).user_id == users["district"].pk
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/organisations/?q=测试")
    assert response.status_code == 200 and response.wsgi_request.user.pk == users["district"].pk
    sessions = [q["sql"] for q in queries if "accounts_session" in q["sql"]]
    by_user = [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"] and "accounts_session" not in q["sql"]
               and f'"id" = {users["district"].pk}' in q["sql"]]
    assert len(sessions) == 1 and "JOIN" in sessions[0]
    assert by_user == []
    assert reading_session.get() is None  # nothing of this request is left for the next


def test_an_inactive_user_is_signed_out_as_django_would(client, users):
    client.force_login(users["district"])
    User.objects.filter(pk=users["district"].pk).update(is_active=False)
    response = client.get("/projects/")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert response.wsgi_request.user.is_anonymous


def test_a_changed_password_signs_every_other_session_out(client, users):
    client.force_login(users["district"])
    key = client.session.session_key
    user = User.objects.get(pk=users["district"].pk)
    user.set_password("another-password-2026")
    user.save()
    response = client.get("/projects/")
    assert response.status_code == 302 and response.wsgi_request.user.is_anonymous
    # Django's get_user flushes a session whose hash no longer matches: the row is gone.
    assert not Session.objects.filter(session_key=key).exists()


def test_signing_in_through_the_login_page_fills_the_column_and_signing_out_removes_the_row(client, users):
    district = users["district"]
    district.set_password("sign-in-password-2026")
    district.save()
    response = client.post("/accounts/login/", {"username": district.username, "password": "sign-in-password-2026"})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert Session.objects.get(session_key=key).user_id == district.pk
    assert client.get("/projects/").status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_deleting_a_user_deletes_their_sessions(db, users):
    key = _signed_in(users["specialist"])
    User.objects.filter(pk=users["specialist"].pk).delete()
    assert not Session.objects.filter(session_key=key).exists()


def test_signing_in_through_the_pages_uses_this_store(client, users):
    client.force_login(users["office"])
    assert isinstance(client.session, SessionStore)
    assert client.get("/projects/").status_code == 200


def test_the_migration_keeps_who_is_signed_in(db, users):
    """accounts 0002 moves Django's sessions here: a signed-in one keeps its user; expired, unreadable and
    orphaned ones sign nobody in and are not moved."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore as OldStore
    from django.contrib.sessions.models import Session as OldSession

    move = import_module("apps.accounts.migrations.0002_session_with_user").move_sessions

    def old(**data) -> str:
        store = OldStore()
        store.update(data)
        store.create()
        return store.session_key

    district = users["district"]
    signed_in = old(**{SESSION_KEY: str(district.pk), BACKEND_SESSION_KEY: BACKEND,
                       HASH_SESSION_KEY: district.get_session_auth_hash()})
    anonymous = old(note="语言")
    expired = old(**{SESSION_KEY: str(district.pk)})
    OldSession.objects.filter(session_key=expired).update(expire_date=timezone.now() - datetime.timedelta(hours=1))
    old(**{SESSION_KEY: "987654"})  # a user who no longer exists
    forged = old(**{SESSION_KEY: str(district.pk)})
    OldSession.objects.filter(session_key=forged).update(session_data="forged:data")
    move(apps, None)
    moved = dict(Session.objects.values_list("session_key", "user_id"))
    assert moved == {signed_in: district.pk, anonymous: None, forged: None}
    assert not OldSession.objects.exists()
    assert SessionStore(signed_in).load()[SESSION_KEY] == str(district.pk)


# serialized_rollback: see projects/tests/test_concurrency.py. Outside a test transaction, so that the insert
# commits as in a request (a constraint is checked there).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_can_be_saved_for_a_user_deleted_a_moment_before(users):
    """A request still running for a user just deleted may save a new session key (login and a password change
    cycle it). The row is written, not refused: a refused insert is, to Django's create(), a key clash to retry
    for ever."""
    from apps.accounts.models import Session as SessionRow

    gone = users["specialist"]
    gone_pk = gone.pk
    User.objects.filter(pk=gone_pk).delete()
    store = SessionStore()
    store.update({SESSION_KEY: str(gone_pk), BACKEND_SESSION_KEY: BACKEND, HASH_SESSION_KEY: "x"})
    # One attempt, as create() makes each of its tries: raises CreateError if the database refuses the row
    # (create() itself would then try again for ever, and this test would hang instead of failing).
    store._session_key = store._get_new_session_key()
    store.save(must_create=True)
    assert SessionRow.objects.get(session_key=store.session_key).user_id == gone_pk
    # It signs nobody in: no user comes back with it, and Django's get_user finds none by that id.
    loaded = SessionStore(store.session_key)
    assert loaded.load()[SESSION_KEY] == str(gone_pk) and loaded.loaded_user is None


def test_the_migration_can_be_undone_without_signing_anyone_out(db, users):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.sessions.models import Session as OldSession

    back = import_module("apps.accounts.migrations.0002_session_with_user").move_sessions_back
    key = _signed_in(users["district"])
    back(apps, None)
    old = OldSession.objects.get(session_key=key)
    assert old.session_data == Session.objects.get(session_key=key).session_data
    assert old.get_decoded()[SESSION_KEY] == str(users["district"].pk)
