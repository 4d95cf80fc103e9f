from __future__ import annotations

import pytest

from skillplan.core.credit_code import (
    ALPHABET,
    credit_code_check_character,
    make_credit_code,
    parse_credit_code,
)
from skillplan.core.errors import RuleError

# A known valid code. Values 9 1 3 5 0 1 0 0 M=21 0 0 0 1 0 0 Y=30 4 times the weights
# 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 sum to 1640; 1640 mod 31 = 28;
# 31 - 28 = 3, so the check character is "3".
EXAMPLE = "91350100M000100Y43"


def _code(raw: object) -> str:
    with pytest.raises(RuleError) as info:
        parse_credit_code(raw)
    return info.value.code


def test_alphabet_has_31_characters_without_i_o_s_v_z() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    assert not set("IOSVZ") & set(ALPHABET)


def test_known_valid_code() -> None:
    assert parse_credit_code(EXAMPLE) == EXAMPLE
    assert credit_code_check_character(EXAMPLE[:17]) == "3"


def test_case_and_spaces_are_normalised() -> None:
    assert parse_credit_code(" 91350100m000100y43 ") == EXAMPLE
    assert parse_credit_code("9135 0100 M000 100Y 43") == EXAMPLE
    assert parse_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == EXAMPLE


def test_make_credit_code() -> None:
    assert make_credit_code(EXAMPLE[:17]) == EXAMPLE
    assert make_credit_code("91350100m000100y4") == EXAMPLE
    built = make_credit_code("91430102MA4L123456"[:17])
    assert parse_credit_code(built) == built


def test_check_character_can_be_a_letter_or_zero() -> None:
    checks = {make_credit_code(f"9143010{n:02d}MA4L1234")[-1] for n in range(100)}
    assert checks <= set(ALPHABET)
    assert checks & set("ABCDEFGHJKLMNPQRTUWXY")


def test_wrong_check_character_is_credit_code_checksum() -> None:
    with pytest.raises(RuleError) as info:
        parse_credit_code("91350100M000100Y44")
    assert info.value.code == "credit_code_checksum"
    assert str(info.value).endswith("expected 3.")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",  # 19 characters
        "91350100I000100Y43",  # I is not used
        "91350100O000100Y43",
        "91350100S000100Y43",
        "91350100V000100Y43",
        "91350100Z000100Y43",
        "91350100-000100Y43",
    ],
)
def test_wrong_shape_is_credit_code_format(raw: object) -> None:
    assert _code(raw) == "credit_code_format"


def test_make_credit_code_rejects_bad_input() -> None:
    with pytest.raises(RuleError) as info:
        make_credit_code("9135010O0M000100Y")
    assert info.value.code == "credit_code_format"
