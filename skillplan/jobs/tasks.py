"""The one task that runs every job: load it by id, call its handler. Safe to retry."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from skillplan.jobs import handlers, services
from skillplan.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: str) -> str:
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return "skipped"
    services.job_mark_running(job)
    try:
        handlers.run(job)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        services.job_fail(job, message=_("The job failed. Try again; if it fails again, "
                                         "tell the system administrator."))
        return JobStatus.FAILED
    return JobStatus.SUCCEEDED
