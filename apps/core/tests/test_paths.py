"""record_path() gives what reverse() gives, for every route of the product that takes one integer id."""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse, set_script_prefix

from apps.core.paths import record_path


def _single_int_routes(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _single_int_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            if len(converters) == 1 and type(next(iter(converters.values()))).__name__ == "IntConverter":
                yield namespace + entry.name


ROUTES = sorted(set(_single_int_routes()))


def test_the_product_has_such_routes():
    assert {"projects:detail", "organisations:detail"} <= set(ROUTES)
    assert len(ROUTES) > 20


@pytest.mark.parametrize("name", ROUTES)
def test_record_path_is_reverse(name):
    for pk in (0, 1, 7, 42, 918273645, 2**40):
        assert record_path(name, pk) == reverse(name, args=[pk])


def test_under_a_script_prefix_the_path_carries_it():
    try:
        set_script_prefix("/zsj/")
        assert record_path("projects:detail", 5) == reverse("projects:detail", args=[5]) == "/zsj/projects/5/"
    finally:
        set_script_prefix("/")
    assert record_path("projects:detail", 5) == "/projects/5/"


def test_what_is_not_an_id_is_refused():
    with pytest.raises(ValueError):
        record_path("projects:detail", -1)
    with pytest.raises(ValueError):
        record_path("projects:detail", "1/../2")
    with pytest.raises(NoReverseMatch):
        record_path("projects:list", 1)  # a route without an id, as reverse() says
