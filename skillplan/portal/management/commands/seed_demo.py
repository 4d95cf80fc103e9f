"""Load regions and demo data. Safe to run again: nothing is duplicated."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from skillplan.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_accounts
from skillplan.accounts.roles import TWO_FACTOR_REQUIRED
from skillplan.carriers.demo import seed_carriers
from skillplan.catalog.demo import seed_catalog
from skillplan.people.demo import seed_persons
from skillplan.providers.demo import seed_providers
from skillplan.regions.services import regions_load
from skillplan.subsidies.demo import seed_entitlements, seed_standards
from skillplan.subsidies.demo_claims import seed_claims
from skillplan.training.demo import seed_classes


class Command(BaseCommand):
    help = "Load regions and create demo accounts and data for every role."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--persons", type=int, default=3000,
                            help="how many demo persons to create (default 3000)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        result = regions_load(path=settings.SKILLPLAN_REGIONS_FILE)
        self.stdout.write(f"regions: {result.created} created, {result.updated} updated")
        seed_accounts()
        self.stdout.write(f"providers and bases: {seed_providers()}")
        self.stdout.write(f"catalog projects: {seed_catalog()}")
        self.stdout.write(f"other carriers: {seed_carriers()}")
        persons = seed_persons(count=options["persons"])
        self.stdout.write(f"persons: {persons} created")
        self.stdout.write(f"training classes: {seed_classes()} created")
        self.stdout.write(f"subsidy standards: {seed_standards()} created, "
                          f"entitlements computed for {seed_entitlements()} classes")
        self.stdout.write(f"subsidy claims: {seed_claims()}")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {DEMO_PASSWORD})"))
        for account in DEMO_ACCOUNTS:
            totp = " [TOTP]" if account.role in TWO_FACTOR_REQUIRED else ""
            line = f"  {account.username:<24} {account.role:<10} {account.full_name}{totp}"
            self.stdout.write(line)
        self.stdout.write(
            f"Accounts marked [TOTP] use the demo two-factor key {DEMO_TOTP_SECRET}; "
            "`python manage.py demo_totp` prints the current code."
        )
