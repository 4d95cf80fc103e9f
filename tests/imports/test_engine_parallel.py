"""The engine's parallel path: a writer that fails stops the checking process at once, and a
template using the default hooks (seal, pack, unpack) gets the same rows in both paths."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path
from typing import Any

import pytest

from skillplan.core.imports.engine import (
    BatchOutcome,
    ImportTemplate,
    RowCheck,
    run_import,
)
from skillplan.core.imports.reader import Column
from skillplan.people.imports import PersonsTemplate
from tests.imports.helpers import person_row, write_xlsx

pytestmark = pytest.mark.django_db


class _FailingWriter(PersonsTemplate):
    batches = 0

    def write_batch(self, *, actor: Any, rows: list[tuple[int, Any]], dry_run: bool
                    ) -> BatchOutcome:
        self.batches += 1
        if self.batches == 2:
            raise ValueError("the database went away")
        return super().write_batch(actor=actor, rows=rows, dry_run=dry_run)


def test_a_failing_writer_stops_the_checking_process_and_its_receiver(tmp_path, persona):
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(n) for n in range(400)])

    with pytest.raises(ValueError, match="went away"):
        run_import(_FailingWriter(), path, actor=persona("demo_county_furong"), parallel=True,
                   batch_size=5)

    assert multiprocessing.active_children() == []
    assert not [thread for thread in threading.enumerate()
                if thread.name == "skillplan-import-receiver"]


class _Names(ImportTemplate):
    """A template with the engine's default seal/pack/unpack: rows are kept in memory."""

    kind = "names-test"
    title = "names"
    columns = (Column("name", "姓名", required=True), Column("region", "户籍地"))
    key_field = "name"
    job_prefix = "names-test"
    checks_without_database = True

    def __init__(self) -> None:
        self.written: list[tuple[int, Any]] = []

    def check_row(self, raw: dict[str, Any]) -> RowCheck:
        name = str(raw.get("name") or "").strip()
        return RowCheck({"name": name, "region": raw.get("region")}, key=name)

    def write_batch(self, *, actor: Any, rows: list[tuple[int, Any]], dry_run: bool
                    ) -> BatchOutcome:
        self.written.extend(rows)
        return BatchOutcome(created=len(rows))


def test_default_hooks_give_the_same_rows_in_both_paths(tmp_path: Path, persona) -> None:
    rows = [person_row(n) for n in range(50)] + [person_row(3)]  # one repeated name
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    outcomes = []
    for parallel in (False, True):
        template = _Names()
        result = run_import(template, path, actor=persona("demo_county_furong"),
                            parallel=parallel, batch_size=7)
        outcomes.append((result.as_dict(), template.written))

    assert outcomes[0] == outcomes[1]
    result, written = outcomes[1]
    assert (result["created"], result["rejected"]) == (50, 1)
    assert [number for number, _values in written] == list(range(2, 52))
    assert written[0][1] == {"name": "测试0", "region": "芙蓉区"}
