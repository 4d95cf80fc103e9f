"""Export benchmark: 100,000 persons to .xlsx through the export engine, beside baselines
measured in the same run.

    .venv/bin/python benchmarks/bench_export.py                 # its own SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillplan_export \\
        .venv/bin/python benchmarks/bench_export.py --rows 100000 --repeat 3

Use a database of its own: it is migrated and seeded (regions, demo accounts), and when it does
not hold exactly ``--rows`` persons they are all deleted and generated again.

Measured (median of ``--repeat`` runs, rows/s):
  1. the person export job end to end: scoped query, decryption, masking, labels, .xlsx
     (``people.exports.export_persons`` as the province admin, the Rust writer);
  2. the same job with the engine's fallback writer (XlsxWriter, constant memory);
  3. reading the same rows only (the query and decryption, no file): the floor for 1;
  4. the engine alone on those rows held in memory (Rust writer);
  5. baseline: plain XlsxWriter (constant memory) writing the same, already prepared cells;
  6. baseline: plain rustpy_xlsxwriter writing the same, already prepared cells.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("SKILLPLAN_DEBUG", "false")  # no query log growing in memory
WORK = Path(tempfile.gettempdir()) / "skillplan-bench-export"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def prepare(rows: int) -> Any:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from skillplan.accounts.demo import seed_accounts
    from skillplan.accounts.models import User
    from skillplan.people.management.commands.generate_persons import (
        counties_under,
        insert_persons,
    )
    from skillplan.people.models import Person
    from skillplan.regions.services import regions_load

    call_command("migrate", verbosity=0)
    regions_load(path=settings.SKILLPLAN_REGIONS_FILE)
    seed_accounts()
    if Person.objects.count() != rows:
        Person.objects.all().delete()
        started = time.perf_counter()
        insert_persons(count=rows, counties=counties_under("43"), seed=42, batch=5000)
        print(f"generated {rows:,} persons in {time.perf_counter() - started:.1f} s")
    return User.objects.get(username="demo_province")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    owner = prepare(args.rows)

    import xlsxwriter
    from django.conf import settings
    from django.db import connection
    from django.utils import translation
    from rustpy_xlsxwriter import FastExcel

    from skillplan.core import exports as core_exports
    from skillplan.core.exports import export_xlsx
    from skillplan.jobs.models import Job
    from skillplan.people import exports
    from skillplan.people.selectors import person_queryset

    settings.FILES_DIR = WORK / "files"
    n, runs = args.rows, args.repeat
    results: list[tuple[str, float]] = []

    def job_export(writer: str) -> int:
        job = Job.objects.create(owner=owner, kind=exports.KIND, title="bench",
                                 params={"filters": {}, "reveal": False})
        core_exports.DEFAULT_WRITER = writer  # type: ignore[assignment]
        try:
            exports.export_persons(job)
        finally:
            core_exports.DEFAULT_WRITER = "rust"
        job.refresh_from_db()
        assert job.result["rows"] == n, job.result
        return n

    rss_before = max_rss_mb()
    seconds, _ = timed(runs, lambda: job_export("rust"))
    rss_job = max_rss_mb()
    results.append(("1. person export job, end to end (engine, Rust writer)", seconds))
    seconds, _ = timed(runs, lambda: job_export("xlsxwriter"))
    results.append(("2. person export job, end to end (engine, XlsxWriter fallback)", seconds))

    with translation.override(settings.LANGUAGE_CODE):
        columns = exports.person_columns(reveal=False)
        people = person_queryset(user=owner)

        def read() -> list[tuple[Any, ...]]:
            return list(people.values_list(*exports.FIELDS).iterator(chunk_size=2000))

        seconds, records = timed(runs, read)
        results.append(("3. reading the rows only (query + decryption)", seconds))
        headers = [str(column.header) for column in columns]
    target = WORK / "out.xlsx"
    seconds, _ = timed(runs, lambda: export_xlsx(target, sheet_title="Persons",
                                                 columns=columns, rows=records))
    results.append(("4. engine alone, rows in memory (Rust writer)", seconds))

    cells = [[column.value(record) for column in columns] for record in records]

    def plain_xlsxwriter() -> None:
        workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
        sheet = workbook.add_worksheet("Persons")
        sheet.write_row(0, 0, headers)
        for index, row in enumerate(cells, start=1):
            for col, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(index, col, value)
                elif value is not None:
                    sheet.write(index, col, value)
        workbook.close()

    def plain_rust() -> None:
        FastExcel(target).sheet("Persons", (dict(zip(headers, row, strict=True))
                                            for row in cells)).save()

    seconds, _ = timed(runs, plain_xlsxwriter)
    results.append(("5. baseline: plain XlsxWriter, same cells prepared", seconds))
    seconds, _ = timed(runs, plain_rust)
    results.append(("6. baseline: plain rustpy_xlsxwriter, same cells prepared", seconds))

    print(f"\nExport of {n:,} persons ({connection.vendor}, median of {runs}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    headline = results[0][1]
    for label, seconds in results:
        print(f"  {label:<66} {seconds:6.2f} s  {n / seconds:>9,.0f} rows/s  "
              f"({headline / seconds:.2f}x the job's speed)")
    print(f"  peak memory: {rss_before:.0f} MB before the export job, {rss_job:.0f} MB after it "
          f"(max RSS of this process)")
    verdict = "PASS" if n / headline >= 50_000 else "BELOW TARGET"
    print(f"  target: at least 50,000 rows/s end to end -> {verdict}")


if __name__ == "__main__":
    main()
