"""Starting and advancing background jobs. Handlers do the work; this module keeps the record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from skillplan.audit.services import audit_record
from skillplan.jobs.models import Job, JobStatus


@transaction.atomic
def job_start(*, owner: Any, kind: str, title: str, params: dict[str, Any]) -> Job:
    """Record the job and enqueue it after commit (the worker must see the row)."""
    from skillplan.jobs.tasks import run_job

    job = Job.objects.create(
        owner=owner, kind=kind, title=str(title), params=params,
        region_code=getattr(owner, "region_code", ""),
    )
    audit_record(actor=owner, event="job.started", target=job, region_code=job.region_code,
                 after={"kind": kind, "params": params})
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def job_progress(job: Job, *, percent: int, message: str = "") -> None:
    """Store progress; called often by handlers, so a single UPDATE."""
    percent = max(0, min(100, int(percent)))
    Job.objects.filter(pk=job.pk).update(progress=percent, message=str(message)[:500])
    job.progress, job.message = percent, str(message)[:500]


def job_mark_running(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.status = JobStatus.RUNNING


def job_finish(job: Job, *, result: dict[str, Any], result_file: str = "",
               result_filename: str = "", message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, progress=100, result=result, result_file=result_file,
        result_filename=result_filename, message=str(message)[:500],
        finished_at=timezone.now(),
    )


def job_fail(job: Job, *, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, message=str(message)[:500], finished_at=timezone.now()
    )


@transaction.atomic
def job_record_download(*, actor: Any, job: Job) -> None:
    """Audit that ``actor`` downloaded the file of ``job`` (the view checked ownership)."""
    audit_record(actor=actor, event="job.downloaded", target=job, region_code=job.region_code,
                 after={"kind": job.kind, "file": job.result_filename})
