"""Reading import files: header detection, cell values, and files refused as a whole."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from skillplan.core.imports import reader
from skillplan.core.imports.reader import FileRefused, open_sheet
from skillplan.people.imports import PERSON_COLUMNS
from tests.imports.helpers import Formula, person_row, write_csv, write_xlsx


def _open(path: Path):
    return open_sheet(path, columns=PERSON_COLUMNS)


def _refusal(path: Path) -> str:
    with pytest.raises(FileRefused) as caught:
        _open(path)
    assert caught.value.message
    return caught.value.code


def test_header_is_found_below_merged_title_rows_in_any_order_with_aliases(tmp_path):
    headers = ["备注", "手机号码 ", "户籍所在地", "残疾证号", "公民身份号码", "姓名*"]
    path = write_xlsx(tmp_path / "a.xlsx", [["", "", "芙蓉区", "c", "i", "张三"]],
                      title_rows=2, headers=headers)
    sheet = _open(path)
    assert sheet.header_row == 3
    assert sheet.positions == {"notes": 0, "phone": 1, "region": 2, "certificate_number": 3,
                               "id_number": 4, "name": 5}
    assert sheet.header_of("phone") == "手机号码"
    assert [number for number, _cells in sheet.rows] == [4]


def test_empty_rows_are_skipped_and_row_numbers_count_them(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [person_row(1), ["", "\u3000", " "], person_row(2)])
    assert [number for number, _cells in _open(path).rows] == [2, 4]


def test_formulas_give_their_value_and_text_starting_with_equals_stays_text(tmp_path):
    row = person_row(1, 户籍地=Formula('="芙蓉"&"区"', "芙蓉区"), 备注="=1+2")
    path = write_xlsx(tmp_path / "a.xlsx", [row])
    (_number, cells), = list(_open(path).rows)
    assert cells[9] == "芙蓉区" and cells[13] == "=1+2"


def test_csv_with_bom_is_read(tmp_path):
    path = write_csv(tmp_path / "a.csv", [person_row(1)], encoding="utf-8-sig")
    sheet = _open(path)
    assert sheet.positions["name"] == 0
    assert list(sheet.rows)[0][1][0] == "测试1"


def test_random_bytes_named_xlsx_are_refused(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(os.urandom(4096))
    assert _refusal(path) == "not_a_spreadsheet"


def test_a_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(4096))
    assert _refusal(path) == "file_damaged"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w") as entry:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(30):
            entry.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    assert _refusal(path) == "file_suspicious"


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.xlsx"
    with path.open("wb") as handle:
        handle.truncate(reader.MAX_FILE_BYTES + 1)
    assert _refusal(path) == "file_too_large"


def test_a_file_without_header_row_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["x", "y"]] * 12, headers=["甲", "乙"])
    assert _refusal(path) == "header_missing"


def test_a_header_row_lacking_a_required_column_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["张三", "x"]], headers=["姓名", "身份证号"])
    with pytest.raises(FileRefused) as caught:
        _open(path)
    assert caught.value.code == "columns_missing"
    assert "残疾人证号" in caught.value.message and "户籍地" in caught.value.message


def test_too_many_rows_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    path = write_xlsx(tmp_path / "a.xlsx", [person_row(i) for i in range(4)])
    assert _refusal(path) == "too_many_rows"
    csv_path = write_csv(tmp_path / "a.csv", [person_row(i) for i in range(4)],
                         encoding="utf-8")
    assert _refusal(csv_path) == "too_many_rows"


def test_binary_data_named_csv_is_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\x00\x01\x02" * 100)
    assert _refusal(path) == "encoding_unknown"
