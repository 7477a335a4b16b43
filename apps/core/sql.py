"""Query helpers that no one domain owns."""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


def ids_in(model, field: str, ids) -> RawSQL:
    """`.filter(ids_in(Model, "field", ids))`: the rows whose `field` is one of many ids, passed as ONE
    parameter (`= ANY(array)` on PostgreSQL, a JSON list on SQLite). Tens of thousands of `%s` cost Django
    and the driver far more than the lookups cost the database; and PostgreSQL probes the index for an
    array in one pass, whatever its estimate of the table."""
    column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(model._meta.get_field(field).column)}"
    text = ",".join(str(int(pk)) for pk in sorted(ids))
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} = ANY(%s::bigint[])", (f"{{{text}}}",), output_field=BooleanField())
    return RawSQL(f"{column} IN (SELECT value FROM json_each(%s))", (f"[{text}]",), output_field=BooleanField())
