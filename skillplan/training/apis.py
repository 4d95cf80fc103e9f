"""API: training classes, scoped exactly like the class pages.

- ``GET /classes``: the classes in your area (a provider: its own), newest first, with the
  list's filters; cursor pagination.
- ``GET /classes/{id}``, ``GET /classes/by-code/{code}``: one class with its timeline.
- ``POST /classes``: open a draft class (values checked by ``rules.check_class`` like the form).
- ``POST /classes/{id}/<step>``: one lifecycle step (submit, approve, return, start, end,
  submit-completion, approve-completion, return-completion, close, cancel), with an optional
  ``comment`` (required to return), ``reason`` (required to cancel) and ``version`` (the
  version you read: a newer one answers 409 ``stale_version``).

Answers chosen for the error contract:
- your role may never take the step: 403 ``forbidden``;
- a class outside your area: 404, the same answer as for a missing one;
- the class is not in a status that allows the step (or not yet: a class starts on its first
  day; completion needs results for everybody): 409 with the rule's code (``status_invalid``,
  ``too_early``, ``no_trainees``, ``results_missing``);
- the person who prepared the class (or submitted its completion) reviewing it, or a reviewer of
  another federation level: 403 with the rule's code (``same_person``, ``not_approver``,
  ``not_allowed``);
- values breaking the rules, a missing comment or reason: 422.

Enrolment endpoints live in ``apis_enrolments.py``.
"""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time through a wrapper whose globals are not this module's.

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict

from skillplan.accounts import roles
from skillplan.accounts.scoping import restrict
from skillplan.api.auth import require
from skillplan.api.errors import error_body, error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.api.validators import BodyText, QueryText
from skillplan.catalog.choices import Accommodation, TrainingType
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.providers.models import Provider
from skillplan.regions.models import Region
from skillplan.training import selectors
from skillplan.training.choices import ClassStatus
from skillplan.training.models import ClassStep, TrainingClass
from skillplan.training.rules import ClassInvalid, ClassValues
from skillplan.training.services import classes as services

router = Router(tags=["training"])

CONFLICTS = frozenset({"status_invalid", "too_early", "no_trainees", "results_missing"})
REFUSALS = frozenset({"same_person", "not_approver", "not_allowed"})
_Q_QUERY = Query("", description="part of the class name, or its code")
_REGION_QUERY = Query("", description="a city or county code; includes those under it")


# --- Schemas -----------------------------------------------------------------------------------


class LabelOut(Schema):
    code: str
    label: str


class StepOut(Schema):
    action: str
    action_label: str
    actor: str = Field(..., description="who took the step; empty for the platform")
    from_status: str
    to_status: str
    comment: str
    at: datetime

    @staticmethod
    def resolve_action_label(obj: ClassStep) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_actor(obj: ClassStep) -> str:
        return obj.actor.display_name if obj.actor_id else ""


class ClassOut(Schema):
    id: int
    code: str = Field(..., description="e.g. HN-430100-2025-0001")
    name: str
    status: str
    status_label: str
    project_id: int
    project_code: str
    project_name: str
    training_type: str
    training_type_label: str
    provider_id: int
    provider_name: str
    region_code: str = Field(..., description="the county where the class is held")
    region_name: str
    start_date: date
    end_date: date
    days: int
    hours: int
    venue: str
    venue_accessible: bool
    venue_accessibility_note: str
    capacity: int
    enrolled_count: int
    teachers: str
    accommodations: list[LabelOut]
    budget: Decimal = Field(..., description="yuan")
    evaluator_id: int | None
    review_comment: str
    submitted_at: datetime | None
    approved_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    results_entered_at: datetime | None
    results_delay_days: int | None = Field(..., description="days from the last day to the "
                                                             "entry of all results")
    results_late: bool = Field(..., description="results entered late, or overdue now")
    completion_submitted_at: datetime | None
    completion_approved_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    version: int = Field(..., description="send it back with a step to detect changes")

    @staticmethod
    def resolve_status_label(obj: TrainingClass) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_project_code(obj: TrainingClass) -> str:
        return obj.project.code

    @staticmethod
    def resolve_project_name(obj: TrainingClass) -> str:
        return obj.project.name

    @staticmethod
    def resolve_training_type_label(obj: TrainingClass) -> str:
        return str(obj.get_training_type_display())

    @staticmethod
    def resolve_provider_name(obj: TrainingClass) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_region_name(obj: TrainingClass) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_accommodations(obj: TrainingClass) -> list[dict[str, str]]:
        return [{"code": str(item.value), "label": str(item.label)} for item in Accommodation
                if obj.accommodations & item.value]

    @staticmethod
    def resolve_results_late(obj: TrainingClass) -> bool:
        return obj.results_late or selectors.results_overdue_days(obj) is not None


class ClassDetailOut(ClassOut):
    steps: list[StepOut] = Field(..., description="the timeline, oldest first")

    @staticmethod
    def resolve_steps(obj: TrainingClass) -> list[ClassStep]:
        return selectors.class_timeline(obj)


class ClassIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: BodyText = Field(..., max_length=120)
    project_id: int = Field(..., description="a published catalog project the provider may run")
    provider_id: int | None = Field(None, description="federation staff only; provider staff "
                                                      "open classes of their own provider")
    region_code: BodyText = Field(..., max_length=12, description="the county, e.g. 430102")
    start_date: date
    end_date: date
    days: int = Field(..., ge=1, le=365)
    hours: int = Field(..., ge=1, le=2920)
    venue: BodyText = Field(..., max_length=200)
    venue_accessible: bool = False
    venue_accessibility_note: BodyText = Field("", max_length=300)
    capacity: int = Field(..., ge=1, le=1000)
    teachers: BodyText = Field("", max_length=1000)
    accommodations: list[int] = Field(default_factory=list,
                                      description="accommodation codes: 1, 2, 4, 8, 16 …")
    budget: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: BodyText = Field("", max_length=500, description="required to return")
    reason: BodyText = Field("", max_length=300, description="required to cancel")
    version: int | None = Field(None, description="the version you read (optional)")


# --- Operations --------------------------------------------------------------------------------


@router.get("", response={200: list[ClassOut], **error_responses(403, 422)},
            summary="Training classes in your area, newest first", url_name="training_classes")
@cursor_paginate(key="-id")
def classes(
    request: HttpRequest,
    q: QueryText = _Q_QUERY,
    status: ClassStatus | None = None,
    region: QueryText = _REGION_QUERY,
    provider: int | None = None,
    training_type: TrainingType | None = None,
    year: int | None = Query(None, ge=2000, le=2100, description="year of the first day"),
    late: bool = Query(False, description="only classes whose results are late or overdue"),
) -> QuerySet[TrainingClass]:
    require(request, roles.VIEW_CLASS)
    filters = selectors.ClassFilters(
        q=q.strip(), status=status.value if status else "", region=region.strip(),
        provider=str(provider or ""), training_type=training_type.value if training_type else "",
        year=str(year or ""), late="yes" if late else "")
    return selectors.class_list(user=request.user, filters=filters)


def _problems_422(error: ClassInvalid) -> ValidationError:
    fields = {"project": "project_id", "provider": "provider_id", "region": "region_code"}
    return ValidationError([
        {"loc": ("body", fields.get(problem.field, problem.field)), "code": problem.code,
         "message": str(problem.message)} for problem in error.problems])


def _values(request: HttpRequest, payload: ClassIn) -> ClassValues:
    user: Any = request.user
    if getattr(user, "provider_id", None):
        provider = user.provider
    else:
        provider = restrict(Provider.objects.all(), user, permission=roles.VIEW_PROVIDER
                            ).filter(pk=payload.provider_id or 0).first()
    project = selectors.runnable_projects(user=user, provider=provider).filter(
        pk=payload.project_id).first()
    bits = 0
    for code in payload.accommodations:
        bits |= code if code in Accommodation.values else 1 << 30  # unknown: refused
    return ClassValues(
        name=payload.name, project=project, provider=provider,
        region=Region.objects.filter(code=payload.region_code.strip()).first(),
        start_date=payload.start_date, end_date=payload.end_date, days=payload.days,
        hours=payload.hours, venue=payload.venue, venue_accessible=payload.venue_accessible,
        venue_accessibility_note=payload.venue_accessibility_note, capacity=payload.capacity,
        teachers=payload.teachers, accommodations=bits, budget=payload.budget)


@router.post("", response={201: ClassDetailOut, **error_responses(403, 422)},
             summary="Open a draft class", url_name="training_classes")
def class_open(request: HttpRequest, payload: ClassIn) -> Status[Any]:
    require(request, roles.CHANGE_CLASS)
    try:
        training_class = services.class_create(actor=request.user,
                                               values=_values(request, payload))
    except ClassInvalid as error:
        raise _problems_422(error) from error
    return Status(201, selectors.class_get(user=request.user, pk=training_class.pk))


@router.get("/by-code/{code}", response={200: ClassDetailOut, **error_responses(403, 404)},
            summary="One class in your area, by its code", url_name="training_class_by_code")
def class_by_code(request: HttpRequest, code: str) -> TrainingClass:
    require(request, roles.VIEW_CLASS)
    return selectors.class_get_by_code(user=request.user, code=code)


@router.get("/{int:class_id}", response={200: ClassDetailOut, **error_responses(403, 404)},
            summary="One class in your area, with its timeline", url_name="training_class")
def class_detail(request: HttpRequest, class_id: int) -> TrainingClass:
    require(request, roles.VIEW_CLASS)
    return selectors.class_get(user=request.user, pk=class_id)


# --- lifecycle steps ---------------------------------------------------------------------------


def _may_run(user: Any) -> bool:
    return bool(user.has_perm(roles.CHANGE_CLASS))


def _may_run_or_review(user: Any) -> bool:
    return _may_run(user) or services.may_ever_review(user)


def _comment(payload: StepIn) -> dict[str, Any]:
    return {"comment": payload.comment}


def _nothing(payload: StepIn) -> dict[str, Any]:
    return {}


def _reason(payload: StepIn) -> dict[str, Any]:
    return {"reason": payload.reason}


# path, who may ever, service, arguments from the body, summary
STEPS: list[tuple[str, Callable[[Any], bool], Callable[..., TrainingClass],
                  Callable[[StepIn], dict[str, Any]], str]] = [
    ("submit", _may_run, services.class_submit, _comment,
     "Submit the application (开班申请)"),
    ("approve", services.may_ever_review, services.class_approve, _comment,
     "Approve the application (the configured federation level)"),
    ("return", services.may_ever_review, services.class_return, _comment,
     "Return the application with a comment"),
    ("start", _may_run, services.class_start, _nothing, "Start the class (on or after its first "
                                                        "day)"),
    ("end", _may_run, services.class_end, _nothing, "End the class"),
    ("submit-completion", _may_run, services.class_submit_completion, _comment,
     "Submit the completion for review (结业审核); every trainee needs a result"),
    ("approve-completion", services.may_ever_review, services.class_approve_completion,
     _comment, "Approve the completion; certificates are issued to passed trainees"),
    ("return-completion", services.may_ever_review, services.class_return_completion, _comment,
     "Return the completion with a comment"),
    ("close", _may_run_or_review, services.class_close, _comment, "Close the class"),
    ("cancel", _may_run_or_review, services.class_cancel, _reason,
     "Cancel the class with a reason"),
]


def _register_step(path: str, allowed: Callable[[Any], bool],
                   service: Callable[..., TrainingClass],
                   arguments: Callable[[StepIn], dict[str, Any]], summary: str) -> None:
    name = "training_class_" + path.replace("-", "_")

    @router.post(f"/{{int:class_id}}/{path}",
                 response={200: ClassDetailOut, **error_responses(403, 404, 409, 422)},
                 summary=summary, url_name=name, operation_id=name)
    def step(request: HttpRequest, class_id: int, payload: StepIn) -> Status[Any]:
        if not allowed(request.user):
            raise PermissionDenied
        training_class = selectors.class_get(user=request.user, pk=class_id)
        if payload.version is not None and payload.version != training_class.version:
            raise ConcurrentUpdateError()
        try:
            service(actor=request.user, training_class=training_class, **arguments(payload))
        except RuleError as error:
            if error.code in CONFLICTS:
                return Status(409, error_body(error.code, error.message))
            if error.code in REFUSALS:
                return Status(403, error_body(error.code, error.message))
            raise
        return Status(200, selectors.class_get(user=request.user, pk=class_id))


for _step in STEPS:
    _register_step(*_step)
