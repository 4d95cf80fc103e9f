"""The attendance of a class as an Excel grid (trainee × day), with ID numbers masked, made in
the background for whoever may export classes and sees the class."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.audit.models import AuditEvent
from skillplan.core.masking import mask_id_number
from skillplan.jobs.models import Job
from skillplan.training.services.attendance import attendance_save
from tests.training.during_support import export_rows, roster, running_class, today
from tests.training.factories import user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_the_attendance_export_is_a_trainee_by_day_grid_with_masked_ids(
        client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    training_class = running_class(trainees=2)
    first, second = roster(training_class)
    staff = user("demo_provider")
    yesterday = today() - timedelta(days=1)
    attendance_save(actor=staff, training_class=training_class, day=yesterday,
                    marks={first.pk: "present", second.pk: "absent"})
    attendance_save(actor=staff, training_class=training_class, day=today(),
                    marks={first.pk: "late"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("demo_provider").post(
            reverse("training:attendance_export", args=[training_class.pk]))
    job = Job.objects.get(kind="training.attendance_export")
    assert response.status_code == 302 and response["Location"] == reverse(
        "jobs:detail", args=[job.pk])

    header, *rows = export_rows(job)
    days = [(training_class.start_date + timedelta(days=n)).isoformat() for n in range(7)]
    assert header == ["Full name", "ID number (masked)", "Employer", *days, "Days attended"]
    by_name = {row[1]: row for row in rows}
    row = by_name[mask_id_number(first.person.id_number)]
    assert row[0] == first.person.name
    assert row[3 + days.index(yesterday.isoformat())] == "Present"
    assert row[3 + days.index(today().isoformat())] == "Late or left early"
    assert row[-1] == 2
    other = by_name[mask_id_number(second.person.id_number)]
    assert other[3 + days.index(yesterday.isoformat())] == "Absent" and other[-1] == 0
    assert all(first.person.id_number not in str(cell) for line in rows for cell in line)
    assert AuditEvent.objects.filter(event="attendance.exported",
                                     target_id=str(training_class.pk)).exists()


@pytest.mark.parametrize(("username", "status"), [
    ("demo_county_furong", 302), ("demo_provider_xiangxi", 404), ("demo_city_xiangxi", 404),
    ("demo_evaluator", 403), ("demo_trainee", 403),
])
def test_who_may_export_attendance(client_for: Any, username: str, status: int) -> None:
    training_class = running_class(trainees=1)
    response = client_for(username).post(
        reverse("training:attendance_export", args=[training_class.pk]))
    assert response.status_code == status
    assert Job.objects.filter(kind="training.attendance_export").exists() == (status == 302)
