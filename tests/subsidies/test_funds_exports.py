"""Exports for the finance department: claims with lines (IDs masked), payments and the fund
summary, as background jobs that keep to the owner's area."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from skillplan.audit.models import AuditEvent
from skillplan.jobs.models import Job, JobStatus
from tests.subsidies.funds_support import (
    TwoCities,
    funds_english,
    funds_files,
    funds_hooks,
    roster,
    two_cities,
)

pytestmark = pytest.mark.django_db
__all__ = ["funds_english", "funds_files", "funds_hooks"]


@pytest.fixture
def world() -> TwoCities:
    return two_cities()


def _export(client: Client, capture: Any, files_dir: Path, kind: str, year: int,
            **extra: str) -> tuple[Job, list[list[Any]]]:
    with capture(execute=True):
        response = client.post(reverse("subsidies:funds_export"),
                               {"kind": kind, "year": str(year), **extra})
    assert response.status_code == 302
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == JobStatus.SUCCEEDED, job.message
    rows = CalamineWorkbook.from_path(str(files_dir / job.result_file)).get_sheet_by_index(
        0).to_python()
    return job, rows


def test_claims_export_has_every_line_with_masked_ids(
        world: TwoCities, client_for: Callable[[str], Client],
        django_capture_on_commit_callbacks: Any, funds_files: Path) -> None:
    job, rows = _export(client_for("demo_province"), django_capture_on_commit_callbacks,
                        funds_files, "claims", world.a.start_date.year)
    header, *lines = rows
    assert header[0] == "Claim number" and "ID number (masked)" in header
    by_claim = {}
    for line in lines:
        by_claim.setdefault(line[0], []).append(line)
    assert {n: len(v) for n, v in by_claim.items()} == {
        world.c1.number: 2, world.c2.number: 1, world.c3.number: 1}
    amount = header.index("Amount (yuan)")
    assert sum(line[amount] for line in lines) == 10900
    id_column = header.index("ID number (masked)")
    full_ids = {e.person.id_number for e in roster(world.a)}
    for line in lines:
        assert "*" in line[id_column] and line[id_column] not in full_ids
        assert not any(str(cell) in full_ids for cell in line)
    assert AuditEvent.objects.get(event="claims.exported", target_id=str(job.pk)).after[
        "rows"] == 4


def test_changsha_export_never_holds_xiangxi(world: TwoCities,
                                             client_for: Callable[[str], Client],
                                             django_capture_on_commit_callbacks: Any,
                                             funds_files: Path) -> None:
    client = client_for("demo_city_changsha")
    year = world.a.start_date.year
    _job, claims = _export(client, django_capture_on_commit_callbacks, funds_files, "claims",
                           year)
    assert {row[0] for row in claims[1:]} == {world.c1.number, world.c2.number}
    _job, payments = _export(client, django_capture_on_commit_callbacks, funds_files,
                             "payments", year)
    assert len(payments) == 3
    _job, summary = _export(client, django_capture_on_commit_callbacks, funds_files,
                            "summary", year)
    assert [row[1] for row in summary[1:]] == ["430102"]
    text = repr([claims, payments, summary])
    assert world.b.code not in text and world.c3.number not in text and "4331" not in text


def test_payments_export(world: TwoCities, client_for: Callable[[str], Client],
                         django_capture_on_commit_callbacks: Any, funds_files: Path) -> None:
    _job, rows = _export(client_for("demo_province"), django_capture_on_commit_callbacks,
                         funds_files, "payments", world.a.start_date.year)
    header, *payments = rows
    level, amount = header.index("Paid by"), header.index("Amount (yuan)")
    assert sorted((row[level], row[amount]) for row in payments) == [
        ("City", 2880), ("Province", 4320)]
    assert {row[0] for row in payments} == {world.c1.number}


def test_fund_summary_export_by_region_item_and_level(
        world: TwoCities, client_for: Callable[[str], Client],
        django_capture_on_commit_callbacks: Any, funds_files: Path) -> None:
    _job, rows = _export(client_for("demo_province"), django_capture_on_commit_callbacks,
                         funds_files, "summary", world.a.start_date.year)
    header, *regions = rows
    table = {row[1]: dict(zip(header, row, strict=True)) for row in regions}
    assert set(table) == {"4301", "4331"}
    changsha = table["4301"]
    assert changsha["Region"] == "长沙市"
    assert changsha["Computed in all (yuan)"] == 8400
    assert changsha["Share of Province (yuan)"] == 4320
    assert changsha["Share of City (yuan)"] == 4080
    assert changsha["Paid by City (yuan)"] == 2880
    assert table["4331"]["Computed in all (yuan)"] == 2500


def test_export_refused_to_those_without_access_and_on_get(
        client_for: Callable[[str], Client]) -> None:
    url = reverse("subsidies:funds_export")
    assert client_for("demo_province").get(url).status_code == 405
    assert client_for("demo_province").post(url, {"kind": "people"}).status_code == 403
    for persona in ("demo_evaluator", "demo_partner", "demo_trainee"):
        assert client_for(persona).post(url, {"kind": "claims"}).status_code == 403
    assert not Job.objects.exists()


def test_exports_keep_to_a_query_budget(world: TwoCities, client_for: Callable[[str], Client],
                                        django_capture_on_commit_callbacks: Any,
                                        funds_files: Path,
                                        django_assert_max_num_queries: Callable) -> None:
    client = client_for("demo_province")
    year = world.a.start_date.year
    for _number in range(3):
        two_cities()
    for kind in ("claims", "payments", "summary"):
        with django_assert_max_num_queries(30):
            _export(client, django_capture_on_commit_callbacks, funds_files, kind, year)
