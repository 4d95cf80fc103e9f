"""Import benchmark: a generated person roster (.xlsx), end to end through the engine, beside the
raw python-calamine read of the same file.

    DATABASE_URL=sqlite:////tmp/bench-import.sqlite3 .venv/bin/python benchmarks/bench_import.py
    DATABASE_URL=postgres:///skillplan_bench_import .venv/bin/python benchmarks/bench_import.py

The database is migrated and seeded (regions, demo accounts) first; persons of earlier runs are
deleted. The import runs as ``manage.py import_data persons FILE --user demo_province --report
… --json`` in a child process, so its wall time includes Django's start-up and its peak memory
(max RSS) is its own. 1% of the rows are bad, so the error report has rows too.
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


def prepare_database() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from skillplan.accounts.demo import seed_accounts
    from skillplan.people.models import Person
    from skillplan.regions.services import regions_load

    call_command("migrate", verbosity=0)
    regions_load(path=settings.SKILLPLAN_REGIONS_FILE)
    seed_accounts()
    Person.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
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
    runs = []
    for label in ("first import (all created)", "second import (all unchanged)"):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(done.stderr)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        runs.append((label, seconds, result))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    from django.db import connection

    read_rate = read_rows / read_seconds
    print(f"database: {connection.vendor}; file: {args.rows} rows, {size_mb:.1f} MB; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"python-calamine raw read: {read_rate:,.0f} rows/s ({read_seconds:.2f} s)")
    for label, seconds, result in runs:
        counts = {key: result[key] for key in ("created", "updated", "unchanged", "rejected")}
        rate = result["rows"] / seconds
        print(f"{label}: {rate:,.0f} rows/s ({seconds:.2f} s end to end incl. Django "
              f"start-up; {read_rate / rate:.1f}x the raw read time; target 20,000 rows/s: "
              f"{'PASS' if rate >= 20_000 else 'FAIL'}) {counts}")
    print(f"peak memory of one import process (max RSS; a large file is checked in a second "
          f"process, each below this): {peak_mb:,.0f} MB")
    if not args.keep:
        for item in workdir.iterdir():
            item.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
