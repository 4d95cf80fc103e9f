from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from skillplan.regions.services import regions_load


class Command(BaseCommand):
    help = "Load or refresh administrative divisions from a CSV (code,name,level,parent_code)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--file", type=Path, default=settings.SKILLPLAN_REGIONS_FILE)

    def handle(self, *args, file: Path, **options) -> None:  # type: ignore[no-untyped-def]
        result = regions_load(path=file)
        self.stdout.write(
            f"regions: {result.created} created, {result.updated} updated, "
            f"{result.retired} retired"
        )
