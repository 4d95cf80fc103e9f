"""Disability categories, grades and second-generation certificate numbers (残疾人证号)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from skillplan.core.errors import RuleError
from skillplan.core.idnumber import convert_15_to_18, parse_id_number
from skillplan.core.text import cell_text, normalize_text


class DisabilityCategory(models.TextChoices):
    VISUAL = "1", _("Visual")  # 视力
    HEARING = "2", _("Hearing")  # 听力
    SPEECH = "3", _("Speech")  # 言语
    PHYSICAL = "4", _("Physical")  # 肢体
    INTELLECTUAL = "5", _("Intellectual")  # 智力
    MENTAL = "6", _("Mental")  # 精神
    MULTIPLE = "7", _("Multiple")  # 多重


class DisabilityGrade(models.TextChoices):
    GRADE_1 = "1", _("Grade 1")  # 一级
    GRADE_2 = "2", _("Grade 2")  # 二级
    GRADE_3 = "3", _("Grade 3")  # 三级
    GRADE_4 = "4", _("Grade 4")  # 四级


# Every accepted spelling (lower-cased) of a category, without the suffix 残疾 / "disability".
_CATEGORY_ALIASES: dict[str, str] = {
    "视力": "1", "visual": "1",
    "听力": "2", "hearing": "2",
    "言语": "3", "语言": "3", "speech": "3",
    "肢体": "4", "physical": "4",
    "智力": "5", "intellectual": "5",
    "精神": "6", "mental": "6",
    "多重": "7", "multiple": "7",
}  # fmt: skip
_CHINESE_NUMERALS = {"一": "1", "二": "2", "三": "3", "四": "4"}
# ``Choices.values`` builds a new list on every access; these are looked up once per cell.
_CATEGORY_VALUES = frozenset(DisabilityCategory.values)
_GRADE_VALUES = frozenset(DisabilityGrade.values)
_CERTIFICATE = re.compile(r"[0-9]{17}[0-9X][1-7][1-4]")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class DisabilityCertificate:
    """A second-generation certificate number split into its parts."""

    number: str
    id_number: str
    category: str  # a DisabilityCategory value
    grade: str  # a DisabilityGrade value


def parse_category(value: object) -> str:
    """The category digit of 视力 / 视力残疾 / "1" / 1 / "Visual"; else ``category_invalid``."""
    text = _WHITESPACE.sub("", cell_text(value)).lower()
    if text in _CATEGORY_VALUES:
        return text
    for suffix in ("残疾", "disability"):
        text = text.removesuffix(suffix)
    try:
        return _CATEGORY_ALIASES[text]
    except KeyError:
        raise RuleError(
            "category_invalid",
            _(
                "Unknown disability category “%(value)s”: use visual, hearing, speech, physical, "
                "intellectual, mental, multiple or a digit 1–7."
            )
            % {"value": normalize_text(value)},
        ) from None


def parse_grade(value: object) -> str:
    """Return the grade digit for 一级 / 1 / "1级" / "一" / "Grade 1"; else ``grade_invalid``."""
    text = _WHITESPACE.sub("", cell_text(value)).lower()
    text = text.removeprefix("grade").removesuffix("级")
    text = _CHINESE_NUMERALS.get(text, text)
    if text in _GRADE_VALUES:
        return text
    raise RuleError(
        "grade_invalid",
        _("Unknown disability grade “%(value)s”: use grade 1, 2, 3 or 4.")
        % {"value": normalize_text(value)},
    )


def parse_certificate_number(
    raw: object, *, id_number: str | None = None, today: date | None = None
) -> DisabilityCertificate:
    """Check a 20-character certificate number: an ID number + category digit + grade digit.

    Codes: ``cert_format`` (wrong shape, or the embedded ID number is not valid) and
    ``cert_id_mismatch`` (``id_number`` is given and differs from the first 18 characters).
    """
    number = _certificate_text(raw)
    if not _CERTIFICATE.fullmatch(number):
        raise RuleError(
            "cert_format",
            _(
                "The disability certificate number must be 20 characters: the 18-character ID "
                "number, the category digit (1–7) and the grade digit (1–4)."
            ),
        )
    embedded = number[:18]
    try:
        parse_id_number(embedded, today=today)
    except RuleError as error:
        raise RuleError(
            "cert_format",
            _("The ID number inside the disability certificate number is not valid: %(reason)s")
            % {"reason": error.message},
        ) from error
    if id_number is not None and embedded != _normalized_id(id_number):
        raise RuleError(
            "cert_id_mismatch",
            _("The disability certificate number does not start with the person's ID number."),
        )
    return DisabilityCertificate(
        number=number, id_number=embedded, category=number[18], grade=number[19]
    )


def make_certificate_number(id_number: str, category: object, grade: object) -> str:
    """Build the certificate number of ``id_number`` (validated) for a category and grade."""
    parsed = parse_id_number(id_number)
    return parsed.number + parse_category(category) + parse_grade(grade)


def _certificate_text(raw: object) -> str:
    if isinstance(raw, float):
        raise RuleError(
            "cert_format",
            _(
                "The disability certificate number was stored as a number and has lost digits. "
                "Format the column as text and type the number again."
            ),
        )
    return _WHITESPACE.sub("", normalize_text(raw)).upper()


def _normalized_id(id_number: str) -> str:
    text = _WHITESPACE.sub("", normalize_text(id_number)).upper()
    if re.fullmatch(r"[0-9]{15}", text):
        return convert_15_to_18(text)
    return text
