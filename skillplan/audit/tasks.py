"""Background work of the audit trail: the tamper check as a job (kind ``audit.verify_chain``).

On a large trail the check reads every row, far too long for a web request; the list page
starts this job and the auditor follows it on the job page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from skillplan.accounts.roles import VIEW_AUDIT_LOG
from skillplan.audit.services import audit_chain_verify
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish

VERIFY_KIND = "audit.verify_chain"


def verify_chain_job(job: Job) -> None:
    """Run the check as the job's owner (still an auditor when it runs), record
    ``audit.verified`` and leave the finding on the job."""
    if not job.owner.has_perm(VIEW_AUDIT_LOG):
        raise PermissionDenied
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        report = audit_chain_verify(actor=job.owner)
        result = {"ok": report.ok, "checked": report.checked,
                  "first_broken_seq": report.first_broken_seq, "kind": report.kind}
        if report.row is not None:
            result["link"] = reverse("audit:detail", args=[report.row.pk])
        job_finish(job, result=result, message=str(report.message))
