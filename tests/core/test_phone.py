from __future__ import annotations

import pytest

from skillplan.core.errors import RuleError
from skillplan.core.phone import normalize_phone


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812341234", "13812341234"),
        (13812341234, "13812341234"),
        (13812341234.0, "13812341234"),
        ("138 1234 1234", "13812341234"),
        ("138-1234-1234", "13812341234"),
        ("+86 138 1234 1234", "13812341234"),
        ("+8613812341234", "13812341234"),
        ("8613812341234", "13812341234"),
        ("008613812341234", "13812341234"),
        ("１３８１２３４１２３４", "13812341234"),
        ("\u300013812341234 ", "13812341234"),
        ("0731-84561234", "0731-84561234"),
        ("073184561234", "0731-84561234"),
        ("(0731)84561234", "0731-84561234"),
        ("（0731）84561234", "0731-84561234"),
        ("(0731) 8456-1234", "0731-84561234"),
        ("0731 8456 1234", "0731-84561234"),
        ("0731-8456123", "0731-8456123"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        ("0755-23456789", "0755-23456789"),
        ("075523456789", "0755-23456789"),
    ],
)
def test_normalize_phone(value: object, expected: str) -> None:
    assert normalize_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "1381234123",  # 10 digits
        "138123412345",  # 12 digits
        "23812341234",
        "84561234",  # no area code
        "0731-845612",  # local number too short
        "0731-845612345",  # local number too long
        "0731-04561234",  # local number starts with 0
        "07318456",
        "138abcd1234",
        "13812341234 转 8",
        "+1 415 555 0100",
        73184561234,  # landline typed as a number lost its leading 0
        1.5,
        True,
    ],
)
def test_not_a_phone_number_is_phone_format(value: object) -> None:
    with pytest.raises(RuleError) as info:
        normalize_phone(value)
    assert info.value.code == "phone_format"
