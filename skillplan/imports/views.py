"""The web import flow, the same for every kind of file: upload → check (a dry run in the
background, nothing written) → preview of counts and first errors → confirm → import job →
result and error report.

The views are made per flow (``flows.ImportFlow``: template, permission, words, URL names):
an app's URLconf points at ``flow_views(FLOW).upload`` and so on. Uploads, previews and
reports are private to the user who uploaded them (404 for anyone else).
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from skillplan.core.errors import RuleError
from skillplan.core.imports.engine import ImportTemplate
from skillplan.core.imports.reader import MAX_FILE_BYTES, MAX_ROWS
from skillplan.imports import selectors, services
from skillplan.imports.flows import ImportFlow, Target
from skillplan.imports.models import ImportUpload, UploadStatus

View = Callable[..., HttpResponse]
RECENT = 10


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx or .xls) or a CSV file (UTF-8 or GBK), at most "
                    "%(size)s MB and %(rows)s rows. The header row may be below a title; "
                    "columns may be in any order.") % {
            "size": MAX_FILE_BYTES // 1024 // 1024, "rows": f"{MAX_ROWS:,}"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label

    def clean_file(self) -> object:
        file = self.cleaned_data["file"]
        if file.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_(
                "The file is larger than %(size)s MB. Split it into several files.") % {
                "size": MAX_FILE_BYTES // 1024 // 1024})
        return file


class FlowViews(NamedTuple):
    upload: View
    template: View
    preview: View
    report: View


def _template(flow: ImportFlow, request: HttpRequest,
              options: Mapping[str, Any] | None = None) -> ImportTemplate:
    """The flow's template, after its own check of the user (PermissionDenied → 403)."""
    try:
        template = services.template_for(flow.kind, options)
    except RuleError as error:
        raise Http404 from error
    template.check_actor(request.user)
    return template


def _guarded(permission: str, methods: list[str], view: View) -> View:
    return login_required(permission_required(permission, raise_exception=True)(
        require_http_methods(methods)(view)))


def upload_view(flow: ImportFlow) -> View:
    """The upload page: what the file must hold, the template download, the form and the
    user's recent uploads of this kind (for this target)."""

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        _template(flow, request)  # 403 before anything is looked up
        target = flow.target_from_url(request, kwargs)
        template = _template(flow, request, target.options)
        form = UploadForm(request.POST or None, request.FILES or None, label=flow.texts.file_label)
        if request.method == "POST" and form.is_valid():
            try:
                upload = services.upload_store(actor=request.user, kind=flow.kind,
                                               file=form.cleaned_data["file"],
                                               options=target.options)
            except RuleError as error:
                form.add_error("file", str(error.message))
            else:
                return redirect(flow.url(flow.preview_name, upload.pk))
        recent = selectors.upload_list(user=request.user, kind=flow.kind).filter(
            options=target.options)[:RECENT]
        return render(request, "imports/upload.html", {
            **target.context, "form": form, "texts": flow.texts, "target": target,
            "recent": [(item, flow.url(flow.preview_name, item.pk)) for item in recent],
            "required": [c.header for c in template.columns if c.required],
            "optional": [c.header for c in template.columns if not c.required],
        })

    return _guarded(flow.permission, ["GET", "POST"], view)


def template_response(flow: ImportFlow, write: Callable[[Path], None] | None = None
                      ) -> FileResponse:
    """The empty template of ``flow`` as a download (``write`` instead of the flow's own)."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        (write or flow.template_file)(path)
        handle.write(path.read_bytes())
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=flow.template_filename)


def template_view(flow: ImportFlow) -> View:
    """The empty template: the header row and one sample row."""

    def view(request: HttpRequest) -> FileResponse:
        _template(flow, request)
        return template_response(flow)

    return _guarded(flow.permission, ["GET"], require_GET(view))


def _flows_by_kind(flows: tuple[ImportFlow, ...]) -> tuple[dict[str, ImportFlow], str]:
    by_kind = {flow.kind: flow for flow in flows}
    permissions = {flow.permission for flow in flows}
    if len(permissions) != 1:
        raise ValueError("The flows of one preview page must share their permission.")
    return by_kind, permissions.pop()


def _upload_of(request: HttpRequest, by_kind: Mapping[str, ImportFlow], pk: uuid.UUID
               ) -> tuple[ImportUpload, ImportFlow, Target]:
    for flow in by_kind.values():  # who may not import these kinds: 403, before any lookup
        _template(flow, request)
    upload = selectors.upload_get(user=request.user, pk=pk, kind=list(by_kind))
    flow = by_kind[upload.kind]
    return upload, flow, flow.target_from_options(request, upload.options)


def _preview_context(upload: ImportUpload, flow: ImportFlow, target: Target
                     ) -> dict[str, object]:
    job = upload.check_job
    return {
        **target.context, "upload": upload, "summary": upload.summary, "result": upload.result,
        "job": job, "progress": job.progress if job else 0,
        "can_confirm": upload.status == UploadStatus.READY,
        "has_report": bool(upload.report_file), "texts": flow.texts, "target": target,
        "preview_url": flow.url(flow.preview_name, upload.pk),
        "report_url": flow.url(flow.report_name, upload.pk),
    }


def preview_view(*flows: ImportFlow) -> View:
    """GET: the check's counts and first errors (nothing is written before confirming);
    while the check runs, an HTMX fragment polls its progress. POST: confirm, which starts
    the import job and opens its progress page. One page may serve several kinds."""
    by_kind, permission = _flows_by_kind(flows)

    def view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        upload, flow, target = _upload_of(request, by_kind, pk)
        if request.method == "POST":
            try:
                job = services.upload_confirm(actor=request.user, upload=upload)
            except RuleError as error:
                context = _preview_context(upload, flow, target)
                context["confirm_error"] = error.message
                return render(request, "imports/preview.html", context, status=409)
            return redirect("jobs:detail", pk=job.pk)
        if request.headers.get("HX-Request") and request.GET.get("fragment"):
            if not upload.is_checking:
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"  # the check finished: show the whole preview
                return response
            return render(request, "imports/checking.html",
                          _preview_context(upload, flow, target))
        return render(request, "imports/preview.html", _preview_context(upload, flow, target))

    return _guarded(permission, ["GET", "POST"], never_cache(view))


def report_view(*flows: ImportFlow) -> View:
    """The error report of the upload's latest check or import (owner only)."""
    by_kind, permission = _flows_by_kind(flows)

    def view(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
        upload, _flow, _target = _upload_of(request, by_kind, pk)
        root = Path(settings.FILES_DIR).resolve()
        path = (root / upload.report_file).resolve()
        if not upload.report_file or not path.is_relative_to(root) or not path.is_file():
            raise Http404
        services.upload_record_report_download(actor=request.user, upload=upload)
        name = f"错误报告-{Path(upload.original_filename).stem}.xlsx"
        return FileResponse(path.open("rb"), as_attachment=True, filename=name)

    return _guarded(permission, ["GET"], never_cache(view))


def flow_views(flow: ImportFlow) -> FlowViews:
    """The four pages of one flow, for its app's URLconf."""
    return FlowViews(upload=upload_view(flow), template=template_view(flow),
                     preview=preview_view(flow), report=report_view(flow))
