from __future__ import annotations

import pytest

from skillplan.core.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("43010219900101123X", "430***********123X"),
        ("43010219900101123X41", "430*************3X41"),
        ("110105491231002", "110********1002"),
        ("12345678", "123*5678"),
        ("1234567", "*******"),
        ("123", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value: str | None, expected: str) -> None:
    assert mask_id_number(value) == expected


def test_masked_id_keeps_its_length() -> None:
    assert len(mask_id_number("43010219900101123X")) == 18
    assert len(mask_id_number("43010219900101123X41")) == 20


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812341234", "138****1234"),
        ("0731-84561234", "0731-****1234"),
        ("010-12345678", "010-****5678"),
        ("0731-8456123", "0731-***6123"),
        ("12345678", "********"),
        ("123", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value: str | None, expected: str) -> None:
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三", "张*"),
        ("张三丰", "张*丰"),
        ("欧阳娜娜", "欧**娜"),
        ("张", "*"),
        (" 李四 ", "李*"),
        ("阿依古丽·买买提", "阿***·**提"),
        ("John Smith", "J*** S****"),
        ("Li", "L*"),
        ("A", "A"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_name(value: str | None, expected: str) -> None:
    assert mask_name(value) == expected
