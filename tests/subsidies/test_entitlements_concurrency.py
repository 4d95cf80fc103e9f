"""Never twice, even at the same moment: the same person on two overlapping classes of two
providers, both classes computed at once, gives one entitlement and one refusal (PostgreSQL,
one connection per thread; SQLite serialises all writes, so the race cannot happen there — the
sequential rule is in test_entitlements_compute.py).

A transactional test empties the database when it ends; this module puts the session's
reference data back afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection, connections

from skillplan.subsidies.models import Entitlement, EntitlementSkip
from skillplan.subsidies.services.entitlements import entitlements_compute_for_class
from skillplan.training.models import Enrolment
from tests.conftest import seed_reference_data
from tests.subsidies.computation_support import (
    finished_class,
    provider_staff,
    standard,
    trainees,
)

ROUNDS = 3


@pytest.fixture(scope="module")
def _reseed_after_flush(django_db_blocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises all writes")
@pytest.mark.django_db(transaction=True)
def test_two_classes_computed_at_once_pay_the_person_once(_reseed_after_flush) -> None:
    standard(max_days=36)
    for _round in range(ROUNDS):
        first = finished_class(days=10)
        second = finished_class(days=10, start=first.start_date + timedelta(days=2),
                                provider_key="433101")
        person = trainees(first)[0].person
        Enrolment.objects.filter(pk=trainees(second)[0].pk).update(person=person)
        barrier = threading.Barrier(2)
        errors: list[str] = []

        def compute(training_class, barrier=barrier,  # type: ignore[no-untyped-def]
                    errors=errors) -> None:
            try:
                barrier.wait(timeout=60)
                entitlements_compute_for_class(actor=provider_staff(training_class),
                                               training_class=training_class)
            except Exception as error:  # counted, and fails the test
                errors.append(repr(error))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=compute, args=(c,)) for c in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        paid = Entitlement.objects.exclude(status="void").filter(person=person,
                                                                 item="training_fee")
        assert paid.count() == 1
        assert EntitlementSkip.objects.filter(enrolment__person=person,
                                              code="already_entitled").count() == 1
