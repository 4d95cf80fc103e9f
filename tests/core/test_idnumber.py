from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from skillplan.core.errors import RuleError
from skillplan.core.idnumber import (
    PROVINCE_CODES,
    IdNumber,
    convert_15_to_18,
    id_check_character,
    is_valid_id_number,
    make_id_number,
    parse_id_number,
)

TODAY = date(2025, 6, 1)
# 4 3 0 1 0 2 1 9 9 0 0 1 0 1 1 2 3 times 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 = 169;
# 169 mod 11 = 4 and "10X98765432"[4] = "8".
VALID = "430102199001011238"


def _divisions_csv() -> Path:
    root = Path(__file__).resolve().parents[2]
    local = root / "data" / "divisions.csv"
    return local if local.exists() else root.parent / "shared" / "data" / "divisions.csv"


def _code(raw: object, **kwargs: object) -> str:
    with pytest.raises(RuleError) as info:
        parse_id_number(raw, **kwargs)  # type: ignore[arg-type]
    return info.value.code


def _with_check(first17: str) -> str:
    return first17 + id_check_character(first17)


def test_province_codes_equal_the_province_rows_of_divisions_csv() -> None:
    with _divisions_csv().open(encoding="utf-8-sig", newline="") as handle:
        codes = {row["code"] for row in csv.DictReader(handle) if row["level"] == "province"}
    assert frozenset(codes) == PROVINCE_CODES
    assert len(PROVINCE_CODES) == 34
    assert {"71", "81", "82"} <= PROVINCE_CODES


def test_check_character_of_the_standard_example() -> None:
    assert id_check_character("11010519491231002") == "X"
    assert id_check_character(VALID[:17]) == "8"


def test_check_character_needs_17_digits() -> None:
    with pytest.raises(RuleError) as info:
        id_check_character("1101051949123100")
    assert info.value.code == "id_format"


def test_parse_a_valid_number() -> None:
    parsed = parse_id_number(VALID, today=TODAY)
    assert parsed == IdNumber(
        number=VALID,
        birth_date=date(1990, 1, 1),
        gender="M",
        province_code="43",
        converted_from_15=False,
    )
    assert parsed.region_code == "430102"
    assert parsed.age_on(TODAY) == 35


def test_gender_comes_from_digit_17() -> None:
    assert parse_id_number(make_id_number("430102", date(1990, 1, 1), 124)).gender == "F"
    assert parse_id_number(make_id_number("430102", date(1990, 1, 1), 125)).gender == "M"


def test_lowercase_x_is_accepted() -> None:
    parsed = parse_id_number("11010519491231002x", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "F"


def test_full_width_digits_and_spaces_are_normalised() -> None:
    raw = "\u3000４３０１０２ １９９００１０１ １２３８\xa0"
    assert parse_id_number(raw, today=TODAY).number == VALID
    assert parse_id_number(" 11010519491231002ｘ ", today=TODAY).number == "11010519491231002X"


def test_15_digit_number_is_converted() -> None:
    # 110105 49 1231 002 → 110105 19 49 1231 002 + check "X" (the GB 11643 example):
    # 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 weighted = 167; 167 mod 11 = 2; "10X98765432"[2] = "X".
    parsed = parse_id_number("110105491231002", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.converted_from_15 is True
    assert parsed.birth_date == date(1949, 12, 31)
    assert convert_15_to_18("110105491231002") == "11010519491231002X"


def test_15_digit_number_as_int_cell_is_converted() -> None:
    assert parse_id_number(110105491231002, today=TODAY).number == "11010519491231002X"


def test_int_cell_with_18_digits_is_accepted() -> None:
    assert parse_id_number(430102199001011238, today=TODAY).number == VALID
    # Ends in 000 but its check character really is 0: a genuine number.
    assert id_check_character("43010219900101100") == "0"
    assert parse_id_number(430102199001011000, today=TODAY).number == "430102199001011000"


@pytest.mark.parametrize(
    "raw",
    [
        4.30102199001011e17,  # any float cell
        430102199001011238.0,
        110105491231002.0,
        "4.30102E+17",
        "4.30102e17",
        "4.30102E17",
        " ４.３０１０２Ｅ＋１７ ",
        "430102199001011000.0",
        Decimal("4.30102E+17"),
        Decimal("4.30102199001011E+17"),
        430102199001012000,  # 18-digit int ending in 000 whose check character is 3
    ],
)
def test_excel_mangled_values_are_id_mangled(raw: object) -> None:
    assert _code(raw, today=TODAY) == "id_mangled"


def test_mangled_message_is_its_own() -> None:
    with pytest.raises(RuleError) as info:
        parse_id_number("4.30102E+17")
    assert "lost digits" in str(info.value)


def test_decimal_holding_a_whole_number_is_accepted() -> None:
    assert parse_id_number(Decimal("430102199001011238"), today=TODAY).number == VALID


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        True,
        "43010219900101123",  # 17 digits
        "4301021990010112388",  # 19 digits
        "4301021990010112A8",
        "X30102199001011238",
        "11010549123100",  # 14 digits
        -430102199001011238,
    ],
)
def test_wrong_shape_is_id_format(raw: object) -> None:
    assert _code(raw, today=TODAY) == "id_format"


@pytest.mark.parametrize("region", ["990102", "720102", "100102", "910000"])
def test_unknown_province_is_id_region(region: str) -> None:
    number = make_id_number(region, date(1990, 1, 1), 123)
    with pytest.raises(RuleError) as info:
        parse_id_number(number, today=TODAY)
    assert info.value.code == "id_region"
    assert region[:2] in str(info.value)


def test_old_county_codes_are_legal() -> None:
    # Digits 3–6 are not checked: 439900 is no county today.
    assert parse_id_number(make_id_number("439900", date(1980, 5, 6), 7), today=TODAY)
    assert parse_id_number(make_id_number("710000", date(1980, 5, 6), 7), today=TODAY)
    assert parse_id_number(make_id_number("820000", date(1980, 5, 6), 7), today=TODAY)


@pytest.mark.parametrize(
    "first17",
    [
        "43010219900230123",  # 30 February
        "43010219901301123",  # month 13
        "43010219900100123",  # day 0
        "43010219990229123",  # 1999 is no leap year
        "43010219000229123",  # 1900 is no leap year
    ],
)
def test_impossible_birth_date_is_id_birthdate(first17: str) -> None:
    assert _code(_with_check(first17), today=TODAY) == "id_birthdate"


def test_birth_date_on_29_february_of_a_leap_year() -> None:
    parsed = parse_id_number(make_id_number("430102", date(2000, 2, 29), 1), today=TODAY)
    assert parsed.birth_date == date(2000, 2, 29)
    assert parsed.age_on(date(2001, 2, 28)) == 0
    assert parsed.age_on(date(2001, 3, 1)) == 1
    assert parsed.age_on(date(2004, 2, 28)) == 3
    assert parsed.age_on(date(2004, 2, 29)) == 4


def test_future_birth_date_is_relative_to_today() -> None:
    number = make_id_number("430102", date(2025, 6, 2), 1)
    assert _code(number, today=TODAY) == "id_birthdate"
    assert parse_id_number(number, today=date(2025, 6, 2)).age_on(date(2025, 6, 2)) == 0


def test_birth_before_1900_is_id_birthdate() -> None:
    # The example of GB 11643 itself: born 1880-01-01, check character 4.
    assert id_check_character("44052418800101001") == "4"
    with pytest.raises(RuleError) as info:
        parse_id_number("440524188001010014", today=TODAY)
    assert info.value.code == "id_birthdate"
    assert "1900" in str(info.value)
    assert parse_id_number(make_id_number("440524", date(1900, 1, 1), 1), today=TODAY)


def test_wrong_check_character_is_id_checksum() -> None:
    with pytest.raises(RuleError) as info:
        parse_id_number("430102199001011237", today=TODAY)
    assert info.value.code == "id_checksum"
    assert str(info.value) == "The check character of the ID number is wrong: expected 8."


def test_x_where_a_digit_is_expected_is_id_checksum() -> None:
    assert _code("43010219900101123X", today=TODAY) == "id_checksum"


def test_checks_run_in_order_format_region_birthdate_checksum() -> None:
    assert _code("990102199002301230", today=TODAY) == "id_region"
    assert _code("430102199002301230", today=TODAY) == "id_birthdate"


def test_is_valid_id_number() -> None:
    assert is_valid_id_number(VALID)
    assert is_valid_id_number("11010519491231002x")
    assert is_valid_id_number("110105491231002")
    assert not is_valid_id_number("430102199001011237")
    assert not is_valid_id_number(4.30102199001011e17)
    assert not is_valid_id_number(None)


def test_make_id_number() -> None:
    number = make_id_number("430102", date(1990, 1, 1), 123)
    assert number == VALID
    assert make_id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"
    with pytest.raises(ValueError):
        make_id_number("4301", date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        make_id_number("430102", date(1990, 1, 1), 1000)
