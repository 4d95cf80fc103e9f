"""The core Excel writer: streamed rows, a frozen bold header, text IDs, and no formulas."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from skillplan.core.excel import neutralise_cell, write_xlsx


def _read(path: Path, sheet: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


@pytest.mark.parametrize("value", ["=1+1", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_strings_that_could_run_as_formulas_get_a_leading_quote(value: str) -> None:
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["芙蓉区", "a=b", "", 5, -3, None, 1.5])
def test_harmless_values_are_left_as_they_are(value: Any) -> None:
    assert neutralise_cell(value) == value


def test_written_sheet_reads_back_with_header_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    rows = [
        ["430102199001011234", "张丽", 3, dt.date(2025, 3, 1)],
        ["43310120000101002X", "田芳", 2.5, dt.datetime(2025, 3, 1, 9, 30)],
    ]

    count = write_xlsx(path, sheet_title="名单", headers=["ID number", "Name", "Days", "Date"],
                       rows=iter(rows), text_columns=(0,))

    assert count == 2
    cells = _read(path, "名单")
    assert cells[0] == ["ID number", "Name", "Days", "Date"]
    assert cells[1][:3] == ["430102199001011234", "张丽", 3.0]
    assert cells[1][3] in (dt.date(2025, 3, 1), dt.datetime(2025, 3, 1))
    assert cells[2][0] == "43310120000101002X"
    assert cells[2][2] == 2.5


def test_id_like_columns_keep_leading_zeros_and_all_digits(tmp_path: Path) -> None:
    path = tmp_path / "ids.xlsx"

    write_xlsx(path, sheet_title="IDs", headers=["Code", "Phone"],
               rows=[[123456789012345678901, "01234"]], text_columns=(0, 1))

    assert _read(path, "IDs")[1] == ["123456789012345678901", "01234"]


def test_formula_like_text_is_written_as_quoted_text_never_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "evil.xlsx"

    write_xlsx(path, sheet_title="Data", headers=["=HYPERLINK(\"x\")", "Note"],
               rows=[["=cmd|' /C calc'!A0", "@SUM(1,2)"], ["+1", "-1"]])

    workbook = CalamineWorkbook.from_path(str(path))
    cells = workbook.get_sheet_by_name("Data").to_python()
    assert cells[0][0] == "'=HYPERLINK(\"x\")"
    assert cells[1] == ["'=cmd|' /C calc'!A0", "'@SUM(1,2)"]
    assert cells[2] == ["'+1", "'-1"]
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_numbers_are_not_quoted(tmp_path: Path) -> None:
    path = tmp_path / "numbers.xlsx"

    write_xlsx(path, sheet_title="N", headers=["Amount"], rows=[[-250]])

    assert _read(path, "N")[1] == [-250.0]


def test_rows_are_streamed_from_an_iterator_and_counted(tmp_path: Path) -> None:
    def generate() -> Iterator[list[Any]]:
        for number in range(1, 2001):
            yield [number, f"row {number}"]

    path = tmp_path / "many.xlsx"

    count = write_xlsx(path, sheet_title="Many", headers=["No", "Text"], rows=generate())

    assert count == 2000
    cells = _read(path, "Many")
    assert len(cells) == 2001
    assert cells[-1] == [2000.0, "row 2000"]


def test_empty_export_still_has_its_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"

    assert write_xlsx(path, sheet_title="Empty", headers=["A", "B"], rows=[]) == 0
    assert _read(path, "Empty") == [["A", "B"]]


def test_header_row_is_bold_and_frozen(tmp_path: Path) -> None:
    path = tmp_path / "frozen.xlsx"
    write_xlsx(path, sheet_title="F", headers=["A"], rows=[["x"]])

    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        styles_xml = archive.read("xl/styles.xml").decode()
    assert 'state="frozen"' in sheet_xml and 'ySplit="1"' in sheet_xml
    assert "<b/>" in styles_xml
