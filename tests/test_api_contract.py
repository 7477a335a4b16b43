"""What the OpenAPI document promises a client generating code from it, held against the API itself:
- each component in components/schemas is the one schema class of that name (ninja publishes one
  component per class name, so two apps' StageOut would describe one app's answer with the other's fields);
- a path under /api/v1/ that no operation matches (an unknown endpoint, an id that is not an integer)
  answers the API's JSON 404, while a page keeps the site's HTML 404;
- a filter value a list refuses (an unknown choice, an id that names nothing) answers a status the
  operation documents, with the Chinese sentence in `detail`."""

import json
import typing
from collections import defaultdict

import pytest
from pydantic import BaseModel

from config.api import api

# As a client reads it (status codes are strings in JSON, ints in ninja's dict).
DOCUMENT = json.loads(json.dumps(api.get_openapi_schema()))
COMPONENTS = DOCUMENT["components"]["schemas"]


def _schema_classes() -> set[type[BaseModel]]:
    """Every pydantic class an operation of the API takes or answers, nested ones included."""
    found: set[type[BaseModel]] = set()

    def walk(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found:
                found.add(annotation)
                for field in annotation.model_fields.values():
                    walk(field.annotation)
            return
        for arg in typing.get_args(annotation):
            walk(arg)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    walk(model)
    return found


CLASSES = _schema_classes()


def test_every_published_schema_name_belongs_to_one_class():
    # ninja's own wrappers (NinjaResponseSchema, PathParams, …) are many classes of one name, but they
    # are inlined, never published: only names that are components count.
    by_name = defaultdict(set)
    for cls in CLASSES:
        if cls.__name__ in COMPONENTS:
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not shared, ("two schema classes share a name, and the document describes both with one of them; "
                        f"give each an app prefix (ProjectStageOut, CockpitStageOut): {shared}")


def test_every_component_lists_its_own_class_fields():
    """The document's component for a class has exactly that class's fields, under their JSON names."""
    wrong = []
    for cls in CLASSES:
        component = COMPONENTS.get(cls.__name__)
        if component is None or "properties" not in component:
            continue
        fields = {field.alias or name for name, field in cls.model_fields.items()}
        if set(component["properties"]) != fields:
            wrong.append(f"{cls.__module__}.{cls.__name__}: document {sorted(component['properties'])}, "
                         f"class {sorted(fields)}")
    assert not wrong, "\n".join(wrong)


def test_every_schema_class_is_published():
    """A class missing from components would mean ninja named it otherwise, and the checks above
    would look at nothing."""
    published = {cls.__name__ for cls in CLASSES if cls.__module__.startswith("apps.")} - set(COMPONENTS)
    # Query models are spread into parameters, not published.
    published = {name for name in published if not name.endswith(("Filters", "Query"))}
    assert not published, sorted(published)


@pytest.mark.parametrize("path", ["/api/v1/projects/abc", "/api/v1/projects/1.5/history", "/api/v1/no-such-endpoint",
                                  "/api/v1/"])
@pytest.mark.parametrize("logged_in", [True, False], ids=["office", "anonymous"])
def test_an_unmatched_api_path_answers_the_json_404(client, users, path, logged_in):
    if logged_in:
        client.force_login(users["office"])
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "not_found"
    assert path in body["detail"] and "接口地址不存在" in body["detail"]


def test_every_operation_with_an_id_in_its_path_documents_the_json_404():
    """/api/v1/projects/abc is answered by the fallback above, so every operation a client could mistype
    an id for must say what a 404 looks like."""
    missing = [f"{method.upper()} {path}" for path, item in DOCUMENT["paths"].items() if "{" in path
               for method, operation in item.items()
               if "application/json" not in operation["responses"].get("404", {}).get("content", {})]
    assert not missing, missing


@pytest.mark.parametrize("path", ["/projects/abc/", "/no-such-page/", "/api/v2/projects"])
def test_an_unmatched_page_keeps_the_html_404(client, users, path):
    client.force_login(users["office"])
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "找不到该记录或页面" in response.content.decode()


# Bounded parameters have their own 422 (pagination, a match's limit, an event year).
BOUNDED = {"page", "page_size", "limit", "year"}


def _types(schema: dict) -> set[str]:
    return {schema.get("type")} | {option.get("type") for option in schema.get("anyOf", [])}


def _filter_probes():
    """One request per list filter: a choice no list offers, or an id that names nothing."""
    probes = []
    for path, item in DOCUMENT["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            name, types = parameter["name"], _types(parameter["schema"])
            if parameter["in"] != "query" or name in BOUNDED or parameter["schema"].get("format") == "date":
                continue
            if "integer" in types:
                value = "987654321"
            elif "string" in types and not any(o.get("format") == "date" for o in parameter["schema"].get("anyOf", [])):
                value = "nonsense"
            else:
                continue
            probes.append(pytest.param(path, name, value, id=f"{path}?{name}={value}"))
    return probes


@pytest.mark.parametrize(("path", "name", "value"), _filter_probes())
def test_a_refused_filter_value_answers_a_documented_status(client, users, path, name, value):
    client.force_login(users["office"])
    response = client.get(path, {name: value})
    documented = DOCUMENT["paths"][path]["get"]["responses"]
    assert str(response.status_code) in documented, (response.status_code, sorted(documented), response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert response.json()["detail"]
