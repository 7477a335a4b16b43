"""Every route the site answers, found from the URL conf and the OpenAPI document rather than listed by
hand, and the sample value each path parameter takes from the world. A route whose parameter has no
sample is reported, never skipped: the matrix test fails naming it, so a new route cannot escape."""

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

API_PREFIX = "api/v1/"


@dataclass(frozen=True)
class Route:
    kind: str  # "page" | "api" | "admin"
    name: str  # "projects:detail", "api GET /projects/{project_id}", "admin:index"
    template: str  # "projects/<int:pk>/" or "/api/v1/projects/{project_id}"
    params: tuple  # path parameter names, in order
    method: str = "GET"
    body: dict | None = field(default=None, compare=False, hash=False)
    secured: bool = True  # the OpenAPI document names an authentication for it (API only)

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"


def _walk(patterns, prefix="", namespace="", params=()):
    for pattern in patterns:
        groups = params + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns, groups)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern.name, groups, pattern.callback


def page_routes() -> list[Route]:
    """Every page and admin route, and the API's own pages (its document, its docs); the API's
    operations are listed from the OpenAPI document instead."""
    out = []
    for template, namespace, name, params, callback in _walk(get_resolver().url_patterns):
        if template.startswith(API_PREFIX) and callback.__module__.startswith("ninja.operation"):
            continue
        label = (f"{namespace}:{name}" if namespace else name) if name else f"{namespace}:<unnamed {template}>"
        kind = "admin" if namespace == "admin" else "page"
        out.append(Route(kind, label, template, params))
    names = [r.name for r in out]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"two routes share a name, the matrix cannot tell them apart: {sorted(duplicates)}"
    return out


def fill(route: Route, values: dict) -> str:
    """The concrete path of a route, its parameters taken from ``values``."""
    if route.kind == "api":
        return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), route.template)
    if "<unnamed" in route.name:  # admin's catch-all: nothing to reverse, the one parameter ends the path
        return "/" + route.template.split("(?P")[0] + str(values[route.params[0]])
    return reverse(route.name, kwargs={p: values[p] for p in route.params})


def _resolve(schema: dict, node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"].split("/")[-1]
        node = schema["components"]["schemas"][ref]
    return node


def minimal_body(schema: dict, node) -> object:
    """The smallest body the schema accepts, so a write reaches the view's own permission check (an
    empty body would be refused with 422 before the record is looked up)."""
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return None
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [o for o in node[key] if _resolve(schema, o).get("type") != "null"]
            return minimal_body(schema, options[0]) if options else None
    if "enum" in node:
        return node["enum"][0]
    if "default" in node and node.get("type") != "object":
        return node["default"]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return {name: minimal_body(schema, props[name]) for name in node.get("required", []) if name in props}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = node.get("format")
        if fmt == "date":
            return "2025-10-01"
        if fmt == "date-time":
            return "2025-10-01T10:00:00+08:00"
        return "访问矩阵测试"
    return None


def api_routes() -> list[Route]:
    from config.api import api

    schema = api.get_openapi_schema()
    out = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            params = tuple(p["name"] for p in op.get("parameters", []) if p["in"] == "path")
            body = None
            content = (op.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                body = minimal_body(schema, content["application/json"]["schema"])
            elif content:
                body = {}  # multipart: sent as an empty form
            out.append(Route("api", f"api {path.removeprefix('/api/v1')}", path, params, method.upper(), body,
                             secured=bool(op.get("security"))))
    return out
