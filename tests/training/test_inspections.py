"""过程检查: inspections with evidence. Only real images and PDF documents are kept (checked by
their content), each within the size limit, under random names outside the web root; they are
served only as downloads, and only to those who may see the class."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.audit.models import AuditEvent
from skillplan.core.errors import RuleError
from skillplan.training.choices import ClassAction, InspectionRating
from skillplan.training.models import ClassStep, Inspection, InspectionAttachment
from skillplan.training.services.inspections import inspection_record
from tests.training.during_support import (
    EXE_BYTES,
    HTML_BYTES,
    assign_evaluator,
    pdf_bytes,
    png_bytes,
    running_class,
    stored_files,
    today,
)
from tests.training.factories import user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _record(training_class: Any, files: list[Any], username: str = "demo_county_furong"
            ) -> Inspection:
    return inspection_record(
        actor=user(username), training_class=training_class, inspected_on=today(),
        inspector="芙蓉区残联 张丽", findings="签到表完整，实训设备到位。",
        rating=InspectionRating.GOOD, files=files)


def _refused(training_class: Any, files: list[Any]) -> RuleError:
    with pytest.raises(RuleError) as error:
        _record(training_class, files)
    assert not Inspection.objects.exists() and not InspectionAttachment.objects.exists()
    assert stored_files() == []
    return error.value


def test_a_real_png_and_pdf_are_kept_under_random_names_with_their_digest() -> None:
    training_class = running_class(trainees=1)
    png, pdf = png_bytes(), pdf_bytes()
    inspection = _record(training_class, [_upload("现场照片.png", png),
                                          _upload("签到表.PDF", pdf, "application/pdf")])

    photo, sheet = inspection.attachments.order_by("id")
    assert (photo.original_name, photo.content_type, photo.size) == ("现场照片.png",
                                                                     "image/png", len(png))
    assert (sheet.content_type, sheet.sha256) == ("application/pdf",
                                                  hashlib.sha256(pdf).hexdigest())
    files = stored_files()
    assert len(files) == 2 and {f.read_bytes() for f in files} == {png, pdf}
    assert all("现场照片" not in f.name and "签到表" not in f.name for f in files)
    assert all(len(f.stem) == 32 for f in files)
    step = ClassStep.objects.get(training_class=training_class,
                                 action=ClassAction.INSPECTED)
    assert "Good" in step.comment
    event = AuditEvent.objects.get(event="inspection.recorded", target_id=str(inspection.pk))
    assert [f["sha256"] for f in event.after["files"]] == [photo.sha256, sheet.sha256]


def test_a_program_renamed_to_png_is_refused_and_nothing_is_stored() -> None:
    error = _refused(running_class(trainees=1), [_upload("照片.png", EXE_BYTES)])
    assert error.code == "file_type" and "照片.png" in str(error.message)
    assert "JPEG, PNG or WebP" in str(error.message)


@pytest.mark.parametrize("name", ["page.html", "page.pdf"])
def test_an_html_file_is_refused_whatever_its_name(name: str) -> None:
    training_class = running_class(trainees=1)
    error = _refused(training_class, [_upload("ok.png", png_bytes()),
                                      _upload(name, HTML_BYTES, "text/html")])
    assert error.code == "file_type"


def test_a_file_whose_content_does_not_match_its_name_is_refused() -> None:
    error = _refused(running_class(trainees=1), [_upload("photo.jpg", pdf_bytes())])
    assert error.code == "file_type"


def test_an_oversized_file_is_refused_with_the_limit(settings: Settings) -> None:
    settings.SKILLPLAN_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = png_bytes() + b"\x00" * (1024 * 1024)
    error = _refused(running_class(trainees=1), [_upload("big.png", big)])
    assert error.code == "file_too_large"
    assert str(error.message) == ("big.png is larger than 1 MB; attach a smaller photo or "
                                  "split the document.")


def test_more_than_ten_files_are_refused() -> None:
    files = [_upload(f"p{n}.png", png_bytes()) for n in range(11)]
    assert _refused(running_class(trainees=1), files).code == "too_many_files"


def test_the_form_shows_the_refusal_next_to_the_files_and_keeps_nothing(
        client_for: Any) -> None:
    training_class = running_class(trainees=1)
    url = reverse("training:inspections", args=[training_class.pk])
    response = client_for("demo_county_furong").post(url, {
        "inspected_on": today().isoformat(), "inspector": "张丽", "rating": "good",
        "findings": "教学正常", "files": [_upload("virus.png", EXE_BYTES)]})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_files_error"' in page and "virus.png cannot be attached" in page
    assert 'href="#id_files"' in page  # the error summary links to the control
    assert not Inspection.objects.exists() and stored_files() == []


def test_recording_through_the_page_with_evidence(client_for: Any) -> None:
    training_class = running_class(trainees=1)
    url = reverse("training:inspections", args=[training_class.pk])
    response = client_for("demo_city_changsha").post(url, {
        "inspected_on": (today() - timedelta(days=1)).isoformat(), "inspector": "李强",
        "rating": "excellent", "findings": "学员出勤良好",
        "files": [_upload("a.png", png_bytes()), _upload("b.pdf", pdf_bytes())]})
    assert response.status_code == 302
    inspection = Inspection.objects.get(training_class=training_class)
    assert inspection.attachments.count() == 2
    page = client_for("demo_provider").get(url).content.decode()
    assert "学员出勤良好" in page and "Download a.png" in page


def test_an_inspection_date_before_the_class_is_refused() -> None:
    training_class = running_class(trainees=1)
    with pytest.raises(RuleError) as error:
        inspection_record(actor=user("demo_county_furong"), training_class=training_class,
                          inspected_on=training_class.start_date - timedelta(days=1),
                          inspector="张丽", findings="x", rating="good", files=[])
    assert error.value.code == "inspection_date"


def test_the_provider_sees_inspections_but_may_not_record_one(client_for: Any) -> None:
    training_class = running_class(trainees=1)
    url = reverse("training:inspections", args=[training_class.pk])
    client = client_for("demo_provider")
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' not in page
    response = client.post(url, {"inspected_on": today().isoformat(), "inspector": "赵老师",
                                 "rating": "excellent", "findings": "自评"})
    assert response.status_code == 403 and not Inspection.objects.exists()


def test_the_assigned_evaluator_may_record_an_inspection(client_for: Any) -> None:
    training_class = running_class(trainees=1)
    url = reverse("training:inspections", args=[training_class.pk])
    assert client_for("demo_evaluator").get(url).status_code == 404  # not assigned yet
    assign_evaluator(training_class)
    response = client_for("demo_evaluator").post(url, {
        "inspected_on": today().isoformat(), "inspector": "第三方评估 陈工",
        "rating": "adequate", "findings": "教学计划执行基本到位"})
    assert response.status_code == 302
    assert Inspection.objects.get().created_by == user("demo_evaluator")


def _download(client: Any, attachment: InspectionAttachment) -> Any:
    return client.get(reverse("training:inspection_file", args=[attachment.pk]))


def test_evidence_is_served_as_a_download_with_its_chinese_name(client_for: Any) -> None:
    training_class = running_class(trainees=1)
    inspection = _record(training_class, [_upload("现场照片.png", png_bytes())])
    attachment = inspection.attachments.get()

    response = _download(client_for("demo_provider"), attachment)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png" in disposition
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(event="inspection.file_downloaded").count() == 1


@pytest.mark.parametrize(("username", "status"), [
    ("demo_province", 200), ("demo_city_changsha", 200), ("demo_county_furong", 200),
    ("demo_provider", 200), ("demo_provider_xiangxi", 404), ("demo_city_xiangxi", 404),
    ("demo_county_jishou", 404), ("demo_evaluator", 404), ("demo_trainee", 403),
    ("demo_partner", 403),
])
def test_who_may_download_evidence(client_for: Any, username: str, status: int) -> None:
    training_class = running_class(trainees=1)
    attachment = _record(training_class, [_upload("a.png", png_bytes())]).attachments.get()
    assert _download(client_for(username), attachment).status_code == status


def test_the_assigned_evaluator_may_download_evidence(client_for: Any) -> None:
    training_class = running_class(trainees=1)
    attachment = _record(training_class, [_upload("a.pdf", pdf_bytes())]).attachments.get()
    assign_evaluator(training_class)
    response = _download(client_for("demo_evaluator"), attachment)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_missing_attachment_is_404(client_for: Any) -> None:
    response = client_for("demo_province").get(
        reverse("training:inspection_file", args=[999999]))
    assert response.status_code == 404
