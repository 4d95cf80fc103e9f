"""Who may open the fund, anomaly and purchased-service pages (what the access matrix will
declare): federation staff and providers read the fund views and contracts of their area;
only federation staff record contracts and see the anomaly list; others are refused."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.demo import DEMO_ACCOUNTS
from skillplan.subsidies.services.contracts import contract_create
from tests.subsidies.funds_support import funds_english, funds_files, funds_hooks
from tests.subsidies.test_contracts import values

pytestmark = pytest.mark.django_db
__all__ = ["funds_english", "funds_files", "funds_hooks"]

FED = {"demo_province", "demo_city_changsha", "demo_county_furong", "demo_city_xiangxi",
       "demo_county_jishou"}
PROVIDERS = {"demo_provider", "demo_provider_xiangxi"}
EVERYONE = {account.username for account in DEMO_ACCOUNTS}


def _status(client: Client, name: str, *args: int, post: dict | None = None) -> int:
    url = reverse(name, args=args)
    return (client.post(url, post) if post is not None else client.get(url)).status_code


@pytest.mark.parametrize(("name", "allowed", "post"), [
    ("subsidies:contracts", FED | PROVIDERS, None),
    ("subsidies:funds_classes", FED | PROVIDERS, None),
    ("subsidies:funds_providers", FED | PROVIDERS, None),
    ("subsidies:funds_regions", FED | PROVIDERS, None),
    ("subsidies:funds_export", FED | PROVIDERS, {"kind": "claims"}),
    ("subsidies:contract_create", FED, None),
    ("subsidies:anomalies", FED, None),
])
def test_list_pages(client_for: Callable[[str], Client], name: str, allowed: set[str],
                    post: dict | None) -> None:
    for username in sorted(EVERYONE):
        status = _status(client_for(username), name, post=post)
        if username in allowed:
            assert status in (200, 302), (username, status)
        else:
            assert status == 403, (username, status)
    assert Client().get(reverse(name)).status_code == 302  # to the login page


def test_contract_pages_of_a_furong_contract(persona: Callable,
                                             client_for: Callable[[str], Client]) -> None:
    contract = contract_create(actor=persona("demo_county_furong"),
                               values=values(buyer="430102", amount=Decimal("100")))
    readers = {"demo_province", "demo_city_changsha", "demo_county_furong", "demo_provider"}
    managers = {"demo_province", "demo_city_changsha", "demo_county_furong"}
    outside = {"demo_city_xiangxi", "demo_county_jishou"}
    for username in sorted(EVERYONE):
        client = client_for(username)
        detail = _status(client, "subsidies:contract_detail", contract.pk)
        expected = 200 if username in readers else (
            404 if username in outside | {"demo_provider_xiangxi"} else 403)
        assert detail == expected, (username, detail)
        for name in ("subsidies:contract_edit", "subsidies:spending_create"):
            status = _status(client, name, contract.pk)
            expected = 200 if username in managers else 404 if username in outside else 403
            assert status == expected, (name, username, status)
