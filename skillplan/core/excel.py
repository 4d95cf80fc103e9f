"""Writing Excel files: the first, small piece of the engine every export and import builds on.

Rows are streamed (XlsxWriter ``constant_memory``), so a 100,000-row export holds one row in
memory at a time. Two safety rules apply to every sheet written here:

* **No formulas, ever.** A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
  carriage return, which some spreadsheet programs skip before reading a formula) would run as a
  formula when a clerk opens the file ("CSV/formula injection"). Such a string is written as a
  string with a single quote ``'`` in front (OWASP's advice). We prefer the visible quote to
  silently dropping characters: the value stays readable and a person can see it was changed.
  The cost is that a text value such as ``-5`` reads ``'-5``; numbers are written as numbers and
  are never prefixed.
* **ID-like columns are text.** ID card numbers, phone numbers and credit codes lose digits or
  leading zeros as numbers, so the columns named in ``text_columns`` are always written as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from django.utils import timezone
from xlsxwriter.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31
_FORBIDDEN_IN_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def neutralise_cell(value: Any) -> Any:
    """``value`` made safe to put in a cell: a string that a spreadsheet could read as a
    formula gets a leading ``'``; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _sheet_title(title: str) -> str:
    cleaned = str(title).translate(_FORBIDDEN_IN_TITLE).strip("'") or "Sheet1"
    return cleaned[:SHEET_TITLE_MAX]


def _naive_local(value: dt.datetime) -> dt.datetime:
    """Excel has no time zones: aware datetimes are shown in the installation's local time."""
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _column_width(header: str) -> float:
    # CJK characters are about two columns wide; keep a sensible minimum and maximum.
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in header)
    return float(min(max(wide + 4, 14), 40))


class _CellWriter:
    """Writes one value with the right XlsxWriter call; never ``write()``, which guesses."""

    def __init__(self, workbook: xlsxwriter.Workbook, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})

    def write(self, row: int, col: int, value: Any, *, as_text: bool) -> None:
        sheet = self.sheet
        if value is None or value == "":
            return
        if as_text or isinstance(value, str):
            sheet.write_string(row, col, neutralise_cell(str(value)))
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, col, float(value))
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(row, col, _naive_local(value), self.datetime_format)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, value, self.date_format)
        else:
            sheet.write_string(row, col, neutralise_cell(str(value)))


def write_xlsx(
    path: str | Path,
    *,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_columns: Iterable[int] = (),
) -> int:
    """Write one sheet to ``path`` and return the number of data rows (the header not counted).

    ``rows`` may be any iterator (a generator over a queryset is the usual case); it is consumed
    once, row by row. The header row is bold and frozen so it stays visible while scrolling.
    Columns whose indexes are in ``text_columns`` are written as text whatever their type.
    """
    text_cols = frozenset(text_columns)
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
         "strings_to_numbers": False},
    )
    count = 0
    try:
        sheet = workbook.add_worksheet(_sheet_title(sheet_title))
        bold = workbook.add_format({"bold": True})
        text_format = workbook.add_format({"num_format": "@"})
        for col, header in enumerate(headers):
            header_text = str(header)
            sheet.set_column(
                col, col, _column_width(header_text), text_format if col in text_cols else None
            )
            sheet.write_string(0, col, neutralise_cell(header_text), bold)
        sheet.freeze_panes(1, 0)
        cells = _CellWriter(workbook, sheet)
        for count, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                cells.write(count, col, value, as_text=col in text_cols)
    finally:
        workbook.close()
    return count
