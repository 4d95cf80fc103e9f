"""Job pages: privacy, progress polling, announcements, download, failure."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.jobs import handlers
from skillplan.jobs.models import Job, JobStatus
from skillplan.jobs.services import job_start

pytestmark = pytest.mark.django_db


def _job(owner: User, *, status: str = JobStatus.RUNNING, progress: int = 37,
         title: str = "Export of users", **fields: Any) -> Job:
    return Job.objects.create(owner=owner, kind="accounts.users_export", title=title,
                              status=status, progress=progress, **fields)


@pytest.fixture
def finished_job(persona: Callable[[str], User], files_dir: Path) -> Job:
    (files_dir / "exports").mkdir(parents=True)
    (files_dir / "exports" / "done.xlsx").write_bytes(b"PK-not-really-excel")
    return _job(persona("demo_county_furong"), status=JobStatus.SUCCEEDED, progress=100,
                result_file="exports/done.xlsx", result_filename="users-20250301-0930.xlsx",
                result={"rows": 3})


def test_my_jobs_lists_only_my_own_jobs(
    persona: Callable[[str], User], client_for: Callable[[str], Client]
) -> None:
    mine = _job(persona("demo_county_furong"), title="My export")
    _job(persona("demo_province"), title="Province export")

    response = client_for("demo_county_furong").get(reverse("jobs:list"))

    assert response.status_code == 200
    assert list(response.context["page"]) == [mine]
    assert "Province export" not in response.content.decode()


@pytest.mark.parametrize("url_name", ["jobs:detail", "jobs:progress", "jobs:download"])
@pytest.mark.parametrize("other", ["demo_province", "demo_city_changsha", "demo_sysadmin"])
def test_nobody_else_can_open_poll_or_download_my_job(
    finished_job: Job, client_for: Callable[[str], Client], url_name: str, other: str
) -> None:
    before = AuditEvent.objects.count()

    response = client_for(other).get(reverse(url_name, args=[finished_job.pk]))

    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_signed_out_visitor_is_sent_to_sign_in(finished_job: Job) -> None:
    response = Client().get(reverse("jobs:download", args=[finished_job.pk]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_owner_downloads_the_file_and_the_download_is_audited(
    finished_job: Job, client_for: Callable[[str], Client]
) -> None:
    url = reverse("jobs:download", args=[finished_job.pk])

    response = client_for("demo_county_furong").get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK-not-really-excel"
    assert "attachment" in response["Content-Disposition"]
    assert "users-20250301-0930.xlsx" in response["Content-Disposition"]
    event = AuditEvent.objects.get(event="job.downloaded", target_id=str(finished_job.pk))
    assert event.actor_username == "demo_county_furong"


def test_unfinished_job_has_no_download(
    persona: Callable[[str], User], client_for: Callable[[str], Client], files_dir: Path
) -> None:
    (files_dir / "exports").mkdir(parents=True)
    (files_dir / "exports" / "half.xlsx").write_bytes(b"half")
    job = _job(persona("demo_county_furong"), result_file="exports/half.xlsx")

    response = client_for("demo_county_furong").get(reverse("jobs:download", args=[job.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event="job.downloaded").exists()


def test_download_never_leaves_the_files_directory(
    persona: Callable[[str], User], client_for: Callable[[str], Client], files_dir: Path
) -> None:
    secret = files_dir.parent / "secret.txt"
    secret.write_text("not for download")
    files_dir.mkdir(parents=True)
    job = _job(persona("demo_county_furong"), status=JobStatus.SUCCEEDED, progress=100,
               result_file="../secret.txt", result_filename="x.txt")

    response = client_for("demo_county_furong").get(reverse("jobs:download", args=[job.pk]))

    assert response.status_code == 404


def test_unfinished_job_fragment_keeps_polling_in_the_background(
    persona: Callable[[str], User], client_for: Callable[[str], Client]
) -> None:
    job = _job(persona("demo_county_furong"), progress=37)

    html = client_for("demo_county_furong").get(
        reverse("jobs:progress", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert 'hx-trigger="every 1s"' in html
    assert reverse("jobs:progress", args=[job.pk]) in html
    assert "X-Skillplan-Background" in html
    assert 'value="37"' in html


def test_finished_job_fragment_stops_polling_and_offers_the_file(
    finished_job: Job, client_for: Callable[[str], Client]
) -> None:
    html = client_for("demo_county_furong").get(
        reverse("jobs:progress", args=[finished_job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "hx-trigger" not in html
    assert reverse("jobs:download", args=[finished_job.pk]) in html
    assert "Finished. The file is ready to download." in html


def test_polling_does_not_count_as_activity_for_the_idle_timeout(
    persona: Callable[[str], User], client_for: Callable[[str], Client]
) -> None:
    from skillplan.accounts.middleware import LAST_ACTIVITY

    job = _job(persona("demo_county_furong"))
    client = client_for("demo_county_furong")
    session = client.session
    last_click = int(time.time()) - 600
    session[LAST_ACTIVITY] = last_click
    session.save()

    polled = client.get(reverse("jobs:progress", args=[job.pk]), HTTP_X_SKILLPLAN_BACKGROUND="1")

    assert polled.status_code == 200
    assert client.session[LAST_ACTIVITY] == last_click
    client.get(reverse("jobs:detail", args=[job.pk]))
    assert client.session[LAST_ACTIVITY] > last_click


def test_progress_is_announced_in_ten_percent_steps(
    persona: Callable[[str], User], client_for: Callable[[str], Client]
) -> None:
    job = _job(persona("demo_county_furong"), progress=37)
    client = client_for("demo_county_furong")
    url = reverse("jobs:progress", args=[job.pk])

    first = client.get(url, {"announced": "running:20"}).content.decode()
    same_step = client.get(url, {"announced": "running:30"}).content.decode()

    assert 'id="job-announcer"' in first and "About 30% done." in first
    assert 'id="job-announcer"' not in same_step
    assert 'value="37"' in same_step


def test_detail_page_has_a_named_progress_bar_and_a_live_region(
    persona: Callable[[str], User], client_for: Callable[[str], Client]
) -> None:
    job = _job(persona("demo_county_furong"), progress=37, message="1000 of 2700 users written")

    response = client_for("demo_county_furong").get(reverse("jobs:detail", args=[job.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="job-progress-bar">' in html and 'id="job-progress-bar"' in html
    assert 'role="status" aria-live="polite"' in html
    assert "About 30% done." in html
    assert "1000 of 2700 users written" in html
    assert "Running" in html  # status as text, not only colour
    assert "<noscript>" in html  # a way to refresh without JavaScript


def test_failing_handler_marks_the_job_failed_with_a_message(
    persona: Callable[[str], User], client_for: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(job: Job) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setitem(handlers._HANDLERS, "tests.explode", explode)

    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(owner=persona("demo_county_furong"), kind="tests.explode",
                        title="Doomed", params={})

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.finished_at is not None
    assert "tell the system administrator" in job.message
    html = client_for("demo_county_furong").get(
        reverse("jobs:progress", args=[job.pk])
    ).content.decode()
    assert "hx-trigger" not in html
    assert reverse("jobs:download", args=[job.pk]) not in html
    assert "Failed" in html


def test_job_events_read_in_words_in_the_audit_viewer(
    persona: Callable[[str], User], client_for: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    job_start(owner=persona("demo_county_furong"), kind="tests.nothing", title="Nothing",
              params={})

    html = client_for("demo_auditor").get(reverse("audit:list"), {"event": "job."}).content
    assert "Background job started" in html.decode() and "job.started" in html.decode()
