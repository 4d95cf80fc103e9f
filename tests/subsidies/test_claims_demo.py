"""The demo claims: a paid claim (prepared by the provider, reviewed by the city, approved by
the province, paid by each level), an adjustment of it awaiting review, and a 湘西 claim
returned with a comment; seeding again creates nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db.models import Sum

from skillplan.catalog.demo import seed_catalog
from skillplan.people.demo import seed_persons
from skillplan.providers.demo import seed_providers
from skillplan.subsidies.choices import ClaimKind, ClaimStatus, EntitlementStatus
from skillplan.subsidies.demo import seed_entitlements, seed_standards
from skillplan.subsidies.demo_claims import RETURN_COMMENT, seed_claims
from skillplan.subsidies.models import Claim, Payment
from skillplan.training.demo import seed_classes

pytestmark = pytest.mark.django_db


def test_demo_claims(settings: Any, tmp_path: Path) -> None:
    settings.FILES_DIR = tmp_path / "files"
    seed_providers()
    seed_catalog()
    seed_persons(count=1500)
    seed_classes()
    seed_standards()
    seed_entitlements()
    assert seed_claims() == 3
    paid = Claim.objects.get(kind=ClaimKind.CLAIM, status=ClaimStatus.PAID)
    assert paid.created_by.username == "demo_provider"
    assert paid.reviewed_by.username == "demo_city_changsha"
    assert paid.approved_by.username == "demo_province"
    assert paid.payments.aggregate(total=Sum("amount"))["total"] == paid.total
    assert set(paid.payments.values_list("paying_level", flat=True)) == {
        "province", "city", "county"}
    assert set(paid.lines.values_list("entitlement__status", flat=True)) == {
        EntitlementStatus.PAID}
    adjustment = Claim.objects.get(kind=ClaimKind.ADJUSTMENT)
    assert adjustment.adjusts_id == paid.pk and adjustment.status == ClaimStatus.SUBMITTED
    returned = Claim.objects.get(status=ClaimStatus.RETURNED)
    assert returned.review_comment == RETURN_COMMENT
    assert returned.provider.region_code.startswith("4331")
    counts = (Claim.objects.count(), Payment.objects.count())
    assert seed_claims() == 3
    assert (Claim.objects.count(), Payment.objects.count()) == counts
