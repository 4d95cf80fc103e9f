"""Reading dates from spreadsheet cells and typed text.

Excel serial numbers use the 1900 date system: serial 1 is 1900-01-01. Excel counts a day
1900-02-29 that never existed (serial 60). Like openpyxl and calamine, serials below 60 are
shifted by one day so that 1–59 give the dates Excel shows, and serial 60 gives 1900-02-28
(the same date as serial 59); serial 61 and later are 1900-03-01 onwards, as in Excel. The 1904
date system (old Mac workbooks) is not supported. A time of day in a serial is dropped.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from skillplan.core.errors import RuleError
from skillplan.core.text import normalize_text

EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL_MIN = 1
EXCEL_SERIAL_MAX = 2958465  # 9999-12-31

_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 1990-01-31, 1990/1/31, 1990.1.31 (one separator throughout), with an optional time
    re.compile(r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})" + _TIME),
    # 19900131
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),
    # 1990年1月31日, 1990年01月31日
    re.compile(r"(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日?"),
)


def parse_date(value: object) -> date:
    """Return the date of a cell: a date, an Excel serial number or text; else ``date_format``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _format_error(value)
    if isinstance(value, int | float | Decimal):
        return _from_number(value)
    return _from_text(normalize_text(value))


def excel_serial_to_date(serial: int) -> date:
    """The date of a whole Excel serial number (1900 date system, see the module doc)."""
    if not EXCEL_SERIAL_MIN <= serial <= EXCEL_SERIAL_MAX:
        raise _format_error(serial)
    days = serial + 1 if serial < 60 else serial
    return EXCEL_EPOCH + timedelta(days=days)


def _from_number(value: int | float | Decimal) -> date:
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite:
        raise _format_error(value)
    whole = math.floor(value)
    if whole == value and 10_000_000 <= whole <= 99_991_231:
        return _from_text(str(whole))  # 19900131 typed into a number cell
    return excel_serial_to_date(whole)


def _from_text(text: str) -> date:
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _build(text, match["y"], match["m"], match["d"])
    raise _format_error(text)


def _build(text: str, year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise RuleError(
            "date_format", _("“%(value)s” is not a real date.") % {"value": text}
        ) from None


def _format_error(value: object) -> RuleError:
    return RuleError(
        "date_format",
        _("“%(value)s” is not a date: write it like 1990-01-31.") % {"value": value},
    )
