"""The streaming export engine: text cells for IDs, no formulas ever, progress, both writers."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from skillplan.core.exports import Column, export_xlsx

WRITERS = ["rust", "xlsxwriter"]
ID = "430102199005171234"
ROWS: list[dict[str, Any]] = [
    {"name": "=HYPERLINK(\"http://evil\",\"点我\")", "id": ID, "n": 3, "day": dt.date(1990, 5, 17)},
    {"name": "+86 138", "id": "430102199005170000", "n": Decimal("2.5"), "day": None},
    {"name": "-5", "id": 430102199001011000, "n": None, "day": dt.date(2000, 1, 1)},
    {"name": "@SUM(A1)", "id": "\tcmd", "n": 0, "day": None},
    {"name": "\r=1+1", "id": "", "n": 1, "day": None},
]
COLUMNS: list[Column[dict[str, Any]]] = [
    Column("Name", lambda r: r["name"]),
    Column("ID number", lambda r: r["id"], text=True),
    Column("Count", lambda r: r["n"]),
    Column("Birth date", lambda r: r["day"]),
]


def _read(path: Path) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


@pytest.mark.parametrize("writer", WRITERS)
def test_cells_that_look_like_formulas_stay_text_with_a_visible_quote(
    tmp_path: Path, writer: Any
) -> None:
    path = tmp_path / "out.xlsx"
    assert export_xlsx(path, sheet_title="Persons", columns=COLUMNS, rows=ROWS,
                       writer=writer) == len(ROWS)

    rows = _read(path)
    names = [row[0] for row in rows[1:]]
    assert names == ["'=HYPERLINK(\"http://evil\",\"点我\")", "'+86 138", "'-5", "'@SUM(A1)",
                     "'\r=1+1"]
    assert rows[4][1] == "'\tcmd"
    assert "<f>" not in _sheet_xml(path) and "<f " not in _sheet_xml(path)


@pytest.mark.parametrize("writer", WRITERS)
def test_id_numbers_are_text_cells_even_when_given_as_numbers(
    tmp_path: Path, writer: Any
) -> None:
    path = tmp_path / "out.xlsx"
    export_xlsx(path, sheet_title="Persons", columns=COLUMNS, rows=ROWS, writer=writer)

    rows = _read(path)
    assert [row[1] for row in rows[1:4]] == [ID, "430102199005170000", "430102199001011000"]
    xml = _sheet_xml(path)
    # Every ID cell of column B is a string cell, never a number.
    for match in re.finditer(r'<c r="B([0-9]+)"([^>]*)>', xml):
        if match.group(1) not in ("1", "6"):
            assert 't="' in match.group(2)


@pytest.mark.parametrize("writer", WRITERS)
def test_numbers_stay_numbers_and_dates_stay_dates(tmp_path: Path, writer: Any) -> None:
    path = tmp_path / "out.xlsx"
    export_xlsx(path, sheet_title="Persons", columns=COLUMNS, rows=ROWS, writer=writer)

    rows = _read(path)
    assert rows[0] == ["Name", "ID number", "Count", "Birth date"]
    assert [row[2] for row in rows[1:]] == [3.0, 2.5, "", 0.0, 1.0]
    assert rows[1][3] == dt.date(1990, 5, 17)
    assert rows[3][3] == dt.date(2000, 1, 1)


def test_empty_export_has_the_header_row_only(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert export_xlsx(path, sheet_title="Persons", columns=COLUMNS, rows=iter([])) == 0
    assert _read(path) == [["Name", "ID number", "Count", "Birth date"]]


def test_rows_are_streamed_with_progress_and_no_partial_file_is_left(tmp_path: Path) -> None:
    seen: list[int] = []
    path = tmp_path / "out.xlsx"

    def rows() -> Any:
        for i in range(25):
            yield {"name": f"人{i}", "id": ID, "n": i, "day": None}

    assert export_xlsx(path, sheet_title="Persons", columns=COLUMNS, rows=rows(),
                       on_progress=seen.append, progress_every=10) == 25
    assert seen == [10, 20]
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    assert len(_read(path)) == 26


def test_a_failing_row_source_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"

    def rows() -> Any:
        yield ROWS[0]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        export_xlsx(path, sheet_title="Persons", columns=COLUMNS, rows=rows())
    assert list(tmp_path.iterdir()) == []


def test_same_header_twice_keeps_both_columns(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    columns = [Column("Name", lambda r: r["name"]), Column("Name", lambda r: r["id"], text=True)]
    export_xlsx(path, sheet_title="Persons", columns=columns, rows=[{"name": "张三", "id": ID}])
    assert _read(path) == [["Name", "Name (2)"], ["张三", ID]]
