"""Building import files for tests: valid persons, messy rosters, CSV in several encodings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from skillplan.core.disability import make_certificate_number
from skillplan.core.errors import RuleError
from skillplan.core.idnumber import convert_15_to_18, id_check_character, make_id_number

HEADERS = ["姓名", "身份证号", "残疾人证号", "残疾类别", "残疾等级", "性别", "出生日期", "民族",
           "文化程度", "户籍地", "城乡", "联系电话", "就业状态", "备注"]


class Formula:
    """A formula cell with its cached value (what Excel would have computed)."""

    def __init__(self, formula: str, value: Any) -> None:
        self.formula, self.value = formula, value


def person_id(index: int, region6: str = "430102") -> str:
    """A valid, distinct ID number for each ``index`` (up to 36,500,000)."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=(index // 1000) % 16000)
    return make_id_number(region6, birth, index % 1000)


def id_ending_in_x(region6: str = "430102") -> str:
    for seq in range(1000):
        number = make_id_number(region6, dt.date(1988, 8, 8), seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no X")


def person_row(index: int, region: str = "芙蓉区", **changes: Any) -> list[Any]:
    number = changes.pop("id_number", None) or person_id(index)
    row = {
        "姓名": f"测试{index}", "身份证号": number,
        "残疾人证号": make_certificate_number(number, index % 7 + 1, index % 4 + 1),
        "残疾类别": "", "残疾等级": "", "性别": "", "出生日期": "", "民族": "汉族",
        "文化程度": "初中", "户籍地": region, "城乡": "农村",
        "联系电话": f"138{index % 100_000_000:08d}", "就业状态": "未就业", "备注": "",
    }
    row.update(changes)
    return [row[header] for header in HEADERS]


def write_xlsx(path: Path, rows: Iterable[Sequence[Any]], *, title_rows: int = 0,
               headers: Sequence[str] = HEADERS) -> Path:
    """An .xlsx like a clerk's: optional merged title rows, then the header, then ``rows``.
    ``float`` cells are numbers, ``Formula`` cells formulas, dates date cells, str text."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                               "strings_to_numbers": False,
                                               "strings_to_formulas": False})
    sheet = workbook.add_worksheet("花名册")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for index in range(title_rows):
        sheet.merge_range(index, 0, index, len(headers) - 1,
                          "2024年长沙市芙蓉区残疾人职业培训学员花名册" if index == 0
                          else "填报单位：芙蓉区残联")
    for col, header in enumerate(headers):
        sheet.write_string(title_rows, col, header)
    for offset, row in enumerate(rows, start=title_rows + 1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, Formula):
                sheet.write_formula(offset, col, value.formula, None, value.value)
            elif isinstance(value, bool):
                sheet.write_boolean(offset, col, value)
            elif isinstance(value, int | float):
                sheet.write_number(offset, col, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(offset, col, value, date_format)
            else:
                sheet.write_string(offset, col, str(value))
    workbook.close()
    return path


def write_csv(path: Path, rows: Iterable[Sequence[Any]], *, encoding: str,
              headers: Sequence[str] = HEADERS) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xls(path: Path, rows: Iterable[Sequence[Any]], *,
              headers: Sequence[str] = HEADERS) -> Path:
    import xlwt  # a test-only dependency (Excel 97–2003 writer)

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    for col, header in enumerate(headers):
        sheet.write(0, col, header)
    for offset, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value not in (None, ""):
                sheet.write(offset, col, value)
    book.save(str(path))
    return path


def wrong_check(number: str) -> str:
    expected = id_check_character(number[:17])
    return number[:17] + ("0" if expected != "0" else "1")


MESSY_HEADERS = ["序号", "公民身份号码", " 姓名 ", "残疾证号", "户籍所在地", "性别", "出生日期",
                 "手机号码", "残疾类别", "残疾等级", "民族", "文化程度", "户口性质", "就业状态",
                 "备注*"]
FULL_WIDTH = {ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789"}


def messy_roster(path: Path, *, phone_of_row_28: Any = 13812341234.0) -> tuple[Path, dict]:
    """A roster as clerks send them: two merged title rows, headers in another order with
    aliases and marks, odd spaces and widths, an empty row, formulas, and one bad row per error
    code of the contract. Returns the path and {row number: expected codes} of rejected rows;
    the rows of ``CREATED_ROWS`` are valid."""
    x_id = id_ending_in_x()
    ids = {n: person_id(900_000 + n) for n in range(40)}
    id15 = "430102850101123"  # a first-generation number: converted, with a warning

    def row(n: int, *, name: Any = None, id_number: Any = None, cert: Any = None,
            region: Any = "芙蓉区", gender: Any = "", birth: Any = "", phone: Any = "",
            category: Any = "", grade: Any = "", education: Any = "", notes: Any = "") -> list:
        number = ids[n] if id_number is None else id_number
        if cert is None:
            try:
                cert = make_certificate_number(str(number), 4, 2)
            except RuleError:
                cert = "43010219900101123442"
        return [n, number, f"样例{n}" if name is None else name, cert, region, gender, birth,
                phone, category, grade, "汉族", education, "农村", "未就业", notes]

    rows: dict[int, list] = {
        4: row(4, name="\u3000李 四  ", id_number=" " + x_id.lower().translate(FULL_WIDTH) + " ",
               cert=make_certificate_number(x_id, 4, 2).lower(), category="肢体残疾",
               grade="２级", gender="男 " if int(x_id[16]) % 2 else "女"),
        5: [""] * 15,
        6: row(6, region=Formula('="芙蓉"&"区"', "芙蓉区"), notes="=SUM(A1)"),
        7: row(7, id_number=id15, cert=make_certificate_number(convert_15_to_18(id15), 1, 1)),
        8: row(8, id_number=4.30102e17, cert="43010219900101100042"),
        9: row(9, id_number="12345", cert="12345"),
        10: row(10, id_number=make_id_number("990102", dt.date(1990, 1, 1), 11)),
        11: row(11, id_number=make_id_number("430102", dt.date(2099, 1, 1), 11)),
        12: row(12, id_number=wrong_check(ids[12]), cert="4301021990"),
        13: row(13, cert="123"),
        14: row(14, cert=make_certificate_number(ids[30], 4, 2)),
        15: row(15, category="外星"),
        16: row(16, grade="五级"),
        17: row(17, category="视力"),
        18: row(18, grade="一级"),
        19: row(19, gender="女" if int(ids[19][16]) % 2 else "男"),
        20: row(20, birth="1901-01-01"),
        21: row(21, region="火星区"),
        22: row(22, region="吉首市"),
        23: row(23, education="幼儿园"),
        24: row(24, birth="1990-02-30"),
        25: row(25, phone="12345"),
        26: row(26, id_number=x_id, cert=make_certificate_number(x_id, 4, 2)),
        27: row(27, name=""),
        28: row(28, birth=_birth(ids[28]), phone=phone_of_row_28),
        29: row(29),
    }
    expected = {
        8: {"id_mangled"}, 9: {"id_format"}, 10: {"id_region"}, 11: {"id_birthdate"},
        12: {"id_checksum"}, 13: {"cert_format"}, 14: {"cert_id_mismatch"},
        15: {"category_invalid"}, 16: {"grade_invalid"}, 17: {"category_mismatch"},
        18: {"grade_mismatch"}, 19: {"gender_mismatch"}, 20: {"birthdate_mismatch"},
        21: {"region_unknown"}, 22: {"region_out_of_scope"}, 23: {"enum_invalid"},
        24: {"date_format"}, 25: {"phone_format"}, 26: {"duplicate_in_file"}, 27: {"required"},
    }
    ordered = [rows.get(n, [""] * 15) for n in range(4, 30)] + [[""] * 15, [""] * 15]
    write_xlsx(path, ordered, title_rows=2, headers=MESSY_HEADERS)
    return path, expected


def _birth(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


CREATED_ROWS = (4, 6, 7, 28, 29)
