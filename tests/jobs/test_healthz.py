"""/healthz: the database answers and the background worker is keeping up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from skillplan.jobs.tasks import run_job

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NO_JOB = "00000000-0000-0000-0000-000000000000"


def _health() -> dict[str, Any]:
    response = Client().get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_healthz_reports_database_and_worker_without_signing_in() -> None:
    body = _health()

    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["worker"]["status"] == "ok"


@override_settings(TASKS=DB_TASKS)
def test_worker_is_ok_while_queued_tasks_are_fresh() -> None:
    run_job.enqueue(NO_JOB)

    worker = _health()["worker"]

    assert worker["status"] == "ok"
    assert worker["queued"] == 1
    assert worker["oldest_wait_seconds"] < 120


@override_settings(TASKS=DB_TASKS)
def test_worker_is_stalled_when_a_task_has_waited_over_two_minutes() -> None:
    from django_tasks_db.models import DBTaskResult

    run_job.enqueue(NO_JOB)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=3))

    worker = _health()["worker"]

    assert worker["status"] == "stalled"
    assert worker["oldest_wait_seconds"] >= 180


@override_settings(TASKS=DB_TASKS)
def test_deferred_task_counts_from_when_it_became_due() -> None:
    from django_tasks_db.models import DBTaskResult

    run_job.using(run_after=timezone.now() - timedelta(minutes=5)).enqueue(NO_JOB)
    assert DBTaskResult.objects.ready().count() == 1

    assert _health()["worker"]["status"] == "stalled"


@override_settings(TASKS=DB_TASKS)
def test_finished_tasks_do_not_make_the_worker_look_stalled() -> None:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    run_job.enqueue(NO_JOB)
    DBTaskResult.objects.update(
        enqueued_at=timezone.now() - timedelta(hours=1), status=TaskResultStatus.SUCCESSFUL,
        finished_at=timezone.now() - timedelta(minutes=59),
    )

    worker = _health()["worker"]

    assert worker["status"] == "ok"
    assert worker["queued"] == 0
    assert worker["last_finished_at"] is not None
