"""Writing fields of many rows back at once."""

from django.db import connection

BATCH = 1000


def update_rows(objects, field_names, where=None):
    """Write ``field_names`` of each of ``objects`` (instances of one model) to its row: one
    UPDATE joined to a VALUES list per batch (PostgreSQL, and SQLite from 3.33), where
    ``bulk_update`` builds a CASE per row and field that costs more to build than to run.

    ``where`` (field name to value) leaves alone the rows that no longer hold those values.
    Returns how many rows were written.
    """
    if not objects:
        return 0
    meta = type(objects[0])._meta
    fields = [meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    assignments = ", ".join(
        f"{quote(field.column)} = v.column{n}" for n, field in enumerate(fields, start=2)
    )
    row = "(" + ", ".join(["%s"] + [_typed_parameter(field) for field in fields]) + ")"
    conditions = [(meta.get_field(name), value) for name, value in (where or {}).items()]
    condition = "".join(f" AND {table}.{quote(field.column)} = %s" for field, _ in conditions)
    written = 0
    for start in range(0, len(objects), BATCH):
        batch = objects[start : start + BATCH]
        params = []
        for instance in batch:
            params.append(instance.pk)
            params += [
                field.get_db_prep_save(getattr(instance, field.attname), connection)
                for field in fields
            ]
        params += [field.get_db_prep_value(value, connection) for field, value in conditions]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(batch))})"
                f" AS v WHERE {table}.{pk} = v.column1{condition}",
                params,
            )
            written += cursor.rowcount
    return written


def _typed_parameter(field):
    """PostgreSQL types a VALUES column from its values, text when all are NULL: each
    value is cast to its column's type."""
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})"
    return "%s"
