"""Django's ``flush``, able to empty the append-only audit table on SQLite.

On SQLite the audit table's DELETE trigger (migration ``audit.0003``) refuses every delete
unless the table ``audit_flush_marker`` holds a row. This command writes that row, runs
Django's own flush and removes the row again, all in one transaction: other connections never
see the marker, and a failed flush leaves none behind. Django prefers an app's command to its
own of the same name, so ``manage.py flush`` and the flush between transactional tests
(``TransactionTestCase``, pytest-django's ``transactional_db``) both come here.

On PostgreSQL flush uses TRUNCATE, which the row triggers do not see: nothing to do.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

MARKER = "audit_flush_marker"


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[alias]
        if connection.vendor != "sqlite" or MARKER not in connection.introspection.table_names():
            super().handle(**options)
            return
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MARKER} (id) VALUES (1)")
            super().handle(**options)
            cursor.execute(f"DELETE FROM {MARKER}")
