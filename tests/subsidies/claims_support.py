"""Shared setup of the claim and payment tests: a standard (100 yuan per person-day, province
60 %, city 40 %), a finished class of the 芙蓉区 demo provider with its entitlements computed
by the real computation service, and a claim brought to any status through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from skillplan.catalog.choices import TrainingType
from skillplan.regions.models import Region
from skillplan.subsidies.choices import ClaimStatus, RateBasis, SubsidyItem
from skillplan.subsidies.models import Claim, SubsidyStandard
from skillplan.subsidies.services import claims
from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass
from tests.training.factories import make_class, user

RATE = Decimal("100.00")


def standard(*, province: str = "60", city: str = "40", county: str = "0") -> SubsidyStandard:
    """The employment-training fee standard of the province, in force since 2020."""
    found = SubsidyStandard.objects.filter(item=SubsidyItem.TRAINING_FEE,
                                           training_type=TrainingType.EMPLOYMENT,
                                           region_code="43").first()
    if found is not None:
        return found
    return SubsidyStandard.objects.create(
        item=SubsidyItem.TRAINING_FEE, training_type=TrainingType.EMPLOYMENT,
        region=Region.objects.get(code="43"), region_code="43",
        basis=RateBasis.PER_PERSON_DAY, rate=RATE, max_days=36,
        share_province=Decimal(province), share_city=Decimal(city),
        share_county=Decimal(county), effective_from=date(2020, 1, 1), is_example=True)


def finished_class(*, trainees: int = 2, status: str = ClassStatus.CLOSED, **kwargs: Any
                   ) -> TrainingClass:
    standard()
    return make_class(status=status, trainees=trainees, **kwargs)


_keys = iter(range(1, 10**9))


def key() -> str:
    return f"test-key-{timezone.now().timestamp()}-{next(_keys)}"


def claim_in(status: str, *, trainees: int = 2, preparer: str = "demo_provider") -> Claim:
    """A claim of a new finished class, brought to ``status`` through the services: prepared
    by ``preparer``, reviewed by the 芙蓉区 county, approved by the province."""
    training_class = finished_class(trainees=trainees)
    claim = claims.claim_prepare(actor=user(preparer), training_class=training_class,
                                 request_key=key())
    if status == ClaimStatus.DRAFT:
        return claim
    claims.claim_submit(actor=user(preparer), claim=claim)
    if status == ClaimStatus.SUBMITTED:
        return claim
    if status == ClaimStatus.RETURNED:
        return claims.claim_review(actor=user("demo_county_furong"), claim=claim,
                                   approve=False, comment="请补充考勤记录")
    claims.claim_review(actor=user("demo_city_changsha"), claim=claim, approve=True)
    if status == ClaimStatus.REVIEWED:
        return claim
    claims.claim_approve(actor=user("demo_province"), claim=claim, approve=True)
    return claim
