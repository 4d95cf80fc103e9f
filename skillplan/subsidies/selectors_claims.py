"""Scoped reads of claims, their lines and path, and payments (``accounts/scoping.py``).

Federation staff see the claims of their area, a provider its own; outside scope and missing
both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from skillplan.accounts import roles
from skillplan.accounts.scoping import get_in_scope, restrict
from skillplan.subsidies.choices import ClaimStatus
from skillplan.subsidies.models import Claim, ClaimLine, ClaimStep, Payment

_CLAIM_RELATED = ("training_class", "provider", "created_by", "submitted_by", "reviewed_by",
                  "approved_by", "adjusts")


@dataclass(frozen=True)
class ClaimFilters:
    status: str = ""
    class_code: str = ""
    year: str = ""  # of the class's first day


def claims_visible(*, user: Any) -> QuerySet[Claim]:
    return restrict(Claim.objects.select_related(*_CLAIM_RELATED), user,
                    permission=roles.VIEW_SUBSIDY)


def claim_list(*, user: Any, filters: ClaimFilters | None = None) -> QuerySet[Claim]:
    """Claims ``user`` may see that match ``filters``, newest first."""
    filters = filters or ClaimFilters()
    claims = claims_visible(user=user)
    if filters.status in ClaimStatus.values:
        claims = claims.filter(status=filters.status)
    code = filters.class_code.strip().upper()
    if code:
        claims = claims.filter(training_class__code__startswith=code)
    if filters.year.isdigit() and len(filters.year) == 4:
        claims = claims.filter(training_class__start_date__year=int(filters.year))
    return claims.order_by("-id")


def claim_page(*, user: Any, filters: ClaimFilters | None = None, after: int | None = None,
               limit: int = 50) -> tuple[list[Claim], int | None]:
    claims = claim_list(user=user, filters=filters)
    if after:
        claims = claims.filter(id__lt=after)
    rows = list(claims[: limit + 1])
    next_after = rows[limit - 1].pk if len(rows) > limit else None
    return rows[:limit], next_after


def claim_get(*, user: Any, pk: int) -> Claim:
    return get_in_scope(Claim.objects.select_related(*_CLAIM_RELATED), user,
                        permission=roles.VIEW_SUBSIDY, pk=pk)


def claim_lines(claim: Claim) -> list[ClaimLine]:
    return list(claim.lines.select_related("entitlement", "entitlement__person",
                                           "entitlement__enrolment",
                                           "entitlement__enrolment__person").order_by("id"))


def claim_path(claim: Claim) -> list[ClaimStep]:
    """The steps of the claim, oldest first, with who took them."""
    return list(claim.steps.select_related("actor").order_by("at", "id"))


def payments_visible(*, user: Any) -> QuerySet[Payment]:
    return Payment.objects.filter(claim__in=claims_visible(user=user).values("pk")
                                  ).select_related("claim", "recorded_by")


def claims_of_class(*, user: Any, training_class_id: int) -> QuerySet[Claim]:
    return claims_visible(user=user).filter(training_class_id=training_class_id).order_by("-id")
