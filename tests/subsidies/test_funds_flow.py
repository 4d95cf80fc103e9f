"""The fund views read what the real services wrote: entitlements computed by the computation
service, a claim prepared, reviewed and approved by the claims service, and the payments of
each level, add up to the hand figures."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from skillplan.subsidies.choices import ClaimStatus
from skillplan.subsidies.selectors_anomalies import Kind, anomalies
from skillplan.subsidies.selectors_funds import FundFilters, class_funds, item_level_by_region
from skillplan.subsidies.services.payments import payment_record
from tests.subsidies.claims_support import claim_in
from tests.subsidies.funds_support import funds_english, funds_files, funds_hooks
from tests.training.factories import user

pytestmark = pytest.mark.django_db
__all__ = ["funds_english", "funds_files", "funds_hooks"]


def test_claim_approved_and_paid_through_the_services(persona: Callable) -> None:
    claim = claim_in(ClaimStatus.APPROVED, trainees=2)
    training_class = claim.training_class
    # 2 trainees × the class's days × 100 yuan; the province pays 60 %, the city 40 %
    expected = Decimal(2 * training_class.days * 100)
    assert claim.total == expected
    filters = FundFilters(year=training_class.start_date.year)
    (row,) = [r for r in class_funds(user=persona("demo_province"), filters=filters)
              if r.pk == training_class.pk]
    assert (row.figures.computed, row.figures.claimed, row.figures.approved,
            row.figures.paid) == (expected, expected, expected, Decimal("0"))
    today = timezone.localdate()
    payment_record(actor=user("demo_province"), claim=claim, paid_on=today,
                   voucher_number="省财-FLOW-1", amount=expected * Decimal("0.6"))
    payment_record(actor=user("demo_city_changsha"), claim=claim, paid_on=today,
                   voucher_number="长财-FLOW-1", amount=expected * Decimal("0.4"))
    (row,) = [r for r in class_funds(user=persona("demo_city_changsha"), filters=filters)
              if r.pk == training_class.pk]
    assert row.figures.paid == expected
    (city,) = item_level_by_region(user=persona("demo_city_changsha"), filters=filters)
    assert city.key == "430102"
    assert city.shares["province"] == expected * Decimal("0.6")
    assert city.paid == {"province": expected * Decimal("0.6"),
                         "city": expected * Decimal("0.4"), "county": Decimal("0")}
    found = anomalies(user=persona("demo_province"))
    # every trainee passed: no payment without completion; the factory records no attendance
    assert found[Kind.NOT_COMPLETED] == []
    assert [case.claim.number for case in found[Kind.NO_ATTENDANCE]] == [claim.number]
