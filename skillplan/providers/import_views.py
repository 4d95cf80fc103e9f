"""Importing the providers list on the web, the same flow as the person roster: upload → check
(a dry run in the background) → preview → confirm → import job → result and error report.

Only federation staff import providers (in their own area); uploads are private to the user who
uploaded them (404 for anyone else).
"""

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
from skillplan.core.errors import RuleError
from skillplan.core.imports.reader import MAX_FILE_BYTES, MAX_ROWS
from skillplan.imports import selectors, services
from skillplan.imports.models import ImportUpload, UploadStatus
from skillplan.providers.imports import (
    PROVIDER_COLUMNS,
    ProvidersTemplate,
    providers_template_file,
)

KIND = ProvidersTemplate.kind
IMPORT_PERMISSION = roles.CHANGE_PROVIDER


class ProvidersUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Providers file"),
        help_text=_("An Excel workbook (.xlsx or .xls) or a CSV file (UTF-8 or GBK), at most "
                    "%(size)s MB and %(rows)s rows. The header row may be below a title; "
                    "columns may be in any order.") % {
            "size": MAX_FILE_BYTES // 1024 // 1024, "rows": f"{MAX_ROWS:,}"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )

    def clean_file(self) -> object:
        file = self.cleaned_data["file"]
        if file.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_(
                "The file is larger than %(size)s MB. Split it into several files.") % {
                "size": MAX_FILE_BYTES // 1024 // 1024})
        return file


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    ProvidersTemplate().check_actor(request.user)  # federation staff only
    form = ProvidersUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = services.upload_store(actor=request.user, kind=KIND,
                                           file=form.cleaned_data["file"])
        except RuleError as error:
            form.add_error("file", str(error.message))
        else:
            return redirect("providers:import_preview", pk=upload.pk)
    recent = selectors.upload_list(user=request.user, kind=KIND)[:10]
    return render(request, "providers/import_upload.html", {
        "form": form, "recent": recent,
        "required": [c.header for c in PROVIDER_COLUMNS if c.required],
        "optional": [c.header for c in PROVIDER_COLUMNS if not c.required],
    })


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
@require_GET
def import_template(request: HttpRequest) -> FileResponse:
    """The empty providers template: the header row and one sample row."""
    ProvidersTemplate().check_actor(request.user)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        providers_template_file(path)
        handle.write(path.read_bytes())
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="培训机构名册-模板.xlsx")


def _preview_context(upload: ImportUpload) -> dict[str, object]:
    job = upload.check_job
    return {
        "upload": upload, "summary": upload.summary, "result": upload.result,
        "job": job, "progress": job.progress if job else 0,
        "can_confirm": upload.status == UploadStatus.READY,
        "has_report": bool(upload.report_file),
    }


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
@never_cache
def import_preview(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """GET: the check's counts and first errors (nothing is written before confirming).
    POST: confirm, which starts the import job and opens its progress page."""
    ProvidersTemplate().check_actor(request.user)
    upload = selectors.upload_get(user=request.user, pk=pk, kind=KIND)
    if request.method == "POST":
        try:
            job = services.upload_confirm(actor=request.user, upload=upload)
        except RuleError as error:
            context = _preview_context(upload)
            context["confirm_error"] = error.message
            return render(request, "providers/import_preview.html", context, status=409)
        return redirect("jobs:detail", pk=job.pk)
    if request.headers.get("HX-Request") and request.GET.get("fragment"):
        if not upload.is_checking:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"  # the check finished: show the whole preview
            return response
        return render(request, "providers/import_checking.html", _preview_context(upload))
    return render(request, "providers/import_preview.html", _preview_context(upload))


@login_required
@permission_required(IMPORT_PERMISSION, raise_exception=True)
@require_GET
@never_cache
def import_report(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    """The error report of the upload's latest check or import (owner only)."""
    ProvidersTemplate().check_actor(request.user)
    upload = selectors.upload_get(user=request.user, pk=pk, kind=KIND)
    root = Path(settings.FILES_DIR).resolve()
    path = (root / upload.report_file).resolve()
    if not upload.report_file or not path.is_relative_to(root) or not path.is_file():
        raise Http404
    services.upload_record_report_download(actor=request.user, upload=upload)
    name = f"错误报告-{Path(upload.original_filename).stem}.xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)

