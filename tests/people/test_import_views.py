"""The web import flow: upload → check (nothing written) → confirm → job → report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from skillplan.imports.models import ImportUpload, UploadStatus
from skillplan.jobs.models import Job, JobStatus
from skillplan.people.models import Person
from tests.imports.helpers import messy_roster, person_row, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path: Path) -> Path:
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _upload(client, path: Path, capture) -> ImportUpload:
    with capture(execute=True), path.open("rb") as handle:
        response = client.post(reverse("people:import_upload"), {"file": handle})
    upload = ImportUpload.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:import_preview", args=[upload.pk])
    return upload


def test_upload_check_confirm_import_and_download_the_report(
    client_for, django_capture_on_commit_callbacks, tmp_path, files_dir
):
    client = client_for("demo_county_furong")
    path, _expected = messy_roster(tmp_path / "花名册.xlsx")

    upload = _upload(client, path, django_capture_on_commit_callbacks)

    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY
    assert (files_dir / upload.stored_path).read_bytes() == path.read_bytes()
    assert upload.stored_path.startswith("uploads/") and upload.size == path.stat().st_size
    assert not Person.objects.exists()  # the check wrote nothing
    page = client.get(reverse("people:import_preview", args=[upload.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert (upload.summary["created"], upload.summary["rejected"]) == (5, 20)
    assert "id_mangled" not in text and "lost digits" in text  # messages, not codes
    assert text.count('<th scope="row">') == 20

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import_preview", args=[upload.pk]))

    job = Job.objects.get(kind="people.persons_import")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED
    assert Person.objects.count() == 5
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.result["created"] == 5
    job_page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "5 created" in job_page and reverse("jobs:download", args=[job.pk]) in job_page
    report = client.get(reverse("people:import_report", args=[upload.pk]))
    assert report.status_code == 200
    saved = tmp_path / "report.xlsx"
    saved.write_bytes(b"".join(report.streaming_content))
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    assert rows[0][-1] == "错误说明" and len(rows) == 21


def test_the_upload_cannot_be_imported_twice(client_for, django_capture_on_commit_callbacks,
                                             tmp_path):
    client = client_for("demo_county_furong")
    upload = _upload(client, write_xlsx(tmp_path / "r.xlsx", [person_row(1)]),
                     django_capture_on_commit_callbacks)
    url = reverse("people:import_preview", args=[upload.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    again = client.post(url)
    assert again.status_code == 409
    assert Job.objects.filter(kind="people.persons_import").count() == 1


def test_a_refused_file_is_explained_and_nothing_is_written(
    client_for, django_capture_on_commit_callbacks, tmp_path
):
    client = client_for("demo_county_furong")
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"this is not a workbook" * 20)
    upload = _upload(client, path, django_capture_on_commit_callbacks)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REFUSED
    page = client.get(reverse("people:import_preview", args=[upload.pk])).content.decode()
    assert "not an Excel workbook" in page
    assert client.post(reverse("people:import_preview", args=[upload.pk])).status_code == 409
    assert not Person.objects.exists()


def test_another_user_cannot_open_someones_preview_or_report(
    client_for, django_capture_on_commit_callbacks, tmp_path
):
    owner = client_for("demo_county_furong")
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(1), person_row(2, 姓名="")])
    upload = _upload(owner, path, django_capture_on_commit_callbacks)
    assert owner.get(reverse("people:import_report", args=[upload.pk])).status_code == 200

    for username in ("demo_city_changsha", "demo_province", "demo_county_jishou"):
        other = client_for(username)
        assert other.get(reverse("people:import_preview", args=[upload.pk])).status_code == 404
        assert other.get(reverse("people:import_report", args=[upload.pk])).status_code == 404
        assert other.post(reverse("people:import_preview", args=[upload.pk])).status_code == 404
    assert not Person.objects.exists()
    assert ImportUpload.objects.get().status == UploadStatus.READY


def test_users_without_the_import_permission_are_refused(client_for, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(1)])
    for username in ("demo_provider", "demo_trainee"):
        client = client_for(username)
        assert client.get(reverse("people:import_upload")).status_code == 403
        with path.open("rb") as handle:
            assert client.post(reverse("people:import_upload"),
                               {"file": handle}).status_code == 403
        assert client.get(reverse("people:import_template")).status_code == 403
    assert not ImportUpload.objects.exists()


def test_the_upload_page_offers_the_template_and_says_what_is_accepted(client_for):
    page = client_for("demo_county_furong").get(reverse("people:import_upload"))
    text = page.content.decode()
    assert page.status_code == 200
    assert reverse("people:import_template") in text
    assert "50 MB" in text and ".xls" in text and 'type="file"' in text


def test_the_template_has_the_headers_and_one_sample_row(client_for, tmp_path):
    response = client_for("demo_county_furong").get(reverse("people:import_template"))
    saved = tmp_path / "template.xlsx"
    saved.write_bytes(b"".join(response.streaming_content))
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["姓名", "身份证号", "残疾人证号"] and len(rows) == 2
    assert len(rows[1][1]) == 18  # the sample ID is text, all its digits kept


def test_a_file_of_the_wrong_type_is_refused_on_the_form(client_for):
    client = client_for("demo_county_furong")
    response = client.post(reverse("people:import_upload"),
                           {"file": SimpleUploadedFile("roster.pdf", b"%PDF-1.4")})
    assert response.status_code == 200
    assert "Upload an Excel workbook" in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_while_checking_the_page_polls_and_then_reloads(client_for, tmp_path):
    client = client_for("demo_county_furong")
    path = write_xlsx(tmp_path / "r.xlsx", [person_row(1)])
    with path.open("rb") as handle:  # on-commit callbacks not run: the check has not started
        client.post(reverse("people:import_upload"), {"file": handle})
    upload = ImportUpload.objects.get()
    url = reverse("people:import_preview", args=[upload.pk])
    assert "Checking progress" in client.get(url).content.decode()
    fragment = client.get(url + "?fragment=1", HTTP_HX_REQUEST="true")
    assert "import-checking" in fragment.content.decode()
    ImportUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.READY)
    done = client.get(url + "?fragment=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
