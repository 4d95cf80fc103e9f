"""Purchased services (政府购买服务): contracts are validated, spending stays within the period and
never above the amount, and every write is in the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from skillplan.audit.models import AuditEvent
from skillplan.core.errors import RuleError
from skillplan.regions.models import Region
from skillplan.subsidies.models import ContractSpending, ServiceContract
from skillplan.subsidies.services.contracts import (
    ContractInvalid,
    ContractValues,
    contract_create,
    contract_update,
    spending_record,
)
from tests.subsidies.funds_support import funds_english, funds_files, funds_hooks
from tests.training.factories import demo_provider, make_project

pytestmark = pytest.mark.django_db
__all__ = ["funds_english", "funds_files", "funds_hooks", "values"]

START, END = date(2025, 3, 1), date(2025, 12, 31)


def values(*, buyer: str = "4301", provider_key: str = "430102", **overrides: Any
           ) -> ContractValues:
    fields: dict[str, Any] = {
        "number": "CS-GM-2025-001", "provider": demo_provider(provider_key),
        "buyer_region": Region.objects.get(code=buyer), "tender_method": "open",
        "amount": Decimal("100000.00"), "starts_on": START, "ends_on": END,
        "projects": [], "note": "",
    }
    fields.update(overrides)
    return ContractValues(**fields)


def _problem_codes(error: ContractInvalid) -> set[str]:
    return {problem.code for problem in error.problems}


def test_city_creates_a_contract_with_published_projects(persona: Callable) -> None:
    project = make_project()
    contract = contract_create(actor=persona("demo_city_changsha"),
                               values=values(projects=[project]))
    assert contract.region_code == "4301" and contract.created_by.username == (
        "demo_city_changsha")
    assert list(contract.projects.all()) == [project]
    event = AuditEvent.objects.get(event="contract.created", target_id=str(contract.pk))
    assert event.after["amount"] == "100000.00" and event.after["projects"] == [project.pk]


@pytest.mark.parametrize(("overrides", "code"), [
    ({"ends_on": date(2025, 2, 1)}, "period_order"),
    ({"amount": Decimal("0")}, "amount_not_positive"),
    ({"amount": Decimal("-5")}, "amount_not_positive"),
    ({"amount": Decimal("10.005")}, "amount_cents"),
    ({"provider_key": "433101"}, "provider_outside_buyer"),
])
def test_invalid_contracts_are_refused(persona: Callable, overrides: dict[str, Any],
                                       code: str) -> None:
    with pytest.raises(ContractInvalid) as caught:
        contract_create(actor=persona("demo_city_changsha"), values=values(**overrides))
    assert code in _problem_codes(caught.value)
    assert not ServiceContract.objects.exists()


def test_contract_number_is_unique(persona: Callable) -> None:
    contract_create(actor=persona("demo_province"), values=values(buyer="43"))
    with pytest.raises(ContractInvalid) as caught:
        contract_create(actor=persona("demo_province"),
                        values=values(buyer="43", number=" CS-GM-2025-001 "))
    assert _problem_codes(caught.value) == {"number_taken"}


def test_unpublished_projects_are_refused(persona: Callable) -> None:
    draft = make_project(status="draft")
    with pytest.raises(ContractInvalid) as caught:
        contract_create(actor=persona("demo_city_changsha"), values=values(projects=[draft]))
    assert _problem_codes(caught.value) == {"project_not_published"}
    assert draft.code in str(caught.value.problems[0].message)


def test_province_buys_from_any_provider(persona: Callable) -> None:
    contract = contract_create(actor=persona("demo_province"),
                               values=values(buyer="43", provider_key="433101"))
    assert contract.region_code == "43"


def test_clerks_buy_only_for_their_own_area(persona: Callable) -> None:
    with pytest.raises(PermissionDenied):
        contract_create(actor=persona("demo_city_xiangxi"), values=values())
    with pytest.raises(PermissionDenied):
        contract_create(actor=persona("demo_provider"), values=values())
    with pytest.raises(PermissionDenied):  # a county clerk cannot buy for its city
        contract_create(actor=persona("demo_county_furong"), values=values())
    assert not ServiceContract.objects.exists()


def test_spending_within_the_period_and_amount(persona: Callable) -> None:
    clerk = persona("demo_city_changsha")
    contract = contract_create(actor=clerk, values=values(amount=Decimal("10000")))
    spending_record(actor=clerk, contract=contract, spent_on=START, amount=Decimal("6000"),
                    note="第一期面点班")
    spending_record(actor=clerk, contract=contract, spent_on=END, amount=Decimal("4000"),
                    note="第二期面点班")  # exactly the rest
    assert sum(s.amount for s in contract.spendings.all()) == Decimal("10000")
    event = AuditEvent.objects.filter(event="contract.spending_recorded").latest("seq")
    assert event.after["spent_total"] == "10000.00"


def test_overspending_is_refused_with_what_remains(persona: Callable) -> None:
    clerk = persona("demo_city_changsha")
    contract = contract_create(actor=clerk, values=values(amount=Decimal("10000")))
    spending_record(actor=clerk, contract=contract, spent_on=START, amount=Decimal("9000.50"),
                    note="第一期")
    with pytest.raises(RuleError) as caught:
        spending_record(actor=clerk, contract=contract, spent_on=START,
                        amount=Decimal("1000"), note="第二期")
    assert caught.value.code == "overspent"
    assert "999.50" in str(caught.value) and "10,000.00" in str(caught.value)
    assert contract.spendings.count() == 1


@pytest.mark.parametrize("day", [date(2025, 2, 28), date(2026, 1, 1)])
def test_spending_outside_the_period_is_refused(persona: Callable, day: date) -> None:
    clerk = persona("demo_city_changsha")
    contract = contract_create(actor=clerk, values=values())
    with pytest.raises(RuleError) as caught:
        spending_record(actor=clerk, contract=contract, spent_on=day, amount=Decimal("1"),
                        note="x")
    assert caught.value.code == "outside_period"
    assert not ContractSpending.objects.exists()


def test_spending_needs_a_positive_amount_and_a_purpose(persona: Callable) -> None:
    clerk = persona("demo_city_changsha")
    contract = contract_create(actor=clerk, values=values())
    for amount, note, code in ((Decimal("0"), "x", "amount_not_positive"),
                               (Decimal("5"), "  ", "note_missing")):
        with pytest.raises(RuleError) as caught:
            spending_record(actor=clerk, contract=contract, spent_on=START, amount=amount,
                            note=note)
        assert caught.value.code == code
    assert not ContractSpending.objects.exists()


def test_only_clerks_of_the_buyer_record_spending(persona: Callable) -> None:
    contract = contract_create(actor=persona("demo_city_changsha"), values=values())
    for name in ("demo_city_xiangxi", "demo_county_furong", "demo_provider"):
        with pytest.raises(PermissionDenied):
            spending_record(actor=persona(name), contract=contract, spent_on=START,
                            amount=Decimal("1"), note="x")
    assert not ContractSpending.objects.exists()


def test_amount_cannot_drop_below_what_was_spent(persona: Callable) -> None:
    clerk = persona("demo_city_changsha")
    contract = contract_create(actor=clerk, values=values(amount=Decimal("10000")))
    spending_record(actor=clerk, contract=contract, spent_on=START, amount=Decimal("8000"),
                    note="第一期")
    with pytest.raises(ContractInvalid) as caught:
        contract_update(actor=clerk, contract=contract, values=values(amount=Decimal("7999")),
                        expected_version=contract.version)
    assert _problem_codes(caught.value) == {"amount_below_spent"}
    updated = contract_update(actor=clerk, contract=contract,
                              values=values(amount=Decimal("8000"), tender_method="inquiry"),
                              expected_version=contract.version)
    assert updated.amount == Decimal("8000") and updated.version == 2
    event = AuditEvent.objects.get(event="contract.updated")
    assert event.before == {"amount": "10000.00", "tender_method": "open"}


def test_spending_may_name_a_class_of_the_contracts_provider_only(persona: Callable) -> None:
    from tests.training.factories import make_class

    clerk = persona("demo_city_changsha")
    contract = contract_create(actor=clerk, values=values())
    own = make_class(provider=demo_provider("430102"))
    other = make_class(provider=demo_provider("433101"))
    with pytest.raises(RuleError) as caught:
        spending_record(actor=clerk, contract=contract, spent_on=START, amount=Decimal("10"),
                        note="x", training_class=other)
    assert caught.value.code == "class_other_provider"
    spending = spending_record(actor=clerk, contract=contract, spent_on=START,
                               amount=Decimal("10"), note="x", training_class=own)
    assert spending.training_class == own
