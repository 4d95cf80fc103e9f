"""Class codes under concurrent openings: 20 classes opened at once in one city (the counter
row of that city and year does not exist yet) get 20 different, consecutive numbers
(PostgreSQL, one connection per thread, committed data).

SQLite serialises every write of the whole database, so it cannot show the race; the sequence
itself is tested in test_classes_lifecycle.py. A transactional test empties the database when
it ends; the session's reference data is put back afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import connection, connections

from skillplan.training.models import ClassCodeCounter
from skillplan.training.services.classes import class_create
from tests.conftest import seed_reference_data
from tests.training.factories import class_values, demo_provider, make_project, user

THREADS = 20


@pytest.fixture(scope="module")
def _reseed_after_flush(django_db_blocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises all writes (CI runs this on "
                           "PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_openings_get_different_consecutive_codes(_reseed_after_flush):
    project = make_project()
    actor = user("demo_provider")
    values = [class_values(project=project, provider=demo_provider())
              for _number in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    codes: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()

    def open_class(value) -> None:
        try:
            barrier.wait(timeout=60)
            try:
                code = class_create(actor=actor, values=value).code
                with lock:
                    codes.append(code)
            except Exception as error:  # counted, and fails the test
                with lock:
                    errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_class, args=(value,)) for value in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    year = values[0].start_date.year
    assert sorted(codes) == [f"HN-430100-{year}-{n:04d}" for n in range(1, THREADS + 1)]
    assert ClassCodeCounter.objects.get(city_code="4301", year=year).last == THREADS
