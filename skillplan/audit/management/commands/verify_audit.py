"""``manage.py verify_audit``: check the audit trail's hash chain (for cron and for auditors).

Exit status 0 when the chain is intact, 1 when a row was changed, deleted or reordered (the
first such row is named on stderr). ``--json`` prints the report as JSON on stdout instead.
Read-only: it records nothing, so it may run against a read replica.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from skillplan.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first tampered row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows read per query (default 5000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain(batch_size=max(1, options["batch_size"]))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        elif report.ok:
            self.stdout.write(
                _("audit chain OK: %(count)s events") % {"count": report.checked}
            )
        else:
            self.stderr.write(
                _("audit chain BROKEN at event #%(seq)s (%(kind)s): %(message)s")
                % {"seq": report.first_broken_seq, "kind": report.kind,
                   "message": report.message}
            )
        if not report.ok:
            raise SystemExit(1)
