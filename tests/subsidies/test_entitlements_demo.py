"""The demo classes computed with the demo (example) standards, against a hand calculation.

芙蓉区 电商客服专项技能培训班（第二期）: employment training, 14 training days, 6 trainees; the
4th trainee attended 13 days, the 6th failed. Example standards: training fee 100 yuan per
trainee and day (province 60 %, city 40 %), living costs 30 yuan per day attended (50/30/20).

湘西 土家织锦民族传统技艺培训班（第一期）: special training, 12 days, 5 trainees; the 4th
attended 11 days, the 5th failed. The 湘西 override (100 yuan per trainee and day,
50/30/20) wins over the province default (80 yuan).

长沙 employer-training class: named participants only, no personal subsidies.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from skillplan.catalog.demo import seed_catalog
from skillplan.people.demo import seed_persons
from skillplan.providers.demo import seed_providers
from skillplan.subsidies.demo import seed_entitlements, seed_standards
from skillplan.subsidies.models import Entitlement, EntitlementSkip, SubsidyStandard
from skillplan.training.demo import CLASSES, class_name, seed_classes
from skillplan.training.models import TrainingClass

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def seeded(settings: Any, tmp_path: Path) -> None:
    settings.FILES_DIR = tmp_path / "files"
    seed_providers()
    seed_catalog()
    seed_persons(count=1500)
    seed_classes()
    assert seed_standards() == 8
    assert seed_standards() == 0  # idempotent
    seed_entitlements()


def _class(fragment: str) -> TrainingClass:
    item = next(c for c in CLASSES if fragment in c.name)
    return TrainingClass.objects.get(name=class_name(item))


def _lines(training_class: TrainingClass, item: str) -> list[tuple[Decimal, ...]]:
    """(amount, province, city, county) per trainee in roster order; None-line as zeros."""
    rows = []
    for enrolment in training_class.enrolments.filter(status="enrolled").order_by("pk"):
        line = Entitlement.objects.exclude(status="void").filter(enrolment=enrolment,
                                                                 item=item).first()
        rows.append((line.amount, line.amount_province, line.amount_city, line.amount_county)
                    if line else (D("0"),) * 4)
    return rows


def test_demo_standards_are_examples(seeded: None) -> None:
    assert SubsidyStandard.objects.filter(is_example=False).count() == 0
    rural = SubsidyStandard.objects.get(item="training_fee", training_type="rural")
    assert (rural.rate, rural.min_days, rural.share_province) == (D("2500.00"), 7, D("60.00"))


def test_changsha_customer_service_class_matches_the_hand_calculation(seeded: None) -> None:
    training_class = _class("电商客服专项技能培训班（第二期）")
    assert training_class.days == 14
    fee = (D("1400.00"), D("840.00"), D("560.00"), D("0.00"))
    fee13 = (D("1300.00"), D("780.00"), D("520.00"), D("0.00"))
    nothing = (D("0"),) * 4
    assert _lines(training_class, "training_fee") == [fee, fee, fee, fee13, fee, nothing]
    living = (D("420.00"), D("210.00"), D("126.00"), D("84.00"))
    living13 = (D("390.00"), D("195.00"), D("117.00"), D("78.00"))
    assert _lines(training_class, "living") == [living, living, living, living13, living,
                                                nothing]
    failed = training_class.enrolments.filter(status="enrolled").order_by("pk").last()
    assert set(EntitlementSkip.objects.filter(enrolment=failed, item__in=["training_fee",
                                                                          "living"])
               .values_list("code", flat=True)) == {"not_completed"}
    total = sum(e.amount for e in Entitlement.objects.filter(training_class=training_class))
    assert total == D("6900.00") + D("2070.00")


def test_xiangxi_brocade_class_uses_the_city_override(seeded: None) -> None:
    training_class = _class("土家织锦民族传统技艺培训班（第一期）")
    assert training_class.days == 12
    fee = (D("1200.00"), D("600.00"), D("360.00"), D("240.00"))
    fee11 = (D("1100.00"), D("550.00"), D("330.00"), D("220.00"))
    assert _lines(training_class, "training_fee") == [fee, fee, fee, fee11, (D("0"),) * 4]
    assert all(e.standard.region_code == "4331"
               for e in Entitlement.objects.filter(training_class=training_class))


def test_employer_class_participants_get_nothing(seeded: None) -> None:
    training_class = _class("用人单位按比例安排残疾人就业政策培训班")
    assert not Entitlement.objects.filter(training_class=training_class).exists()
    assert EntitlementSkip.objects.filter(training_class=training_class,
                                          code="not_registered").count() == 4


def test_computing_the_demo_again_changes_nothing(seeded: None) -> None:
    before = sorted(Entitlement.objects.values_list("pk", "amount"))
    seed_entitlements()
    assert sorted(Entitlement.objects.values_list("pk", "amount")) == before
