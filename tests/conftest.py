"""Shared fixtures: the region tree and the demo personas, loaded once per test session.

Personas are the demo accounts of the README (password ``Skillplan-Demo-2025``):
a province admin, a 长沙 city clerk, a 芙蓉区 county clerk, a 湘西 city clerk, a 吉首 county
clerk, two providers (芙蓉区 and 吉首), an evaluator, a partner department, a trainee, and the
three separated administrators.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from skillplan.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts
from skillplan.accounts.models import User
from skillplan.regions.services import regions_load

PERSONAS = [account.username for account in DEMO_ACCOUNTS]


def seed_reference_data() -> None:
    regions_load(path=settings.SKILLPLAN_REGIONS_FILE)
    seed_accounts()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.fixture
def persona(db):
    """``persona("demo_county_furong")`` → that demo user, fresh from the database."""

    def get(username: str) -> User:
        return User.objects.select_related("region", "provider").get(username=username)

    return get


@pytest.fixture
def client_for(db):
    """``client_for("demo_province")`` → a Django test client signed in as that persona."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD
