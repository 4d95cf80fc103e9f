from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from skillplan.core.dates import excel_serial_to_date, parse_date
from skillplan.core.errors import RuleError

JAN31 = date(1990, 1, 31)


@pytest.mark.parametrize(
    "value",
    [
        JAN31,
        datetime(1990, 1, 31, 13, 45),
        "1990-01-31",
        "1990-1-31",
        "1990/1/31",
        "1990/01/31",
        "1990.1.31",
        "19900131",
        "1990年1月31日",
        "1990年01月31日",
        "1990年1月31",
        "１９９０－０１－３１",
        "１９９０年１月３１日",
        "  1990-01-31\u3000",
        "1990-01-31 00:00:00",
        "1990-01-31T08:30",
        "1990-01-31 08:30:15.5",
        32904,  # Excel serial
        32904.0,
        32904.75,  # the time of day is dropped
        Decimal("32904"),
        19900131,  # 19900131 typed into a number cell
        19900131.0,
    ],
)
def test_parse_date(value: object) -> None:
    assert parse_date(value) == JAN31


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (60, date(1900, 2, 28)),  # Excel's 1900-02-29, which never existed
        (61, date(1900, 3, 1)),
        (32874, date(1990, 1, 1)),
        (36585, date(2000, 2, 29)),
        (45658, date(2025, 1, 1)),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_excel_serials(serial: int, expected: date) -> None:
    assert parse_date(serial) == expected
    assert excel_serial_to_date(serial) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2000-02-29",
        "2000/2/29",
        "20000229",
        "2000年2月29日",
    ],
)
def test_29_february_in_a_leap_year(value: str) -> None:
    assert parse_date(value) == date(2000, 2, 29)


@pytest.mark.parametrize(
    "value",
    [
        "1990-02-30",
        "1990-13-01",
        "1990-00-10",
        "1999-02-29",
        "1900-02-29",
        "19990229",
        "1999年2月29日",
        "abc",
        "",
        "  ",
        None,
        True,
        "1990-01/31",  # mixed separators
        "90-01-31",
        "31.01.1990",
        "1990-01-31 25",
        "32904",  # a serial number as text
        0,
        -5,
        2958466,
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        [1990, 1, 31],
    ],
)
def test_unreadable_dates_are_date_format(value: object) -> None:
    with pytest.raises(RuleError) as info:
        parse_date(value)
    assert info.value.code == "date_format"


def test_message_names_the_value() -> None:
    with pytest.raises(RuleError) as info:
        parse_date("1990-02-30")
    assert "1990-02-30" in str(info.value)
