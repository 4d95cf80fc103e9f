"""Helpers of the attendance, inspection and results tests: classes in the right state and
dates (through ``factories``), small real files, and reading an export."""

from __future__ import annotations

import struct
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from python_calamine import CalamineWorkbook

from skillplan.jobs.models import Job, JobStatus
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment, TrainingClass
from tests.training.factories import make_class, user


def today() -> date:
    return timezone.localdate()


def running_class(trainees: int = 3, **kwargs: Any) -> TrainingClass:
    """A class in progress that began 3 days ago and ends in 3 days (7 training days)."""
    return make_class(status=ClassStatus.IN_PROGRESS, trainees=trainees,
                      start=today() - timedelta(days=3), end=today() + timedelta(days=3),
                      **kwargs)


def ended_class(trainees: int = 3, *, ended_days_ago: int = 1, **kwargs: Any
                ) -> TrainingClass:
    """An ended class of 10 days whose last day was ``ended_days_ago`` days ago."""
    end = today() - timedelta(days=ended_days_ago)
    return make_class(status=ClassStatus.ENDED, trainees=trainees,
                      start=end - timedelta(days=9), end=end, **kwargs)


def roster(training_class: TrainingClass) -> list[Enrolment]:
    return list(training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
                .order_by("id"))


def assign_evaluator(training_class: TrainingClass, username: str = "demo_evaluator") -> None:
    TrainingClass.objects.filter(pk=training_class.pk).update(evaluator=user(username))
    training_class.refresh_from_db()


def png_bytes() -> bytes:
    """A real 1×1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    """A small, valid one-page PDF."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def files_root() -> Path:
    return Path(settings.FILES_DIR)


def stored_files() -> list[Path]:
    root = files_root() / "inspections"
    return sorted(root.iterdir()) if root.exists() else []


def export_rows(job: Job) -> list[list[Any]]:
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    book = CalamineWorkbook.from_path(str(files_root() / job.result_file))
    return book.get_sheet_by_index(0).to_python()
