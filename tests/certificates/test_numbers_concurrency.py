"""Certificate numbers stay unique when completions of several classes of one county are
approved at the same moment (PostgreSQL, one connection per thread, committed data).

SQLite serialises every write, so it cannot show the race. A transactional test empties the
database when it ends; this module puts the session's reference data back afterwards.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from django.db import connection, connections

from skillplan.certificates.models import TrainingCertificate
from tests.certificates.conftest import approve, class_ready_for_approval, make_person
from tests.conftest import seed_reference_data

CLASSES = 4
TRAINEES = 5


@pytest.fixture(scope="module")
def _reseed_after_flush(django_db_blocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises all writes, so approvals "
                           "cannot race there (CI runs this on PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_hand_out_distinct_numbers(_reseed_after_flush):
    classes = [class_ready_for_approval([{"person": make_person(name=f"学员{i}")}
                                         for i in range(TRAINEES)]) for _ in range(CLASSES)]
    barrier = threading.Barrier(CLASSES)
    errors: list[str] = []

    def run(training_class) -> None:
        try:
            barrier.wait(timeout=60)
            approve(training_class)
        except Exception as error:  # counted, and fails the test
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in classes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    numbers = list(TrainingCertificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == CLASSES * TRAINEES
    sequences = sorted(int(re.fullmatch(r"HNPX-\d{4}-430102-(\d{5})", n)[1]) for n in numbers)
    assert sequences == list(range(1, CLASSES * TRAINEES + 1))
