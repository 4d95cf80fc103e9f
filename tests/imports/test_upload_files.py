"""Uploaded rosters do not stay on disk: the file goes once the upload is imported, refused or
failed, and ``purge_files`` clears old generated files."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from skillplan.audit.models import AuditEvent
from skillplan.imports.models import ImportUpload, UploadStatus
from skillplan.imports.services import upload_confirm, upload_store
from skillplan.people.models import Person
from tests.imports.helpers import person_row, write_xlsx

pytestmark = pytest.mark.django_db
DAY = 24 * 3600


def _store(persona: Any, capture: Any, content: bytes, name: str = "花名册.xlsx"
           ) -> ImportUpload:
    with capture(execute=True):
        upload = upload_store(actor=persona("demo_county_furong"), kind="persons",
                              file=SimpleUploadedFile(name, content))
    upload.refresh_from_db()
    return upload


def test_the_file_stays_while_waiting_and_goes_once_imported(
        persona: Any, django_capture_on_commit_callbacks: Any, tmp_path: Path,
        files_dir: Path) -> None:
    roster = write_xlsx(tmp_path / "r.xlsx", [person_row(1), person_row(2)])
    upload = _store(persona, django_capture_on_commit_callbacks, roster.read_bytes())
    assert upload.status == UploadStatus.READY
    assert (files_dir / upload.stored_path).is_file()  # needed for the confirmed import

    with django_capture_on_commit_callbacks(execute=True):
        upload_confirm(actor=persona("demo_county_furong"), upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and Person.objects.count() == 2
    assert not (files_dir / upload.stored_path).exists()
    assert upload.result["created"] == 2  # the record stays


def test_a_refused_file_is_deleted_and_its_record_kept(
        persona: Any, django_capture_on_commit_callbacks: Any, files_dir: Path) -> None:
    upload = _store(persona, django_capture_on_commit_callbacks, b"not a workbook" * 20)
    assert upload.status == UploadStatus.REFUSED and upload.message
    assert not (files_dir / upload.stored_path).exists()
    assert not list((files_dir / "uploads").iterdir())


def test_a_failed_import_deletes_the_file(
        persona: Any, django_capture_on_commit_callbacks: Any, tmp_path: Path,
        files_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roster = write_xlsx(tmp_path / "r.xlsx", [person_row(1)])
    upload = _store(persona, django_capture_on_commit_callbacks, roster.read_bytes())

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("skillplan.imports.services.run_import", broken)
    with django_capture_on_commit_callbacks(execute=True):
        upload_confirm(actor=persona("demo_county_furong"), upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.FAILED
    assert not (files_dir / upload.stored_path).exists()
    assert not Person.objects.exists()


def _file(root: Path, relative: str, age_days: float) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    stamp = time.time() - age_days * DAY
    os.utime(path, (stamp, stamp))
    return path


def test_purge_files_deletes_old_generated_files_and_records_one_event(
        files_dir: Path) -> None:
    old = [_file(files_dir, "exports/a.xlsx", 40), _file(files_dir, "import-reports/b.xlsx", 31),
           _file(files_dir, "uploads/c.xlsx", 45), _file(files_dir, "uploads/d.csv", 60)]
    recent = [_file(files_dir, "exports/e.xlsx", 2), _file(files_dir, "uploads/f.xlsx", 29)]
    elsewhere = _file(files_dir, "keys/keep.bin", 400)  # not a generated-files folder
    events = AuditEvent.objects.count()

    call_command("purge_files")  # default: 30 days

    assert not any(path.exists() for path in old)
    assert all(path.exists() for path in recent) and elsewhere.exists()
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.get(event="files.purged")
    assert event.after["deleted"] == {"exports": 1, "import-reports": 1, "uploads": 2}
    assert event.after["total"] == 4 and event.after["days"] == 30


def test_purge_files_takes_the_number_of_days(files_dir: Path) -> None:
    week_old = _file(files_dir, "exports/a.xlsx", 8)
    call_command("purge_files", "--days", "10")
    assert week_old.exists()
    call_command("purge_files", "--days", "7")
    assert not week_old.exists()
    assert AuditEvent.objects.filter(event="files.purged").count() == 2
