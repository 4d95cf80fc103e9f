"""``manage.py purge_files [--days N]``: delete generated and uploaded files older than N days.

Exports, import error reports and uploaded rosters under FILES_DIR hold personal data; they
are kept only as long as someone may still download them (default 30 days). One audit event
(``files.purged``) records how many files of each kind went. Meant for a daily cron.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skillplan.core.errors import RuleError
from skillplan.imports.services import files_purge


class Command(BaseCommand):
    help = "Delete exports, import error reports and uploaded files older than N days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30,
                            help="Delete files last written more than this many days ago "
                                 "(default 30).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = files_purge(days=options["days"])
        except RuleError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(_("Deleted %(total)s files: %(exports)s exports, %(reports)s error "
                            "reports, %(uploads)s uploads.") % {
            "total": sum(counts.values()), "exports": counts["exports"],
            "reports": counts["import-reports"], "uploads": counts["uploads"]})
