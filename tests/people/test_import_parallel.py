"""A large roster is read and checked in a second process while the first one writes: the
outcome must be the same as in one process, row for row, message for message."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation
from python_calamine import CalamineWorkbook

from skillplan.audit.models import AuditEvent
from skillplan.core.imports import engine
from skillplan.core.imports.engine import ImportResult, RowCheck, run_import
from skillplan.people.imports import PersonsTemplate
from skillplan.people.management.commands.generate_persons import counties_under, write_roster
from skillplan.people.models import Person
from tests.imports.helpers import messy_roster, person_row, write_xlsx

pytestmark = pytest.mark.django_db
STORED = ("name", "id_hash", "category", "grade", "gender", "birth_date", "ethnicity",
          "education", "region_code", "urban_rural", "phone_hash", "employment_status", "notes",
          "flags", "version")


def _last_event() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _outcome(result: ImportResult, report: Path, since: int) -> dict[str, Any]:
    """Everything a clerk or the job page gets to see of an import (and its audit events,
    those after ``since``)."""
    return {
        "result": result.as_dict(), "warnings": result.warning_list,
        "header_row": result.header_row, "report_rows": result.report_rows,
        "report": CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python(),
        "persons": sorted(Person.objects.values_list(*STORED)),
        "certificates": sorted(Person.objects.values_list("certificate_number", flat=True)),
        "audit": sorted(AuditEvent.objects.filter(seq__gt=since).values_list(
            "event", "target_repr", "before", "after")),
    }


def _import(path: Path, user: Any, report: Path, *, parallel: bool, **options: Any
            ) -> dict[str, Any]:
    since = _last_event()
    result = run_import(PersonsTemplate(), path, actor=user, report_path=report,
                        parallel=parallel, batch_size=97, **options)
    return _outcome(result, report, since)


def _messy_file(tmp_path: Path) -> Path:
    """Generated rows of all Hunan (most outside Changsha, so the writer rejects them too) with
    the generator's planted errors, plus the contract's messy roster rows at the end."""
    path = tmp_path / "generated.xlsx"
    write_roster(path, count=700, counties=counties_under("43"), messy=True, seed=5)
    return path


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_parallel_and_single_process_imports_give_the_same_outcome(
    tmp_path, persona, monkeypatch, language
):
    monkeypatch.setattr(engine, "COMMIT_ROWS", 250)  # several commits, as on a large file
    user = persona("demo_city_changsha")
    path = _messy_file(tmp_path)
    before = set(Person.objects.values_list("pk", flat=True))
    outcomes: dict[bool, list[dict[str, Any]]] = {}
    with translation.override(language):
        for parallel in (False, True):
            Person.objects.exclude(pk__in=before).delete()
            outcomes[parallel] = [
                _import(path, user, tmp_path / f"{parallel}-dry.xlsx", parallel=parallel,
                        dry_run=True),
                _import(path, user, tmp_path / f"{parallel}-1.xlsx", parallel=parallel),
                _import(path, user, tmp_path / f"{parallel}-2.xlsx", parallel=parallel),
            ]

    single, parallel_ = outcomes[False], outcomes[True]
    assert parallel_ == single
    dry, first, second = single
    assert first["result"]["created"] > 30 and first["result"]["rejected"] > 300
    assert {"region_out_of_scope", "id_checksum"} <= {e["code"] for e in
                                                      first["result"]["errors"]}
    assert dry["result"]["created"] == first["result"]["created"]
    assert second["result"]["unchanged"] == first["result"]["created"]


def test_a_changed_row_updates_the_same_way_in_both_paths(tmp_path, persona):
    user = persona("demo_county_furong")
    first, _ = messy_roster(tmp_path / "first.xlsx")
    changed, _ = messy_roster(tmp_path / "changed.xlsx", phone_of_row_28="13900001111")
    outcomes = []
    for parallel in (False, True):
        Person.objects.filter(region_code="430102").delete()
        run_import(PersonsTemplate(), first, actor=user, parallel=parallel)
        outcomes.append(_import(changed, user, tmp_path / "r.xlsx", parallel=parallel))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0]["result"]["updated"] == 1


def test_large_files_are_checked_in_a_second_process(tmp_path, persona, monkeypatch):
    used: list[bool] = []
    original = engine._from_producer

    def spy(checker: Any) -> Any:
        used.append(True)
        return original(checker)

    monkeypatch.setattr(engine, "_from_producer", spy)
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(n) for n in range(30)])
    user = persona("demo_county_furong")

    with override_settings(SKILLPLAN_IMPORT_PARALLEL_ROWS=31):
        run_import(PersonsTemplate(), path, actor=user)
    assert used == []
    with override_settings(SKILLPLAN_IMPORT_PARALLEL_ROWS=30):
        result = run_import(PersonsTemplate(), path, actor=user)
    assert used == [True] and result.unchanged == 30
    with override_settings(SKILLPLAN_IMPORT_PARALLEL_ROWS=0):
        run_import(PersonsTemplate(), path, actor=user)
    assert used == [True]


class _Failing(PersonsTemplate):
    def check_row(self, raw: dict[str, Any]) -> RowCheck:
        if raw.get("name") == "测试7":
            raise ValueError("a bug in a template")
        return super().check_row(raw)


def test_a_failure_while_checking_is_raised_and_no_process_is_left(tmp_path, persona):
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(n) for n in range(10)])

    with pytest.raises(RuntimeError, match="a bug in a template"):
        run_import(_Failing(), path, actor=persona("demo_county_furong"), parallel=True,
                   batch_size=3)

    assert multiprocessing.active_children() == []
