"""Mainland China phone numbers: mobiles and landlines with an area code."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from skillplan.core.errors import RuleError
from skillplan.core.text import cell_text

_ALLOWED = re.compile(r"[0-9+()\s-]+")
_SEPARATORS = re.compile(r"[()\s-]+")
_MOBILE = re.compile(r"(?:\+?86|0086)?(1[0-9]{10})")
# An area code written apart from the number: "(0731)8456…", "0731-8456…", "0731 8456…"
_EXPLICIT_AREA = re.compile(r"\(?(0[0-9]{2,3})(?:\)|[\s-])")
_LOCAL = re.compile(r"[1-9][0-9]{6,7}")
_THREE_DIGIT_AREAS = ("010", "02")  # Beijing and 020–029; every other area code has 4 digits


def normalize_phone(value: object) -> str:
    """Return ``13812341234`` or ``0731-84561234``; raise ``phone_format`` otherwise.

    Accepts number cells (``13812341234.0``), spaces and dashes, a +86 / 86 / 0086 prefix on
    mobiles, and landlines written ``0731-84561234``, ``(0731)84561234``, ``073184561234`` or
    ``0731 8456 1234``. An empty value is not a phone number either.
    """
    text = cell_text(value).replace("（", "(").replace("）", ")")
    if not _ALLOWED.fullmatch(text):
        raise _format_error(text)
    digits = _SEPARATORS.sub("", text)
    mobile = _MOBILE.fullmatch(digits)
    if mobile:
        return mobile[1]
    if digits.startswith("0") and digits.isdigit():
        return _landline(text, digits)
    raise _format_error(text)


def _landline(text: str, digits: str) -> str:
    explicit = _EXPLICIT_AREA.match(text)
    if explicit:
        area = explicit[1]
    else:
        area = digits[:3] if digits.startswith(_THREE_DIGIT_AREAS) else digits[:4]
    local = digits[len(area) :]
    if not _LOCAL.fullmatch(local):
        raise _format_error(text)
    return f"{area}-{local}"


def _format_error(text: str) -> RuleError:
    return RuleError(
        "phone_format",
        _(
            "“%(value)s” is not a phone number: give a mobile number of 11 digits "
            "or a landline with its area code, like 0731-84561234."
        )
        % {"value": text},
    )
