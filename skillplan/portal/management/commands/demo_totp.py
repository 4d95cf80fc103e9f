import pyotp
from django.core.management.base import BaseCommand

from skillplan.accounts.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (demo data only)."

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        self.stdout.write(pyotp.TOTP(DEMO_TOTP_SECRET).now())
