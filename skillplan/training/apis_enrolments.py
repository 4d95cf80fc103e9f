"""API: class rosters — list a class's enrolments, enrol a person or a named participant,
withdraw; and a trainee's own enrolments. Scoped like the roster pages; ID numbers masked.

Answers chosen for the error contract:
- the person may not join the class: 422 ``not_eligible`` with one detail per reason, each with
  its code (``cert_invalid``, ``age_out_of_range``, ``category_not_served``, ``class_overlap``,
  ``already_enrolled``);
- the class is full: 409 ``class_full``; an enrolment already withdrawn: 409
  ``already_withdrawn``;
- the roster may not be changed by the caller now (status, provider, area), or the class takes
  named participants only (or persons only): 403 ``forbidden`` with the reason;
- a class or enrolment outside the caller's scope: 404, like a missing one;
- no person the caller may enrol has the ID number (or the person id is outside the caller's
  registry area): 422 ``person_not_found``. Provider staff, who do not see the registry, enrol
  by ID number only.
"""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time through a wrapper whose globals are not this module's.

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict, model_validator

from skillplan.accounts import roles
from skillplan.api.auth import require
from skillplan.api.errors import error_body, error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.api.validators import BodyText
from skillplan.core.errors import RuleError
from skillplan.people.models import Person
from skillplan.people.selectors import person_get
from skillplan.training.eligibility import eligibility_problems
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.selectors import class_get, enrolment_get
from skillplan.training.selectors_enrolments import person_by_id_number, roster
from skillplan.training.services.enrolments import (
    enrol_participant,
    enrol_person,
    enrolment_withdraw,
)

router = Router(tags=["training"])

# Rule codes answered with 409 Conflict (the request was right; the state is not).
_CONFLICTS = frozenset({"class_full", "already_withdrawn"})


# --- Schemas -----------------------------------------------------------------------------------


class EnrolmentOut(Schema):
    id: int
    class_id: int
    class_code: str
    person_id: int | None = Field(..., description="null for a named participant")
    name: str
    id_number: str = Field(..., description="masked, e.g. 430***********123X; empty for a "
                                            "named participant")
    category: str = Field(..., description="disability category digit 1–7; empty if none")
    category_label: str
    employer: str = Field(..., description="named participants: their employer")
    position: str
    status: str = Field(..., description="enrolled or withdrawn")
    status_label: str
    enrolled_on: date
    withdrawn_at: datetime | None
    withdraw_reason: str
    passed: bool | None = Field(..., description="null until results are entered")
    score: Decimal | None
    attendance_days: int | None
    version: int

    @staticmethod
    def resolve_class_id(obj: Enrolment) -> int:
        return obj.training_class_id

    @staticmethod
    def resolve_class_code(obj: Enrolment) -> str:
        return obj.training_class.code

    @staticmethod
    def resolve_name(obj: Enrolment) -> str:
        return obj.display_name

    @staticmethod
    def resolve_id_number(obj: Enrolment) -> str:
        return obj.person.masked_id_number if obj.person_id else ""

    @staticmethod
    def resolve_category(obj: Enrolment) -> str:
        return obj.person.category if obj.person_id else ""

    @staticmethod
    def resolve_category_label(obj: Enrolment) -> str:
        return str(obj.person.get_category_display()) if obj.person_id else ""

    @staticmethod
    def resolve_employer(obj: Enrolment) -> str:
        return obj.participant_employer

    @staticmethod
    def resolve_position(obj: Enrolment) -> str:
        return obj.participant_role

    @staticmethod
    def resolve_status_label(obj: Enrolment) -> str:
        return str(obj.get_status_display())


class EnrolPersonIn(Schema):
    """Who to enrol: a person id (a person of your registry area) or a full ID number."""

    model_config = ConfigDict(extra="forbid")

    person_id: int | None = Field(None, description="a person of your area (federation staff)")
    id_number: BodyText | None = Field(None, max_length=30,
                                       description="the full ID number (18 characters)")
    enrolled_on: date | None = Field(None, description="defaults to today")

    @model_validator(mode="after")
    def _one_of(self) -> "EnrolPersonIn":
        if (self.person_id is None) == (not self.id_number):
            raise ValueError(_("Give either person_id or id_number, not both."))
        return self


class ParticipantIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: BodyText = Field(..., max_length=50)
    employer: BodyText = Field(..., max_length=120)
    position: BodyText = Field("", max_length=60)
    enrolled_on: date | None = Field(None, description="defaults to today")


class WithdrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: BodyText = Field(..., max_length=300)


# --- Helpers -----------------------------------------------------------------------------------


def _rule_answer(error: RuleError) -> Status[Any]:
    """A service's RuleError as the contract wants it (403, 409 or 422)."""
    if error.code == "not_allowed":
        raise PermissionDenied(str(error.message))
    status = 409 if error.code in _CONFLICTS else 422
    return Status(status, error_body(error.code, error.message))


def _not_eligible(problems: list[RuleError]) -> Status[Any]:
    details = [{"field": "person", "code": p.code, "message": str(p.message)} for p in problems]
    return Status(422, error_body("not_eligible", _(
        "This person may not join the class; see details."), details))


def _person_not_found(field: str) -> ValidationError:
    return ValidationError([{"loc": ("body", field), "code": "person_not_found", "message": _(
        "No person you may enrol was found: check the number. A person registered outside "
        "your area is enrolled by the federation of their area.")}])


def _person(request: HttpRequest, payload: EnrolPersonIn) -> Person:
    if payload.person_id is not None:
        try:
            return person_get(user=request.user, pk=payload.person_id)
        except Http404 as error:
            raise _person_not_found("person_id") from error
    try:
        found = person_by_id_number(user=request.user, id_number=payload.id_number or "")
    except RuleError as error:
        raise ValidationError([{"loc": ("body", "id_number"), "code": error.code,
                                "message": str(error.message)}]) from error
    if found is None:
        raise _person_not_found("id_number")
    return found


def _changeable(request: HttpRequest, class_id: int) -> TrainingClass:
    require(request, roles.CHANGE_CLASS)
    training_class = class_get(user=request.user, pk=class_id)
    if not training_class.can_enrol(request.user):
        raise PermissionDenied(_(
            "You may not change the roster of this class: trainees are enrolled or withdrawn "
            "by the provider or the federation over it, from approval until the class ends."))
    return training_class


def _fresh(request: HttpRequest, enrolment: Enrolment) -> Enrolment:
    return enrolment_get(user=request.user, pk=enrolment.pk)


# --- Operations --------------------------------------------------------------------------------


@router.get("/classes/{int:class_id}/enrolments",
            response={200: list[EnrolmentOut], **error_responses(403, 404, 422)},
            summary="The roster of a class (enrolled and withdrawn)",
            url_name="training_enrolment_list")
@cursor_paginate(key="id")
def enrolments(request: HttpRequest, class_id: int) -> QuerySet[Enrolment]:
    require(request, roles.VIEW_CLASS)
    training_class = class_get(user=request.user, pk=class_id)
    return roster(training_class).select_related("training_class")


@router.post("/classes/{int:class_id}/enrolments",
             response={201: EnrolmentOut, **error_responses(403, 404, 409, 422)},
             summary="Enrol a registered person (by person id or full ID number)",
             url_name="training_enrolment_list")
def enrolment_create(request: HttpRequest, class_id: int, payload: EnrolPersonIn
                     ) -> Status[Any]:
    training_class = _changeable(request, class_id)
    person = _person(request, payload)
    problems = eligibility_problems(training_class=training_class, person=person)
    if problems:
        return _not_eligible(problems)
    try:
        enrolment = enrol_person(actor=request.user, training_class=training_class,
                                 person=person, enrolled_on=payload.enrolled_on)
    except RuleError as error:
        return _rule_answer(error)
    return Status(201, _fresh(request, enrolment))


@router.post("/classes/{int:class_id}/participants",
             response={201: EnrolmentOut, **error_responses(403, 404, 409, 422)},
             summary="Enrol a named participant (employer and service-staff training)",
             url_name="training_participant_create")
def participant_create(request: HttpRequest, class_id: int, payload: ParticipantIn
                       ) -> Status[Any]:
    training_class = _changeable(request, class_id)
    try:
        enrolment = enrol_participant(
            actor=request.user, training_class=training_class, name=payload.name,
            employer=payload.employer, role=payload.position, enrolled_on=payload.enrolled_on)
    except RuleError as error:
        return _rule_answer(error)
    return Status(201, _fresh(request, enrolment))


@router.post("/enrolments/{int:enrolment_id}/withdraw",
             response={200: EnrolmentOut, **error_responses(403, 404, 409, 422)},
             summary="Withdraw a trainee from a class, with a reason (frees the place)",
             url_name="training_enrolment_withdraw")
def enrolment_withdraw_op(request: HttpRequest, enrolment_id: int, payload: WithdrawIn
                          ) -> Status[Any]:
    require(request, roles.CHANGE_CLASS)
    enrolment = enrolment_get(user=request.user, pk=enrolment_id)
    _changeable(request, enrolment.training_class_id)
    try:
        enrolment = enrolment_withdraw(actor=request.user, enrolment=enrolment,
                                       reason=payload.reason)
    except RuleError as error:
        return _rule_answer(error)
    return Status(200, _fresh(request, enrolment))
