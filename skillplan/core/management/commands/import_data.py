"""``python manage.py import_data KIND FILE --user USERNAME [--report OUT.xlsx] [--json]
[--dry-run]`` — the command-line door to the import engine (docs/import-templates.md).

The import runs as ``--user``: with that user's permissions and region scope, exactly as if the
file had been uploaded on the web (rows outside the user's area are rejected). ``--user`` is
therefore required; there is no "system" import that bypasses scope.

Progress goes to stderr. With ``--json`` the last line on stdout is one JSON object with kind,
rows, created, updated, unchanged, rejected, warnings and errors[{row, column, code, message}].
When the file is refused as a whole, that object is {"kind", "refused": {"code", "message"}}.
Exit status: 0 when the file was processed (rejected rows included), 2 when it was refused
(unreadable, too large, no header row, unknown KIND, no such user or no permission).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, NoReturn

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skillplan.audit.services import audit_record
from skillplan.core.imports.engine import ImportResult, run_import
from skillplan.core.imports.reader import FileRefused
from skillplan.core.imports.registry import PLANNED, get_template, known_kinds

REFUSED = 2


class Command(BaseCommand):
    help = "Import an Excel or CSV file (persons, …) through the import engine."
    # A data command: the system checks (they load every URL, view and API module, about as
    # long as Django's own start-up) say nothing about a file; `manage.py check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="persons, enrolments or completions")
        parser.add_argument("file", help="the .xlsx, .xls or .csv file")
        parser.add_argument("--user", help="import as this user (permissions and region scope)")
        parser.add_argument("--report", help="write the error report (.xlsx) to this path")
        parser.add_argument("--json", action="store_true",
                            help="print the result as one JSON object on the last line")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and count every row, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        kind, as_json = options["kind"], options["json"]
        try:
            result = self._import(kind, Path(options["file"]), options)
        except FileRefused as refusal:
            self._refuse(kind, refusal.code, refusal.message, as_json)
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(_(
                "%(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s "
                "unchanged, %(rejected)s rejected, %(warnings)s warnings.") % result.as_dict())
            for error in result.errors[:50]:
                self.stdout.write(f"  {error.row} {error.column} [{error.code}] {error.message}")

    def _import(self, kind: str, path: Path, options: dict[str, Any]) -> ImportResult:
        template = get_template(kind)
        if template is None:
            message = (_("Imports of %(kind)s are not available yet.") if kind in PLANNED
                       else _("Unknown kind %(kind)s; known kinds: %(known)s.")) % {
                "kind": kind, "known": ", ".join(known_kinds())}
            raise FileRefused("kind_unknown", message)
        if not path.is_file():
            raise FileRefused("file_missing", _("No file %(path)s.") % {"path": path})
        user = self._user(options["user"])
        try:
            template.check_actor(user)
        except PermissionDenied:
            raise FileRefused("permission_denied", _(
                "User %(user)s may not import this kind of file.") % {
                "user": user.username}) from None
        started = time.monotonic()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] >= 1 or done >= total:
                last[0] = now
                self.stderr.write(f"{done}/{total} rows ({now - started:.1f}s)")
                self.stderr.flush()

        result = run_import(template, path, actor=user, filename=path.name,
                            dry_run=options["dry_run"], report_path=options["report"],
                            on_progress=progress)
        if not result.dry_run:
            audit_record(actor=user, event="import.finished", target_type="imports.file",
                         target_repr=path.name[:200],
                         region_code=user.region.code if user.region_id else "",
                         after={"kind": kind, "source": "command line",
                                **{k: v for k, v in result.as_dict().items() if k != "errors"}})
        self.stderr.write(_("Done in %(seconds).1f s.") % {
            "seconds": time.monotonic() - started})
        return result

    def _user(self, username: str | None) -> Any:
        if not username:
            raise FileRefused("user_required", _(
                "Give --user USERNAME: the import runs with that user's permissions and "
                "region scope."))
        user = get_user_model().objects.select_related("region").filter(
            username=username, is_active=True).first()
        if user is None:
            raise FileRefused("user_unknown", _("No active user %(user)s.") % {
                "user": username})
        return user

    def _refuse(self, kind: str, code: str, message: str, as_json: bool) -> NoReturn:
        if as_json:
            self.stdout.write(json.dumps({"kind": kind, "refused": {
                "code": code, "message": message}}, ensure_ascii=False))
        raise CommandError(message, returncode=REFUSED)
