"""过程检查: inspections of a running class, with photos or PDF documents as evidence.

Evidence files are checked by their content (magic bytes), not by their name or the browser's
content type: JPEG, PNG, WebP images and PDF only, each at most
``SKILLPLAN_ATTACHMENT_MAX_BYTES``, at most :data:`MAX_FILES` per inspection. They are stored
under ``FILES_DIR/inspections`` (outside the web root) with a random name, never the user's,
and served only as downloads (``views/inspections.py``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from skillplan.audit.services import audit_record
from skillplan.core.errors import RuleError
from skillplan.core.models import save_new
from skillplan.training.choices import ClassAction, InspectionRating
from skillplan.training.models import Inspection, InspectionAttachment, TrainingClass
from skillplan.training.services.steps import step_record

MAX_FILES = 10
INSPECTIONS_DIR = "inspections"
HEAD_BYTES = 16


@dataclass(frozen=True)
class FileKind:
    content_type: str
    suffix: str  # of the stored file
    suffixes: tuple[str, ...]  # names the user's file may end with


JPEG = FileKind("image/jpeg", ".jpg", (".jpg", ".jpeg"))
PNG = FileKind("image/png", ".png", (".png",))
WEBP = FileKind("image/webp", ".webp", (".webp",))
PDF = FileKind("application/pdf", ".pdf", (".pdf",))


def detect_kind(head: bytes) -> FileKind | None:
    """The kind of a file from its first bytes, or None when it is none of the accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def max_bytes() -> int:
    return int(getattr(settings, "SKILLPLAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def inspections_root() -> Path:
    return Path(settings.FILES_DIR) / INSPECTIONS_DIR


def _display_name(file: UploadedFile) -> str:
    name = PurePath(str(file.name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-200:] or "attachment"


def _head(file: UploadedFile) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _type_error(name: str) -> RuleError:
    return RuleError("file_type", _(
        "%(name)s cannot be attached: only photos (JPEG, PNG or WebP) and PDF documents are "
        "accepted, and the content of the file must match its name.") % {"name": name})


def check_files(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str, FileKind]]:
    """Every file checked before anything is stored; the first problem as a RuleError.

    RuleError codes: ``too_many_files``, ``file_empty``, ``file_too_large``, ``file_type``.
    """
    if len(files) > MAX_FILES:
        raise RuleError("too_many_files", _(
            "Attach at most %(count)s files to one inspection.") % {"count": MAX_FILES})
    limit = max_bytes()
    checked = []
    for file in files:
        name = _display_name(file)
        size = file.size or 0
        if size == 0:
            raise RuleError("file_empty", _("%(name)s is empty.") % {"name": name})
        if size > limit:
            raise RuleError("file_too_large", _(
                "%(name)s is larger than %(limit)s MB; attach a smaller photo or split the "
                "document.") % {"name": name, "limit": f"{limit / 1024 / 1024:g}"})
        kind = detect_kind(_head(file))
        if kind is None or PurePath(name.lower()).suffix not in kind.suffixes:
            raise _type_error(name)
        checked.append((file, name, kind))
    return checked


def _store(file: UploadedFile, kind: FileKind) -> tuple[str, int, str]:
    """Write the file under a random name; return (stored name, size, sha256)."""
    root = inspections_root()
    root.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + kind.suffix
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    with (root / stored).open("xb") as out:
        for chunk in file.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return stored, size, digest.hexdigest()


def _check_values(training_class: TrainingClass, *, inspected_on: date, inspector: str,
                  findings: str, rating: str) -> None:
    if not training_class.start_date <= inspected_on <= timezone.localdate():
        raise RuleError("inspection_date", _(
            "The date of the inspection must be between the first day of the class "
            "(%(start)s) and today.") % {"start": training_class.start_date.isoformat()})
    if not inspector.strip():
        raise RuleError("inspector_required", _("Give the name of the inspector."))
    if not findings.strip():
        raise RuleError("findings_required", _("Describe what the inspection found."))
    if rating not in InspectionRating.values:
        raise RuleError("rating_invalid", _("Choose a rating."))


@transaction.atomic
def inspection_record(*, actor: Any, training_class: TrainingClass, inspected_on: date,
                      inspector: str, findings: str, rating: str,
                      files: Sequence[UploadedFile] = ()) -> Inspection:
    """Record an inspection with its evidence; nothing is stored when any file is refused.

    RuleError codes: ``not_allowed``, ``inspection_date``, ``inspector_required``,
    ``findings_required``, ``rating_invalid`` and those of :func:`check_files`.
    """
    current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if not current.can_inspect(actor):
        raise RuleError("not_allowed", _(
            "Inspections are recorded by the federation over the class or its assigned "
            "evaluator, while the class is in progress or has just ended."))
    _check_values(current, inspected_on=inspected_on, inspector=inspector, findings=findings,
                  rating=rating)
    checked = check_files(list(files))
    inspection = Inspection(training_class=current, inspected_on=inspected_on,
                            inspector=inspector.strip(), findings=findings.strip(),
                            rating=rating)
    save_new(inspection, actor=actor)
    written: list[Path] = []
    try:
        attachments = []
        now = timezone.now()
        for file, name, kind in checked:
            stored, size, sha256 = _store(file, kind)
            written.append(inspections_root() / stored)
            attachments.append(InspectionAttachment.objects.create(
                inspection=inspection, original_name=name, stored_name=stored,
                content_type=kind.content_type, size=size, sha256=sha256,
                uploaded_by_id=getattr(actor, "pk", None), uploaded_at=now))
        with translation.override(settings.LANGUAGE_CODE):
            rating_label = str(inspection.get_rating_display())
        step_record(current, action=ClassAction.INSPECTED, actor=actor,
                    from_status=current.status, to_status=current.status,
                    comment=f"{inspected_on.isoformat()} {inspection.inspector}: {rating_label}")
        audit_record(actor=actor, event="inspection.recorded", target=inspection,
                     region_code=current.region_code,
                     after={"class": current.code, "inspected_on": inspected_on.isoformat(),
                            "inspector": inspection.inspector, "rating": rating,
                            "files": [{"name": a.original_name, "size": a.size,
                                       "sha256": a.sha256} for a in attachments]})
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return inspection


def attachment_path(attachment: InspectionAttachment) -> Path:
    """Where the attachment's file is; the name comes from the record, never the request."""
    return inspections_root() / PurePath(attachment.stored_name).name


@transaction.atomic
def attachment_downloaded(*, actor: Any, attachment: InspectionAttachment) -> None:
    """Audit that ``actor`` downloaded an evidence file (the view checked the scope)."""
    inspection = attachment.inspection
    audit_record(actor=actor, event="inspection.file_downloaded", target=inspection,
                 region_code=inspection.training_class.region_code,
                 after={"file": attachment.original_name, "sha256": attachment.sha256})
