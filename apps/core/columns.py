"""Reading only the columns a page shows.

A list row that names a project's organisation and specialist joined both rows whole: select_related reads
every column of every joined table (a user's twenty, the password hash among them; an organisation's search
text), and Django compiles, hashes, converts and instantiates each one, for every row, on every request. On
the pages people open most that was about a fifth of each request (docs/benchmarks.md, ADR 0014).

- `showing(qs, "name", "unit__name", …)`: only these columns; a path through a relation joins it.
- `joined(qs, {"created_by": USER_NAME, "unit": None})`: all of the model's own columns, and of each joined
  relation the named ones (None: all of them). For records shown whole beside a few names.

A template that reads a column left out costs one more query per row, never a wrong value; the tests of these
pages count their queries against the number of rows."""

import functools
from collections.abc import Iterable

from django.db.models import Model, QuerySet

# What User.display_name reads (accounts.models.User.__str__).
USER_NAME = ("username", "first_name", "last_name")


def user_name(path: str) -> tuple[str, ...]:
    """The columns of the user at `path` that its display name needs: user_name("specialist")."""
    return tuple(f"{path}__{name}" for name in USER_NAME)


@functools.lru_cache(maxsize=512)
def _relations(model: type[Model], path: str) -> tuple[str, ...]:
    """The relation prefixes a column path passes through: "unit__successor__name" → unit, unit__successor."""
    parts, prefixes = path.split("__"), []
    for i, part in enumerate(parts[:-1]):
        field = model._meta.get_field(part)
        if not (field.many_to_one or field.one_to_one) or field.related_model is None:
            raise ValueError(f"{path}: {part} is not a forward relation of {model.__name__}")
        prefixes.append("__".join(parts[: i + 1]))
        model = field.related_model
    return tuple(prefixes)


def showing(qs: QuerySet, *paths: str) -> QuerySet:
    relations = {prefix for path in paths for prefix in _relations(qs.model, path)}
    qs = qs.select_related(None)
    if relations:  # select_related() without names would join every relation
        qs = qs.select_related(*sorted(relations))
    return qs.only(*paths, *relations)


def joined(qs: QuerySet, related: dict[str, Iterable[str] | None]) -> QuerySet:
    return qs.select_related(*related).only(*_joined_names(qs.model, tuple(
        (path, None if fields is None else tuple(fields)) for path, fields in related.items())))


@functools.lru_cache(maxsize=512)
def _joined_names(model: type[Model], related: tuple) -> tuple[str, ...]:
    # Computed once per model and relation list: pages call this on every request.
    names = [field.name for field in model._meta.concrete_fields]
    for path, fields in related:
        target = model
        for part in path.split("__"):
            target = target._meta.get_field(part).related_model
        if fields is None:
            fields = [field.name for field in target._meta.concrete_fields]
        names += [path, *(f"{path}__{name}" for name in fields)]
    return tuple(names)
