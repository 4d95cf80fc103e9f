"""Audit tests read messages in English (their msgids), and can play a DBA who tampers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages(settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


class Dba:
    """Raw SQL as a database administrator with full rights would type it.

    Everything runs inside the test's transaction, so dropping or disabling the triggers is
    rolled back with the rest of the test (DDL is transactional on SQLite and PostgreSQL).
    """

    def disable_guard(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER audit_auditevent_no_update")
                cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
            else:
                cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")

    def set_after(self, seq: int, after: dict[str, Any]) -> None:
        cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE audit_auditevent SET after = {cast} WHERE seq = %s",
                [json.dumps(after, ensure_ascii=False), seq],
            )
            assert cursor.rowcount == 1

    def delete(self, seq: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [seq])
            assert cursor.rowcount == 1


@pytest.fixture
def dba(db: None) -> Dba:
    return Dba()
