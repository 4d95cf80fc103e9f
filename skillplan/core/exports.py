"""The export engine: any list a user can see, streamed into one ``.xlsx`` sheet.

An export is a sequence of rows (model instances, tuples, dicts: anything) and a list of
:class:`Column` specs, each a header msgid, a function that takes a row and gives the cell value,
and whether the column is text. The engine

* streams: rows are pulled from the iterator one at a time and written as they come, so memory
  stays flat whatever the row count (100,000 rows: about 20 MB resident);
* writes ID-like columns (``text=True``: ID numbers, certificate numbers, phones) as text
  cells with the text number format ``@``, so Excel never turns them into ``4.30102E+17``;
* neutralises every string that a spreadsheet could run as a formula (starting with
  ``= + - @``, tab or CR) with :func:`skillplan.core.excel.neutralise_cell`, headers included;
* reports progress through a callback every ``progress_every`` rows;
* writes to ``<path>.part`` and renames it at the end, so nobody downloads half a file.

Two writers share that contract. ``"rust"`` (the default) is ``rustpy_xlsxwriter``, a Rust port
of XlsxWriter in constant-memory mode that writes every ``str`` as an inline string cell, never
as a formula; ``"xlsxwriter"`` is :func:`skillplan.core.excel.write_xlsx`. On 100,000 persons
the Rust writer is several times faster (figures in ``benchmarks/README.md``); the pure-Python
writer stays as the fallback and writes the (header-only) file of an empty export, which the
Rust writer cannot: it takes the header from the first row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from rustpy_xlsxwriter import FastExcel, Format

from skillplan.core.excel import (
    _column_width,
    _naive_local,
    _sheet_title,
    neutralise_cell,
    write_xlsx,
)

Row = TypeVar("Row")
Writer = Literal["rust", "xlsxwriter"]
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PROGRESS_EVERY = 5000
DEFAULT_WRITER: Writer = "rust"  # chosen by measurement (benchmarks/README.md)


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column of an export: its header (an English msgid, translated when the export
    runs), how to get the cell value from a row, and whether the cell is always text."""

    header: Any  # str or a lazy translation
    value: Callable[[Row], Any]
    text: bool = False
    datetime: bool = False  # shows the time too (dates alone need nothing)


def _text_cell(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return neutralise_cell(str(value))


def _any_cell(value: Any) -> Any:
    """A value as the Rust writer should get it: strings neutralised, numbers as numbers,
    dates as dates (aware datetimes in local time); anything else as neutralised text."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return neutralise_cell(value)
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return _naive_local(value)
    if isinstance(value, dt.date):
        return value
    return neutralise_cell(str(value))


def _unique_headers(columns: Sequence[Column[Any]]) -> list[str]:
    headers: list[str] = []
    for column in columns:
        header = neutralise_cell(str(column.header))
        base, n = header, 2
        while header in headers:  # rows are dicts keyed by header: keep every column
            header, n = f"{base} ({n})", n + 1
        headers.append(header)
    return headers


def _counted(rows: Iterable[Row], on_progress: Callable[[int], None] | None,
             every: int, counter: list[int]) -> Iterator[Row]:
    done = 0
    for done, row in enumerate(rows, start=1):
        yield row
        if on_progress is not None and done % every == 0:
            on_progress(done)
    counter[0] = done


def _write_rust(target: Path, sheet: str, columns: Sequence[Column[Row]],
                headers: list[str], rows: Iterator[Row]) -> None:
    getters = [(header, column.value, _text_cell if column.text else _any_cell)
               for header, column in zip(headers, columns, strict=True)]
    text_format = Format().set_num_format("@")
    datetime_format = Format().set_num_format(DATETIME_FORMAT)
    formats: list[Format | None] = [
        text_format if column.text else datetime_format if column.datetime else None
        for column in columns
    ]

    def records() -> Iterator[dict[str, Any]]:
        for row in rows:
            yield {header: cell(value(row)) for header, value, cell in getters}

    (
        FastExcel(target)
        .format(bold_headers=True, datetime_format=DATE_FORMAT)
        .freeze(row=1)
        .sheet(sheet, records(), column_widths=[_column_width(h) for h in headers],
               column_formats=formats)
        .save()
    )


def export_xlsx(
    path: str | Path,
    *,
    sheet_title: str,
    columns: Sequence[Column[Row]],
    rows: Iterable[Row],
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = PROGRESS_EVERY,
    writer: Writer | None = None,
) -> int:
    """Write ``rows`` through ``columns`` to ``path`` and return the number of data rows.

    ``rows`` is consumed once. ``on_progress(done)`` is called every ``progress_every`` rows
    (not at the end: the caller knows the total from the return value). ``writer`` defaults
    to :data:`DEFAULT_WRITER`.
    """
    writer = writer or DEFAULT_WRITER
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    headers = _unique_headers(columns)
    counter = [0]
    stream = _counted(rows, on_progress, max(1, progress_every), counter)
    first = next(stream, None)
    try:
        if first is None or writer == "xlsxwriter":
            records = (
                [column.value(row) for column in columns]
                for row in itertools.chain(() if first is None else (first,), stream)
            )
            write_xlsx(partial, sheet_title=sheet_title, headers=headers, rows=records,
                       text_columns=[i for i, column in enumerate(columns) if column.text])
        else:
            _write_rust(partial, _sheet_title(sheet_title), columns, headers,
                        itertools.chain((first,), stream))
        os.replace(partial, target)
    finally:
        if partial.exists():
            partial.unlink()
    return counter[0]
