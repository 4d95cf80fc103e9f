from __future__ import annotations

from datetime import date

import pytest

from skillplan.core.disability import (
    DisabilityCategory,
    DisabilityCertificate,
    DisabilityGrade,
    make_certificate_number,
    parse_category,
    parse_certificate_number,
    parse_grade,
)
from skillplan.core.errors import RuleError
from skillplan.core.idnumber import make_id_number

ID = "430102199001011238"
ID_X = "11010519491231002X"


def _code(func: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(RuleError) as info:
        func(*args, **kwargs)  # type: ignore[operator]
    return info.value.code


def test_category_choices() -> None:
    assert DisabilityCategory.values == ["1", "2", "3", "4", "5", "6", "7"]
    assert [str(label) for label in DisabilityCategory.labels] == [
        "Visual",
        "Hearing",
        "Speech",
        "Physical",
        "Intellectual",
        "Mental",
        "Multiple",
    ]
    assert DisabilityCategory.PHYSICAL.value == "4"


def test_grade_choices() -> None:
    assert DisabilityGrade.values == ["1", "2", "3", "4"]
    assert [str(label) for label in DisabilityGrade.labels] == [
        "Grade 1",
        "Grade 2",
        "Grade 3",
        "Grade 4",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("视力", "1"),
        ("视力残疾", "1"),
        ("1", "1"),
        (1, "1"),
        (1.0, "1"),
        ("Visual", "1"),
        ("visual disability", "1"),
        (" 听力 ", "2"),
        ("言语残疾", "3"),
        ("语言残疾", "3"),
        ("肢体", "4"),
        ("智力", "5"),
        ("精神残疾", "6"),
        ("多重", "7"),
        ("Multiple", "7"),
        ("７", "7"),
        (DisabilityCategory.MENTAL, "6"),
    ],
)
def test_parse_category(value: object, expected: str) -> None:
    assert parse_category(value) == expected


@pytest.mark.parametrize("value", ["", None, "0", "8", 8, "色盲", "残疾", "1.5", True])
def test_unknown_category_is_category_invalid(value: object) -> None:
    assert _code(parse_category, value) == "category_invalid"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("一级", "1"),
        (1, "1"),
        ("1", "1"),
        ("1级", "1"),
        ("一", "1"),
        ("二级", "2"),
        (3.0, "3"),
        ("三 级", "3"),
        ("四级", "4"),
        ("４级", "4"),
        ("Grade 2", "2"),
        (DisabilityGrade.GRADE_4, "4"),
    ],
)
def test_parse_grade(value: object, expected: str) -> None:
    assert parse_grade(value) == expected


@pytest.mark.parametrize("value", ["", None, "五级", "0", 5, "级", "一二级", "甲级"])
def test_unknown_grade_is_grade_invalid(value: object) -> None:
    assert _code(parse_grade, value) == "grade_invalid"


def test_parse_certificate_number() -> None:
    assert parse_certificate_number(ID + "41") == DisabilityCertificate(
        number=ID + "41", id_number=ID, category="4", grade="1"
    )


def test_certificate_with_lowercase_x_and_spaces() -> None:
    cert = parse_certificate_number(" 11010519491231002x 72\u3000")
    assert cert.number == ID_X + "72"
    assert cert.id_number == ID_X
    assert (cert.category, cert.grade) == ("7", "2")


def test_certificate_as_int_cell() -> None:
    assert parse_certificate_number(int(ID + "34")).category == "3"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        ID,  # no category and grade
        ID + "4",
        ID + "411",
        ID + "81",  # category 8
        ID + "05",  # category 0
        ID + "45",  # grade 5
        ID + "40",  # grade 0
        ID + "一级",
        "430102199001011237" + "41",  # embedded ID has a wrong check character
        "990102199001011238" + "41",  # embedded ID has no province
        "43010219900230123X" + "41",  # embedded ID is not even a date
        4.30102199001011e19,  # a float cell
    ],
)
def test_wrong_certificate_is_cert_format(raw: object) -> None:
    assert _code(parse_certificate_number, raw) == "cert_format"


def test_embedded_id_with_future_birth_date_is_cert_format() -> None:
    number = make_id_number("430102", date(2025, 6, 2), 1) + "11"
    assert _code(parse_certificate_number, number, today=date(2025, 6, 1)) == "cert_format"
    assert parse_certificate_number(number, today=date(2025, 6, 2)).grade == "1"


def test_embedded_id_reason_is_in_the_message() -> None:
    with pytest.raises(RuleError) as info:
        parse_certificate_number("430102199001011237" + "41")
    assert "expected 8" in str(info.value)


def test_certificate_of_another_person_is_cert_id_mismatch() -> None:
    other = make_id_number("430102", date(1990, 1, 1), 125)
    assert _code(parse_certificate_number, ID + "41", id_number=other) == "cert_id_mismatch"


def test_certificate_matches_id_number_in_any_spelling() -> None:
    assert parse_certificate_number(ID + "41", id_number=ID).id_number == ID
    assert parse_certificate_number(ID_X + "41", id_number="11010519491231002x").grade == "1"
    assert parse_certificate_number(ID_X + "41", id_number=" 110105491231002 ").grade == "1"


def test_shape_is_checked_before_the_id_number() -> None:
    assert _code(parse_certificate_number, ID + "9", id_number="something") == "cert_format"


def test_make_certificate_number() -> None:
    assert make_certificate_number(ID, "肢体", "二级") == ID + "42"
    assert make_certificate_number("11010519491231002x", 7, 4) == ID_X + "74"
    assert (
        make_certificate_number(ID, DisabilityCategory.VISUAL, DisabilityGrade.GRADE_3) == ID + "13"
    )
    assert parse_certificate_number(make_certificate_number(ID, "5", "1"), id_number=ID)


def test_make_certificate_number_rejects_bad_parts() -> None:
    assert _code(make_certificate_number, "430102199001011237", "1", "1") == "id_checksum"
    assert _code(make_certificate_number, ID, "9", "1") == "category_invalid"
    assert _code(make_certificate_number, ID, "1", "9") == "grade_invalid"
