"""How many live (not archived) projects there are, kept by the database itself.

The office's unfiltered project list says how many projects it holds. Counting them is an index-only scan
of every live row: at 200,000 projects 7 ms on a fast host and 17–27 ms on a slow one (PostgreSQL), 1.6 ms
on SQLite; under load it was the largest single statement of the commonest pages (docs/benchmarks.md).

So one row, `projects_live_count.live`, holds the number, and triggers on the project table keep it: an
insert, a delete or an archive/unarchive changes it in the same statement, whatever made the change — the
services, an import, the admin, a queryset update, a bulk insert, a cascade. Why the database and not the
services (ADR 0014): a count kept by Python would have to be kept on every path that writes projects, and the
one path forgotten makes a figure on the office's front page wrong with nothing to show it.

- PostgreSQL: statement-level triggers over the transition tables, so a bulk insert of 200,000 rows updates
  the row once per statement, not once per project (updating one row 200,000 times in one transaction makes a
  chain of versions that each next update walks). A statement that changes no live project leaves the row
  alone, so ordinary edits never wait on it. TRUNCATE (Django's flush) sets it to 0.
- SQLite: row-level triggers (SQLite writes the row in place); its flush deletes rows, which they see.
- The table is not a Django model: Django's flush and its test serialisation therefore never load a stale
  number into it behind the triggers' back. pg_dump writes triggers after the data, so a restore loads the
  number with the rows it counts, and a SQLite backup is a copy of the file.
- SQLite rebuilds a table for many schema changes (Django's `_remake_table`), which drops its triggers. After
  every migrate, `ensure()` (post_migrate) puts back any trigger that is missing and recounts.
- `manage.py recount_projects` compares the row with a real count, and sets it right with `--fix`.

Reading it: `live_project_count()`, one primary-key read.
"""

from django.db import connections, transaction

TABLE = "projects_live_count"
PROJECTS = "projects_project"
TRIGGERS = {
    "postgresql": ("projects_live_count_insert", "projects_live_count_delete", "projects_live_count_update",
                   "projects_live_count_truncate"),
    "sqlite": ("projects_live_count_insert", "projects_live_count_delete", "projects_live_count_update"),
}

_POSTGRESQL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (id smallint PRIMARY KEY CHECK (id = 1), live bigint NOT NULL)",
    f"""CREATE OR REPLACE FUNCTION projects_live_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE delta bigint;
    BEGIN
        SELECT count(*) INTO delta FROM inserted WHERE NOT is_archived;
        IF delta <> 0 THEN UPDATE {TABLE} SET live = live + delta WHERE id = 1; END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION projects_live_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE delta bigint;
    BEGIN
        SELECT count(*) INTO delta FROM deleted WHERE NOT is_archived;
        IF delta <> 0 THEN UPDATE {TABLE} SET live = live - delta WHERE id = 1; END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION projects_live_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE delta bigint;
    BEGIN
        SELECT (SELECT count(*) FROM after_rows WHERE NOT is_archived)
             - (SELECT count(*) FROM before_rows WHERE NOT is_archived) INTO delta;
        IF delta <> 0 THEN UPDATE {TABLE} SET live = live + delta WHERE id = 1; END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION projects_live_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} SET live = 0 WHERE id = 1;
        RETURN NULL;
    END $$""",
    f"DROP TRIGGER IF EXISTS projects_live_count_insert ON {PROJECTS}",
    f"""CREATE TRIGGER projects_live_count_insert AFTER INSERT ON {PROJECTS}
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION projects_live_count_insert()""",
    f"DROP TRIGGER IF EXISTS projects_live_count_delete ON {PROJECTS}",
    f"""CREATE TRIGGER projects_live_count_delete AFTER DELETE ON {PROJECTS}
        REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION projects_live_count_delete()""",
    f"DROP TRIGGER IF EXISTS projects_live_count_update ON {PROJECTS}",
    f"""CREATE TRIGGER projects_live_count_update AFTER UPDATE ON {PROJECTS}
        REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
        FOR EACH STATEMENT EXECUTE FUNCTION projects_live_count_update()""",
    f"DROP TRIGGER IF EXISTS projects_live_count_truncate ON {PROJECTS}",
    f"""CREATE TRIGGER projects_live_count_truncate AFTER TRUNCATE ON {PROJECTS}
        FOR EACH STATEMENT EXECUTE FUNCTION projects_live_count_truncate()""",
]

_SQLITE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY CHECK (id = 1), live integer NOT NULL)",
    f"""CREATE TRIGGER IF NOT EXISTS projects_live_count_insert AFTER INSERT ON {PROJECTS}
        WHEN NOT NEW.is_archived
        BEGIN UPDATE {TABLE} SET live = live + 1 WHERE id = 1; END""",
    f"""CREATE TRIGGER IF NOT EXISTS projects_live_count_delete AFTER DELETE ON {PROJECTS}
        WHEN NOT OLD.is_archived
        BEGIN UPDATE {TABLE} SET live = live - 1 WHERE id = 1; END""",
    f"""CREATE TRIGGER IF NOT EXISTS projects_live_count_update AFTER UPDATE OF is_archived ON {PROJECTS}
        WHEN OLD.is_archived IS NOT NEW.is_archived
        BEGIN UPDATE {TABLE} SET live = live + CASE WHEN NEW.is_archived THEN -1 ELSE 1 END WHERE id = 1; END""",
]

_DROP = {
    "postgresql": [*(f"DROP TRIGGER IF EXISTS {name} ON {PROJECTS}" for name in TRIGGERS["postgresql"]),
                   *(f"DROP FUNCTION IF EXISTS {name}()" for name in TRIGGERS["postgresql"]),
                   f"DROP TABLE IF EXISTS {TABLE}"],
    "sqlite": [*(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS["sqlite"]), f"DROP TABLE IF EXISTS {TABLE}"],
}


def _vendor(connection) -> str:
    if connection.vendor not in TRIGGERS:
        raise NotImplementedError(f"projects_live_count: no triggers written for {connection.vendor}")
    return connection.vendor


def install(connection) -> None:
    """Create the table and the triggers (again, where they exist) and count. Idempotent."""
    statements = _POSTGRESQL if _vendor(connection) == "postgresql" else _SQLITE
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        _recount(cursor)


def uninstall(connection) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in _DROP[_vendor(connection)]:
            cursor.execute(statement)


def _recount(cursor) -> int:
    """Set the row to a real count. The row is locked first, so a project written meanwhile either committed
    before the count (and is in it) or waits for this transaction to end to add itself."""
    cursor.execute(f"INSERT INTO {TABLE} (id, live) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM {TABLE})")
    if cursor.db.vendor == "postgresql":
        cursor.execute(f"SELECT live FROM {TABLE} WHERE id = 1 FOR UPDATE")
    cursor.execute(f"UPDATE {TABLE} SET live = (SELECT count(*) FROM {PROJECTS} WHERE NOT is_archived) WHERE id = 1")
    cursor.execute(f"SELECT live FROM {TABLE} WHERE id = 1")
    return cursor.fetchone()[0]


def missing_triggers(connection) -> list[str]:
    """The triggers this database should have and has not (all of them if the table is missing)."""
    wanted = TRIGGERS[_vendor(connection)]
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return list(wanted)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                           [PROJECTS])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [PROJECTS])
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in wanted if name not in present]


def ensure(using: str = "default") -> bool:
    """After a migrate: put back what is missing (SQLite drops a table's triggers when Django rebuilds it)
    and recount. True when something had to be put back."""
    connection = connections[using]
    if connection.vendor not in TRIGGERS:
        return False
    with connection.cursor() as cursor:
        if PROJECTS not in connection.introspection.table_names(cursor):
            return False  # migrated backwards past the project table
    if not missing_triggers(connection):
        return False
    install(connection)
    return True


def recount(using: str = "default", *, fix: bool = False) -> tuple[int | None, int]:
    """(the number the row holds, the real count); with fix=True the row is set to the real count."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"SELECT live FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
        kept = row[0] if row else None
        if fix:
            return kept, _recount(cursor)
        cursor.execute(f"SELECT count(*) FROM {PROJECTS} WHERE NOT is_archived")
        return kept, cursor.fetchone()[0]


def live_project_count(using: str = "default") -> int | None:
    """The number of live projects, as this transaction sees them; None if the row is missing."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT live FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None
