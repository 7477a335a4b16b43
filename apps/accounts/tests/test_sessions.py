"""apps.accounts.sessions reads a session as Django's database store does: what was saved comes back, and a
missing, expired or tampered session reads as empty."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from apps.accounts.sessions import SessionStore


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def test_a_saved_session_reads_back_as_djangos_store_reads_it(db):
    key = _saved(user="42", note="驻京办", nested={"a": [1, 2]})
    ours, django = SessionStore(key), DjangoStore(key)
    assert ours.load() == django.load() == {"user": "42", "note": "驻京办", "nested": {"a": [1, 2]}}
    assert ours.session_key == key


@pytest.mark.parametrize("case", ["expired", "unknown", "tampered"])
def test_what_cannot_be_read_is_an_empty_session_without_a_key(db, case):
    key = _saved(user="42")
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


def test_a_session_valid_for_a_moment_longer_still_reads(db):
    key = _saved(user="7")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    assert SessionStore(key).load() == {"user": "7"}


def test_signing_in_through_the_pages_uses_this_store(client, users):
    client.force_login(users["office"])
    assert isinstance(client.session, SessionStore)
    assert client.get("/projects/").status_code == 200
