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
* ``dry_run`` checks and counts exactly as a real run but writes nothing;
* large files are read and checked in a second (forked) process while this one writes
  (:func:`run_import`'s ``parallel``); the outcome is the same as in one process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import queue
import sys
import tempfile
import threading
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillplan.core.imports.reader import Column, FileRefused, Sheet, open_sheet
from skillplan.core.imports.report import write_error_report

BATCH_SIZE = 2000
# Files of at least this many rows are read and checked in a second process while this one
# writes (setting SKILLPLAN_IMPORT_PARALLEL_ROWS; 0 turns it off).
PARALLEL_ROWS = 5000
# Writes are committed together every this many rows (see _Run.write_all).
COMMIT_ROWS = 10_000
SQLITE_CACHE_KIB = -65536  # PRAGMA cache_size in KiB (negative) while an import writes


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
    # True when check_row, seal and pack use no database (nor anything else a forked process
    # must not share): then large files are checked in a second process (see run_import).
    checks_without_database: bool = False
    # Rows given to one write_batch call (run_import's default; its batch_size overrides it).
    batch_size: int = BATCH_SIZE

    def check_actor(self, actor: Any) -> None:  # noqa: B027 - optional hook
        """Raise PermissionDenied when ``actor`` may not import this kind at all."""

    def begin(self, actor: Any) -> None:  # noqa: B027 - optional hook
        """Load what checking rows needs (e.g. the region index), once per import."""

    @abstractmethod
    def check_row(self, raw: dict[str, Any]) -> RowCheck:
        """Check one row given as {column key: cell value}; never raise for bad input."""

    def seal(self, values: Any) -> Any:
        """Work on a valid row's values that needs no database (e.g. hashing and encrypting
        protected fields); it may run in the second process of a parallel import. What it
        returns is what :meth:`write_batch` gets. Default: the values as they are."""
        return values

    def seal_many(self, values: list[Any]) -> list[Any]:
        """:meth:`seal` of each of the valid rows of a batch, in order (a template may do it
        for the batch at once, e.g. keys looked up once)."""
        seal = self.seal
        return [seal(item) for item in values]

    def pack(self, sealed: Any) -> Any:
        """:meth:`seal`'s result as plain, quickly pickled data (tuples of str, int …) for the
        trip between the processes of a parallel import; :meth:`unpack` undoes it."""
        return sealed

    def unpack(self, packed: Any) -> Any:
        return packed

    @abstractmethod
    def write_batch(self, *, actor: Any, rows: list[tuple[int, Any]], dry_run: bool
                    ) -> BatchOutcome:
        """Write sealed values [(row number, values)] in one transaction."""

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


_Problems = list[tuple[str, str, str]]  # (column key, code, message)


@dataclass
class _Chunk:
    """Checked rows between two writes, as plain data (it may cross a process boundary)."""

    rows: int = 0  # non-empty rows read
    # Cells by row number: of every row in one process; in a parallel import only of the rows
    # the check rejected (the writer process reads the cells of the rows it rejects itself).
    cells: dict[int, list[Any]] = field(default_factory=dict)
    valid: list[tuple[int, Any]] = field(default_factory=list)  # (number, sealed values)
    problems: dict[int, _Problems] = field(default_factory=dict)  # rows rejected by the check
    warnings: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, key, code, msg


class _Checker:
    """Reads and checks rows and groups them into chunks of ``batch_size`` rows. It keeps the
    keys already seen, so it must see every row of the file, in order. ``packed``: the chunks
    go to another process (valid rows through :meth:`~ImportTemplate.pack`, the cells of
    rejected rows only)."""

    def __init__(self, template: ImportTemplate, sheet: Sheet, *, batch_size: int,
                 packed: bool) -> None:
        self.template, self.sheet, self.batch_size, self.packed = (
            template, sheet, batch_size, packed)

    def chunks(self) -> Iterator[_Chunk]:
        """Chunks of ``batch_size`` rows, then always one more (maybe empty) for the rest."""
        template, batch_size, packed = self.template, self.batch_size, self.packed
        check_row, key_field = template.check_row, template.key_field
        positions = list(self.sheet.positions.items())
        keys = [key for key, _index in positions]
        need = max((index for _key, index in positions), default=0) + 1
        # the row's cells by key, in one C call when the row is wide enough (the usual case)
        pick = itemgetter(*[index for _key, index in positions]) if len(positions) > 1 else None
        seen: dict[str, int] = {}
        chunk, count = _Chunk(), 0
        numbers: list[int] = []  # the valid rows of the chunk, and their checked values
        values: list[Any] = []
        for number, cells in self.sheet.rows:
            count += 1
            width = len(cells)
            if pick is not None and width >= need:
                raw = dict(zip(keys, pick(cells), strict=True))
            else:
                raw = {key: cells[index] if index < width else None for key, index in positions}
            check = check_row(raw)
            for warning in check.warnings:
                chunk.warnings.append((number, warning.field, warning.code, warning.message))
            problems = ([(p.field, p.code, p.message) for p in check.problems]
                        if check.problems else [])
            if check.key is not None:
                first = seen.setdefault(check.key, number)
                if first != number:
                    problems.append((key_field, "duplicate_in_file", str(
                        template.duplicate_message) % {"row": first}))
            if problems:
                chunk.problems[number] = problems
                chunk.cells[number] = cells
            else:
                numbers.append(number)
                values.append(check.values)
                if not packed:
                    chunk.cells[number] = cells
            if count >= batch_size:
                yield self._finish(chunk, count, numbers, values)
                chunk, count, numbers, values = _Chunk(), 0, [], []
        yield self._finish(chunk, count, numbers, values)

    def _finish(self, chunk: _Chunk, count: int, numbers: list[int], values: list[Any]
                ) -> _Chunk:
        """``chunk`` with its valid rows sealed (and packed)."""
        chunk.rows = count
        if values:
            sealed = self.template.seal_many(values)
            if self.packed:
                pack = self.template.pack
                sealed = [pack(item) for item in sealed]
            chunk.valid = list(zip(numbers, sealed, strict=True))
        return chunk


class _Run:
    """The state of one import while its chunks of checked rows are written."""

    def __init__(self, template: ImportTemplate, sheet: Sheet, *, actor: Any, dry_run: bool,
                 on_progress: ProgressCallback | None) -> None:
        self.template, self.sheet, self.actor = template, sheet, actor
        self.dry_run, self.on_progress = dry_run, on_progress
        self.result = ImportResult(kind=template.kind, header_row=sheet.header_row,
                                   dry_run=dry_run)
        self.spool = _Spool()
        self.headers = {column.key: column.header for column in template.columns}

    def header(self, key: str) -> str:
        return self.headers.get(key, key)

    def write(self, chunk: _Chunk, *, packed: bool = False) -> None:
        """Write the valid rows of ``chunk`` and record every problem of its rows."""
        result = self.result
        result.rows += chunk.rows
        for number, key, code, message in chunk.warnings:
            result.warning_list.append(RowError(number, self.header(key), code, message))
        problems = chunk.problems
        if chunk.valid:
            rows = chunk.valid
            unpack = self.template.unpack
            if packed and getattr(unpack, "__func__", None) is not ImportTemplate.unpack:
                rows = [(number, unpack(values)) for number, values in rows]
            outcome = self.template.write_batch(actor=self.actor, rows=rows,
                                                dry_run=self.dry_run)
            result.created += outcome.created
            result.updated += outcome.updated
            result.unchanged += outcome.unchanged
            for number, key, code, message in outcome.rejected:
                problems.setdefault(number, []).append((key, code, message))
        for number in sorted(problems):
            row_problems = problems[number]
            result.rejected += 1
            for key, code, message in row_problems:
                result.errors.append(RowError(number, self.header(key), code, message))
            # None: a row of a parallel import rejected by the writer (see report_rows)
            self.spool.add(number, chunk.cells.get(number), self.explain(row_problems))

    def write_all(self, chunks: Iterator[_Chunk], *, packed: bool = False) -> None:
        """Write every chunk. Writes are committed together every :data:`COMMIT_ROWS` rows
        (one commit per batch would cost more than the rows: each makes the database flush
        its log), and progress is reported after each commit, when others can see it."""
        with _import_session():
            group: Any = None
            pending = 0
            try:
                for chunk in chunks:
                    if group is None:
                        group = transaction.atomic()
                        group.__enter__()
                    self.write(chunk, packed=packed)
                    pending += chunk.rows
                    if pending >= COMMIT_ROWS:
                        group.__exit__(None, None, None)
                        group, pending = None, 0
                        self.progress()
            except BaseException:
                if group is not None:
                    group.__exit__(*sys.exc_info())
                raise
            if group is not None:
                group.__exit__(None, None, None)
            self.progress()

    def report_rows(self) -> Iterator[tuple[int, list[Any], str]]:
        """The rejected rows for the error report, in file order. The cells of the rows the
        writer rejected in a parallel import are read here: this process's own iterator over
        the file has not moved (the second process read its copy)."""
        source = iter(self.sheet.rows)
        for number, cells, explanation in self.spool:
            if cells is None:
                cells = next((row_cells for row_number, row_cells in source
                              if row_number == number), [])
            yield number, cells, explanation

    def progress(self) -> None:
        if self.on_progress:
            self.on_progress(self.result.rows, self.sheet.total_rows)

    def explain(self, problems: _Problems) -> str:
        """The 错误说明 of a row: each problem with the header the file itself uses."""
        return "；".join(_("%(column)s: %(message)s") % {
            "column": self.sheet.header_of(key) if key in self.sheet.positions
            else self.header(key),
            "message": message} for key, _code, message in problems)


def parallel_threshold() -> int:
    """Files with at least this many rows are checked in a second process (0: never)."""
    return int(getattr(settings, "SKILLPLAN_IMPORT_PARALLEL_ROWS", PARALLEL_ROWS))


def _parallel_possible() -> bool:
    return ("fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1
            and not multiprocessing.current_process().daemon)


def run_import(
    template: ImportTemplate,
    path: str | Path,
    *,
    actor: Any,
    filename: str = "",
    dry_run: bool = False,
    report_path: str | Path | None = None,
    on_progress: ProgressCallback | None = None,
    batch_size: int | None = None,
    parallel: bool | None = None,
) -> ImportResult:
    """Import the file at ``path`` with ``template`` as ``actor``.

    Raises ``FileRefused`` (nothing written) when the file as a whole cannot be imported and
    ``PermissionDenied`` when ``actor`` may not import this kind. When ``report_path`` is given,
    the error report is written there (also when no row was rejected: then it holds only the
    header row).

    ``parallel`` (default: for files of at least :func:`parallel_threshold` rows, when the
    template checks without the database and the system can fork) reads and checks rows in a
    second process while this one writes; the outcome is the same, row for row.
    """
    template.check_actor(actor)
    sheet = open_sheet(path, columns=template.columns, filename=filename)
    template.begin(actor)
    if parallel is None:
        threshold = parallel_threshold()
        parallel = bool(threshold) and sheet.total_rows >= threshold
    parallel = parallel and template.checks_without_database and _parallel_possible()
    run = _Run(template, sheet, actor=actor, dry_run=dry_run, on_progress=on_progress)
    checker = _Checker(template, sheet, batch_size=batch_size or template.batch_size,
                       packed=parallel)
    try:
        chunks = _from_producer(checker) if parallel else checker.chunks()
        try:
            run.write_all(chunks, packed=parallel)
        finally:
            chunks.close()  # a parallel import's child process ends here, come what may
        if report_path is not None:
            run.result.report_rows = write_error_report(
                report_path, headers=sheet.headers, rejected=run.report_rows())
    finally:
        run.spool.close()
    return run.result


# --- Checking in a second process ----------------------------------------------------------
# On these 2-core machines reading and checking a row costs about as much as writing it, so a
# large file is read and checked by a forked child process (it inherits the open sheet, the
# template with its caches and the active language; it never touches the database) while this
# process writes. Chunks come back as pickled plain data through a pipe, in file order. A thread
# of this process takes them off the pipe as they come (up to RECEIVE_ROWS rows ahead of the
# writer), so neither process waits for the other while both have work; memory stays flat.

RECEIVE_ROWS = 16_000  # rows received ahead of the writer (in at least 2 chunks)
PIPE_BYTES = 1024 * 1024  # asked for the pipe's buffer (Linux; the default is 64 KiB)


def _produce(checker: _Checker, sender: Connection) -> None:
    """The child process: send every chunk, then ("end",) — or what went wrong."""
    gc.freeze()  # what the parent built stays put: collections need not walk through it
    try:
        for chunk in checker.chunks():
            sender.send_bytes(pickle.dumps(
                ("chunk", (chunk.rows, chunk.cells, chunk.valid, chunk.problems,
                           chunk.warnings)), protocol=pickle.HIGHEST_PROTOCOL))
        message: tuple[Any, ...] = ("end",)
    except FileRefused as refusal:
        message = ("refused", refusal.code, refusal.message)
    except BaseException:  # reported to the parent, which raises it
        message = ("error", traceback.format_exc())
    try:
        sender.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        sender.close()


class _Receiver(threading.Thread):
    """Takes the child's messages off the pipe and unpickles them into a bounded queue (while
    the writer waits for its database) until the pipe ends: the child closes it when done, or
    dies. ``None`` in the queue marks that end."""

    def __init__(self, connection: Connection, *, batch_size: int) -> None:
        super().__init__(name="skillplan-import-receiver", daemon=True)
        self.connection = connection
        self.messages: queue.Queue[tuple[Any, ...] | None] = queue.Queue(
            maxsize=max(2, RECEIVE_ROWS // max(batch_size, 1)))
        self.stopped = threading.Event()  # the writer wants no more: drain and drop

    def run(self) -> None:
        while True:
            try:
                data = self.connection.recv_bytes()
            except (EOFError, OSError):
                self._put(None)
                return
            if self.stopped.is_set():
                continue  # drop what still comes until the child is gone
            try:
                message = pickle.loads(data)  # our own child's data
            except Exception:  # reported to the writer, which raises it
                message = ("error", traceback.format_exc())
            self._put(message)

    def _put(self, message: tuple[Any, ...] | None) -> None:
        while not self.stopped.is_set():
            try:
                self.messages.put(message, timeout=0.1)
                return
            except queue.Full:
                continue


def _widen(connection: Connection) -> None:
    """Ask for a larger pipe buffer, so that a chunk crosses in one go (best effort)."""
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setpipe is None:
        return
    with contextlib.suppress(OSError):  # above the system's limit: the default works too
        fcntl.fcntl(connection.fileno(), setpipe, PIPE_BYTES)


def _from_producer(checker: _Checker) -> Iterator[_Chunk]:
    """The chunks of ``checker``, made by a forked child process."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _widen(receiver)
    for stream in (sys.stdout, sys.stderr):  # or the child would write their buffers again
        stream.flush()
    process = context.Process(target=_produce, args=(checker, sender),
                              name="skillplan-import-producer")
    process.start()
    sender.close()
    receiving = _Receiver(receiver, batch_size=checker.batch_size)
    receiving.start()
    finished = False
    try:
        while True:
            message = receiving.messages.get()
            if message is None:
                process.join(timeout=5)
                raise RuntimeError("The import's reading process ended unexpectedly "
                                   f"(exit code {process.exitcode}).")
            if message[0] == "chunk":
                yield _Chunk(*message[1])
                continue
            finished = True  # the last message: the child closes down
            if message[0] == "end":
                return
            if message[0] == "refused":
                raise FileRefused(message[1], message[2])
            raise RuntimeError(f"The import's reading process failed:\n{message[1]}")
    finally:
        receiving.stopped.set()
        if not finished and process.is_alive():  # the writer stopped early
            process.kill()
        process.join()
        receiving.join()  # the child is gone, its end of the pipe closed: the thread ends
        receiver.close()


@contextmanager
def _import_session() -> Iterator[None]:
    """While an import writes to SQLite, let it keep 64 MB of pages in memory instead of
    2 MB (the indexes of a large table stay cached between batches), and in WAL mode copy the
    log back into the database once at the end instead of every 4 MB (each copy rewrote the
    same index pages again). Neither changes what a commit guarantees; the previous settings
    come back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode")
        (journal,) = cursor.fetchone()
        wal = str(journal).lower() == "wal"
        if wal:
            cursor.execute("PRAGMA wal_autocheckpoint")
            (checkpoint_pages,) = cursor.fetchone()
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
            if wal:
                cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")
                if connection.get_autocommit():
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def template_headers(template: ImportTemplate) -> list[str]:
    return [column.header for column in template.columns]

