"""Writes of the upload flow: store a file, check it in the background (a dry run), confirm,
import in the background, and the job handlers that do the work.

The import itself is the core engine (``skillplan.core.imports``) with the kind's template;
the template's writer goes through its app's services (scope, audit trail).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillplan.audit.services import audit_record
from skillplan.core.errors import RuleError
from skillplan.core.imports.engine import ImportResult, ImportTemplate, run_import
from skillplan.core.imports.reader import MAX_FILE_BYTES, FileRefused
from skillplan.core.imports.registry import get_template
from skillplan.imports.models import ImportUpload, UploadStatus
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_progress, job_start

logger = logging.getLogger(__name__)
UPLOAD_DIR = "uploads"
REPORT_DIR = "import-reports"
PREVIEW_ERRORS = 20
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".csv", ".txt")
# The folders of FILES_DIR holding generated or uploaded files that ``files_purge`` clears:
# exports of every app, import error reports, uploaded rosters.
PURGED_DIRS = ("exports", REPORT_DIR, UPLOAD_DIR)


def files_root() -> Path:
    return Path(settings.FILES_DIR)


def template_for(kind: str, options: Mapping[str, Any] | None = None) -> ImportTemplate:
    """A fresh template of ``kind``, configured with the upload's ``options`` (a template
    that takes options has a ``configure(**options)`` method, e.g. the class of a roster)."""
    template = get_template(kind)
    if template is None:
        raise RuleError("kind_unknown", _("This kind of import is not available."))
    if options:
        configure = getattr(template, "configure", None)
        if configure is None:
            raise RuleError("kind_unknown", _("This kind of import is not available."))
        configure(**options)
    return template


def register_template(template: type[ImportTemplate]) -> None:
    """Make ``template`` importable: by ``import_data`` and on the web (its check and import
    jobs). Call from the owning app's ``AppConfig.ready``."""
    from skillplan.core.imports import registry
    from skillplan.jobs import handlers

    registry.register(template)
    handlers.register(f"{template.job_prefix}_preview", upload_check_job)
    handlers.register(f"{template.job_prefix}_import", upload_import_job)


def _region(actor: Any) -> str:
    return actor.region.code if getattr(actor, "region_id", None) else ""


@transaction.atomic
def upload_store(*, actor: Any, kind: str, file: UploadedFile,
                 options: Mapping[str, Any] | None = None) -> ImportUpload:
    """Keep the uploaded file under FILES_DIR/uploads and start its check (a dry run).
    ``options`` (plain JSON) say what the file is for beyond its kind, e.g. one class."""
    template = template_for(kind, options)
    template.check_actor(actor)
    if (file.size or 0) > MAX_FILE_BYTES:
        raise RuleError("file_too_large", _(
            "The file is larger than %(limit)s MB. Split it into several files.") % {
            "limit": MAX_FILE_BYTES // 1024 // 1024})
    name = PurePath(file.name or "upload").name[-200:]
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise RuleError("file_type", _(
            "Upload an Excel workbook (.xlsx or .xls) or a CSV file."))
    pk = uuid.uuid4()
    relative = f"{UPLOAD_DIR}/{pk}{suffix}"
    target = files_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        for chunk in file.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    upload = ImportUpload.objects.create(
        id=pk, owner=actor, kind=kind, original_filename=name, stored_path=relative,
        size=size, sha256=digest.hexdigest(), options=dict(options or {}),
    )
    audit_record(actor=actor, event="import.uploaded", target=upload, region_code=_region(actor),
                 after={"kind": kind, "file": name, "size": size, "sha256": upload.sha256,
                        **({"options": upload.options} if upload.options else {})})
    upload.check_job = job_start(
        owner=actor, kind=f"{template.job_prefix}_preview",
        title=_("Check %(file)s") % {"file": name}, params={"upload": str(pk)},
    )
    upload.save(update_fields=["check_job"])
    return upload


@transaction.atomic
def upload_confirm(*, actor: Any, upload: ImportUpload) -> Job:
    """Start the real import of a checked upload (the owner confirmed the preview)."""
    template = template_for(upload.kind, upload.options)
    template.check_actor(actor)
    locked = ImportUpload.objects.select_for_update().get(pk=upload.pk)
    if locked.owner_id != actor.pk or locked.status != UploadStatus.READY:
        raise RuleError("upload_not_ready", _(
            "This file cannot be imported now: it is not checked yet, was refused or was "
            "already imported."))
    job = job_start(owner=actor, kind=f"{template.job_prefix}_import",
                    title=_("Import %(file)s") % {"file": locked.original_filename},
                    params={"upload": str(locked.pk)})
    ImportUpload.objects.filter(pk=locked.pk).update(status=UploadStatus.IMPORTING,
                                                     import_job=job)
    audit_record(actor=actor, event="import.confirmed", target=locked,
                 region_code=_region(actor), after={"kind": locked.kind, "job": str(job.pk)})
    return job


@transaction.atomic
def upload_record_report_download(*, actor: Any, upload: ImportUpload) -> None:
    audit_record(actor=actor, event="import.report_downloaded", target=upload,
                 region_code=_region(actor), after={"file": upload.original_filename})


def summary_message(result: ImportResult) -> str:
    if result.dry_run:
        return _("Checked %(rows)s rows: %(created)s would be created, %(updated)s updated, "
                 "%(unchanged)s unchanged, %(rejected)s rejected.") % result.as_dict()
    return _("Imported %(rows)s rows: %(created)s created, %(updated)s updated, "
             "%(unchanged)s unchanged, %(rejected)s rejected.") % result.as_dict()


def _report_name(upload: ImportUpload) -> str:
    return f"错误报告-{PurePath(upload.original_filename).stem}.xlsx"


def _discard_upload_file(upload: ImportUpload) -> None:
    """Delete the uploaded file once it can no longer be imported (imported, refused or
    failed): a roster holds personal data in clear. The record and its report stay."""
    root = files_root().resolve()
    path = (root / upload.stored_path).resolve()
    if not upload.stored_path or not path.is_relative_to(root):
        return
    try:
        path.unlink(missing_ok=True)
    except OSError:
        logger.warning("could not delete the uploaded file of %s", upload.pk, exc_info=True)


def _run(job: Job, *, dry_run: bool) -> None:
    upload = ImportUpload.objects.select_related("owner").get(pk=job.params["upload"])
    template = template_for(upload.kind, upload.options)
    report = f"{REPORT_DIR}/{upload.pk}{'-check' if dry_run else ''}.xlsx"
    last = [-1]

    def progress(done: int, total: int) -> None:
        percent = min(99, done * 100 // total) if total else 0
        if percent != last[0]:
            last[0] = percent
            job_progress(job, percent=percent, message=_("%(done)s of %(total)s rows") % {
                "done": done, "total": total})

    try:
        result = run_import(template, files_root() / upload.stored_path, actor=upload.owner,
                            filename=upload.original_filename, dry_run=dry_run,
                            report_path=files_root() / report, on_progress=progress)
    except FileRefused as refusal:
        ImportUpload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.REFUSED, message=refusal.message[:500])
        _discard_upload_file(upload)
        job_finish(job, result={"refused": refusal.code}, message=refusal.message)
        return
    except Exception:
        ImportUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.FAILED)
        _discard_upload_file(upload)
        raise
    counts = result.as_dict(max_errors=PREVIEW_ERRORS)
    counts["header_row"] = result.header_row
    has_report = result.rejected > 0
    fields: dict[str, Any] = {"report_file": report if has_report else ""}
    if dry_run:
        fields.update(status=UploadStatus.READY, summary=counts)
    else:
        fields.update(status=UploadStatus.DONE, result=counts)
        audit_record(actor=upload.owner, event="import.finished", target=upload,
                     region_code=_region(upload.owner),
                     after={key: value for key, value in counts.items() if key != "errors"})
    ImportUpload.objects.filter(pk=upload.pk).update(**fields)
    if not dry_run:
        _discard_upload_file(upload)
    # "rows" would read "N rows written" on the job page; these rows were read, not all written.
    job_result = {key: value for key, value in counts.items() if key not in ("errors", "rows")}
    job_finish(
        job, result={**job_result, "rows_read": result.rows},
        result_file=report if has_report else "",
        result_filename=_report_name(upload) if has_report else "",
        message=summary_message(result),
    )


def upload_check_job(job: Job) -> None:
    """Job handler: the dry run of an upload (counts and errors, nothing written)."""
    _run(job, dry_run=True)


def upload_import_job(job: Job) -> None:
    """Job handler: the real import of a confirmed upload."""
    _run(job, dry_run=False)


def files_purge(*, days: int, now: datetime | None = None) -> dict[str, int]:
    """Delete the generated and uploaded files (exports, import error reports, uploads) last
    written more than ``days`` days ago; one audit event records the counts. Records (jobs,
    uploads) stay; their download then answers that the file is gone."""
    if days < 0:
        raise RuleError("days_negative", _("Give a number of days of 0 or more."))
    cutoff = (now or timezone.now()) - timedelta(days=days)
    limit = cutoff.timestamp()
    root = files_root()
    counts: dict[str, int] = {}
    for folder in PURGED_DIRS:
        counts[folder] = 0
        directory = root / folder
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            if not path.is_file() or path.is_symlink() or path.stat().st_mtime >= limit:
                continue
            try:
                path.unlink()
            except OSError:
                logger.warning("could not delete %s", path, exc_info=True)
                continue
            counts[folder] += 1
    audit_record(actor=None, event="files.purged", target_type="files",
                 target_id=str(days), target_repr=_("Files older than %(days)s days") % {
                     "days": days},
                 after={"days": days, "cutoff": cutoff.isoformat(), "deleted": counts,
                        "total": sum(counts.values())})
    return counts
