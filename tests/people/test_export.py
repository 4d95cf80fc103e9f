"""Exporting the person registry: scope, masking, text cells, reveal, audit."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from pytest_django.fixtures import Settings
from python_calamine import CalamineWorkbook

from skillplan.accounts import roles
from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.core.errors import RuleError
from skillplan.jobs.models import Job, JobStatus
from skillplan.people.exports import persons_export_start
from skillplan.people.management.commands.generate_persons import (
    counties_under,
    insert_persons,
)
from skillplan.people.models import Person
from skillplan.people.selectors import PersonFilters
from skillplan.people.services import phone_hash_of
from skillplan.regions.models import Region

pytestmark = pytest.mark.django_db
NAME, ID, CERT, CATEGORY, REGION, PHONE = 0, 1, 2, 3, 9, 11
PHONES = ("13812341234", "0731-84566789")


@pytest.fixture(autouse=True)
def files_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def registry(db: Any) -> None:
    insert_persons(count=12, counties=counties_under("430102"), seed=1, method="bulk_create")
    insert_persons(count=8, counties=counties_under("433101"), seed=2, method="bulk_create")
    Person.objects.filter(pk=Person.objects.filter(region_code="430102").first().pk).update(
        name="=HYPERLINK(\"http://x\")")
    # Known phones, so the masking of phones is really exercised (generated ones may be empty).
    for person, phone in zip(Person.objects.filter(region_code="430102").order_by("pk")[:2],
                             PHONES, strict=True):
        person.phone, person.phone_hash = phone, phone_hash_of(phone)
        person.save(update_fields=["phone", "phone_hash"])


def _run(capture: Any, user: User, **kwargs: Any) -> Job:
    with capture(execute=True):
        job = persons_export_start(actor=user, filters=kwargs.pop("filters", PersonFilters()),
                                   **kwargs)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    return job


def _rows(job: Job, files_dir: Path) -> list[list[Any]]:
    path = files_dir / job.result_file
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_county_clerk_export_holds_only_their_county_persons(
    registry: None, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any,
    files_dir: Path,
) -> None:
    job = _run(django_capture_on_commit_callbacks, persona("demo_county_furong"))

    rows = _rows(job, files_dir)[1:]
    assert len(rows) == Person.objects.filter(region_code="430102").count() == 12
    assert {row[REGION] for row in rows} == {Region.objects.get(code="430102").full_name}
    assert job.result["rows"] == 12
    assert job.result_file == f"exports/{job.pk}.xlsx"
    assert job.result_filename.startswith("persons-")


def test_export_applies_the_list_filters(
    registry: None, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any,
    files_dir: Path,
) -> None:
    job = _run(django_capture_on_commit_callbacks, persona("demo_province"),
               filters=PersonFilters(region_code="4331", gender="F"))

    expected = Person.objects.filter(region_code__startswith="4331", gender="F").count()
    assert len(_rows(job, files_dir)) - 1 == expected
    assert AuditEvent.objects.get(event="persons.exported").after["filters"] == {
        "region_code": "4331", "gender": "F"}


def test_export_is_masked_by_default_with_ids_as_text_and_no_formulas(
    registry: None, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any,
    files_dir: Path,
) -> None:
    job = _run(django_capture_on_commit_callbacks, persona("demo_city_changsha"))

    rows = _rows(job, files_dir)
    assert rows[0][:3] == ["Name", "ID number", "Disability certificate number"]
    data = rows[1:]
    assert all(isinstance(row[ID], str) and "*" * 11 in row[ID] for row in data)
    assert all(isinstance(row[CERT], str) and "*" * 13 in row[CERT] for row in data)
    assert all(row[PHONE] == "" or "****" in row[PHONE] for row in data)
    phones = {row[PHONE] for row in data}
    assert {"138****1234", "0731-****6789"} <= phones
    assert not phones & set(PHONES)
    numbers = set(Person.objects.values_list("id_number", flat=True))
    assert not numbers & {row[ID] for row in data}
    assert "'=HYPERLINK(\"http://x\")" in {row[NAME] for row in data}
    with zipfile.ZipFile(files_dir / job.result_file) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    event = AuditEvent.objects.get(event="persons.exported")
    assert event.after["revealed"] is False and event.after["rows"] == len(data)


def test_reveal_export_gives_full_numbers_to_a_permitted_user_and_is_audited(
    registry: None, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any,
    files_dir: Path,
) -> None:
    clerk = persona("demo_county_furong")
    job = _run(django_capture_on_commit_callbacks, clerk, reveal=True,
               reason="核对补贴发放名单")

    data = _rows(job, files_dir)[1:]
    expected = set(Person.objects.filter(region_code="430102").values_list("id_number",
                                                                          flat=True))
    assert {row[ID] for row in data} == expected
    assert all(row[CERT][:18] == row[ID] for row in data)
    event = AuditEvent.objects.get(event="persons.exported")
    assert event.after["revealed"] is True and event.after["reason"] == "核对补贴发放名单"
    assert event.actor_id == clerk.pk


def test_reveal_export_needs_a_reason(persona: Callable[[str], User]) -> None:
    with pytest.raises(RuleError):
        persons_export_start(actor=persona("demo_county_furong"), filters=PersonFilters(),
                             reveal=True, reason=" ")
    assert not Job.objects.exists()


def test_user_without_export_permission_cannot_start_an_export(
    persona: Callable[[str], User],
) -> None:
    for username in ("demo_provider", "demo_trainee", "demo_partner"):
        with pytest.raises(PermissionDenied):
            persons_export_start(actor=persona(username), filters=PersonFilters())
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(event="persons.exported").exists()


def test_user_without_reveal_permission_gets_masked_numbers_only(
    registry: None, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any,
    files_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    clerk = persona("demo_county_furong")
    without_reveal = roles.ROLE_PERMISSIONS[clerk.role] - {roles.REVEAL_PERSONAL_DATA}
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, clerk.role, without_reveal)
    clerk = persona("demo_county_furong")
    with pytest.raises(PermissionDenied):
        persons_export_start(actor=clerk, filters=PersonFilters(), reveal=True, reason="核对")
    assert not Job.objects.exists()

    # A job that asks for full numbers anyway (e.g. the permission was withdrawn after
    # queueing) runs masked and says so in the audit trail.
    from skillplan.jobs.services import job_start
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(owner=clerk, kind="people.persons_export", title="export",
                        params={"filters": {}, "reveal": True, "reason": "核对"})
    job.refresh_from_db()
    data = _rows(job, files_dir)[1:]
    assert data and all("*" in row[ID] for row in data)
    assert AuditEvent.objects.get(event="persons.exported").after["revealed"] is False
