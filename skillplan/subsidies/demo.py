"""Demo subsidy standards (示例标准) for ``seed_demo``: example figures the province replaces with
the real ones. Each is marked ``is_example`` and shows as "示例标准" on every page.

- 就业技能培训 training fee: 100 yuan per trainee and day, at most 36 days (province 60 %, city
  40 %); living costs 30 yuan per day attended, at most 36 days, capped at 1,000 yuan (province
  50 %, city 30 %, county 20 %); skill appraisal fee 200 yuan per skill certificate (province);
- 农村实用技术培训: 2,500 yuan per trainee for a class of at least 7 days, of which the province
  pays 1,500 (60 %) and the city 1,000 (40 %); living costs as for employment training;
- 创业创新培训: 2,500 yuan per trainee for a class of at least 10 days (province 60 %, city 40 %);
- 特色培训: 80 yuan per trainee and day, at most 30 days (province 60 %, city 40 %), with a 湘西州
  override of 100 yuan (province 50 %, city 30 %, county 20 %) — the city's own standard wins.

In force from 1 January of last year, open-ended, so the demo classes (dated from today) fall in.
Idempotent: a standard whose item, training type and region already have one is left alone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.catalog.choices import TrainingType as T
from skillplan.subsidies.choices import RateBasis as B
from skillplan.subsidies.choices import SubsidyItem as I
from skillplan.subsidies.models import SubsidyStandard
from skillplan.subsidies.services.standards import province_code, standard_create

BASIS_TEXT = "示例标准（省残联录入正式标准后替换）"
XIANGXI = "4331"

# (item, training type, region ("" = province), basis, rate, max days, min days, cap,
#  shares province/city/county)
STANDARDS: list[tuple[Any, ...]] = [
    (I.TRAINING_FEE, T.EMPLOYMENT, "", B.PER_PERSON_DAY, 100, 36, None, None, (60, 40, 0)),
    (I.LIVING, T.EMPLOYMENT, "", B.PER_DAY_ATTENDED, 30, 36, None, 1000, (50, 30, 20)),
    (I.APPRAISAL, T.EMPLOYMENT, "", B.PER_CERTIFICATE, 200, None, None, None, (100, 0, 0)),
    (I.TRAINING_FEE, T.RURAL, "", B.PER_PERSON, 2500, None, 7, None, (60, 40, 0)),
    (I.LIVING, T.RURAL, "", B.PER_DAY_ATTENDED, 30, 36, None, 1000, (50, 30, 20)),
    (I.TRAINING_FEE, T.ENTREPRENEURSHIP, "", B.PER_PERSON, 2500, None, 10, None, (60, 40, 0)),
    (I.TRAINING_FEE, T.SPECIAL, "", B.PER_PERSON_DAY, 80, 30, None, None, (60, 40, 0)),
    (I.TRAINING_FEE, T.SPECIAL, XIANGXI, B.PER_PERSON_DAY, 100, 30, None, None, (50, 30, 20)),
]


def standard_values(row: tuple[Any, ...], start: date) -> dict[str, Any]:
    item, training_type, region, basis, rate, max_days, min_days, cap, shares = row
    return {
        "item": item, "training_type": training_type, "region": region or province_code(),
        "basis": basis, "rate": Decimal(rate), "max_days": max_days, "min_days": min_days,
        "cap": Decimal(cap) if cap else None, "share_province": Decimal(shares[0]),
        "share_city": Decimal(shares[1]), "share_county": Decimal(shares[2]),
        "effective_from": start, "is_example": True, "basis_text": BASIS_TEXT,
    }


@transaction.atomic
def seed_standards() -> int:
    """Create the example standards that are not there yet; returns how many were created."""
    actor = User.objects.filter(username="demo_province").first()
    start = date(timezone.localdate().year - 1, 1, 1)
    created = 0
    for row in STANDARDS:
        values = standard_values(row, start)
        if SubsidyStandard.objects.filter(item=values["item"],
                                          training_type=values["training_type"],
                                          region_code=values["region"]).exists():
            continue
        standard_create(actor=actor, values=values)
        created += 1
    return created


def seed_entitlements() -> int:
    """Compute the entitlements of the demo classes whose completion was approved (by their
    provider's staff, as they would before a claim); returns how many classes were computed."""
    from skillplan.subsidies.services.entitlements import (
        COMPUTABLE,
        entitlements_compute_for_class,
        may_compute,
    )
    from skillplan.training.models import TrainingClass

    computed = 0
    for training_class in TrainingClass.objects.filter(status__in=COMPUTABLE).exclude(
            entitlements__isnull=False).order_by("pk"):
        staff = User.objects.filter(provider_id=training_class.provider_id,
                                    is_active=True).order_by("pk").first()
        actor = staff if staff is not None and may_compute(staff, training_class) else None
        entitlements_compute_for_class(actor=actor, training_class=training_class)
        computed += 1
    return computed
