"""record_path("projects:detail", 42) → "/projects/42/": reverse() for a route whose only argument is a record's
integer id, for lists that link every row; fixed_path("core:home") for a route without arguments, which every
page's menu bar links several of.

Django's reverse() matches its candidate against the route's regular expression on every call, about 15 µs;
a results page links 25 rows, and the three lists people open most spent more on their links than on the rest
of the row. Here each route is reversed once per script prefix with a marker id, and a row's path is the two
pieces around it. The tests compare it with reverse() for every such route of the product."""

import functools

from django.urls import get_script_prefix, reverse

_MARKER = 918273645  # an id no route's literal text contains (checked below)


@functools.lru_cache(maxsize=256)
def _pieces(name: str, prefix: str) -> tuple[str, str]:
    path = reverse(name, args=[_MARKER])
    head, marker, tail = path.partition(str(_MARKER))
    if not marker or str(_MARKER) in tail:
        raise ValueError(f"{name}: not a route with a single integer argument")
    return head, tail


def record_path(name: str, pk: int) -> str:
    pk = int(pk)
    if pk < 0:  # <int:…> matches digits only; reverse() would refuse it too
        raise ValueError(f"{name}: {pk} is not a record id")
    head, tail = _pieces(name, get_script_prefix())
    return f"{head}{pk}{tail}"


@functools.lru_cache(maxsize=256)
def _fixed(name: str, prefix: str) -> str:
    return reverse(name)


def fixed_path(name: str) -> str:
    """reverse(name) for a route without arguments: the same path every time, so reversed once per script prefix."""
    return _fixed(name, get_script_prefix())
