"""Reading import files: ``.xlsx`` / ``.xlsm`` / ``.xlsb`` / ``.xls`` through python-calamine and
``.csv`` in UTF-8 (with or without BOM), UTF-16 or GBK/GB18030.

The type is taken from the file's first bytes, not from its name. Before a single row is handed
on, a file is refused as a whole (:class:`FileRefused`) when it is:

* larger than :data:`MAX_FILE_BYTES`, or has more than :data:`MAX_ROWS` rows below the header;
* a zip (``.xlsx``) whose central directory promises more than :data:`MAX_UNCOMPRESSED_BYTES`,
  an entry compressed more than :data:`MAX_COMPRESSION_RATIO` times, or too many entries
  (a "zip bomb");
* not a workbook nor readable text, damaged, or protected with a password;
* without a header row among its first :data:`HEADER_SEARCH_ROWS` rows, or without a required
  column.

Cells come back as the spreadsheet holds them: formulas as their computed (cached) value, text
that starts with ``=`` as text, numbers as ``float``, date cells as ``date``/``datetime``.
Normalising (full-width characters, spaces, ``x``) is the business rules' job.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from skillplan.core.text import cell_text, normalize_text

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
HEADER_SEARCH_ROWS = 10

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Marks clerks put in headers: "姓名*", "身份证号（必填）", "备注:" — removed before matching.
_HEADER_NOISE = re.compile(r"\s+|[*:]|\((?:必填|选填|可选|必须填写|必填项|非必填)\)")
csv.field_size_limit(1024 * 1024)


class FileRefused(Exception):
    """The file as a whole cannot be imported; nothing has been written."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Column:
    """One column of an import template: the field it feeds and the headers that name it."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass
class Sheet:
    """The table found in a file: where its header is and an iterator over its data rows."""

    header_row: int  # 1-based row number of the header, as the spreadsheet shows it
    headers: list[str]  # every header cell as text (unknown columns included)
    positions: dict[str, int]  # column key → index in the row
    total_rows: int  # rows below the header (empty ones included), for progress
    rows: Iterator[tuple[int, list[Any]]] = field(repr=False)  # (row number, cells), non-empty

    def header_of(self, key: str) -> str:
        """The header text the file itself uses for column ``key``."""
        return self.headers[self.positions[key]] if key in self.positions else key


def header_key(value: object) -> str:
    """A header cell reduced for matching: plain width, no spaces or '*' / (必填) marks."""
    return _HEADER_NOISE.sub("", normalize_text(cell_text(value)))


def open_sheet(path: str | Path, *, columns: Sequence[Column], filename: str = "") -> Sheet:
    """Open ``path`` and find its header row; raise :class:`FileRefused` for a bad file."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRefused("file_too_large", _(
            "The file is %(size)s MB; files of at most %(limit)s MB are accepted. Split it "
            "into several files.") % {"size": round(size / 1024 / 1024, 1),
                                       "limit": MAX_FILE_BYTES // 1024 // 1024})
    if size == 0:
        raise FileRefused("file_empty", _("The file is empty."))
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(_ZIP_MAGIC):
        _check_zip(path)
        return _open_workbook(path, columns)
    if magic.startswith(_OLE_MAGIC):
        return _open_workbook(path, columns)
    suffix = Path(filename or path.name).suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        return _open_csv(path, columns)
    raise FileRefused("not_a_spreadsheet", _(
        "This file is not an Excel workbook (.xlsx, .xls) nor a CSV file, or it is damaged. "
        "Open it in Excel or WPS and save it again as .xlsx."))


# --- Workbooks -----------------------------------------------------------------------------


def _check_zip(path: Path) -> None:
    """Refuse zip bombs from the central directory alone, before anything is inflated."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _damaged() from error
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _bomb()
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise _bomb()
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _bomb()


def _open_workbook(path: Path, columns: Sequence[Column]) -> Sheet:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        for index in range(len(workbook.sheet_names)):
            sheet = workbook.get_sheet_by_index(index)
            rows = sheet.iter_rows()
            found = _find_header(rows, columns)
            if found is None:
                continue
            header_index, header_cells, head = found
            data_rows = sheet.total_height - header_index if sheet.height else 0
            _check_row_count(data_rows)
            return _sheet(header_index, header_cells, columns, data_rows,
                          _chain(head, rows, header_index + 1))
    except PasswordError as error:
        raise FileRefused("file_protected", _(
            "The workbook is protected with a password. Remove the password in Excel or WPS "
            "and upload it again.")) from error
    except FileRefused:
        raise
    except Exception as error:  # calamine raises several types for damaged files
        raise _damaged() from error
    raise _no_header(columns)


def _chain(head: list[list[Any]], rest: Iterator[list[Any]], first: int
           ) -> Iterator[tuple[int, list[Any]]]:
    """Rows after the header with their 1-based row numbers (the header is row ``first``)."""
    number = first
    for cells in head:
        number += 1
        yield number, cells
    for cells in rest:
        number += 1
        yield number, cells


# --- CSV -----------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise FileRefused("encoding_unknown", _(
        "The CSV file is not in UTF-8 or GBK, or it is not a text file. Save it from Excel or "
        "WPS as “CSV UTF-8” or as .xlsx."))


def _delimiter(text: str) -> str:
    first = text[:65536].splitlines()[:HEADER_SEARCH_ROWS]
    sample = "\n".join(first)
    counts = {d: sample.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _open_csv(path: Path, columns: Sequence[Column]) -> Sheet:
    text = _decode(path.read_bytes())
    delimiter = _delimiter(text)
    try:
        total = sum(1 for _row in csv.reader(io.StringIO(text), delimiter=delimiter))
        rows: Iterator[list[Any]] = csv.reader(io.StringIO(text), delimiter=delimiter)
        found = _find_header(rows, columns)
    except csv.Error as error:
        raise _damaged() from error
    if found is None:
        raise _no_header(columns)
    header_index, header_cells, head = found
    data_rows = total - header_index - 1
    _check_row_count(data_rows)
    return _sheet(header_index, header_cells, columns, data_rows,
                  _csv_rows(_chain(head, rows, header_index + 1)))


def _csv_rows(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from rows
    except csv.Error as error:  # pragma: no cover - the counting pass met it first
        raise _damaged() from error


# --- Header detection ----------------------------------------------------------------------


def _alias_map(columns: Iterable[Column]) -> dict[str, str]:
    return {header_key(name): column.key for column in columns for name in column.names}


def _match(cells: Sequence[Any], aliases: dict[str, str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = aliases.get(header_key(cell))
        if key is not None and key not in positions:
            positions[key] = index
    return positions


def _find_header(
    rows: Iterator[list[Any]], columns: Sequence[Column]
) -> tuple[int, list[Any], list[list[Any]]] | None:
    """Among the first rows, the one naming most template columns (at least two).

    Returns (0-based index of the header row, its cells, the rows read after it)."""
    aliases = _alias_map(columns)
    head: list[list[Any]] = []
    for cells in rows:
        head.append(list(cells))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    best_index, best_score = -1, 1
    for index, cells in enumerate(head):
        score = len(_match(cells, aliases))
        if score > best_score:
            best_index, best_score = index, score
    if best_index < 0:
        return None
    return best_index, head[best_index], head[best_index + 1:]


def _sheet(header_index: int, header_cells: list[Any], columns: Sequence[Column],
           data_rows: int, rows: Iterator[tuple[int, list[Any]]]) -> Sheet:
    positions = _match(header_cells, _alias_map(columns))
    missing = [column.header for column in columns
               if column.required and column.key not in positions]
    if missing:
        raise FileRefused("columns_missing", _(
            "Row %(row)s looks like the header row, but these required columns are missing: "
            "%(missing)s. Name the columns as in the template (you can download it from the "
            "import page).") % {"row": header_index + 1, "missing": "、".join(missing)})
    headers = [cell_text(cell) for cell in header_cells]
    width = len(headers)
    return Sheet(header_row=header_index + 1, headers=headers, positions=positions,
                 total_rows=max(data_rows, 0), rows=_non_empty(rows, width))


def _non_empty(rows: Iterator[tuple[int, list[Any]]], width: int
               ) -> Iterator[tuple[int, list[Any]]]:
    for number, cells in rows:
        for cell in cells:  # a row is kept at its first cell that is not blank
            if isinstance(cell, str):
                if cell and not cell.isspace():
                    break
            elif cell is not None:
                break
        else:
            continue
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        yield number, cells


def _check_row_count(data_rows: int) -> None:
    if data_rows > MAX_ROWS:
        raise FileRefused("too_many_rows", _(
            "The file has %(rows)s rows; at most %(limit)s rows are accepted in one file. "
            "Split it into several files.") % {"rows": data_rows, "limit": MAX_ROWS})


def _damaged() -> FileRefused:
    return FileRefused("file_damaged", _(
        "The file could not be read: it is damaged or not really a spreadsheet. Open it in "
        "Excel or WPS and save it again as .xlsx."))


def _bomb() -> FileRefused:
    return FileRefused("file_suspicious", _(
        "The file unpacks to far more data than a roster holds and was refused for safety. "
        "Open it in Excel or WPS, keep only the roster and save it again."))


def _no_header(columns: Sequence[Column]) -> FileRefused:
    expected = "、".join(column.header for column in columns if column.required)
    return FileRefused("header_missing", _(
        "No header row was found in the first %(rows)s rows. The header row must name the "
        "columns, for example: %(expected)s.") % {"rows": HEADER_SEARCH_ROWS,
                                                   "expected": expected})
