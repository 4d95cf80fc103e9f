"""Normalising the text of spreadsheet cells before the rules look at it."""

from __future__ import annotations

import math
from decimal import Decimal

# Full-width ASCII (U+FF01–U+FF5E) maps to ASCII by subtracting 0xFEE0.
_TRANSLATION: dict[int, str | None] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_TRANSLATION.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",  # no-break space
        0x200B: None,  # zero-width space
        0xFEFF: None,  # byte order mark / zero-width no-break space
    }
)


def normalize_text(value: object) -> str:
    """Return ``value`` as trimmed text with full-width ASCII and odd spaces made plain.

    ``None`` becomes ``""``; any other value goes through ``str()``.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isascii():  # nothing to translate (a fast path: imports call this per cell)
        return text.strip()
    return text.translate(_TRANSLATION).strip()


def cell_text(value: object) -> str:
    """Like :func:`normalize_text`, but a whole-number cell gives its digits.

    Spreadsheet readers return ``13812341234.0`` or ``Decimal("1")`` for number cells;
    this turns them into ``"13812341234"`` and ``"1"``. Booleans stay ``"True"``/``"False"``.
    """
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return str(int(value))
    return normalize_text(value)
