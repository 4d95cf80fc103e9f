"""The brand-project overview exports as a background job holding the cities of the owner's
area only: a city clerk gets their city, the province every city."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.catalog import services
from skillplan.catalog.models import TrainingProject
from skillplan.catalog.rules import brand_period
from skillplan.jobs.models import Job, JobStatus
from skillplan.regions.models import Region

pytestmark = pytest.mark.django_db


def _export(client: Client, capture: Any, files_dir: Path) -> tuple[Job, list[list[Any]]]:
    with capture(execute=True):
        response = client.post(reverse("catalog:brands_export"),
                               {"period": str(timezone.localdate().year)})
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == JobStatus.SUCCEEDED
    rows = CalamineWorkbook.from_path(str(files_dir / job.result_file)).get_sheet_by_index(
        0).to_python()
    return job, rows


@pytest.fixture
def changsha_brand(make_project: Callable[..., TrainingProject],
                   persona: Callable[[str], User]) -> TrainingProject:
    project = make_project("4301", "published", name="电商客服专项技能培训",
                           new_economy="ecommerce_service")
    services.brand_designate(actor=persona("demo_city_changsha"), project=project,
                             city=Region.objects.get(code="4301"))
    return project


def test_city_clerk_export_holds_only_their_city(
        changsha_brand: TrainingProject, client_for: Callable[[str], Client],
        django_capture_on_commit_callbacks: Any, files_dir: Path) -> None:
    job, rows = _export(client_for("demo_city_changsha"), django_capture_on_commit_callbacks,
                        files_dir)

    start, end = brand_period(timezone.localdate().year)
    assert rows[0] == ["City", "Period", "Brand project name", "Brand project code",
                       "Project status", "New-economy project", "City has a brand project"]
    assert rows[1:] == [["长沙市", f"{start}–{end}", "电商客服专项技能培训", changsha_brand.code,
                         "Published", "E-commerce customer service", "Yes"]]
    event = AuditEvent.objects.get(event="brands.exported")
    assert event.after["rows"] == 1


def test_province_export_holds_every_city_and_names_those_without_a_brand(
        changsha_brand: TrainingProject, client_for: Callable[[str], Client],
        django_capture_on_commit_callbacks: Any, files_dir: Path) -> None:
    _job, rows = _export(client_for("demo_province"), django_capture_on_commit_callbacks,
                         files_dir)

    cities = [row[0] for row in rows[1:]]
    assert len(cities) == 14 and "长沙市" in cities and "湘西土家族苗族自治州" in cities
    has_brand = {row[0]: row[-1] for row in rows[1:]}
    assert has_brand["长沙市"] == "Yes"
    assert list(has_brand.values()).count("No") == 13


def test_scope_is_that_of_the_owner_when_the_job_runs(
        changsha_brand: TrainingProject, client_for: Callable[[str], Client],
        persona: Callable[[str], User], django_capture_on_commit_callbacks: Any,
        files_dir: Path) -> None:
    clerk = persona("demo_city_changsha")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for("demo_city_changsha").post(reverse("catalog:brands_export"))
    clerk.region = Region.objects.get(code="4331")  # moved to 湘西 before the job runs
    clerk.save(update_fields=["region"])
    for callback in callbacks:
        callback()

    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    rows = CalamineWorkbook.from_path(str(files_dir / job.result_file)).get_sheet_by_index(
        0).to_python()
    assert [row[0] for row in rows[1:]] == ["湘西土家族苗族自治州"]


def test_export_is_refused_on_get_and_starts_no_job(
        client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_province").get(reverse("catalog:brands_export"))
    assert response.status_code == 405
    assert not Job.objects.filter(kind="catalog.brands_export").exists()


def test_brands_page_offers_the_export(client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_city_changsha").get(reverse("catalog:brands"))
    assert reverse("catalog:brands_export").encode() in response.content
