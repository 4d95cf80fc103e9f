"""Importing the catalog template on the web: upload → check (a dry run in the background,
nothing written) → preview → confirm → import job → result and error report. The flow and its
pages are those of the person roster; uploads are private to the user who made them."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from skillplan.accounts import roles
from skillplan.catalog.imports import PROJECT_COLUMNS, ProjectsTemplate, projects_template_file
from skillplan.core.errors import RuleError
from skillplan.core.imports.reader import MAX_FILE_BYTES
from skillplan.imports import selectors, services
from skillplan.imports.models import ImportUpload, UploadStatus

KIND = ProjectsTemplate.kind


class CatalogUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Catalog file"),
        help_text=_("An Excel workbook (.xlsx or .xls) or a CSV file. The header row may be "
                    "below a title; columns may be in any order."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )


@login_required
@permission_required(roles.CHANGE_PROJECT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = CatalogUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = services.upload_store(actor=request.user, kind=KIND,
                                           file=form.cleaned_data["file"])
        except RuleError as error:
            form.add_error("file", str(error.message))
        else:
            return redirect("catalog:import_preview", pk=upload.pk)
    return render(request, "catalog/import_upload.html", {
        "form": form, "recent": selectors.upload_list(user=request.user, kind=KIND)[:10],
        "required": [c.header for c in PROJECT_COLUMNS if c.required],
        "optional": [c.header for c in PROJECT_COLUMNS if not c.required],
        "max_mb": MAX_FILE_BYTES // 1024 // 1024,
    })


@login_required
@permission_required(roles.CHANGE_PROJECT, raise_exception=True)
@require_GET
def import_template(request: HttpRequest) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        projects_template_file(path)
        handle.write(path.read_bytes())
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="培训目录清单-模板.xlsx")


def _context(upload: ImportUpload) -> dict[str, object]:
    job = upload.check_job
    return {
        "upload": upload, "summary": upload.summary, "result": upload.result, "job": job,
        "progress": job.progress if job else 0,
        "can_confirm": upload.status == UploadStatus.READY,
        "has_report": bool(upload.report_file),
    }


@login_required
@permission_required(roles.CHANGE_PROJECT, raise_exception=True)
@require_http_methods(["GET", "POST"])
@never_cache
def import_preview(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    upload = selectors.upload_get(user=request.user, pk=pk, kind=KIND)
    if request.method == "POST":
        try:
            job = services.upload_confirm(actor=request.user, upload=upload)
        except RuleError as error:
            context = _context(upload)
            context["confirm_error"] = error.message
            return render(request, "catalog/import_preview.html", context, status=409)
        return redirect("jobs:detail", pk=job.pk)
    if request.headers.get("HX-Request") and request.GET.get("fragment"):
        if not upload.is_checking:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "catalog/import_checking.html", _context(upload))
    return render(request, "catalog/import_preview.html", _context(upload))


@login_required
@permission_required(roles.CHANGE_PROJECT, raise_exception=True)
@require_GET
@never_cache
def import_report(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    upload = selectors.upload_get(user=request.user, pk=pk, kind=KIND)
    root = Path(settings.FILES_DIR).resolve()
    path = (root / upload.report_file).resolve()
    if not upload.report_file or not path.is_relative_to(root) or not path.is_file():
        raise Http404
    services.upload_record_report_download(actor=request.user, upload=upload)
    name = f"错误报告-{Path(upload.original_filename).stem}.xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
