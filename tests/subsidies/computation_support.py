"""Setup of the standards and computation tests: standards made through the standards service,
finished classes of a given type and length (through the training factories), and results set
per trainee."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from skillplan.catalog.choices import TrainingType
from skillplan.subsidies.choices import RateBasis, SubsidyItem
from skillplan.subsidies.models import SubsidyStandard
from skillplan.subsidies.services.standards import standard_create
from skillplan.training.choices import ClassStatus
from skillplan.training.models import Enrolment, TrainingClass
from tests.training.factories import demo_provider, make_class, make_project, user

SINCE = date(2020, 1, 1)


def standard(*, item: str = SubsidyItem.TRAINING_FEE, training_type: str = TrainingType.EMPLOYMENT,
             region: str = "43", basis: str = RateBasis.PER_PERSON_DAY, rate: str = "100",
             shares: tuple[str, str, str] = ("60", "40", "0"), actor: Any = None,
             **extra: Any) -> SubsidyStandard:
    values = {"item": item, "training_type": training_type, "region": region, "basis": basis,
              "rate": Decimal(rate), "share_province": Decimal(shares[0]),
              "share_city": Decimal(shares[1]), "share_county": Decimal(shares[2]),
              "effective_from": SINCE, **extra}
    return standard_create(actor=actor, values=values)


def finished_class(*, training_type: str = TrainingType.EMPLOYMENT, days: int = 36,
                   trainees: int = 1, provider_key: str = "430102",
                   status: str = ClassStatus.COMPLETION_APPROVED,
                   start: date | None = None) -> TrainingClass:
    """A class of ``days`` consecutive days whose completion was approved, every trainee
    passed with all days attended (change them with :func:`result`)."""
    provider = demo_provider(provider_key)
    project = make_project(provider=provider, training_type=training_type, days=days,
                           hours=days * 6)
    start = start or timezone.localdate() - timedelta(days=days + 30)
    return make_class(provider=provider, project=project, status=status, trainees=trainees,
                      start=start, end=start + timedelta(days=days - 1))


def trainees(training_class: TrainingClass) -> list[Enrolment]:
    return list(training_class.enrolments.filter(status="enrolled").order_by("pk"))


def result(enrolment: Enrolment, *, passed: bool | None = True,
           attended: int | None = None) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(passed=passed, attendance_days=attended)


def provider_staff(training_class: TrainingClass) -> Any:
    return user("demo_provider" if training_class.provider.region_code == "430102"
                else "demo_provider_xiangxi")
