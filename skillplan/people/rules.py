"""The one validation of a person's data, used by the forms, the importer and the API.

``check_person`` takes raw values (form input or spreadsheet cells) keyed by field name and
returns normalised values plus problems, each with the field, a stable code (the codes of
docs/import-templates.md) and a message a clerk can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from skillplan.core.dates import parse_date
from skillplan.core.disability import (
    DisabilityCertificate,
    parse_category,
    parse_certificate_number,
    parse_grade,
)
from skillplan.core.errors import RuleError
from skillplan.core.idnumber import IdNumber, parse_id_number
from skillplan.core.masking import mask_id_number
from skillplan.core.phone import normalize_phone
from skillplan.core.text import cell_text, normalize_text
from skillplan.people.choices import (
    EDUCATION_WORDS,
    EMPLOYMENT_WORDS,
    ETHNIC_GROUPS,
    GENDER_WORDS,
    SPECIAL_GROUP_WORDS,
    URBAN_RURAL_WORDS,
    Education,
    EmploymentStatus,
    Gender,
    UrbanRural,
)
from skillplan.regions.selectors import RegionIndex, RegionRef

FIELDS = (
    "name", "id_number", "certificate_number", "category", "grade", "gender", "birth_date",
    "ethnicity", "education", "region", "urban_rural", "phone", "employment_status", "notes",
    "special_groups",
)  # fmt: skip
REQUIRED = ("name", "id_number", "certificate_number", "region")
_ETHNIC = {name: name for name in ETHNIC_GROUPS} | {name[:-1]: name for name in ETHNIC_GROUPS}
_LIST_SEPARATORS = re.compile(r"[,，、;；/\s]+")


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


@dataclass(slots=True)
class PersonValues:
    name: str
    id_number: str
    certificate_number: str
    category: str
    grade: str
    gender: str
    birth_date: date
    region: RegionRef
    ethnicity: str = ""
    education: str = ""
    urban_rural: str = ""
    phone: str = ""
    employment_status: str = ""
    notes: str = ""
    flags: int = 0

    def as_model_fields(self) -> dict[str, object]:
        return {
            "name": self.name, "id_number": self.id_number,
            "certificate_number": self.certificate_number, "category": self.category,
            "grade": self.grade, "gender": self.gender, "birth_date": self.birth_date,
            "ethnicity": self.ethnicity, "education": self.education,
            "region_id": self.region.id, "region_code": self.region.code,
            "urban_rural": self.urban_rural, "phone": self.phone,
            "employment_status": self.employment_status, "notes": self.notes,
            "flags": self.flags,
        }


@dataclass(slots=True)
class Checked:
    values: PersonValues | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class _Collector:
    __slots__ = ("errors", "warnings")

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, name: str, code: str, message: object) -> None:
        self.errors.append(Problem(name, code, str(message)))

    def rule(self, name: str, error: RuleError) -> None:
        self.error(name, error.code, error.message)


def _word(value: str, words: Mapping[str, str], choices: type, name: str,
          bag: _Collector) -> str:
    if not value:
        return ""
    if value in words:
        return words[value]
    if value in choices.values:  # an internal code (forms, API)
        return value
    bag.error(name, "enum_invalid", _("“%(value)s” is not one of: %(allowed)s.") % {
        "value": value, "allowed": "、".join(dict.fromkeys(words))})
    return ""


def _special_groups(value: object, bag: _Collector) -> int:
    if isinstance(value, int):
        return value
    flags = 0
    for word in _LIST_SEPARATORS.split(normalize_text(value)):
        if not word:
            continue
        if word not in SPECIAL_GROUP_WORDS:
            bag.error("special_groups", "enum_invalid", _(
                "“%(value)s” is not a special group: %(allowed)s.") % {
                "value": word, "allowed": "、".join(SPECIAL_GROUP_WORDS)})
            continue
        flags |= SPECIAL_GROUP_WORDS[word]
    return flags


# --- Lookups for the usual, already clean cells --------------------------------------------
# Each maps a cell text that normalisation leaves as it is to what the full parser gives for
# it (built by calling that parser, so both always agree); any other text takes the full path.


def _exact(words: Mapping[str, str], choices: type) -> dict[str, str]:
    """What ``_word`` gives for each word and code (words first, as there)."""
    found = {**{value: value for value in choices.values}, **words}
    return {text: value for text, value in found.items() if normalize_text(text) == text}


def _choice(raw: object, exact: Mapping[str, str], words: Mapping[str, str], choices: type,
            name: str, bag: _Collector) -> str:
    """``_word`` of the cell, looked up directly when it is a clean word or code."""
    if type(raw) is str:
        found = exact.get(raw)
        if found is not None:
            return found
    return _word(normalize_text(raw), words, choices, name, bag)


def _exact_parsed(parse: Callable[[object], str], texts: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for text in texts:
        if text and normalize_text(text) == text:
            try:
                found[text] = parse(text)
            except RuleError:
                continue
    return found


_GENDERS = _exact(GENDER_WORDS, Gender)
_EDUCATIONS = _exact(EDUCATION_WORDS, Education)
_URBAN_RURAL = _exact(URBAN_RURAL_WORDS, UrbanRural)
_EMPLOYMENT = _exact(EMPLOYMENT_WORDS, EmploymentStatus)
_CATEGORIES = _exact_parsed(parse_category, (
    f"{word}{suffix}" for word in ("视力", "听力", "言语", "语言", "肢体", "智力", "精神", "多重",
                                   "1", "2", "3", "4", "5", "6", "7")
    for suffix in ("", "残疾")))
_GRADES = _exact_parsed(parse_grade, (
    f"{digit}{suffix}" for digit in "一二三四1234" for suffix in ("", "级")))
_CERT_CATEGORY_DIGITS = frozenset("1234567")
_CERT_GRADE_DIGITS = frozenset("1234")
_REGION_MEMO_MAX = 10_000
# Region cells already resolved with one RegionIndex: (that index, {cell text: region}).
_region_memo: tuple[RegionIndex | None, dict[str, RegionRef]] = (None, {})


def _resolve_region(regions: RegionIndex, value: object) -> RegionRef:
    """``regions.resolve(value)``, remembered for text cells (a roster repeats a few names)."""
    global _region_memo
    if type(value) is not str:
        return regions.resolve(value)
    owner, memo = _region_memo
    if owner is not regions:
        memo = {}
        _region_memo = (regions, memo)
    found = memo.get(value)
    if found is None:
        found = regions.resolve(value)
        if len(memo) < _REGION_MEMO_MAX:
            memo[value] = found
    return found


_ZERO_WIDTH = frozenset("\u200b\ufeff")  # what normalize_text deletes


def _filled(raw: object) -> bool:
    """``bool(normalize_text(raw))``, without normalising the usual cell: text whose first
    character is neither a space nor zero-width keeps that character (full-width ones become
    visible ASCII)."""
    if type(raw) is str and raw:
        first = raw[0]
        if not first.isspace() and first not in _ZERO_WIDTH:
            return True
    return bool(normalize_text(raw))


def _certificate(raw: object, identity: IdNumber, today: date) -> DisabilityCertificate:
    """``parse_certificate_number`` for the person's valid ID; a clean cell made of that ID and
    two valid digits needs no second check of the ID inside it."""
    if (type(raw) is str and len(raw) == 20 and raw.startswith(identity.number)
            and raw[18] in _CERT_CATEGORY_DIGITS and raw[19] in _CERT_GRADE_DIGITS):
        return DisabilityCertificate(raw, identity.number, raw[18], raw[19])
    return parse_certificate_number(raw, id_number=identity.number, today=today)


def _birth_matches(raw: object, identity: IdNumber | None) -> bool:
    """Whether ``raw`` is the text YYYY-MM-DD of the ID number's birth date (the usual cell)."""
    if identity is None or type(raw) is not str or len(raw) != 10:
        return False
    number = identity.number
    return (raw[4] == "-" and raw[7] == "-" and raw[:4] == number[6:10]
            and raw[5:7] == number[10:12] and raw[8:] == number[12:14])


def _identity(raw_id: object, raw_certificate: object, bag: _Collector, today: date
              ) -> tuple[IdNumber | None, DisabilityCertificate | None]:
    """ID number and certificate number (which must start with that ID)."""
    identity: IdNumber | None = None
    certificate: DisabilityCertificate | None = None
    if raw_id not in (None, ""):
        try:
            identity = parse_id_number(raw_id, today=today)
        except RuleError as error:
            bag.rule("id_number", error)
        else:
            if identity.converted_from_15:
                bag.warnings.append(Problem("id_number", "id_converted", str(_(
                    "A 15-digit ID number was converted to 18 digits: %(number)s.") % {
                    "number": mask_id_number(identity.number)})))
    if identity is not None and _filled(raw_certificate):
        try:
            certificate = _certificate(raw_certificate, identity, today)
        except RuleError as error:
            bag.rule("certificate_number", error)
    return identity, certificate


def _coded(raw: object, exact: Mapping[str, str], parse: Callable[[object], str], name: str,
           bag: _Collector) -> str | None:
    """Category or grade digit of a cell (None when blank or wrong: then a problem is kept)."""
    found = exact.get(raw) if type(raw) is str else None
    if found is None and _filled(raw):
        try:
            found = parse(raw)
        except RuleError as error:
            bag.rule(name, error)
    return found


def _check_agreement(
    get: Callable[[str], object],
    identity: IdNumber | None,
    certificate: DisabilityCertificate | None,
    bag: _Collector,
) -> None:
    """Category, grade, gender and birth date columns, when given, must agree with the IDs."""
    category = _coded(get("category"), _CATEGORIES, parse_category, "category", bag)
    if certificate and category and category != certificate.category:
        bag.error("category", "category_mismatch", _(
            "The category does not match digit 19 of the certificate number."))
    grade = _coded(get("grade"), _GRADES, parse_grade, "grade", bag)
    if certificate and grade and grade != certificate.grade:
        bag.error("grade", "grade_mismatch", _(
            "The grade does not match digit 20 of the certificate number."))
    gender = _choice(get("gender"), _GENDERS, GENDER_WORDS, Gender, "gender", bag)
    if identity and gender and gender != identity.gender:
        bag.error("gender", "gender_mismatch", _(
            "The gender does not match the ID number (digit 17: odd for men, even for women)."))
    raw_birth = get("birth_date")
    if raw_birth in (None, "") or _birth_matches(raw_birth, identity):
        return
    birth: date | None = None
    try:
        birth = parse_date(raw_birth)
    except RuleError as error:
        bag.rule("birth_date", error)
    if identity and birth and birth != identity.birth_date:
        bag.error("birth_date", "birthdate_mismatch", _(
            "The birth date does not match the ID number (%(date)s).") % {
            "date": identity.birth_date.isoformat()})


def _phone(raw: object, bag: _Collector) -> str:
    if (type(raw) is str and len(raw) == 11 and raw[0] == "1" and raw.isascii()
            and raw.isdigit()):
        return raw  # a plain mobile number, as normalize_phone gives it
    if cell_text(raw):
        try:
            return normalize_phone(raw)
        except RuleError as error:
            bag.rule("phone", error)
    return ""


def check_person(raw: Mapping[str, object], *, regions: RegionIndex, today: date) -> Checked:
    """Validate and normalise one person's raw values; never raises for bad input.

    Problems come in a fixed order: required fields, name, ID number, certificate, category,
    grade, gender, birth date, region, ethnicity, phone, notes, education, urban/rural,
    employment status, special groups. Clean cells (the usual case) are looked up directly;
    any other cell goes through the full parsers, which give the same values for clean ones.
    """
    bag = _Collector()
    get = raw.get
    raw_name, raw_region = get("name"), get("region")
    for name in REQUIRED:
        if get(name) in (None, ""):
            bag.error(name, "required", _("This is required."))
    name_text = normalize_text(raw_name)
    if len(name_text) > 50:
        bag.error("name", "too_long", _("A name has at most 50 characters."))
    identity, certificate = _identity(get("id_number"), get("certificate_number"), bag, today)
    _check_agreement(get, identity, certificate, bag)
    region = None
    if _filled(raw_region):
        try:
            region = _resolve_region(regions, raw_region)
        except RuleError as error:
            bag.error("region", "region_unknown", error.message)
    raw_ethnicity = get("ethnicity")
    ethnicity = (raw_ethnicity if type(raw_ethnicity) is str and raw_ethnicity in _ETHNIC
                 else normalize_text(raw_ethnicity))
    if ethnicity and ethnicity not in _ETHNIC:
        bag.error("ethnicity", "enum_invalid", _("“%(value)s” is not one of the 56 ethnic "
                                                 "groups.") % {"value": ethnicity})
    phone = _phone(get("phone"), bag)
    notes = normalize_text(get("notes"))
    if len(notes) > 500:
        bag.error("notes", "too_long", _("Notes have at most 500 characters."))
    education = _choice(get("education"), _EDUCATIONS, EDUCATION_WORDS, Education,
                        "education", bag)
    urban_rural = _choice(get("urban_rural"), _URBAN_RURAL, URBAN_RURAL_WORDS, UrbanRural,
                          "urban_rural", bag)
    employment = _choice(get("employment_status"), _EMPLOYMENT, EMPLOYMENT_WORDS,
                         EmploymentStatus, "employment_status", bag)
    raw_groups = get("special_groups")
    flags = 0 if raw_groups is None else _special_groups(raw_groups, bag)
    if bag.errors:
        return Checked(None, bag.errors, bag.warnings)
    values = PersonValues(
        name_text,
        identity.number if identity else "",
        certificate.number if certificate else "",
        certificate.category if certificate else "",
        certificate.grade if certificate else "",
        identity.gender if identity else "",
        identity.birth_date if identity else date.min,
        region,  # type: ignore[arg-type]
        _ETHNIC.get(ethnicity, ""),
        education,
        urban_rural,
        phone,
        employment,
        notes,
        flags,
    )
    return Checked(values, [], bag.warnings)
