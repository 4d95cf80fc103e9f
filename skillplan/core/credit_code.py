"""Unified social credit codes of organisations (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from skillplan.core.errors import RuleError
from skillplan.core.text import normalize_text

# The 31 characters of the code: digits and capitals without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_FIRST17 = re.compile(f"[{ALPHABET}]{{17}}")
_CODE = re.compile(f"[{ALPHABET}]{{18}}")
_WHITESPACE = re.compile(r"\s+")


def credit_code_check_character(first17: str) -> str:
    """The 18th character for the first 17 characters of a code."""
    if not _FIRST17.fullmatch(first17):
        raise _format_error()
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[-total % 31]


def parse_credit_code(raw: object) -> str:
    """Return the code in upper case; raise ``credit_code_format`` or ``credit_code_checksum``."""
    code = _WHITESPACE.sub("", normalize_text(raw)).upper()
    if not _CODE.fullmatch(code):
        raise _format_error()
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise RuleError(
            "credit_code_checksum",
            _(
                "The check character of the unified social credit code is wrong: "
                "expected %(expected)s."
            )
            % {"expected": expected},
        )
    return code


def make_credit_code(first17: str) -> str:
    """Append the check character to 17 characters (case is normalised)."""
    first17 = _WHITESPACE.sub("", normalize_text(first17)).upper()
    return first17 + credit_code_check_character(first17)


def _format_error() -> RuleError:
    return RuleError(
        "credit_code_format",
        _(
            "The unified social credit code must be 18 characters: digits and capital letters "
            "except I, O, S, V and Z."
        ),
    )
