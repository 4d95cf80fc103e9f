"""The purchased-service pages: list with spent and remaining money, detail with spending,
the contract and spending forms (errors shown on the form), scope and query budget."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.subsidies.models import ContractSpending, ServiceContract
from skillplan.subsidies.services.contracts import contract_create, spending_record
from tests.subsidies.funds_support import funds_english, funds_files, funds_hooks
from tests.subsidies.test_contracts import START, values
from tests.training.factories import demo_provider, make_project

pytestmark = pytest.mark.django_db
__all__ = ["funds_english", "funds_files", "funds_hooks"]


@pytest.fixture
def contract(persona: Callable) -> ServiceContract:
    clerk = persona("demo_city_changsha")
    made = contract_create(actor=clerk, values=values(amount=Decimal("1234567.80")))
    spending_record(actor=clerk, contract=made, spent_on=START, amount=Decimal("234567.80"),
                    note="第一期面点班")
    return made


def test_list_shows_spent_and_remaining(contract: ServiceContract,
                                        client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_city_changsha").get(reverse("subsidies:contracts"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1,234,567.80" in page and "234,567.80" in page and "1,000,000.00" in page
    assert "<caption" in page and reverse("subsidies:contract_create") in page


def test_detail_lists_the_spending_and_history(contract: ServiceContract,
                                               client_for: Callable[[str], Client]) -> None:
    page = client_for("demo_city_changsha").get(
        reverse("subsidies:contract_detail", args=[contract.pk])).content.decode()
    assert "第一期面点班" in page and "1,000,000.00" in page
    assert reverse("subsidies:spending_create", args=[contract.pk]) in page
    assert "Spending recorded against a contract" in page  # the audit label in the history


def test_other_city_gets_404_and_provider_reads_its_own(
        contract: ServiceContract, client_for: Callable[[str], Client]) -> None:
    detail = reverse("subsidies:contract_detail", args=[contract.pk])
    assert client_for("demo_city_xiangxi").get(detail).status_code == 404
    assert client_for("demo_county_jishou").get(detail).status_code == 404
    assert client_for("demo_provider_xiangxi").get(detail).status_code == 404
    provider = client_for("demo_provider")
    assert provider.get(detail).status_code == 200
    assert contract.number in provider.get(reverse("subsidies:contracts")).content.decode()
    assert contract.number not in client_for("demo_city_xiangxi").get(
        reverse("subsidies:contracts")).content.decode()
    for name in ("subsidies:contract_create",):
        assert provider.get(reverse(name)).status_code == 403
    for name in ("subsidies:contract_edit", "subsidies:spending_create"):
        assert provider.get(reverse(name, args=[contract.pk])).status_code == 403
        assert client_for("demo_city_xiangxi").get(
            reverse(name, args=[contract.pk])).status_code == 404


def test_create_through_the_form(client_for: Callable[[str], Client]) -> None:
    project = make_project()
    client = client_for("demo_city_changsha")
    assert client.get(reverse("subsidies:contract_create")).status_code == 200
    response = client.post(reverse("subsidies:contract_create"), {
        "number": "CS-2025-09", "buyer_region": str(_region_pk("4301")),
        "provider": str(demo_provider().pk), "tender_method": "open", "amount": "50000",
        "starts_on": "2025-01-01", "ends_on": "2025-06-30", "projects": [str(project.pk)],
        "note": "",
    })
    contract = ServiceContract.objects.get(number="CS-2025-09")
    assert response.status_code == 302
    assert response.url == reverse("subsidies:contract_detail", args=[contract.pk])
    assert list(contract.projects.all()) == [project]


def test_form_errors_are_shown_on_their_fields(client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_city_changsha").post(reverse("subsidies:contract_create"), {
        "number": "CS-2025-10", "buyer_region": str(_region_pk("4301")),
        "provider": str(demo_provider().pk), "tender_method": "open", "amount": "50000",
        "starts_on": "2025-06-30", "ends_on": "2025-01-01",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and "The contract cannot end before it starts." in page
    assert 'aria-invalid="true"' in page
    assert not ServiceContract.objects.exists()


def test_overspending_through_the_form_is_refused(
        contract: ServiceContract, client_for: Callable[[str], Client]) -> None:
    url = reverse("subsidies:spending_create", args=[contract.pk])
    client = client_for("demo_city_changsha")
    response = client.post(url, {"spent_on": "2025-05-01", "amount": "1000000.01",
                                 "note": "第二期"})
    page = response.content.decode()
    assert response.status_code == 200 and "error-summary" in page
    assert "1,000,000.00" in page  # what remains is said
    assert ContractSpending.objects.count() == 1
    ok = client.post(url, {"spent_on": "2025-05-01", "amount": "1000000.00", "note": "第二期"})
    assert ok.status_code == 302 and ContractSpending.objects.count() == 2


def test_edit_keeps_version(contract: ServiceContract,
                            client_for: Callable[[str], Client]) -> None:
    client = client_for("demo_city_changsha")
    url = reverse("subsidies:contract_edit", args=[contract.pk])
    assert client.get(url).status_code == 200
    data = {"number": contract.number, "buyer_region": str(contract.buyer_region_id),
            "provider": str(contract.provider_id), "tender_method": "inquiry",
            "amount": "1234567.80", "starts_on": "2025-03-01", "ends_on": "2025-12-31",
            "version": str(contract.version)}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "tender_method": "open"})
    assert stale.status_code == 200 and "Someone else changed this record" in (
        stale.content.decode())
    contract.refresh_from_db()
    assert contract.tender_method == "inquiry"


def test_list_keeps_to_a_query_budget(persona: Callable, client_for: Callable[[str], Client],
                                      django_assert_max_num_queries: Callable) -> None:
    clerk = persona("demo_province")
    for number in range(8):
        made = contract_create(actor=clerk, values=values(buyer="43", number=f"N-{number}"))
        spending_record(actor=clerk, contract=made, spent_on=date(2025, 4, 1),
                        amount=Decimal("10"), note="x")
    client = client_for("demo_province")
    client.get(reverse("subsidies:contracts"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("subsidies:contracts"))
    assert response.content.decode().count("99,990.00") == 8


def _region_pk(code: str) -> int:
    from skillplan.regions.models import Region

    return Region.objects.get(code=code).pk
