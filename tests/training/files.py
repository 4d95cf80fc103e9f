"""Import files for the roster and results tests (templates 2 and 3), as clerks make them.

:func:`write_messy_roster` is also what the end-to-end browser test uploads: a class roster with
a merged title row, shuffled columns under alias headers, full-width digits, a lowercase x,
odd spaces, blank rows, an ID typed as a number (Excel shows 4.30102E+17), an unknown class
code, an unregistered person, optionally a person outside the importer's area, and a duplicate
row. It returns the counts and error codes the import must give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from skillplan.core.idnumber import make_id_number
from skillplan.people.models import Person
from tests.imports.helpers import write_xlsx

FULL_WIDTH = {ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789-"}
MESSY_HEADERS = ["序号", " 姓名 ", "报名日期", "公民身份号码", "班级代码*", "备注"]
ROSTER_HEADERS = ["班级编号", "身份证号", "报名日期", "姓名"]
RESULTS_HEADERS = ["班级编号", "身份证号", "姓名", "考核成绩", "是否合格", "证书编号", "出勤天数"]
UNKNOWN_CLASS = "HN-439900-2025-9999"
# A valid ID number nobody is registered under (the tests never register this one).
UNREGISTERED_ID = make_id_number("430102", dt.date(1979, 3, 9), 997)


def messy_id(number: str, style: int) -> Any:
    """The ID as clerks type it: full-width digits, spaces around, or a lowercase x."""
    if style == 0:
        return number.translate(FULL_WIDTH)
    if style == 1:
        return f"\u3000{number} "
    return number.lower() if number.endswith("X") else f" {number}"


def write_messy_roster(path: Path, class_code: str, persons: Sequence[Person], *,
                       outside: Person | None = None) -> dict[str, Any]:
    """Write the messy roster of ``persons`` (registered, in reach and eligible for the class
    ``class_code``) to ``path``; ``outside``: a registered person outside the importer's area
    (a federation clerk's import rejects it as ``person_unknown``).

    Returns {"rows", "created", "updated", "unchanged", "rejected", "errors": {row: code}}:
    what the first import of the file gives (a second import: the created rows unchanged).
    Row numbers are the spreadsheet's (two title rows, the header on row 3).
    """
    if not persons:
        raise ValueError("at least one person")
    code_variants = [class_code, class_code.lower(), class_code.translate(FULL_WIDTH),
                     f" {class_code}\u3000"]
    rows: list[list[Any]] = []
    errors: dict[int, str] = {}
    first_row = 4  # two title rows, then the header

    def add(cells: list[Any], code: str | None = None) -> None:
        if code is not None:
            errors[first_row + len(rows)] = code
        rows.append(cells)

    for index, person in enumerate(persons):
        name = f"\u3000{person.name[0]} {person.name[1:]} " if index % 2 else person.name
        add([index + 1, name, dt.date(2025, 3, 1) if index % 2 else "2025/3/1",
             messy_id(person.id_number, index % 3), code_variants[index % 4], ""])
        if index == 0:
            add([""] * 6)  # a blank row: skipped, not counted
    first = persons[0]
    add([90, first.name, "", 4.30102e17, class_code, "身份证号被Excel改成了科学计数法"],
        "id_mangled")
    add([91, first.name, "", first.id_number, UNKNOWN_CLASS, "班级编号写错"], "class_unknown")
    add([92, "未登记", "", UNREGISTERED_ID, class_code, "未在残疾人库中登记"], "person_unknown")
    if outside is not None:
        add([93, outside.name, "", outside.id_number, class_code, "外地户籍"], "person_unknown")
    add([94, first.name, "", first.id_number, class_code, "重复行"], "duplicate_in_file")
    add([""] * 6)
    add([""] * 6)
    write_xlsx(path, rows, title_rows=2, headers=MESSY_HEADERS)
    counted = len([row for row in rows if any(cell not in ("", None) for cell in row)])
    return {"rows": counted, "created": len(persons), "updated": 0, "unchanged": 0,
            "rejected": len(errors), "errors": errors}


def write_roster(path: Path, rows: Sequence[Sequence[Any]], *,
                 headers: Sequence[str] = ROSTER_HEADERS) -> Path:
    """A plain roster (班级编号, 身份证号, 报名日期, 姓名 unless ``headers`` say otherwise)."""
    return write_xlsx(path, rows, headers=headers)


def write_results(path: Path, rows: Sequence[Sequence[Any]], *,
                  headers: Sequence[str] = RESULTS_HEADERS) -> Path:
    """A results sheet (班级编号, 身份证号, 姓名, 考核成绩, 是否合格, 证书编号, 出勤天数)."""
    return write_xlsx(path, rows, headers=headers)
