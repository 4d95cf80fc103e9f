"""Chinese resident identity numbers (GB 11643-1999, 公民身份号码)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import mul

from django.utils.translation import gettext_lazy as _

from skillplan.core.errors import RuleError
from skillplan.core.text import normalize_text

# The 2-digit codes of the provincial-level units (must equal the ``province`` rows of
# data/divisions.csv; a test compares them).
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    }
)  # fmt: skip

MALE = "M"
FEMALE = "F"
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# ISO 7064 MOD 11-2: weight of position i (0-based, left to right) is 2**(17-i) mod 11.
_WEIGHTS: tuple[int, ...] = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARACTERS = "10X98765432"
# The weighted sum over the ASCII codes of 17 digits exceeds the one over the digits by this.
_ASCII_OFFSET = sum(_WEIGHTS) * ord("0")

_FIRST17 = re.compile(r"[0-9]{17}")
_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_ID15 = re.compile(r"[0-9]{15}")
_WHITESPACE = re.compile(r"\s+")
# Text that went through a number cell: 4.30102E+17, 4.30102e17, 430102199001011000.0
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]*)?E[+-]?[0-9]+")
_WITH_FRACTION = re.compile(r"[0-9]+\.[0-9]*")
_ODD_DIGITS = frozenset("13579")
# Real dates of the 8 birth digits already met (imports see the same few thousand again and
# again); bounded, as the digits come from files.
_BIRTH_DATES: dict[str, date] = {}
_BIRTH_DATES_MAX = 100_000


@dataclass(frozen=True)
class IdNumber:
    """A valid 18-character ID number and what it tells about its holder."""

    number: str
    birth_date: date
    gender: str  # MALE or FEMALE
    province_code: str
    converted_from_15: bool = False

    @property
    def region_code(self) -> str:
        """The 6-digit region of issue (may be an old county code)."""
        return self.number[:6]

    def age_on(self, day: date) -> int:
        """Age in full years on ``day`` (born 29 February: one year older on 1 March)."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


def id_check_character(first17: str) -> str:
    """The check character (``0``–``9`` or ``X``) for the first 17 digits of an ID number."""
    if not _FIRST17.fullmatch(first17):
        raise _format_error()
    # sum(int(digit) * weight), computed on the bytes (the digits are ASCII: checked above)
    total = sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - _ASCII_OFFSET
    return _CHECK_CHARACTERS[total % 11]


def convert_15_to_18(number15: str) -> str:
    """Turn a first-generation 15-digit number into its 18-character form."""
    if not _ID15.fullmatch(number15):
        raise _format_error()
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + id_check_character(first17)


def make_id_number(region6: str, birth: date, seq3: int) -> str:
    """Build a valid 18-character ID number (for demo data and tests)."""
    if not re.fullmatch(r"[1-9][0-9]{5}", region6):
        raise ValueError(f"region6 must be 6 digits, got {region6!r}")
    if not 0 <= seq3 <= 999:
        raise ValueError(f"seq3 must be 0..999, got {seq3!r}")
    first17 = f"{region6}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq3:03d}"
    return first17 + id_check_character(first17)


def parse_id_number(raw: object, *, today: date | None = None) -> IdNumber:
    """Check an ID number cell and return it parsed; raise :class:`RuleError` otherwise.

    Codes: ``id_mangled``, ``id_format``, ``id_region``, ``id_birthdate``, ``id_checksum``.
    """
    if type(raw) is str and _ID18.fullmatch(raw):
        text = raw  # the usual cell: already its own normalised form
        converted = False
    else:
        text = _id_text(raw)
        converted = False
        if _ID15.fullmatch(text):
            text = convert_15_to_18(text)
            converted = True
        elif not _ID18.fullmatch(text):
            raise _format_error()
    province = _check_region(text)
    birth = _check_birth_date(text, today or date.today())
    _check_checksum(text)
    return IdNumber(
        number=text,
        birth_date=birth,
        gender=MALE if text[16] in _ODD_DIGITS else FEMALE,
        province_code=province,
        converted_from_15=converted,
    )


def is_valid_id_number(raw: object) -> bool:
    """Whether :func:`parse_id_number` accepts ``raw`` (a 15-digit number counts as valid)."""
    try:
        parse_id_number(raw)
    except RuleError:
        return False
    return True


def _format_error() -> RuleError:
    return RuleError(
        "id_format",
        _(
            "The ID number must be 17 digits followed by a digit or X "
            "(or 15 digits for an old number)."
        ),
    )


def _mangled_error() -> RuleError:
    return RuleError(
        "id_mangled",
        _(
            "The ID number was stored as a number and has lost digits (like 4.30102E+17). "
            "Format the column as text and type the number again."
        ),
    )


def _id_text(raw: object) -> str:
    """The cell as upper-case text without spaces; refuses values that went through a float."""
    if isinstance(raw, bool):
        raise _format_error()
    if isinstance(raw, float):
        raise _mangled_error()
    if isinstance(raw, Decimal):
        return _decimal_text(raw)
    if isinstance(raw, int):
        return _int_text(raw)
    text = _WHITESPACE.sub("", normalize_text(raw)).upper()
    if _SCIENTIFIC.fullmatch(text) or _WITH_FRACTION.fullmatch(text):
        raise _mangled_error()
    return text


def _decimal_text(raw: Decimal) -> str:
    if not raw.is_finite():
        raise _format_error()
    exponent = raw.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        raise _mangled_error()  # Decimal("4.30102E+17")
    if raw != raw.to_integral_value():
        raise _format_error()
    return _int_text(int(raw))


def _int_text(raw: int) -> str:
    """Digits of an integer cell; 18 digits ending in 000 with a wrong check = lost precision."""
    digits = str(raw)
    if (
        len(digits) == 18
        and digits.isdigit()
        and digits.endswith("000")
        and id_check_character(digits[:17]) != digits[17]
    ):
        raise _mangled_error()
    return digits


def _check_region(number: str) -> str:
    province = number[:2]
    if province not in PROVINCE_CODES:
        raise RuleError(
            "id_region",
            _("The ID number starts with %(code)s, which is not a province code.")
            % {"code": province},
        )
    return province


def _check_birth_date(number: str, today: date) -> date:
    digits = number[6:14]
    birth = _BIRTH_DATES.get(digits)
    if birth is None:
        birth = _real_date(digits)
        if len(_BIRTH_DATES) < _BIRTH_DATES_MAX:
            _BIRTH_DATES[digits] = birth
    if birth > today:
        raise RuleError(
            "id_birthdate",
            _("The birth date in the ID number (%(date)s) is in the future.")
            % {"date": birth.isoformat()},
        )
    if birth < EARLIEST_BIRTH_DATE:
        raise RuleError(
            "id_birthdate",
            _("The birth date in the ID number (%(date)s) is before 1900.")
            % {"date": birth.isoformat()},
        )
    return birth


def _real_date(digits: str) -> date:
    """The date of 8 digits YYYYMMDD; ``id_birthdate`` when there is no such day."""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise RuleError(
            "id_birthdate",
            _("The birth date in the ID number (%(value)s) is not a real date.")
            % {"value": digits},
        ) from None


def _check_checksum(number: str) -> None:
    expected = id_check_character(number[:17])
    if number[17] != expected:
        raise RuleError(
            "id_checksum",
            _("The check character of the ID number is wrong: expected %(expected)s.")
            % {"expected": expected},
        )
