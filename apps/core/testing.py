"""Helpers shared by the tests of every app."""

import json

TEST_PASSWORD = "pw-for-tests-1"  # the password conftest.py's users are created with


def field_values(instance) -> dict:
    """Every column of a model instance as the ORM gives it: what a hand-written read must match."""
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def text(response) -> str:
    """The body as a person reads it: JSON writes Chinese as \\uXXXX, which would hide a leak."""
    return json.dumps(response.json(), ensure_ascii=False)


def bearer(client, user) -> dict:
    """Headers carrying a real token issued by POST /api/v1/auth/token."""
    response = client.post("/api/v1/auth/token", {"username": user.username, "password": TEST_PASSWORD},
                           content_type="application/json")
    return {"Authorization": f"Bearer {response.json()['token']}"}


def api_caller(client, prefix: str):
    """call(method, path, user=None, json=None) on ``prefix`` ("/api/v1/offers") with a real bearer token
    for ``user`` (none: anonymous) and ``json`` sent as the body."""
    import json as json_module

    def call(method: str, path: str, user=None, json=None):
        kwargs = {"headers": bearer(client, user) if user is not None else {}}
        if json is not None:
            kwargs.update(data=json_module.dumps(json, default=str), content_type="application/json")
        return getattr(client, method)(f"{prefix}{path}", **kwargs)

    return call
