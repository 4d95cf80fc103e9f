"""Import benchmark: a generated person roster (.xlsx), end to end through the engine, beside two
baselines measured in the same run: the raw python-calamine read of the same file, and the same
file imported with django-import-export (``iie_baseline.py``; ``pip install -e ".[bench]"``).

    DATABASE_URL=sqlite:////tmp/bench-import.sqlite3 .venv/bin/python benchmarks/bench_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillplan_bench_import \
        .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--runs 3]
        [--baseline-rows N]

The database is migrated and seeded (regions, demo accounts) first; persons of earlier runs are
deleted. The import runs as ``manage.py import_data persons FILE --user demo_province --report
… --json`` in a child process, so its wall time includes Django's start-up and its peak memory
(max RSS) is its own. 1% of the rows are bad, so the error report has rows too. With ``--runs
N`` the first import (persons deleted before each) and the re-import are timed N times each and
the median is printed. The django-import-export baseline also runs in a child process (its time
includes Django's start-up and its own read of the file, with openpyxl) on an emptied person
table; ``--baseline-rows N`` times it on a file of the first N rows only (said in the output).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

COUNTIES = ["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区", "长沙县", "浏阳市",
            "宁乡市", "吉首市", "430104", "长沙市芙蓉区"]
HEADERS = ["姓名", "身份证号", "残疾人证号", "残疾类别", "残疾等级", "性别", "出生日期", "民族",
           "文化程度", "户籍地", "城乡", "联系电话", "就业状态", "备注"]
REGION_CODES = {"芙蓉区": "430102", "天心区": "430103", "岳麓区": "430104", "开福区": "430105",
                "雨花区": "430111", "望城区": "430112", "长沙县": "430121", "浏阳市": "430181",
                "宁乡市": "430182", "吉首市": "433101", "430104": "430104",
                "长沙市芙蓉区": "430102"}
CATEGORIES = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"]
GRADES = ["一级", "二级", "三级", "四级"]


def generate(path: Path, rows: int) -> None:
    import xlsxwriter

    from skillplan.core.idnumber import make_id_number

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("花名册")
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, "2024年残疾人职业培训学员花名册")
    for col, header in enumerate(HEADERS):
        sheet.write_string(1, col, header)
    for index in range(rows):
        county = COUNTIES[index % len(COUNTIES)]
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=(index // 1000) % 16000)
        number = make_id_number(REGION_CODES[county], birth, index % 1000)
        category, grade = index % 7, index % 4
        certificate = f"{number}{category + 1}{grade + 1}"
        if index % 100 == 99:  # 1% bad rows: a wrong check character
            number = number[:17] + ("0" if number[17] != "0" else "1")
        values = [f"测试{index}", number, certificate, CATEGORIES[category], GRADES[grade],
                  "男" if int(number[16]) % 2 else "女", birth.isoformat(), "汉族", "初中",
                  county, "农村" if index % 3 else "城镇", f"138{index:08d}", "未就业", ""]
        row = index + 2
        for col, value in enumerate(values):
            if value:
                sheet.write_string(row, col, value)
    workbook.close()


def calamine_read(path: Path) -> tuple[int, float]:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    count = 0
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    for _row in sheet.iter_rows():
        count += 1
    return count, time.perf_counter() - started


def delete_persons() -> None:
    """Every person of the benchmark database (and what links to them), then fresh statistics
    on PostgreSQL (as after a night's autovacuum), so each first import meets the same table."""
    from django.db import connection

    from skillplan.people.models import Person

    Person.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Person._meta.db_table}")


def timed(command: list[str]) -> tuple[float, dict[str, Any]]:
    """Run ``command``; its wall time and the JSON object on the last line of its output."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(done.stderr)
    return seconds, json.loads(done.stdout.strip().splitlines()[-1])


def prepare_database() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from skillplan.accounts.demo import seed_accounts
    from skillplan.regions.services import regions_load

    call_command("migrate", verbosity=0)
    regions_load(path=settings.SKILLPLAN_REGIONS_FILE)
    seed_accounts()
    delete_persons()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1, help="time each import N times (median)")
    parser.add_argument("--baseline-rows", type=int, default=0,
                        help="time django-import-export on the first N rows only (0: all)")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    args = parser.parse_args()
    prepare_database()
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    source = workdir / "roster.xlsx"
    generate(source, args.rows)
    size_mb = source.stat().st_size / 1024 / 1024
    read_rows, read_seconds = calamine_read(source)
    command = [sys.executable, str(ROOT / "manage.py"), "import_data", "persons", str(source),
               "--user", "demo_province", "--report", str(workdir / "report.xlsx"), "--json"]
    firsts, agains = [], []
    for _run in range(args.runs):
        delete_persons()
        firsts.append(timed(command))
        agains.append(timed(command))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    baseline = run_baseline(workdir, source, args)
    from django.db import connection

    read_rate = read_rows / read_seconds
    print(f"database: {connection.vendor}; file: {args.rows:,} rows, {size_mb:.1f} MB; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"median of {args.runs} run(s)")
    print(f"baseline, python-calamine raw read: {read_rate:,.0f} rows/s ({read_seconds:.2f} s)")
    rates = {}
    for label, runs in (("first import (all created)", firsts),
                        ("second import (all unchanged)", agains)):
        seconds = median(seconds for seconds, _result in runs)
        result = runs[-1][1]
        counts = {key: result[key] for key in ("created", "updated", "unchanged", "rejected")}
        rate = rates[label] = result["rows"] / seconds
        spread = ", ".join(f"{run_seconds:.2f}" for run_seconds, _result in runs)
        print(f"engine, {label}: {rate:,.0f} rows/s ({seconds:.2f} s end to end incl. Django "
              f"start-up [{spread}]; {read_rate / rate:.1f}x the raw read time; target 20,000 "
              f"rows/s: {'PASS' if rate >= 20_000 else 'FAIL'}) {counts}")
    print(f"peak memory of one import process (max RSS; a large file is checked in a second "
          f"process, each below this): {peak_mb:,.0f} MB")
    if baseline is None:
        print("baseline, django-import-export: not installed (pip install -e \".[bench]\")")
    else:
        rows, seconds, result = baseline
        rate = rows / seconds
        first = rates["first import (all created)"]
        part = "" if rows >= args.rows else f" — on the FIRST {rows:,} ROWS of the file only"
        print(f"baseline, django-import-export {baseline_version()} (fastest settings: bulk, "
              f"cached instance loader, no diff){part}: {rate:,.0f} rows/s ({seconds:.2f} s end "
              f"to end incl. Django start-up and its openpyxl read) "
              f"{ {k: result[k] for k in ('new', 'update', 'invalid', 'error')} }; "
              f"the engine's first import is {first / rate:.1f}x as fast")
    if not args.keep:
        for item in workdir.iterdir():
            item.unlink()
        workdir.rmdir()


def baseline_version() -> str:
    from importlib.metadata import version

    return version("django-import-export")


def run_baseline(workdir: Path, source: Path, args: argparse.Namespace
                 ) -> tuple[int, float, dict[str, Any]] | None:
    """django-import-export on the same file (or its first ``--baseline-rows`` rows), into an
    emptied person table: (rows, seconds, its result)."""
    from importlib.metadata import PackageNotFoundError

    try:
        baseline_version()
    except PackageNotFoundError:  # not installed: the benchmark still runs
        return None
    rows = args.rows
    if 0 < args.baseline_rows < args.rows:
        rows = args.baseline_rows
        source = workdir / "first-rows.xlsx"
        generate(source, rows)  # the generator is deterministic: the same first rows
    delete_persons()
    seconds, result = timed([sys.executable, str(ROOT / "benchmarks" / "iie_baseline.py"),
                             str(source), "--user", "demo_province"])
    if result["new"] + result["invalid"] != rows:
        sys.exit(f"django-import-export did not import every row: {result}")
    return rows, seconds, result


if __name__ == "__main__":
    main()
