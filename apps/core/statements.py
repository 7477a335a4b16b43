"""Reads compiled once per process, then run with new values: for a page's by-key reads of its record's rows.

Django builds and compiles a queryset's SQL on every call. For the short by-key reads a record page makes (a
project's stage changes, activities, specialists, edits, alerts), that compiling cost 0.3–0.5 ms each, against
0.02–0.15 ms for the database to answer (docs/benchmarks.md, sixth round). The SQL text of such a read never
changes; only the key does.

    STAGE_CHANGES = CompiledRead(StageChange, lambda project_id: StageChange.objects.filter(project_id=project_id),
                                 kinds=(int,))
    rows = STAGE_CHANGES(project.pk)  # a list of model instances, as list(queryset) would give

The builder is called once per database, with stand-in values of the given kinds. The SQL and parameters it
compiles to are kept; a call puts its own values where the stand-ins were. Django's own ModelIterable turns the
rows into instances (select_related joins, converters, annotations), exactly as for the queryset. Unlike a
related manager's rows (`project.stage_changes.all()`), they do not carry the parent instance: `row.project`
would be a query of its own, so pages use `row.project_id` or the parent they already hold.

Rules, which _compile checks where it can:
- Every value that varies between calls is an argument. A builder must not read the clock, the language, the
  user or a setting: whatever it reads is compiled in for the life of the process.
- The SQL's shape must not depend on the values. No `None` (it compiles to IS NULL) and no lists (`__in` has one
  placeholder per item).
- Use it only for reads that need no permission filter: the caller has already read the record for this user,
  and whoever sees the record sees these rows. A scope compiled in would be one user's scope for everyone. The
  exceptions: a record read by its id and then judged on the row by a predicate that answers as restrict()
  does, tested against it for every role (project_get with project_may_view, organisation_get with
  organisation_may_view); and a read used only for a reader whose restrict() adds no condition at all (the
  organisation page's projects and activities for readers of every unit), tested against the scoped selector
  for every role (ADR 0017).

apps/core/tests/test_statements.py checks every CompiledRead in the registry against its builder's queryset,
compiled afresh for real values: the same SQL, the same parameters, the same rows."""

import copy
import threading

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models.query import ModelIterable

# What an integer column holds (signed 64 bits on both databases). For a value outside it the ORM's lookup answers
# "nothing"; handed to the driver, SQLite's refuses it (OverflowError) — an id typed into a URL, say.
_INT_RANGE = (-(2 ** 63), 2 ** 63 - 1)

# Stand-ins no real key takes: far below any id, and a string no user can type.
_STAND_INS = {int: lambda n: -(2 ** 52) - 7919 * (n + 1), str: lambda n: f"\x1fcompiled-read-{n}\x1f"}


class _Query:
    """What ModelIterable asks of a queryset's query: only its compiler."""

    def __init__(self, compiler):
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


class _Rows:
    """What ModelIterable asks of a queryset: its model, database, query and known related objects."""

    def __init__(self, model, db, compiler):
        self.model, self.db, self.query, self._known_related_objects = model, db, _Query(compiler), {}


class CompiledRead:
    registry: list["CompiledRead"] = []

    def __init__(self, model, build, *, kinds: tuple[type, ...], name: str = ""):
        if any(kind not in _STAND_INS for kind in kinds):
            raise ImproperlyConfigured(f"CompiledRead {name or model.__name__}: kinds are int or str")
        self.model, self.build, self.kinds = model, build, kinds
        self.name = name or f"{model.__name__}({', '.join(kind.__name__ for kind in kinds)})"
        self._compiled: dict[str, tuple] = {}
        self._lock = threading.Lock()
        # The row converters, per thread and database: they are the bound methods of a connection's operations,
        # and each thread has its own connection. Working them out again on every call was a tenth of a call.
        self._converters = threading.local()
        CompiledRead.registry.append(self)

    def stand_ins(self) -> list:
        return [_STAND_INS[kind](n) for n, kind in enumerate(self.kinds)]

    def _compile(self, alias: str) -> tuple:
        stand_ins = self.stand_ins()
        qs = self.build(*stand_ins).using(alias)
        # Rows are model instances with what the builder joined, nothing more: prefetch_related, values() and
        # the like would be silently dropped, so they are refused.
        if qs._prefetch_related_lookups or qs._iterable_class is not ModelIterable:
            raise ImproperlyConfigured(f"CompiledRead {self.name}: only model rows (no prefetch, no values())")
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = tuple((i, n) for i, value in enumerate(params) for n, stand_in in enumerate(stand_ins)
                      if type(value) is type(stand_in) and value == stand_in)
        if {n for _i, n in slots} != set(range(len(stand_ins))):
            raise ImproperlyConfigured(f"CompiledRead {self.name}: an argument is not a parameter of its SQL")
        if any(str(stand_in) in sql for stand_in in stand_ins):
            raise ImproperlyConfigured(f"CompiledRead {self.name}: an argument was written into its SQL")
        return compiler, sql, tuple(params), slots

    def __call__(self, *values) -> list:
        if len(values) != len(self.kinds):
            raise TypeError(f"CompiledRead {self.name} takes {len(self.kinds)} values")
        for value, kind in zip(values, self.kinds, strict=True):
            if type(value) is not kind:  # a bool or None would run with the wrong type, or the wrong SQL
                raise TypeError(f"CompiledRead {self.name}: {value!r} is not {kind.__name__}")
            if kind is int and not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
                return []  # no row holds it, as the ORM's lookup would answer
        alias = router.db_for_read(self.model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(alias) or self._compiled.setdefault(alias, self._compile(alias))
        compiler, sql, params, slots = compiled
        params = list(params)
        for i, n in slots:
            params[i] = values[n]
        run = copy.copy(compiler)  # its select, joins and converters as compiled; this call's values
        run.connection = connections[alias]  # this thread's connection, not the one that compiled it
        run.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        kept = self._converters.__dict__
        converters = kept.get(alias)
        if converters is None:
            converters = kept[alias] = run.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        run.get_converters = lambda expressions: converters
        return list(ModelIterable(_Rows(self.model, alias, run)))


# Each model's columns and Django's converters for them (SQLCompiler.get_converters), per thread and database
# (like CompiledRead's): bound methods of that thread's connection.
_MODEL_CONVERTERS = threading.local()


def _model_converters(model, connection) -> tuple[list[str], object, dict]:
    kept = _MODEL_CONVERTERS.__dict__
    key = (model, connection.alias)
    found = kept.get(key)
    if found is None:
        fields = model._meta.concrete_fields
        compiler = connection.ops.compiler("SQLCompiler")(None, connection, connection.alias)
        converters = compiler.get_converters([field.get_col(model._meta.db_table) for field in fields])
        found = kept[key] = ([field.attname for field in fields], compiler, converters)
    return found


def read_model_row(model, sql: str, params, *, extra: int = 0):
    """The first row of a written-out statement whose columns are the model's concrete fields in their order,
    then `extra` columns more: (the instance, as the ORM would build it from those columns, every value converted
    as the ORM converts it; the extra values as the database gave them). None for no row.

    For the statements every request runs (the session with its user, a user by id or by API token,
    apps.accounts): raw() does the same but works out on each call which column is which field and how to
    convert it, about 0.3 ms of the 0.5 ms the session's read cost in Python (docs/benchmarks.md, tenth round).
    A row whose model columns are all NULL (a LEFT JOIN that found nothing) gives an instance without a pk."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    attnames, compiler, converters = _model_converters(model, connection)
    if len(row) != len(attnames) + extra:
        raise ImproperlyConfigured(f"read_model_row({model.__name__}): {len(row)} columns, expected "
                                   f"{len(attnames)} fields and {extra} more")
    values = next(compiler.apply_converters([row[:len(attnames)]], converters)) if converters else row[:len(attnames)]
    return model.from_db(alias, attnames, values), row[len(attnames):]
