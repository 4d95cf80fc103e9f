"""Exporting the user directory as a background job: scope, file, audit, worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from python_calamine import CalamineWorkbook

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.jobs.models import Job, JobStatus
from skillplan.jobs.services import job_start

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _export(client: Client, capture: Any, query: str = "") -> Job:
    with capture(execute=True):
        response = client.post(reverse("accounts:user_export") + query)
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert response.url == reverse("jobs:detail", args=[job.pk])
    return job


def _usernames(job: Job, files_dir: Path) -> list[str]:
    sheet = CalamineWorkbook.from_path(str(files_dir / job.result_file)).get_sheet_by_index(0)
    return [row[0] for row in sheet.to_python()[1:]]


def test_county_clerk_export_holds_only_users_in_their_county(
    client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any,
    files_dir: Path,
) -> None:
    job = _export(client_for("demo_county_furong"), django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    names = _usernames(job, files_dir)
    assert "demo_county_furong" in names and "demo_trainee" in names
    assert "demo_county_jishou" not in names
    assert "demo_city_xiangxi" not in names
    assert "demo_province" not in names
    assert set(names) == set(
        User.objects.filter(region__code__startswith="430102").values_list("username", flat=True)
    )
    assert job.result == {"rows": len(names)}
    assert job.result_file == f"exports/{job.pk}.xlsx"
    assert job.result_filename.startswith("users-") and job.result_filename.endswith(".xlsx")


def test_province_export_holds_every_user(
    client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any,
    files_dir: Path,
) -> None:
    job = _export(client_for("demo_province"), django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert set(_usernames(job, files_dir)) == set(User.objects.values_list("username", flat=True))


def test_export_applies_the_list_filters(
    client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any,
    files_dir: Path,
) -> None:
    job = _export(client_for("demo_province"), django_capture_on_commit_callbacks,
                  "?role=county")

    job.refresh_from_db()
    assert sorted(_usernames(job, files_dir)) == ["demo_county_furong", "demo_county_jishou"]


def test_export_is_audited_with_row_count_and_filters(
    client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any,
) -> None:
    job = _export(client_for("demo_county_furong"), django_capture_on_commit_callbacks,
                  "?q=demo")

    job.refresh_from_db()
    event = AuditEvent.objects.get(event="users.exported", target_id=str(job.pk))
    assert event.actor_username == "demo_county_furong"
    assert event.after == {"rows": job.result["rows"],
                           "filters": {"q": "demo", "role": "", "active": ""}}


def test_user_without_directory_permission_cannot_start_an_export(
    client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("demo_trainee").post(reverse("accounts:user_export"))

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_export_runs_through_the_database_queue_and_worker(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch, files_dir: Path,
) -> None:
    from django_tasks_db.models import DBTaskResult

    # The worker closes "old" connections between tasks; inside the test transaction that
    # would drop the connection, so keep it.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    with override_settings(TASKS=DB_TASKS):
        with django_capture_on_commit_callbacks(execute=True):
            job = job_start(owner=persona("demo_city_xiangxi"), kind="accounts.users_export",
                            title="Export of users", params={"q": "", "role": "", "active": ""})
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED
        assert DBTaskResult.objects.ready().count() == 1

        call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert DBTaskResult.objects.ready().count() == 0
    names = _usernames(job, files_dir)
    assert "demo_county_jishou" in names and "demo_county_furong" not in names
