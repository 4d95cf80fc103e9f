"""Masking personal data for lists, exports and logs shown to people who need no full value."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"1[0-9]{10}")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"\S+")
_NAME_SEPARATORS = frozenset("·•・. -")


def mask_id_number(value: str | None) -> str:
    """``43010219900101123X`` → ``430***********123X``; also for 20-character certificate numbers.

    The first 3 and last 4 characters stay; a value of 7 characters or fewer is all stars.
    """
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``13812341234`` → ``138****1234``; ``0731-84561234`` → ``0731-****1234``.

    Other values keep their first 4 and last 4 characters and the digits between become stars
    (separators stay); a value of 8 characters or fewer is all stars.
    """
    if not value:
        return ""
    if _MOBILE.fullmatch(value):
        return value[:3] + "****" + value[-4:]
    if len(value) <= 8:
        return "*" * len(value)
    middle = re.sub(r"[0-9]", "*", value[4:-4])
    return value[:4] + middle + value[-4:]


def mask_name(value: str | None) -> str:
    """``张三`` → ``张*``, ``张三丰`` → ``张*丰``, ``欧阳娜娜`` → ``欧**娜``, ``张`` → ``*``.

    A Latin name keeps the first letter of each word: ``John Smith`` → ``J*** S****``.
    """
    name = (value or "").strip()
    if not name:
        return ""
    if _LATIN_LETTER.search(name):
        return _WORD.sub(lambda match: match[0][0] + "*" * (len(match[0]) - 1), name)
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    middle = "".join(ch if ch in _NAME_SEPARATORS else "*" for ch in name[1:-1])
    return name[0] + middle + name[-1]
