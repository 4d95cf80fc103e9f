"""Registry benchmark: ID lookup and the first page of a filtered list on millions of persons.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE skillplan_bench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skillplan_bench \\
        .venv/bin/python benchmarks/bench_registry.py [--count 2000000] [--runs 50]

The database is migrated and seeded (regions, demo accounts); when it holds fewer than
``--count`` persons the generator tops it up (``generate_persons``; the rate is printed). Nothing
is deleted, so later runs start at once. Every figure is the median of ``--runs`` (at least 30)
timed runs after one warm-up, beside baselines from the same run:

  * a ``SELECT 1`` round trip (the floor of any query);
  * a lookup that cannot use an index (a column without one, no match: a full scan);
  * a full-table ``COUNT(*)`` (what a classic paginator would add to every page view).

Targets (issue 3): lookup by full ID number < 5 ms; the first page of the 长沙 city clerk's list
filtered by region 4301 and category 4 (physical) < 150 ms through the Django test client.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("SKILLPLAN_DEBUG", "false")  # as in production: no query log
LIST_QUERY = "region=4301&category=4"
CLERK = "demo_city_changsha"


def median_ms(runs: int, work: Callable[[int], Any]) -> float:
    work(0)  # warm-up
    times = []
    for index in range(runs):
        started = time.perf_counter()
        work(index)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def prepare(count: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from skillplan.accounts.demo import seed_accounts
    from skillplan.people.management.commands.generate_persons import (
        counties_under,
        insert_persons,
    )
    from skillplan.people.models import Person
    from skillplan.regions.services import regions_load

    call_command("migrate", verbosity=0)
    regions_load(path=settings.SKILLPLAN_REGIONS_FILE)
    seed_accounts()
    have = Person.objects.count()
    if have < count:
        missing = count - have
        print(f"generating {missing:,} persons (the database holds {have:,}) ...")
        started = time.perf_counter()
        inserted = insert_persons(count=missing, counties=counties_under("43"),
                                  seed=have, batch=10_000,
                                  report=lambda line: print("  " + line, end="\r"))
        seconds = time.perf_counter() - started
        print(f"\ngenerated {inserted:,} persons in {seconds:.0f} s "
              f"({inserted / seconds:,.0f} rows/s)")


def explain(queryset: Any) -> str:
    return "\n      ".join(queryset.explain().splitlines()[:6])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args()
    runs = max(30, args.runs)
    prepare(args.count)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from skillplan.accounts.models import User
    from skillplan.people.models import Person
    from skillplan.people.selectors import PersonFilters, person_page, person_queryset

    total = Person.objects.count()
    province = User.objects.get(username="demo_province")
    clerk = User.objects.get(username=CLERK)
    top = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    step = max(1, top // (runs + 1))
    sample_ids = list(Person.objects.filter(id__in=range(1, top, step)).values_list(
        "id_number", flat=True)[: runs + 1])
    results: list[tuple[str, float]] = []

    def select_one(_i: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def lookup(i: int) -> None:
        number = sample_ids[i % len(sample_ids)]
        found = list(person_queryset(user=province, filters=PersonFilters(q=number))[:2])
        assert len(found) == 1, number

    def unindexed(i: int) -> None:
        Person.objects.filter(notes=f"no such note {i}").exists()

    def count_all(_i: int) -> None:
        Person.objects.count()

    filters = PersonFilters(region_code="4301", category="4")

    def selector_page(_i: int) -> None:
        rows, _after = person_page(user=clerk, filters=filters)
        assert len(rows) == 50

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(clerk)
    url = f"{reverse('people:list')}?{LIST_QUERY}"
    page_status = client.get(url).status_code

    def page(_i: int) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    baseline = median_ms(runs, select_one)
    results.append(("SELECT 1 round trip (baseline)", baseline))
    results.append(("lookup by full ID number (person_queryset q=<ID>)", median_ms(runs, lookup)))
    results.append((f"first page, selector person_page as {CLERK} ({LIST_QUERY})",
                    median_ms(runs, selector_page)))
    if page_status == 200:
        results.append((f"first page, test client GET people:list?{LIST_QUERY}",
                        median_ms(runs, page)))
    results.append(("unindexed lookup (notes = x: full scan, baseline)",
                    median_ms(runs, unindexed)))
    results.append(("full-table COUNT(*) (baseline: what pages avoid)",
                    median_ms(runs, count_all)))

    print(f"\nRegistry of {total:,} persons ({connection.vendor}), median of {runs} runs; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for label, ms in results:
        print(f"  {label:<70} {ms:9.2f} ms  {ms / baseline:9.1f}x SELECT 1")
    if page_status != 200:
        print(f"  the list page answered {page_status}: still a placeholder, not measured")
    figures = dict(results)
    lookup_ms = figures["lookup by full ID number (person_queryset q=<ID>)"]
    print(f"  lookup target < 5 ms: {'PASS' if lookup_ms < 5 else 'FAIL'}; "
          f"{figures['unindexed lookup (notes = x: full scan, baseline)'] / lookup_ms:,.0f}x "
          f"faster than a full scan")
    page_ms = next((ms for label, ms in results if label.startswith("first page, test")), None)
    if page_ms is not None:
        print(f"  first page target < 150 ms: {'PASS' if page_ms < 150 else 'FAIL'}")
    if args.explain:
        print("\n  plans:")
        print("    lookup:\n      " + explain(person_queryset(
            user=province, filters=PersonFilters(q=sample_ids[0]))[:2]))
        print("    first page:\n      " + explain(person_queryset(
            user=clerk, filters=filters).select_related("region")[:51]))


if __name__ == "__main__":
    main()
