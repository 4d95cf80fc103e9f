"""API: subsidy standards, claims and payments — read only, scoped exactly like the pages.

- ``GET /subsidies/standards``: the standards you may see (province defaults, your city's
  overrides; the province sees all), with ``item``, ``training_type``, ``when`` filters.
- ``GET /subsidies/claims``: the claims of your area (a provider: its own), newest first, with
  ``status``, ``class_code`` and ``year`` filters; ``GET /subsidies/claims/{id}``: one claim with
  its lines (trainee names masked), the shares per paying level and its path.
- ``GET /subsidies/payments``: payments on the claims you may see, newest first.

Lists answer ``{"items", "next_cursor"}``; a claim outside your area answers 404 like a missing
one; a role without ``VIEW_SUBSIDY`` answers 403.
"""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time.

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from skillplan.accounts import roles
from skillplan.api.auth import require
from skillplan.api.errors import error_body, error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.api.validators import QueryText
from skillplan.catalog.choices import TrainingType
from skillplan.core.errors import RuleError
from skillplan.core.masking import mask_name
from skillplan.subsidies import selectors_claims as selectors
from skillplan.subsidies.choices import ClaimStatus, SubsidyItem
from skillplan.subsidies.models import Claim, ClaimLine, ClaimStep, Payment, SubsidyStandard
from skillplan.subsidies.selectors_standards import standard_list
from skillplan.subsidies.services import claims as claim_services
from skillplan.subsidies.services.payments import claim_dues, line_shares
from skillplan.training.selectors import class_get

router = Router(tags=["subsidies"])
_CODE_QUERY = Query("", description="a class code or its beginning")


class StandardOut(Schema):
    id: int
    item: str
    item_label: str
    training_type: str
    region_code: str = Field(..., description="the province (default) or a city (override)")
    basis: str
    rate: Decimal = Field(..., description="yuan")
    max_days: int | None
    min_days: int | None
    cap: Decimal | None
    share_province: Decimal = Field(..., description="percent")
    share_city: Decimal
    share_county: Decimal
    pays_without_completion: bool
    effective_from: date
    effective_to: date | None
    is_example: bool
    basis_text: str

    @staticmethod
    def resolve_item_label(obj: SubsidyStandard) -> str:
        return str(obj.get_item_display())


class ClaimOut(Schema):
    id: int
    number: str = Field(..., description="BZ-<year>-<6 digits>")
    kind: str
    adjusts_id: int | None
    training_class_id: int
    class_code: str
    provider_id: int
    region_code: str
    status: str
    status_label: str
    total: Decimal = Field(..., description="yuan")
    reason: str
    prepared_by: str
    submitted_by: str
    submitted_at: datetime | None
    reviewed_by: str
    reviewed_at: datetime | None
    approved_by: str
    approved_at: datetime | None
    review_comment: str
    created_at: datetime

    @staticmethod
    def resolve_class_code(obj: Claim) -> str:
        return obj.training_class.code

    @staticmethod
    def resolve_status_label(obj: Claim) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_prepared_by(obj: Claim) -> str:
        return obj.created_by.display_name if obj.created_by_id else ""

    @staticmethod
    def resolve_submitted_by(obj: Claim) -> str:
        return obj.submitted_by.display_name if obj.submitted_by_id else ""

    @staticmethod
    def resolve_reviewed_by(obj: Claim) -> str:
        return obj.reviewed_by.display_name if obj.reviewed_by_id else ""

    @staticmethod
    def resolve_approved_by(obj: Claim) -> str:
        return obj.approved_by.display_name if obj.approved_by_id else ""


class LineOut(Schema):
    id: int
    entitlement_id: int | None
    trainee: str = Field(..., description="masked name")
    item: str
    amount: Decimal
    explanation: str
    amount_province: Decimal
    amount_city: Decimal
    amount_county: Decimal


class ClaimStepOut(Schema):
    action: str
    actor: str
    from_status: str
    to_status: str
    comment: str
    at: datetime

    @staticmethod
    def resolve_actor(obj: ClaimStep) -> str:
        return obj.actor.display_name if obj.actor_id else ""


class DueOut(Schema):
    level: str
    share: Decimal
    paid: Decimal
    owed: Decimal


class ClaimDetailOut(ClaimOut):
    lines: list[LineOut]
    dues: list[DueOut]
    steps: list[ClaimStepOut] = Field(..., description="the path, oldest first")

    @staticmethod
    def resolve_lines(obj: Claim) -> list[dict]:
        return [_line(line) for line in selectors.claim_lines(obj)]

    @staticmethod
    def resolve_dues(obj: Claim) -> list[dict]:
        return [{"level": due.level, "share": due.share, "paid": due.paid, "owed": due.owed}
                for due in claim_dues(obj)]

    @staticmethod
    def resolve_steps(obj: Claim) -> list[ClaimStep]:
        return selectors.claim_path(obj)


def _line(line: ClaimLine) -> dict:
    shares = line_shares(line)
    enrolment = line.entitlement.enrolment if line.entitlement_id else None
    return {"id": line.pk, "entitlement_id": line.entitlement_id,
            "trainee": mask_name(enrolment.display_name if enrolment else ""),
            "item": line.item, "amount": line.amount, "explanation": line.explanation,
            "amount_province": shares["province"], "amount_city": shares["city"],
            "amount_county": shares["county"]}


class PaymentOut(Schema):
    id: int
    claim_id: int
    claim_number: str
    paying_level: str
    paid_on: date
    voucher_number: str
    amount: Decimal
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_claim_number(obj: Payment) -> str:
        return obj.claim.number

    @staticmethod
    def resolve_recorded_by(obj: Payment) -> str:
        return obj.recorded_by.display_name if obj.recorded_by_id else ""


@router.get("/standards", response={200: list[StandardOut], **error_responses(403, 422)},
            summary="Subsidy standards you may see", url_name="subsidies_standards")
@cursor_paginate(key="id")
def standards(request: HttpRequest, item: SubsidyItem | None = None,
              training_type: TrainingType | None = None,
              when: str = Query("current", pattern="^(current|past|all)$",
                                description="current, past or all")
              ) -> QuerySet[SubsidyStandard]:
    require(request, roles.VIEW_SUBSIDY)
    return standard_list(user=request.user, item=item.value if item else "",
                         training_type=training_type.value if training_type else "", when=when)


@router.get("/claims", response={200: list[ClaimOut], **error_responses(403, 422)},
            summary="Subsidy claims in your area, newest first", url_name="subsidies_claims")
@cursor_paginate(key="-id")
def claims(request: HttpRequest, status: ClaimStatus | None = None,
           class_code: QueryText = _CODE_QUERY,
           year: int | None = Query(None, ge=2000, le=2100, description="year of the class")
           ) -> QuerySet[Claim]:
    require(request, roles.VIEW_SUBSIDY)
    filters = selectors.ClaimFilters(status=status.value if status else "",
                                     class_code=class_code, year=str(year or ""))
    return selectors.claim_list(user=request.user, filters=filters)


@router.get("/claims/{int:claim_id}", response={200: ClaimDetailOut,
                                                **error_responses(403, 404)},
            summary="One claim with its lines, shares and path", url_name="subsidies_claim")
def claim(request: HttpRequest, claim_id: int) -> Claim:
    require(request, roles.VIEW_SUBSIDY)
    return selectors.claim_get(user=request.user, pk=claim_id)


@router.get("/payments", response={200: list[PaymentOut], **error_responses(403, 422)},
            summary="Payments on the claims you may see, newest first",
            url_name="subsidies_payments")
@cursor_paginate(key="-id")
def payments(request: HttpRequest) -> QuerySet[Payment]:
    require(request, roles.VIEW_SUBSIDY)
    return selectors.payments_visible(user=request.user)


@router.post("/classes/{int:class_id}/claims",
             response={200: ClaimDetailOut, 201: ClaimDetailOut,
                       **error_responses(403, 404, 409, 422)},
             summary="Prepare the claim of a finished class (send an Idempotency-Key header)",
             url_name="subsidies_claim_prepare")
def claim_prepare(request: HttpRequest, class_id: int) -> Status[Any]:
    """The same ``Idempotency-Key`` (a retry) answers 200 with the claim made the first time
    and creates nothing; a new key answers 201 with the new draft claim."""
    require(request, roles.PREPARE_CLAIM)
    training_class = class_get(user=request.user, pk=class_id, permission=roles.PREPARE_CLAIM)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 64:
        return Status(422, error_body("idempotency_key_required", _(
            "Send an Idempotency-Key header (at most 64 characters) that is new for each "
            "claim and the same when you retry.")))
    replay = Claim.objects.filter(request_key=key).exists()
    try:
        made = claim_services.claim_prepare(actor=request.user, training_class=training_class,
                                            request_key=key)
    except RuleError as error:
        status = 403 if error.code == "not_allowed" else (
            422 if error.code.startswith("request_key") else 409)
        return Status(status, error_body(error.code, error.message))
    return Status(200 if replay else 201, selectors.claim_get(user=request.user, pk=made.pk))
