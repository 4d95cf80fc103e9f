"""Two clerks recording spending against the same contract at once cannot together spend more
than its amount (PostgreSQL: one connection per thread, the contract row locked)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from skillplan.core.errors import RuleError
from skillplan.regions.models import Region
from skillplan.subsidies.models import ContractSpending
from skillplan.subsidies.services.contracts import (
    ContractValues,
    contract_create,
    spending_record,
)
from tests.conftest import seed_reference_data
from tests.training.factories import demo_provider, user


@pytest.fixture(scope="module")
def _reseed_after_flush(django_db_blocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises all writes")
@pytest.mark.django_db(transaction=True)
def test_two_spendings_at_once_never_overspend(_reseed_after_flush: None) -> None:
    clerk = user("demo_city_changsha")
    contract = contract_create(actor=clerk, values=ContractValues(
        number="CONC-1", provider=demo_provider(), buyer_region=Region.objects.get(code="4301"),
        tender_method="open", amount=Decimal("1000"), starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31)))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def spend() -> None:
        try:
            barrier.wait(timeout=60)
            try:
                spending_record(actor=clerk, contract=contract, spent_on=date(2025, 6, 1),
                                amount=Decimal("600"), note="同时登记")
                outcome = "ok"
            except RuleError as error:
                outcome = error.code
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=spend) for _number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["ok", "overspent"]
    assert ContractSpending.objects.filter(contract=contract).count() == 1
