"""Helpers shared by the API tests of every app."""

import json

TEST_PASSWORD = "pw-for-tests-1"  # the password conftest.py's users are created with


def text(response) -> str:
    """The body as a person reads it: JSON writes Chinese as \\uXXXX, which would hide a leak."""
    return json.dumps(response.json(), ensure_ascii=False)


def bearer(client, user) -> dict:
    """Headers carrying a real token issued by POST /api/v1/auth/token."""
    response = client.post("/api/v1/auth/token", {"username": user.username, "password": TEST_PASSWORD},
                           content_type="application/json")
    return {"Authorization": f"Bearer {response.json()['token']}"}
