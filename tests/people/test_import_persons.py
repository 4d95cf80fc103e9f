"""Importing person rosters through the engine: messy files, idempotence, updates, scope,
encodings and the error report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation
from python_calamine import CalamineWorkbook

from skillplan.audit.models import AuditEvent
from skillplan.core.imports.engine import ImportResult, run_import
from skillplan.people.imports import PersonsTemplate
from skillplan.people.models import Person
from skillplan.people.services import id_hash_of
from tests.imports.helpers import (
    CREATED_ROWS,
    MESSY_HEADERS,
    id_ending_in_x,
    messy_roster,
    person_id,
    person_row,
    write_csv,
    write_xls,
    write_xlsx,
)

pytestmark = pytest.mark.django_db
NAMES_CREATED = {"李 四", "样例6", "样例7", "样例28", "样例29"}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _import(path: Path, user, **options) -> ImportResult:
    return run_import(PersonsTemplate(), path, actor=user, **options)


def _codes_by_row(result: ImportResult) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for error in result.errors:
        found.setdefault(error.row, set()).add(error.code)
    return found


def test_messy_roster_saves_good_rows_and_explains_each_bad_row(tmp_path, persona):
    path, expected = messy_roster(tmp_path / "messy.xlsx")

    result = _import(path, persona("demo_county_furong"))

    assert (result.rows, result.created, result.updated, result.unchanged, result.rejected,
            result.warnings) == (25, 5, 0, 0, 20, 1)
    assert _codes_by_row(result) == expected
    assert result.header_row == 3
    assert set(Person.objects.values_list("name", flat=True)) == NAMES_CREATED
    assert [(w.row, w.code) for w in result.warning_list] == [(7, "id_converted")]


def test_messy_roster_rows_keep_their_meaning(tmp_path, persona):
    path, _expected = messy_roster(tmp_path / "messy.xlsx")
    _import(path, persona("demo_county_furong"))

    x_person = Person.objects.get(name="李 四")
    assert x_person.id_number == id_ending_in_x()  # full-width digits and lowercase x
    assert (x_person.category, x_person.grade) == ("4", "2")
    assert Person.objects.get(name="样例6").notes == "=SUM(A1)"  # text, never a formula
    assert Person.objects.get(name="样例6").region_code == "430102"  # formula's value
    assert len(Person.objects.get(name="样例7").id_number) == 18  # converted from 15
    assert Person.objects.get(name="样例28").phone == "13812341234"


def test_errors_name_the_template_column_and_row_number(tmp_path, persona):
    path, _expected = messy_roster(tmp_path / "messy.xlsx")
    result = _import(path, persona("demo_county_furong"))
    by_code = {error.code: error for error in result.errors}
    assert (by_code["id_mangled"].row, by_code["id_mangled"].column) == (8, "身份证号")
    assert (by_code["region_out_of_scope"].row,
            by_code["region_out_of_scope"].column) == (22, "户籍地")
    assert by_code["duplicate_in_file"].column == "身份证号"
    assert "row 4" in by_code["duplicate_in_file"].message


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path, persona):
    path, _expected = messy_roster(tmp_path / "messy.xlsx")
    user = persona("demo_county_furong")
    _import(path, user)
    versions = dict(Person.objects.values_list("pk", "version"))
    events = AuditEvent.objects.count()

    again = _import(path, user)

    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 5, 20)
    assert dict(Person.objects.values_list("pk", "version")) == versions
    assert AuditEvent.objects.count() == events


def test_a_changed_phone_updates_the_person_and_enters_their_history(tmp_path, persona):
    user = persona("demo_county_furong")
    first, _ = messy_roster(tmp_path / "first.xlsx")
    _import(first, user)
    changed, _ = messy_roster(tmp_path / "changed.xlsx", phone_of_row_28="13900001111")

    result = _import(changed, user)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    person = Person.objects.get(name="样例28")
    assert person.phone == "13900001111" and person.version == 2
    event = AuditEvent.objects.get(event="person.updated", target_id=str(person.pk))
    assert set(event.after) == {"phone"} and event.actor_username == "demo_county_furong"
    assert "13900001111" not in str(event.after)  # the history keeps it masked


def test_rows_outside_the_importers_county_are_rejected_and_not_written(tmp_path, persona):
    jishou = person_id(1, "433101")
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(1, region="吉首市", id_number=jishou),
                                            person_row(2)])

    result = _import(path, persona("demo_county_furong"))

    assert (result.created, result.rejected) == (1, 1)
    assert [(e.row, e.code) for e in result.errors] == [(2, "region_out_of_scope")]
    assert not Person.objects.filter(id_hash=id_hash_of(jishou)).exists()


def test_a_person_registered_in_another_county_is_not_changed_from_outside(tmp_path, persona):
    number = person_id(5, "433101")
    path = write_xlsx(tmp_path / "a.xlsx", [person_row(5, region="吉首市", id_number=number)])
    _import(path, persona("demo_county_jishou"))
    moved = write_xlsx(tmp_path / "b.xlsx", [person_row(5, region="芙蓉区", id_number=number,
                                                        姓名="改名")])

    result = _import(moved, persona("demo_county_furong"))

    assert [(e.row, e.code) for e in result.errors] == [(2, "region_out_of_scope")]
    assert Person.objects.get(id_hash=id_hash_of(number)).name == "测试5"


def test_a_dry_run_counts_like_a_real_run_and_writes_nothing(tmp_path, persona):
    path, expected = messy_roster(tmp_path / "messy.xlsx")

    result = _import(path, persona("demo_county_furong"), dry_run=True)

    assert (result.created, result.rejected) == (5, 20)
    assert _codes_by_row(result) == expected
    assert not Person.objects.exists()


def test_blank_optional_cells_keep_what_is_stored(tmp_path, persona):
    user = persona("demo_county_furong")
    _import(write_xlsx(tmp_path / "a.xlsx", [person_row(1)]), user)
    blank = person_row(1, 联系电话="", 文化程度="", 民族="")

    result = _import(write_xlsx(tmp_path / "b.xlsx", [blank]), user)

    assert result.unchanged == 1
    person = Person.objects.get()
    assert (person.phone, person.education, person.ethnicity) == ("13800000001", "junior",
                                                                 "汉族")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_files_in_utf8_and_gbk_import(tmp_path, persona, encoding):
    path = write_csv(tmp_path / "roster.csv", [person_row(i) for i in range(3)],
                     encoding=encoding)
    result = _import(path, persona("demo_county_furong"))
    assert (result.created, result.rejected) == (3, 0)
    assert set(Person.objects.values_list("name", flat=True)) == {"测试0", "测试1", "测试2"}


def test_xls_workbooks_import(tmp_path, persona):
    pytest.importorskip("xlwt")
    path = write_xls(tmp_path / "roster.xls", [person_row(i) for i in range(3)])
    result = _import(path, persona("demo_county_furong"))
    assert (result.created, result.rejected) == (3, 0)


def test_the_error_report_holds_the_original_cells_and_an_explanation(tmp_path, persona):
    path, expected = messy_roster(tmp_path / "messy.xlsx")
    report = tmp_path / "report.xlsx"

    result = _import(path, persona("demo_county_furong"), report_path=report)

    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert rows[0][-2:] == ["原行号", "错误说明"]
    assert rows[0][:3] == ["序号", "公民身份号码", "姓名"]
    assert len(rows) - 1 == result.report_rows == len(expected)
    by_row = {int(row[-2]): row for row in rows[1:]}
    assert set(by_row) == set(expected)
    assert by_row[8][1] == pytest.approx(4.30102e17)  # the cell as it was (a number)
    assert by_row[8][-1].startswith("公民身份号码: ")  # the file's own header name
    assert "lost digits" in by_row[8][-1]
    assert by_row[12][len(MESSY_HEADERS) - 1] == ""
    assert not set(CREATED_ROWS) & set(by_row)


def test_the_error_report_says_in_chinese_what_is_wrong(tmp_path, persona):
    path, _expected = messy_roster(tmp_path / "messy.xlsx")
    report = tmp_path / "report.xlsx"
    with translation.override("zh-hans"):
        _import(path, persona("demo_county_furong"), report_path=report)
    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    explanation = {int(row[-2]): row[-1] for row in rows[1:]}[27]
    assert explanation.startswith("姓名")
