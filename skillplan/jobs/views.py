"""The user's background jobs: list, progress page (polled by HTMX), and file download."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from skillplan.jobs import selectors, services
from skillplan.jobs.models import Job, JobStatus


def _announcement(job: Job) -> tuple[str, str]:
    """What the live region says, and a key that changes only when that text should.

    Progress is announced in 10% steps so screen readers are not interrupted every second; the
    visible bar shows the exact value.
    """
    step = job.progress // 10 * 10
    if job.status == JobStatus.SUCCEEDED:
        text = (_("Finished. The file is ready to download.") if job.result_file
                else _("Finished."))
    elif job.status == JobStatus.FAILED:
        text = _("Failed: %(message)s") % {"message": job.message or _("no reason given")}
    elif job.status == JobStatus.RUNNING:
        text = _("Started.") if step == 0 else _("About %(percent)s%% done.") % {"percent": step}
    else:
        text = _("Waiting to start.")
    return text, f"{job.status}:{step}"


def _progress_context(job: Job) -> dict[str, Any]:
    text, key = _announcement(job)
    return {"job": job, "announcement": text, "announcement_key": key,
            "can_download": job.status == JobStatus.SUCCEEDED and bool(job.result_file)}


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.job_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page": page, "query": ""})


@login_required
@require_GET
@never_cache
def job_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    return render(request, "jobs/job_detail.html", _progress_context(job))


@login_required
@require_GET
@never_cache
def job_progress_fragment(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The polled part of the detail page. The live-region text is sent (out of band) only when
    it differs from what the page last announced (``announced``), so nothing is repeated."""
    job = selectors.job_get(user=request.user, pk=pk)
    context = _progress_context(job)
    context["announce"] = request.GET.get("announced") != context["announcement_key"]
    return render(request, "jobs/progress_fragment.html", context)


def _result_path(job: Job) -> Path:
    """The job's file inside FILES_DIR. The path comes from the job record (written by the
    handler), never from the request, and must still resolve inside FILES_DIR."""
    root = Path(settings.FILES_DIR).resolve()
    path = (root / job.result_file).resolve()
    if not job.result_file or not path.is_relative_to(root) or not path.is_file():
        raise Http404
    return path


@login_required
@require_GET
@never_cache
def job_download(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    if job.status != JobStatus.SUCCEEDED:
        raise Http404
    path = _result_path(job)
    services.job_record_download(actor=request.user, job=job)
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=job.result_filename or path.name)
