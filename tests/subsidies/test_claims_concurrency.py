"""Two submissions of the same claim form at once (a double click reaching two workers) create
one claim (PostgreSQL: one connection per thread, committed data)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import connection, connections

from skillplan.subsidies.models import Claim, ClaimLine
from skillplan.subsidies.services.claims import claim_prepare
from tests.conftest import seed_reference_data
from tests.subsidies.claims_support import finished_class, key
from tests.training.factories import user


@pytest.fixture(scope="module")
def _reseed_after_flush(django_db_blocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises all writes")
@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_key_at_once_create_one_claim(_reseed_after_flush):
    training_class = finished_class(trainees=2)
    actor = user("demo_provider")
    same = key()
    barrier = threading.Barrier(2)
    numbers: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            barrier.wait(timeout=60)
            try:
                outcome = claim_prepare(actor=actor, training_class=training_class,
                                        request_key=same).number
            except Exception as error:  # counted, and fails the test
                outcome = f"error: {error!r}"
            with lock:
                numbers.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(numbers) == 2 and numbers[0] == numbers[1], numbers
    assert Claim.objects.filter(training_class=training_class).count() == 1
    assert ClaimLine.objects.filter(claim__training_class=training_class).count() == 2
