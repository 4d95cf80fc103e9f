"""The import pipeline every template goes through: read → check rows → write valid rows →
report rejected rows.

A template (one per kind of file, e.g. ``people.imports.PersonsTemplate``) says which columns
it has, how one row is checked and how a batch of checked rows is written (through its app's
services, which apply scope and write the audit trail). The engine does the rest the same way
for all of them:

* rows are read lazily and written in batches of :data:`BATCH_SIZE`, each batch through one
  call of the template's writer (one transaction), so memory stays flat on large files;
* a row repeating the key (e.g. the ID number) of an earlier row is rejected
  (``duplicate_in_file``);
* rejected rows are spooled to a temporary file with their original cells, and written at the
  end to an ``.xlsx`` error report (:mod:`skillplan.core.imports.report`);
* ``dry_run`` checks and counts exactly as a real run but writes nothing.
"""

from __future__ import annotations

import pickle
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillplan.core.imports.reader import Column, Sheet, open_sheet
from skillplan.core.imports.report import write_error_report

BATCH_SIZE = 2000


@dataclass(frozen=True)
class Problem:
    """One problem in a row: the column key, a stable code and a message for the clerk."""

    field: str
    code: str
    message: str


@dataclass
class RowCheck:
    """What a template makes of one row: values to write (None when rejected), problems,
    warnings, and the row's key for duplicate detection (None when it has none)."""

    values: Any
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    key: str | None = None


@dataclass
class BatchOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, field, code, msg


class ImportTemplate(ABC):
    """One kind of import file. Subclasses set the class attributes and the three methods."""

    kind: str  # the KIND of ``import_data`` and of the upload
    title: Any  # what the file is, for people ("Person roster")
    columns: tuple[Column, ...]
    key_field: str  # the column whose value may appear only once in a file
    job_prefix: str  # background job kinds are "<job_prefix>_preview" / "<job_prefix>_import"
    duplicate_message: Any = gettext_lazy(
        "The same value is already on row %(row)s of this file; this row was not imported.")

    def check_actor(self, actor: Any) -> None:  # noqa: B027 - optional hook
        """Raise PermissionDenied when ``actor`` may not import this kind at all."""

    def begin(self, actor: Any) -> None:  # noqa: B027 - optional hook
        """Load what checking rows needs (e.g. the region index), once per import."""

    @abstractmethod
    def check_row(self, raw: dict[str, Any]) -> RowCheck:
        """Check one row given as {column key: cell value}; never raise for bad input."""

    @abstractmethod
    def write_batch(self, *, actor: Any, rows: list[tuple[int, Any]], dry_run: bool
                    ) -> BatchOutcome:
        """Write checked values [(row number, values)] in one transaction."""

    def sample_row(self) -> list[Any]:
        """One example row, in the order of :attr:`columns`, for the empty template file."""
        return []

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it: 1-based, title rows counted
    column: str  # the template's header (姓名, 身份证号 …), whatever alias the file used
    code: str
    message: str


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    warning_list: list[RowError] = field(default_factory=list)
    header_row: int = 0
    dry_run: bool = False
    report_rows: int = 0

    @property
    def warnings(self) -> int:
        return len(self.warning_list)

    def as_dict(self, *, max_errors: int | None = None) -> dict[str, Any]:
        """The contract's JSON object (``import_data --json``); ``max_errors`` caps the list."""
        errors = self.errors if max_errors is None else self.errors[:max_errors]
        return {"kind": self.kind, "rows": self.rows, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "warnings": self.warnings,
                "errors": [asdict(error) for error in errors]}


ProgressCallback = Callable[[int, int], None]


class _Spool:
    """Rejected rows with their cells and explanations, kept on disk until the report."""

    def __init__(self) -> None:
        self.count = 0
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()

    def add(self, row: int, cells: list[Any], explanation: str) -> None:
        pickle.dump((row, cells, explanation), self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[tuple[int, list[Any], str]]:
        self._file.seek(0)
        for _index in range(self.count):
            yield pickle.load(self._file)  # our own temporary file, never user data

    def close(self) -> None:
        self._file.close()


class _Run:
    """The state of one import while its rows stream through."""

    def __init__(self, template: ImportTemplate, sheet: Sheet, *, actor: Any, dry_run: bool,
                 on_progress: ProgressCallback | None, batch_size: int) -> None:
        self.template, self.sheet, self.actor = template, sheet, actor
        self.dry_run, self.on_progress, self.batch_size = dry_run, on_progress, batch_size
        self.result = ImportResult(kind=template.kind, header_row=sheet.header_row,
                                   dry_run=dry_run)
        self.spool = _Spool()
        self.seen: dict[str, int] = {}
        self.positions = list(sheet.positions.items())
        self.headers = {column.key: column.header for column in template.columns}
        self._valid: list[tuple[int, Any]] = []
        self._cells: dict[int, list[Any]] = {}
        self._problems: dict[int, list[Problem]] = {}

    def header(self, key: str) -> str:
        return self.headers.get(key, key)

    def feed(self, number: int, cells: list[Any]) -> None:
        self.result.rows += 1
        raw = {key: cells[index] if index < len(cells) else None
               for key, index in self.positions}
        check = self.template.check_row(raw)
        for warning in check.warnings:
            self.result.warning_list.append(
                RowError(number, self.header(warning.field), warning.code, warning.message))
        problems = list(check.problems)
        if check.key is not None:
            first = self.seen.setdefault(check.key, number)
            if first != number:
                problems.append(Problem(self.template.key_field, "duplicate_in_file", str(
                    self.template.duplicate_message) % {"row": first}))
        self._cells[number] = cells
        if problems:
            self._problems[number] = problems
        else:
            self._valid.append((number, check.values))
        if len(self._cells) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self._valid:
            outcome = self.template.write_batch(actor=self.actor, rows=self._valid,
                                                dry_run=self.dry_run)
            self.result.created += outcome.created
            self.result.updated += outcome.updated
            self.result.unchanged += outcome.unchanged
            for number, key, code, message in outcome.rejected:
                self._problems.setdefault(number, []).append(Problem(key, code, message))
        for number in sorted(self._problems):
            problems = self._problems[number]
            self.result.rejected += 1
            for problem in problems:
                self.result.errors.append(
                    RowError(number, self.header(problem.field), problem.code, problem.message))
            self.spool.add(number, self._cells[number], self.explain(problems))
        self._valid, self._cells, self._problems = [], {}, {}
        if self.on_progress:
            self.on_progress(self.result.rows, self.sheet.total_rows)

    def explain(self, problems: list[Problem]) -> str:
        """The 错误说明 of a row: each problem with the header the file itself uses."""
        return "；".join(_("%(column)s: %(message)s") % {
            "column": self.sheet.header_of(problem.field) if problem.field in
            self.sheet.positions else self.header(problem.field),
            "message": problem.message} for problem in problems)


def run_import(
    template: ImportTemplate,
    path: str | Path,
    *,
    actor: Any,
    filename: str = "",
    dry_run: bool = False,
    report_path: str | Path | None = None,
    on_progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import the file at ``path`` with ``template`` as ``actor``.

    Raises ``FileRefused`` (nothing written) when the file as a whole cannot be imported and
    ``PermissionDenied`` when ``actor`` may not import this kind. When ``report_path`` is given,
    the error report is written there (also when no row was rejected: then it holds only the
    header row).
    """
    template.check_actor(actor)
    sheet = open_sheet(path, columns=template.columns, filename=filename)
    template.begin(actor)
    run = _Run(template, sheet, actor=actor, dry_run=dry_run, on_progress=on_progress,
               batch_size=batch_size)
    try:
        for number, cells in sheet.rows:
            run.feed(number, cells)
        run.flush()
        if report_path is not None:
            run.result.report_rows = write_error_report(
                report_path, headers=sheet.headers, rejected=run.spool)
    finally:
        run.spool.close()
    return run.result


def template_headers(template: ImportTemplate) -> list[str]:
    return [column.header for column in template.columns]

