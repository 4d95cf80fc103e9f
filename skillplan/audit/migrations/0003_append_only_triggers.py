"""Make ``audit_auditevent`` append-only in the database itself, not only in ``AuditEvent.save``.

Design
------
Rows may be INSERTed; every UPDATE and every DELETE of an audit row raises an error (Django
sees ``IntegrityError`` on both databases), whoever sends it: the ORM, a raw query, a console.

**PostgreSQL**: one plpgsql function, ``audit_event_append_only()``, raised from two row-level
BEFORE triggers (UPDATE, DELETE). Django's ``flush`` (used between transactional tests and by
``manage.py flush``) empties tables with ``TRUNCATE``, which does not fire row triggers, so
flushing keeps working. We deliberately add no TRUNCATE trigger: it would break ``flush``, and
whoever may TRUNCATE may also drop triggers.

**SQLite** (development and the default test run): two BEFORE triggers with
``SELECT RAISE(ABORT, ...)``. SQLite's ``flush`` is a plain ``DELETE FROM`` of every table,
which *does* fire row triggers, in an order Django does not fix. So the DELETE trigger has one
exception: it lets a delete through while the one-row table ``audit_flush_marker`` holds a row.
That table is no Django model (``flush`` never empties it), and only the audit app's ``flush``
command (``skillplan/audit/management/commands/flush.py``, which Django prefers to its own)
writes it: it inserts the marker, runs Django's flush and deletes the marker *in one
transaction*, so no other connection ever sees a committed marker and a crash mid-flush leaves
none behind. UPDATE has no exception at all. (A SQLite trigger cannot read a TEMP table or a
connection setting, hence a real table.)

Neither design stops someone with full rights from dropping or disabling the triggers (or
writing the marker): that is what the hash chain is for — ``manage.py verify_audit`` still
names the first changed or deleted row. The triggers stop the application, a careless script
or a console session from changing the trail by accident.

Other database vendors get no triggers (the project supports PostgreSQL and SQLite only).
"""

from django.db import migrations

TABLE = "audit_auditevent"
MARKER = "audit_flush_marker"
MESSAGE = "audit_auditevent is append-only: audit events cannot be changed or deleted"

SQLITE_FORWARD = [
    f"CREATE TABLE IF NOT EXISTS {MARKER} (id INTEGER PRIMARY KEY CHECK (id = 1))",
    f"""
    CREATE TRIGGER audit_auditevent_no_update
    BEFORE UPDATE ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_delete
    BEFORE DELETE ON {TABLE}
    WHEN NOT EXISTS (SELECT 1 FROM {MARKER})
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    f"DROP TABLE IF EXISTS {MARKER}",
]

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (% of seq %)', TG_OP, OLD.seq
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_update
    BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_delete
    BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_auditevent_no_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_auditevent_no_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_REVERSE),
}


def _run(schema_editor, *, forward: bool) -> None:
    pair = STATEMENTS.get(schema_editor.connection.vendor)
    if pair is None:
        return
    for statement in pair[0 if forward else 1]:
        schema_editor.execute(statement, params=None)  # None: '%' is no placeholder


def add_triggers(apps, schema_editor) -> None:
    _run(schema_editor, forward=True)


def remove_triggers(apps, schema_editor) -> None:
    _run(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head")]
    operations = [migrations.RunPython(add_triggers, remove_triggers)]
