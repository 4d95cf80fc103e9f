"""``manage.py import_data``: the JSON contract, exit statuses, report and dry run."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from skillplan.people.models import Person
from tests.imports.helpers import messy_roster, person_row, write_xlsx

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _refused(*args: str) -> tuple[CommandError, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_data", *args, stdout=out, stderr=io.StringIO())
    assert caught.value.returncode == 2
    return caught.value, out.getvalue()


def test_json_output_follows_the_contract(tmp_path: Path) -> None:
    path, expected = messy_roster(tmp_path / "messy.xlsx")

    out, _err = _run("persons", str(path), "--user", "demo_county_furong", "--json")

    result = json.loads(out.strip().splitlines()[-1])
    assert set(result) == {"kind", "rows", "created", "updated", "unchanged", "rejected",
                           "warnings", "errors"}
    assert (result["kind"], result["rows"], result["created"], result["rejected"],
            result["warnings"]) == ("persons", 25, 5, 20, 1)
    assert set(result["errors"][0]) == {"row", "column", "code", "message"}
    assert {(e["row"], e["code"]) for e in result["errors"]} == {
        (row, code) for row, codes in expected.items() for code in codes}
    assert Person.objects.count() == 5


def test_progress_goes_to_stderr_and_the_report_is_written(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(1), person_row(2, 姓名="")])
    report = tmp_path / "out" / "report.xlsx"

    out, err = _run("persons", str(path), "--user", "demo_county_furong", "--report",
                    str(report))

    assert "2/2 rows" in err
    assert "1 rejected" in out
    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert len(rows) == 2 and rows[1][-2] == 3


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(1)])
    out, _err = _run("persons", str(path), "--user", "demo_county_furong", "--json",
                     "--dry-run")
    assert json.loads(out.splitlines()[-1])["created"] == 1
    assert not Person.objects.exists()


@pytest.mark.parametrize("content", [
    b"PK\x03\x04 not really a zip",
    b"random bytes " * 50,
])
def test_a_broken_file_is_refused_with_exit_2_and_nothing_written(tmp_path, content) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(content)
    _error, out = _refused("persons", str(path), "--user", "demo_county_furong", "--json")
    assert json.loads(out.splitlines()[-1])["refused"]["code"] in {
        "file_damaged", "not_a_spreadsheet"}
    assert not Person.objects.exists()


def test_a_file_without_header_is_refused_with_exit_2(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [["a", "b"]], headers=["甲", "乙"])
    _refused("persons", str(path), "--user", "demo_county_furong")
    assert not Person.objects.exists()


def test_an_oversized_file_is_refused_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    error, _out = _refused("persons", str(path), "--user", "demo_county_furong")
    assert "50 MB" in str(error)


def test_an_unknown_kind_is_refused_with_exit_2(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(1)])
    error, _out = _refused("unicorns", str(path), "--user", "demo_county_furong")
    assert "unicorns" in str(error)
    assert "completions, enrolments, persons" in str(error)


@pytest.mark.parametrize("kind", ["enrolments", "completions"])
def test_a_person_roster_given_as_a_class_file_is_refused_with_exit_2(
    tmp_path: Path, kind: str
) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(1)])
    error, _out = _refused(kind, str(path), "--user", "demo_county_furong", "--json")
    assert "班级编号" in str(error)
    assert not Person.objects.exists()


def test_a_user_is_required_and_must_be_allowed_to_import(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(1)])
    assert "--user" in str(_refused("persons", str(path))[0])
    assert "may not import" in str(_refused("persons", str(path), "--user", "demo_provider")[0])
    assert not Person.objects.exists()


def test_the_command_exits_with_status_2_from_the_shell(tmp_path: Path) -> None:
    """The real exit status (call_command raises instead of exiting)."""
    import subprocess
    import sys

    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"junk")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_data", "unicorns", str(path), "--json"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 2
    assert json.loads(done.stdout.splitlines()[-1])["refused"]["code"] == "kind_unknown"
