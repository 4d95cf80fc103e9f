"""Certificate tests: classes brought to completion through the lifecycle services (the roster
and results written directly, so these tests do not depend on the enrolment screens), a clean
cache for the rate limit, and messages read as their English msgids."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.accounts.models import User
from skillplan.accounts.roles import Role
from skillplan.certificates.models import TrainingCertificate
from skillplan.people.models import Person
from skillplan.regions.models import Region
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.services import classes as lifecycle
from tests.training.factories import (
    approver_for,
    demo_provider,
    make_class,
    make_person,
    provider_user,
)


@pytest.fixture(autouse=True)
def _english_messages(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Settings) -> Iterator[None]:
    settings.SKILLPLAN_VERIFY_PER_MINUTE = 10
    settings.SKILLPLAN_PUBLIC_BASE_URL = "https://px.example.cn"
    cache.clear()
    yield
    cache.clear()


def class_ready_for_approval(rows: list[dict[str, Any]], *, provider_key: str = "430102",
                             **class_values: Any) -> TrainingClass:
    """A class of a demo provider, approved, run and ended through the lifecycle services,
    with ``rows`` on its roster and their results, and its completion submitted. A row:
    ``person`` or ``participant`` (a name), ``passed`` (default True), ``number`` (a given
    certificate number), ``withdrawn``."""
    provider = demo_provider(provider_key)
    training_class = make_class(provider=provider, status=ClassStatus.SUBMITTED, **class_values)
    actor = provider_user(provider)
    training_class = lifecycle.class_approve(actor=approver_for(training_class),
                                             training_class=training_class)
    training_class = lifecycle.class_start(actor=actor, training_class=training_class)
    training_class = lifecycle.class_end(actor=actor, training_class=training_class)
    for row in rows:
        Enrolment.objects.create(
            training_class=training_class, person=row.get("person"),
            participant_name=row.get("participant", ""),
            participant_employer="长沙某公司" if row.get("participant") else "",
            status=EnrolmentStatus.WITHDRAWN if row.get("withdrawn") else (
                EnrolmentStatus.ENROLLED),
            enrolled_on=training_class.start_date, passed=row.get("passed", True),
            score=Decimal("80") if row.get("passed", True) else Decimal("40"),
            attendance_days=training_class.days, certificate_number=row.get("number", ""))
    return lifecycle.class_submit_completion(actor=actor, training_class=training_class)


def approve(training_class: TrainingClass) -> TrainingClass:
    return lifecycle.class_approve_completion(actor=approver_for(training_class),
                                              training_class=training_class)


@pytest.fixture
def issued(db: Any) -> Callable[..., list[TrainingCertificate]]:
    """``issued(rows)`` → the certificates issued when the completion of a class with that
    roster is approved (by the configured approver)."""

    def make(rows: list[dict[str, Any]], **kwargs: Any) -> list[TrainingCertificate]:
        training_class = approve(class_ready_for_approval(rows, **kwargs))
        return list(TrainingCertificate.objects.filter(training_class=training_class)
                    .order_by("id"))

    return make


def trainee_account(person: Person, username: str = "demo_trainee") -> User:
    """The trainee account ``username`` (made when missing) linked to ``person``."""
    account = User.objects.filter(username=username).first()
    if account is None:
        account = User(username=username, full_name=person.name, role=Role.TRAINEE,
                       region=Region.objects.get(code=person.region_code))
        account.set_unusable_password()
        account.save()
    Person.objects.filter(pk=person.pk).update(user=account)
    return account


__all__ = ["approve", "class_ready_for_approval", "make_person", "trainee_account"]
