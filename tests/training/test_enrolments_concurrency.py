"""Over-enrolment cannot happen under concurrent requests: 50 enrolments at once into a class
of 30 places give exactly 30 (PostgreSQL, one connection per thread, committed data).

SQLite serialises every write of the whole database, so it cannot show the race; the test of
the conditional update on SQLite is in test_enrolments_services.py. CI runs the suite on
PostgreSQL too, where this test runs.

A transactional test empties the database when it ends (TRUNCATE); this module puts the
session's reference data (regions, demo accounts) back afterwards, so the tests after it find
the database as they expect.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import connection, connections

from skillplan.core.errors import RuleError
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment
from skillplan.training.services.enrolments import enrol_person
from tests.conftest import seed_reference_data
from tests.training.factories import make_class, make_person, user

THREADS = 50
PLACES = 30


@pytest.fixture(scope="module")
def _reseed_after_flush(django_db_blocker) -> Iterator[None]:
    """Module scope: torn down after the transactional test's flush."""
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises all writes, so enrolments "
                           "cannot race there (CI runs this on PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_enrolments_into_thirty_places_give_thirty(_reseed_after_flush):
    training_class = make_class(status=ClassStatus.APPROVED, capacity=PLACES)
    actor = user("demo_provider")
    people = [make_person() for _number in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def enrol(person) -> None:
        try:
            barrier.wait(timeout=60)
            try:
                enrol_person(actor=actor, training_class=training_class, person=person)
                outcome = "enrolled"
            except RuleError as error:
                outcome = error.code
            except Exception as error:  # any other failure is counted, and fails the test
                outcome = f"error: {error!r}"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert Counter(outcomes) == {"enrolled": PLACES, "class_full": THREADS - PLACES}
    training_class.refresh_from_db()
    assert training_class.enrolled_count == PLACES
    assert Enrolment.objects.filter(training_class=training_class,
                                    status=EnrolmentStatus.ENROLLED).count() == PLACES
