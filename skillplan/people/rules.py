"""The one validation of a person's data, used by the forms, the importer and the API.

``check_person`` takes raw values (form input or spreadsheet cells) keyed by field name and
returns normalised values plus problems, each with the field, a stable code (the codes of
docs/import-templates.md) and a message a clerk can act on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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


@dataclass
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


@dataclass
class Checked:
    values: PersonValues | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class _Collector:
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


def _identity(
    raw: Mapping[str, object], bag: _Collector, today: date
) -> tuple[IdNumber | None, DisabilityCertificate | None]:
    """ID number, certificate, and the columns that must agree with them."""
    identity: IdNumber | None = None
    certificate: DisabilityCertificate | None = None
    if cell_text(raw.get("id_number")) or raw.get("id_number") not in (None, ""):
        try:
            identity = parse_id_number(raw.get("id_number"), today=today)
        except RuleError as error:
            bag.rule("id_number", error)
        else:
            if identity.converted_from_15:
                bag.warnings.append(Problem("id_number", "id_converted", str(_(
                    "A 15-digit ID number was converted to 18 digits: %(number)s.") % {
                    "number": identity.number})))
    if identity is not None and normalize_text(raw.get("certificate_number")):
        try:
            certificate = parse_certificate_number(
                raw.get("certificate_number"), id_number=identity.number, today=today
            )
        except RuleError as error:
            bag.rule("certificate_number", error)
    return identity, certificate


def _check_agreement(
    raw: Mapping[str, object],
    identity: IdNumber | None,
    certificate: DisabilityCertificate | None,
    bag: _Collector,
) -> None:
    """Category, grade, gender and birth date columns, when given, must agree with the IDs."""
    category = grade = ""
    birth: date | None = None
    if normalize_text(raw.get("category")):
        try:
            category = parse_category(raw.get("category"))
        except RuleError as error:
            bag.rule("category", error)
        if certificate and category and category != certificate.category:
            bag.error("category", "category_mismatch", _(
                "The category does not match digit 19 of the certificate number."))
    if normalize_text(raw.get("grade")):
        try:
            grade = parse_grade(raw.get("grade"))
        except RuleError as error:
            bag.rule("grade", error)
        if certificate and grade and grade != certificate.grade:
            bag.error("grade", "grade_mismatch", _(
                "The grade does not match digit 20 of the certificate number."))
    gender_text = normalize_text(raw.get("gender"))
    gender = _word(gender_text, GENDER_WORDS, Gender, "gender", bag)
    if identity and gender and gender != identity.gender:
        bag.error("gender", "gender_mismatch", _(
            "The gender does not match the ID number (digit 17: odd for men, even for women)."))
    if raw.get("birth_date") not in (None, ""):
        try:
            birth = parse_date(raw.get("birth_date"))
        except RuleError as error:
            bag.rule("birth_date", error)
        if identity and birth and birth != identity.birth_date:
            bag.error("birth_date", "birthdate_mismatch", _(
                "The birth date does not match the ID number (%(date)s).") % {
                "date": identity.birth_date.isoformat()})


def check_person(raw: Mapping[str, object], *, regions: RegionIndex, today: date) -> Checked:
    """Validate and normalise one person's raw values; never raises for bad input."""
    bag = _Collector()
    for name in REQUIRED:
        if not normalize_text(raw.get(name)) and raw.get(name) in (None, ""):
            bag.error(name, "required", _("This is required."))
    name_text = normalize_text(raw.get("name"))
    if len(name_text) > 50:
        bag.error("name", "too_long", _("A name has at most 50 characters."))
    identity, certificate = _identity(raw, bag, today)
    _check_agreement(raw, identity, certificate, bag)
    region = None
    if normalize_text(raw.get("region")):
        try:
            region = regions.resolve(raw.get("region"))
        except RuleError as error:
            bag.error("region", "region_unknown", error.message)
    ethnicity = normalize_text(raw.get("ethnicity"))
    if ethnicity and ethnicity not in _ETHNIC:
        bag.error("ethnicity", "enum_invalid", _("“%(value)s” is not one of the 56 ethnic "
                                                 "groups.") % {"value": ethnicity})
    phone = ""
    if cell_text(raw.get("phone")):
        try:
            phone = normalize_phone(raw.get("phone"))
        except RuleError as error:
            bag.rule("phone", error)
    notes = normalize_text(raw.get("notes"))
    if len(notes) > 500:
        bag.error("notes", "too_long", _("Notes have at most 500 characters."))
    values = PersonValues(
        name=name_text,
        id_number=identity.number if identity else "",
        certificate_number=certificate.number if certificate else "",
        category=certificate.category if certificate else "",
        grade=certificate.grade if certificate else "",
        gender=identity.gender if identity else "",
        birth_date=identity.birth_date if identity else date.min,
        region=region,  # type: ignore[arg-type]
        ethnicity=_ETHNIC.get(ethnicity, ""),
        education=_word(normalize_text(raw.get("education")), EDUCATION_WORDS, Education,
                        "education", bag),
        urban_rural=_word(normalize_text(raw.get("urban_rural")), URBAN_RURAL_WORDS,
                          UrbanRural, "urban_rural", bag),
        phone=phone,
        employment_status=_word(normalize_text(raw.get("employment_status")),
                                EMPLOYMENT_WORDS, EmploymentStatus, "employment_status", bag),
        notes=notes,
        flags=_special_groups(raw.get("special_groups"), bag),
    )
    if bag.errors:
        return Checked(None, bag.errors, bag.warnings)
    return Checked(values, [], bag.warnings)
