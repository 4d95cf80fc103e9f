"""The results of a class as an Excel sheet, with ID numbers masked."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.audit.models import AuditEvent
from skillplan.catalog.choices import TrainingType
from skillplan.core.masking import mask_id_number
from skillplan.jobs.models import Job
from skillplan.training.services.results import results_record
from tests.training.during_support import ended_class, export_rows, roster
from tests.training.factories import user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _export(client: Any, capture: Any, training_class: Any) -> list[list[Any]]:
    with capture(execute=True):
        response = client.post(reverse("training:results_export", args=[training_class.pk]))
    assert response.status_code == 302
    return export_rows(Job.objects.filter(kind="training.results_export").latest("created_at"))


def test_the_results_export_holds_each_trainee_with_a_masked_id(
        client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    training_class = ended_class(trainees=2)
    passed, failed = roster(training_class)
    staff = user("demo_provider")
    results_record(actor=staff, enrolment=passed, passed=True, score=Decimal("92.5"),
                   attendance_days=10, certificate_number="HNPX-T-1")
    results_record(actor=staff, enrolment=failed, passed=False, score=Decimal("41"),
                   attendance_days=5)

    header, *rows = _export(client_for("demo_city_changsha"),
                            django_capture_on_commit_callbacks, training_class)

    assert header[:8] == ["Full name", "ID number (masked)", "Employer", "Result", "Score",
                          "Days attended", "Certificate number", "Results entered at"]
    by_id = {row[1]: row for row in rows}
    first = by_id[mask_id_number(passed.person.id_number)]
    assert first[3:7] == ["Passed (合格)", 92.5, 10, "HNPX-T-1"]
    second = by_id[mask_id_number(failed.person.id_number)]
    assert second[3:7] == ["Failed (不合格)", 41, 5, ""]
    assert all(passed.person.id_number not in str(cell) for line in rows for cell in line)
    assert AuditEvent.objects.filter(event="results.exported").count() == 1


def test_participants_of_employer_training_are_exported_with_their_employer(
        client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    training_class = ended_class(trainees=1, training_type=TrainingType.EMPLOYER)
    header, row = _export(client_for("demo_provider"), django_capture_on_commit_callbacks,
                          training_class)
    assert row[:4] == ["王五", "", "长沙某公司", ""]


@pytest.mark.parametrize(("username", "status"), [
    ("demo_province", 302), ("demo_provider_xiangxi", 404), ("demo_evaluator", 403),
    ("demo_partner", 403),
])
def test_who_may_export_results(client_for: Any, username: str, status: int) -> None:
    training_class = ended_class(trainees=1)
    response = client_for(username).post(
        reverse("training:results_export", args=[training_class.pk]))
    assert response.status_code == status
