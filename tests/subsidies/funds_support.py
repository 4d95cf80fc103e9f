"""Setup of the fund, anomaly and contract tests: closed classes made through the training
factories; standards, entitlements, claims, lines and payments written as rows with figures
chosen by hand, so each total can be checked against a sum done on paper."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from skillplan.catalog.choices import TrainingType
from skillplan.regions.models import Region
from skillplan.subsidies.choices import (
    ClaimStatus,
    EntitlementStatus,
    RateBasis,
    SubsidyItem,
)
from skillplan.subsidies.models import (
    Claim,
    ClaimLine,
    Entitlement,
    Payment,
    SubsidyStandard,
)
from skillplan.training.choices import ClassStatus
from skillplan.training.models import Enrolment, TrainingClass
from tests.training.factories import demo_provider, make_class, user

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def funds_files(settings: Settings, tmp_path: Path) -> Path:
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.fixture(autouse=True)
def funds_english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def funds_hooks() -> None:
    """The export handlers and audit labels (SubsidiesConfig.ready calls the same)."""
    from skillplan.subsidies.hooks_funds import register_funds_hooks

    register_funds_hooks()


def D(value: str) -> Decimal:  # reads like the figures on paper
    return Decimal(value)


def standard(*, item: str = SubsidyItem.TRAINING_FEE, cap: str | None = None,
             pays_without_completion: bool = False, rate: str = "100") -> SubsidyStandard:
    return SubsidyStandard.objects.create(
        item=item, training_type=TrainingType.EMPLOYMENT, region=Region.objects.get(code="43"),
        region_code="43", basis=RateBasis.PER_PERSON_DAY, rate=D(rate), max_days=36,
        cap=D(cap) if cap is not None else None, share_province=D("60"), share_city=D("40"),
        pays_without_completion=pays_without_completion, effective_from=date(2020, 1, 1),
        is_example=True)


def closed_class(*, key: str = "430102", trainees: int = 2, **kwargs: Any) -> TrainingClass:
    return make_class(provider=demo_provider(key), status=ClassStatus.CLOSED, trainees=trainees,
                      **kwargs)


def roster(training_class: TrainingClass) -> list[Enrolment]:
    return list(training_class.enrolments.select_related("person").order_by("pk"))


def entitlement(enrolment: Enrolment, *, amount: str, item: str = SubsidyItem.TRAINING_FEE,
                shares: tuple[str, str, str] | None = None,
                the_standard: SubsidyStandard | None = None,
                status: str = EntitlementStatus.COMPUTED, person: Any = None,
                period: tuple[date, date] | None = None) -> Entitlement:
    training_class = enrolment.training_class
    value = D(amount)
    province, city, county = (D(s) for s in shares) if shares else (value, D("0"), D("0"))
    start, end = period or (training_class.start_date, training_class.end_date)
    return Entitlement.objects.create(
        enrolment=enrolment, training_class=training_class,
        person=person if person is not None else enrolment.person, item=item,
        standard=the_standard or standard(item=item), basis=RateBasis.PER_PERSON_DAY,
        rate=D("100"), quantity=value / D("100"), amount=value, amount_province=province,
        amount_city=city, amount_county=county, explanation=f"{amount} 元（测试）",
        period_start=start, period_end=end, status=status,
        region_code=training_class.region_code, computed_at=timezone.now())


@dataclass(frozen=True)
class Line:
    entitlement: Entitlement | None
    amount: str | None = None  # the entitlement's amount unless given


def claim(training_class: TrainingClass, *, status: str, lines: Sequence[Line]) -> Claim:
    number = f"BT-TEST-{next(_numbers):05d}"
    made = Claim.objects.create(
        number=number, training_class=training_class, provider=training_class.provider,
        region_code=training_class.region_code, status=status,
        total=sum((D(line.amount) if line.amount else line.entitlement.amount  # type: ignore
                   for line in lines), D("0")))
    for line in lines:
        ent = line.entitlement
        ClaimLine.objects.create(
            claim=made, entitlement=ent, item=ent.item if ent else SubsidyItem.TRAINING_FEE,
            amount=D(line.amount) if line.amount else ent.amount,  # type: ignore[union-attr]
            explanation="测试")
    return made


def payment(the_claim: Claim, *, level: str, amount: str, paid_on: date | None = None
            ) -> Payment:
    return Payment.objects.create(
        claim=the_claim, paying_level=level, paid_on=paid_on or timezone.localdate(),
        voucher_number=f"PZ-{next(_numbers):05d}", amount=D(amount),
        recorded_by=user("demo_province"), recorded_at=timezone.now())


@dataclass(frozen=True)
class TwoCities:
    """Class A of 芙蓉区 (长沙): 2 trainees, training fee 3,600 each (province 2,160, city
    1,440), trainee 1 living costs 1,200 (city), one void entitlement of 999; claim C1 approved
    with the two fees (7,200), paid 4,320 by the province and 2,880 by the city; claim C2 a
    draft with the living costs. Class B of 吉首 (湘西): 1 trainee, training fee 2,500
    (province 1,500, city 1,000), claim C3 submitted, nothing paid."""

    a: TrainingClass
    b: TrainingClass
    c1: Claim
    c2: Claim
    c3: Claim


def two_cities() -> TwoCities:
    a = closed_class(key="430102", trainees=2)
    b = closed_class(key="433101", trainees=1)
    a1, a2 = roster(a)
    (b1,) = roster(b)
    fee = standard()
    living = standard(item=SubsidyItem.LIVING)
    e1 = entitlement(a1, amount="3600", shares=("2160", "1440", "0"), the_standard=fee)
    e2 = entitlement(a2, amount="3600", shares=("2160", "1440", "0"), the_standard=fee)
    e3 = entitlement(a1, amount="1200", item=SubsidyItem.LIVING, shares=("0", "1200", "0"),
                     the_standard=living)
    entitlement(a2, amount="999", item=SubsidyItem.LIVING, the_standard=living,
                status=EntitlementStatus.VOID)
    e4 = entitlement(b1, amount="2500", shares=("1500", "1000", "0"), the_standard=fee)
    c1 = claim(a, status=ClaimStatus.APPROVED, lines=[Line(e1), Line(e2)])
    c2 = claim(a, status=ClaimStatus.DRAFT, lines=[Line(e3)])
    c3 = claim(b, status=ClaimStatus.SUBMITTED, lines=[Line(e4)])
    payment(c1, level="province", amount="4320")
    payment(c1, level="city", amount="2880")
    return TwoCities(a=a, b=b, c1=c1, c2=c2, c3=c3)
