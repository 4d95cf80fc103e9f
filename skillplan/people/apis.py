"""API: the person registry, scoped and masked exactly like the registry pages.

ID number, certificate number and phone are masked in every answer; only
``POST /persons/{id}/reveal`` (permission to reveal, and a reason) gives them in clear, and each
reveal is an audit event. Person values go through ``rules.check_person`` like the form and the
importer: Chinese words (男, 肢体残疾, 芙蓉区 …) and codes (M, 4, 430102 …) are both accepted.

Answers chosen for the error contract:
- a value breaking a rule: 422 ``invalid`` with one detail per problem (field, code, message);
- a household region outside the caller's area: 422 ``region_out_of_scope``;
- an ID number already registered: 409 ``person_exists``;
- a ``version`` older than the record's: 409 ``stale_version``;
- a person outside the caller's area: 404, the same answer as for a missing one;
- an ID number in the address (``GET /persons?q=<ID number>``): 422 ``id_number_in_url`` —
  addresses end up in logs and histories; search by ID number with ``POST /persons/search``
  and the number in the JSON body;
- NUL or another control character in a text value: 422 ``control_character``.
"""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time through a wrapper whose globals are not this module's.

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict

from skillplan.api.auth import require
from skillplan.api.errors import error_body, error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.api.validators import BodyText, QueryText
from skillplan.core.disability import DisabilityCategory, DisabilityGrade
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.people.choices import (
    SPECIAL_GROUP_WORDS,
    EmploymentStatus,
    Gender,
    SpecialGroup,
    UrbanRural,
)
from skillplan.people.models import Person
from skillplan.people.permissions import CHANGE_PERSON, REVEAL_PERSONAL_DATA, VIEW_PERSON
from skillplan.people.rules import PersonValues, check_person
from skillplan.people.selectors import (
    PersonFilters,
    looks_like_id_number,
    person_get,
    person_queryset,
    search_id_number,
)
from skillplan.people.services import id_hash_of, person_create, person_reveal, person_update
from skillplan.regions.selectors import region_index

router = Router(tags=["people"])

# The first Chinese word of each stored special group: codes in a request become these words,
# so that check_person sees one spelling.
_GROUP_WORD = {bit: word for word, bit in reversed(SPECIAL_GROUP_WORDS.items())}
# Filter values of the list (kept equal to choices.AGE_BANDS and selectors.DERIVED_GROUPS
# plus the SpecialGroup codes; a test holds them together).
AgeBand = Literal["under16", "16-24", "25-34", "35-44", "45-54", "55-59", "60+"]
SpecialGroupFilter = Literal["women", "blind", "rural", "student", "1", "2", "4", "8"]
_SPECIAL_GROUP_QUERY = Query(None, description="a derived group, or the code of a stored one")
_Q_QUERY = Query("", description="the beginning of a name; an ID number is refused here (422): "
                                 "search by ID number with POST /persons/search")
_REGION_CODE_QUERY = Query("", description="region code; includes the regions under it")


# --- Schemas -----------------------------------------------------------------------------------


class SpecialGroupOut(Schema):
    code: str = Field(..., description="a stored group (1, 2, 4, 8) or a derived one "
                                        "(women, blind, rural, student)")
    label: str
    derived: bool = Field(..., description="true when it follows from other fields")


class PersonOut(Schema):
    """A person as the API shows it: the protected numbers masked, codes with their labels."""

    id: int
    name: str
    id_number: str = Field(..., description="masked, e.g. 430***********123X")
    certificate_number: str = Field(..., description="masked")
    phone: str = Field(..., description="masked, e.g. 138****1234")
    category: str
    category_label: str
    grade: str
    grade_label: str
    gender: str
    gender_label: str
    birth_date: date
    ethnicity: str
    education: str
    education_label: str
    region_code: str = Field(..., description="household county code, e.g. 430102")
    region_name: str
    region_full_name: str
    urban_rural: str
    urban_rural_label: str
    employment_status: str
    employment_status_label: str
    special_groups: list[SpecialGroupOut]
    notes: str
    merged_into_id: int | None = Field(..., description="set when merged into another record")
    version: int = Field(..., description="send it back with a change (PATCH)")
    created_at: datetime
    updated_at: datetime

    # Masked, always: the clear numbers only come from the reveal operation.
    @staticmethod
    def resolve_id_number(obj: Person) -> str:
        return obj.masked_id_number

    @staticmethod
    def resolve_certificate_number(obj: Person) -> str:
        return obj.masked_certificate_number

    @staticmethod
    def resolve_phone(obj: Person) -> str:
        return obj.masked_phone

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_grade_label(obj: Any) -> str:
        return str(obj.get_grade_display())

    @staticmethod
    def resolve_gender_label(obj: Any) -> str:
        return str(obj.get_gender_display())

    @staticmethod
    def resolve_education_label(obj: Any) -> str:
        return str(obj.get_education_display())

    @staticmethod
    def resolve_urban_rural_label(obj: Any) -> str:
        return str(obj.get_urban_rural_display())

    @staticmethod
    def resolve_employment_status_label(obj: Any) -> str:
        return str(obj.get_employment_status_display())

    @staticmethod
    def resolve_region_name(obj: Person) -> str:
        return obj.region.name

    @staticmethod
    def resolve_region_full_name(obj: Person) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_special_groups(obj: Person) -> list[SpecialGroupOut]:
        return _special_groups(obj)


class _PersonFields(Schema):
    model_config = ConfigDict(extra="forbid")

    name: BodyText | None = None
    id_number: BodyText | None = Field(None, description="18 digits (a 15-digit one is converted)")
    certificate_number: BodyText | None = Field(
        None, description="20-character disability certificate number")
    category: BodyText | int | None = Field(
        None, description="checked against the certificate: 1–7 or 视力/肢体…")
    grade: BodyText | int | None = Field(
        None, description="checked against the certificate: 1–4 or 一级…")
    gender: BodyText | None = Field(None, description="checked against the ID: M/F or 男/女")
    birth_date: BodyText | None = Field(None, description="checked against the ID: YYYY-MM-DD")
    ethnicity: BodyText | None = Field(None, description="one of the 56 groups, e.g. 汉族")
    education: BodyText | None = Field(None, description="a code (junior …) or 初中 …")
    region: BodyText | None = Field(None, description="household county: code (430102) or "
                                                      "name (芙蓉区, 长沙市芙蓉区)")
    urban_rural: BodyText | None = Field(None, description="urban/rural or 城镇/农村")
    phone: BodyText | None = None
    employment_status: BodyText | None = Field(None, description="a code (employed …) or 已就业 …")
    notes: BodyText | None = None
    special_groups: list[BodyText] | BodyText | int | None = Field(
        None, description="codes (1, 2, 4, 8) or words (非遗传承人、低保 …)")


class PersonIn(_PersonFields):
    """A new person: name, ID number, certificate number and region are required."""


class PersonPatchIn(_PersonFields):
    """Only the fields to change, and the version read last."""

    version: int = Field(..., description="the version of the record you read")


class IdSearchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id_number: BodyText = Field(..., max_length=30,
                           description="the full ID number (18 characters; 15 is converted)")


class RevealIn(Schema):
    reason: str = Field(..., max_length=200, description="why the full numbers are needed")


class RevealOut(Schema):
    id: int
    id_number: str
    certificate_number: str
    phone: str


# --- Building answers and checking input -------------------------------------------------------


def _special_groups(person: Person) -> list[SpecialGroupOut]:
    groups = [SpecialGroupOut(code=str(group.value), label=str(group.label), derived=False)
              for group in SpecialGroup if person.flags & group.value]
    derived = (
        ("women", person.gender == Gender.FEMALE, _("Disabled woman")),
        ("blind", person.category == DisabilityCategory.VISUAL, _("Blind or low vision")),
        ("rural", person.urban_rural == UrbanRural.RURAL, _("Rural disabled person")),
        ("student", person.employment_status == EmploymentStatus.STUDENT,
         EmploymentStatus.STUDENT.label),
    )
    groups += [SpecialGroupOut(code=code, label=str(label), derived=True)
               for code, applies, label in derived if applies]
    return groups


def _group_words(value: object) -> object:
    """Special groups as check_person reads them: codes become words; words stay."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        items: list[str] = [_GROUP_WORD[group.value] for group in SpecialGroup
                            if value & group.value]
        if value < 0 or value & ~sum(SpecialGroup.values):
            items.append(str(value))  # unknown bits: reported as not a special group
        return "、".join(items)
    if isinstance(value, list):
        return "、".join(_group_word(str(item)) for item in value)
    return value


def _group_word(item: str) -> str:
    code = item.strip()
    if code.isdecimal() and len(code) <= 3:
        return _GROUP_WORD.get(int(code), item)
    return item


def _raw(fields: dict[str, Any]) -> dict[str, object]:
    return {name: _group_words(value) if name == "special_groups" else
            ("" if value is None else value) for name, value in fields.items()}


def _current_raw(person: Person) -> dict[str, object]:
    """The person's stored values, in clear, as check_person reads them (derived fields are
    left out: they follow from the ID and certificate numbers)."""
    return {
        "name": person.name, "id_number": person.id_number,
        "certificate_number": person.certificate_number, "ethnicity": person.ethnicity,
        "education": person.education, "region": person.region_code,
        "urban_rural": person.urban_rural, "phone": person.phone,
        "employment_status": person.employment_status, "notes": person.notes,
        "special_groups": _group_words(person.flags),
    }


def _checked(raw: dict[str, object]) -> PersonValues:
    """Normalised values, or a 422 listing every problem."""
    result = check_person(raw, regions=region_index(), today=timezone.localdate())
    if result.values is None:
        raise ValidationError([
            {"loc": ("body", problem.field), "code": problem.code, "message": problem.message}
            for problem in result.errors
        ])
    return result.values


def _person_exists(error: RuleError) -> Status[dict[str, Any]]:
    """409 Conflict: the ID number belongs to a registered person (one ID, one person)."""
    detail = {"field": "id_number", "code": error.code, "message": str(error.message)}
    return Status(409, error_body(error.code, error.message, [detail]))


# --- Operations --------------------------------------------------------------------------------


@router.get("", response={200: list[PersonOut], **error_responses(403, 422)},
            summary="Persons in your area, newest first", url_name="people_person_list")
@cursor_paginate(key="-id")
def persons(
    request: HttpRequest,
    q: QueryText = _Q_QUERY,
    region_code: QueryText = _REGION_CODE_QUERY,
    category: DisabilityCategory | None = None,
    grade: DisabilityGrade | None = None,
    gender: Gender | None = None,
    age_band: AgeBand | None = None,
    urban_rural: UrbanRural | None = None,
    employment_status: EmploymentStatus | None = None,
    special_group: SpecialGroupFilter | None = _SPECIAL_GROUP_QUERY,
    working_age: bool | None = Query(None, description="within the working ages by gender"),
) -> QuerySet[Person]:
    require(request, VIEW_PERSON)
    if looks_like_id_number(q.strip()):
        raise ValidationError([{"loc": ("query", "q"), "code": "id_number_in_url", "message": _(
            "Do not put an ID number in the address: addresses are kept in logs. Search by ID "
            "number with POST /api/v1/persons/search and a JSON body such as "
            "{\"id_number\": \"...\"}.")}])
    filters = PersonFilters(
        q=q.strip(), region_code=region_code.strip(),
        category=category.value if category else "", grade=grade.value if grade else "",
        gender=gender.value if gender else "", age_band=age_band or "",
        urban_rural=urban_rural.value if urban_rural else "",
        employment_status=employment_status.value if employment_status else "",
        special_group=special_group or "",
        working_age="" if working_age is None else ("yes" if working_age else "no"),
    )
    return person_queryset(user=request.user, filters=filters).select_related("region")


@router.post("/search", response={200: list[PersonOut], **error_responses(403, 422)},
             summary="Find a person in your area by full ID number (the number in the body)",
             url_name="people_person_search")
@cursor_paginate(key="-id")
def persons_by_id_number(request: HttpRequest, payload: IdSearchIn) -> QuerySet[Person]:
    """The person holding this ID number, if they are in your area (else an empty list),
    masked like the list. The number travels in the body so it stays out of addresses."""
    require(request, VIEW_PERSON)
    try:
        number = search_id_number(payload.id_number.strip())
    except RuleError as error:
        raise ValidationError([{"loc": ("body", "id_number"), "code": error.code,
                                "message": str(error.message)}]) from error
    filters = PersonFilters(id_hash=id_hash_of(number))
    return person_queryset(user=request.user, filters=filters).select_related("region")


@router.post("", response={201: PersonOut, **error_responses(403, 409, 422)},
             summary="Register a person", url_name="people_person_list")
def person_register(request: HttpRequest, payload: PersonIn) -> Status[Any]:
    require(request, CHANGE_PERSON)
    values = _checked(_raw(payload.model_dump(exclude_unset=True)))
    try:
        person = person_create(actor=request.user, values=values)
    except RuleError as error:
        if error.code == "person_exists":
            return _person_exists(error)
        raise
    return Status(201, person_get(user=request.user, pk=person.pk))


@router.get("/{int:person_id}", response={200: PersonOut, **error_responses(403, 404)},
            summary="One person in your area", url_name="people_person_detail")
def person_detail(request: HttpRequest, person_id: int) -> Person:
    require(request, VIEW_PERSON)
    return person_get(user=request.user, pk=person_id)


@router.patch("/{int:person_id}", response={200: PersonOut, **error_responses(403, 404, 409, 422)},
              summary="Change some of a person's values (send the version you read)",
              url_name="people_person_detail")
def person_change(request: HttpRequest, person_id: int, payload: PersonPatchIn
                  ) -> Status[Any]:
    require(request, CHANGE_PERSON)
    person = person_get(user=request.user, pk=person_id)
    given = payload.model_dump(exclude_unset=True)
    version = given.pop("version")
    if person.merged_into_id:  # type: ignore[attr-defined]
        raise RuleError("person_merged", _(
            "This record was merged into another person; change that person instead."))
    if version != person.version:
        raise ConcurrentUpdateError()
    values = _checked(_current_raw(person) | _raw(given))
    try:
        person_update(actor=request.user, person=person, values=values,
                      expected_version=version)
    except RuleError as error:
        if error.code == "person_exists":
            return _person_exists(error)
        raise
    return Status(200, person_get(user=request.user, pk=person_id))


@router.post("/{int:person_id}/reveal", response={200: RevealOut, **error_responses(403, 404, 422)},
             summary="The full ID, certificate number and phone (audited; give a reason)",
             url_name="people_person_reveal")
def person_reveal_numbers(request: HttpRequest, person_id: int, payload: RevealIn,
                          response: HttpResponse) -> RevealOut:
    require(request, REVEAL_PERSONAL_DATA)
    person = person_get(user=request.user, pk=person_id)
    clear = person_reveal(actor=request.user, person=person, reason=payload.reason)
    response["Cache-Control"] = "no-store"
    return RevealOut(id=person.pk, **clear)
