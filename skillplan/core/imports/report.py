"""The error report of an import: every rejected row with its original cells, the row number it
had in the file, and a column 错误说明 saying which column is wrong and why.

The report keeps the file's own header row, so a clerk can correct the rows in the report and
import the report itself (the two extra columns are ignored by the importer).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skillplan.core.excel import write_xlsx

ROW_HEADER = "原行号"
EXPLANATION_HEADER = "错误说明"
SHEET_TITLE = "错误报告"


def write_error_report(
    path: str | Path, *, headers: list[str], rejected: Iterable[tuple[int, list[Any], str]]
) -> int:
    """Write the report to ``path``; ``rejected`` yields (row number, cells, explanation).
    Returns the number of rows written."""
    width = len(headers)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def rows() -> Iterable[list[Any]]:
        for number, cells, explanation in rejected:
            padded = list(cells[:width]) + [""] * (width - len(cells))
            yield [*padded, number, explanation]

    return write_xlsx(path, sheet_title=SHEET_TITLE,
                      headers=[*headers, ROW_HEADER, EXPLANATION_HEADER], rows=rows())
