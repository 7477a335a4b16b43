"""The OpenAPI document at /api/v1/openapi.json: it loads, it lists every endpoint the API promises,
and its (path, method) list matches the committed snapshot, so an endpoint added, renamed or dropped
by accident fails here. If the change is intended, regenerate the snapshot:
    UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_openapi.py
and commit tests/openapi_paths.json with the change."""

import json
import os
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).with_name("openapi_paths.json")
METHODS = {"get", "post", "put", "patch", "delete"}

PROMISED = [
    ("/api/v1/auth/token", "post"),
    ("/api/v1/units", "get"),
    ("/api/v1/units/{unit_id}", "get"),
    ("/api/v1/organisations", "get"),
    ("/api/v1/organisations", "post"),
    ("/api/v1/organisations/{organisation_id}", "get"),
    ("/api/v1/organisations/{organisation_id}", "patch"),
    ("/api/v1/organisations/persons", "get"),
    ("/api/v1/organisations/persons", "post"),
    ("/api/v1/projects", "get"),
    ("/api/v1/projects", "post"),
    ("/api/v1/projects/stages", "get"),
    ("/api/v1/projects/{project_id}", "get"),
    ("/api/v1/projects/{project_id}", "patch"),
    ("/api/v1/projects/{project_id}/stage", "post"),
    ("/api/v1/projects/{project_id}/history", "get"),
    ("/api/v1/activities", "get"),
    ("/api/v1/activities", "post"),
    ("/api/v1/activities/{activity_id}/done", "post"),
]


@pytest.fixture
def document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document) -> list[tuple[str, str]]:
    return sorted((path, method) for path, item in document["paths"].items() for method in item if method in METHODS)


def test_document_loads_with_its_title(document):
    assert document["info"]["title"] == "双招双引工作平台 API"
    assert document["openapi"].startswith("3.")


def test_every_promised_endpoint_is_listed(document):
    missing = sorted(set(PROMISED) - set(operations(document)))
    assert not missing, f"OpenAPI 文档缺少：{missing}"


def test_paths_match_the_committed_snapshot(document):
    current = [list(op) for op in operations(document)]
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT"):
        # One operation a line, so a review diff shows exactly what changed.
        SNAPSHOT.write_text("[\n" + ",\n".join(f"  {json.dumps(op)}" for op in current) + "\n]\n", encoding="utf-8")
    assert current == json.loads(SNAPSHOT.read_text(encoding="utf-8")), (
        "API 的路径或方法变了。若是有意为之，请按本文件开头的说明更新 tests/openapi_paths.json。"
    )


STATELESS_POSTS = {"/api/v1/fairness/check"}


def test_refusals_are_documented(document):
    """Clients generated from the document must know what a refusal looks like."""
    for path, method in operations(document):
        responses = document["paths"][path][method]["responses"]
        if path != "/api/v1/auth/token":
            assert "401" in responses, (path, method)
        if method != "get":
            for code in ("400", "422"):
                assert code in responses, (path, method, code)
        if method in {"patch", "post"} and path != "/api/v1/auth/token":
            # A check that reads no record and writes nothing has no 404 or 409 to give (403: CSRF).
            codes = ("403",) if path in STATELESS_POSTS else ("403", "404", "409")
            for code in codes:
                assert code in responses, (path, method, code)


def test_amounts_go_out_as_strings(document):
    project = document["components"]["schemas"]["ProjectDetailOut"]["properties"]
    assert project["planned_investment_yuan"]["anyOf"][0]["type"] == "string"
    assert project["planned_investment_display"]["anyOf"][0]["type"] == "string"


@pytest.mark.django_db
def test_the_docs_page_loads_nothing_from_outside(client, users):
    # An intranet has no CDN: Swagger UI must come from this site's static files (ninja in INSTALLED_APPS).
    client.force_login(users["office"])
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "/static/ninja/" in page
    assert "cdn." not in page and "https://" not in page.replace("https://zsyz", "")
