"""{% url %} (apps/core/templatetags/display.py, in place of Django's): the same path as reverse() for every named
route of the product, the same errors, and the script prefix and namespace still honoured."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse, set_script_prefix

SAMPLE = {"int": 42, "string": "abc", "slug": "a-b", "path": "a/b", "uuid": "12345678-1234-5678-1234-567812345678"}


def _routes(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and hasattr(entry.pattern, "converters"):
            yield f"{namespace}{entry.name}", entry.pattern.converters


def test_every_named_route_reverses_as_django_does():
    checked = 0
    for name, converters in _routes():
        kwargs = {key: SAMPLE[type(converter).__name__.replace("Converter", "").lower()]
                  for key, converter in converters.items()}
        try:
            expected = reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # a route whose name another shadows, or a converter of its own
            continue
        source = "{% url name " + " ".join(f"{key}={key}" for key in kwargs) + " %}"
        assert Template(source).render(Context({"name": name, **kwargs})) == expected, name
        checked += 1
    assert checked > 100


def test_positional_arguments_escaping_and_as_variable():
    template = Template("{% url 'projects:detail' pk %}|{% url 'organisations:list' as there %}{{ there }}|"
                        "{% url 'nope:nothing' as missing %}[{{ missing }}]")
    assert template.render(Context({"pk": 7})) == f"{reverse('projects:detail', args=[7])}|" \
                                                  f"{reverse('organisations:list')}|[]"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'projects:detail' %}").render(Context({}))


def test_a_path_under_another_script_prefix_is_that_prefixs():
    template = Template("{% url 'projects:list' %}")
    plain = template.render(Context({}))
    set_script_prefix("/zsyz/")
    try:
        assert template.render(Context({})) == "/zsyz" + plain
    finally:
        set_script_prefix("/")
    assert template.render(Context({})) == plain


def test_an_argument_that_is_not_a_number_or_text_goes_through_djangos_own():
    # Kept paths are keyed by exact ints and strings; anything else (here a Decimal, which the int converter
    # writes as text) is reversed afresh, as Django's node would.
    from decimal import Decimal

    request = RequestFactory().get("/")
    rendered = Template("{% url 'projects:detail' pk %}").render(Context({"pk": Decimal(5), "request": request}))
    assert rendered == reverse("projects:detail", args=[5])
