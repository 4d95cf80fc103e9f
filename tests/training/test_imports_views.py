"""The roster and results imports from a class's pages: upload → check → confirm → job,
the template downloads, and who may open what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from skillplan.imports.models import ImportUpload, UploadStatus
from skillplan.jobs.models import Job, JobStatus
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import TrainingClass
from tests.training.factories import make_class, make_person, user
from tests.training.files import write_messy_roster, write_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _rows(response: Any, tmp_path: Path) -> list[list[Any]]:
    saved = tmp_path / "download.xlsx"
    saved.write_bytes(b"".join(response.streaming_content))
    return CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()


def _upload(client: Any, url: str, path: Path, capture: Any) -> ImportUpload:
    with capture(execute=True), path.open("rb") as handle:
        response = client.post(url, {"file": handle})
    upload = ImportUpload.objects.latest("created_at")
    assert response.status_code == 302
    assert response.url == reverse("training:import_preview", args=[upload.pk])
    upload.refresh_from_db()
    return upload


def test_a_messy_roster_is_checked_then_imported_from_the_class_page(
        client_for: Any, django_capture_on_commit_callbacks: Any, tmp_path: Path) -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    expected = write_messy_roster(tmp_path / "名单.xlsx", training_class.code,
                                  [make_person(), make_person()])
    client = client_for("demo_provider")
    url = reverse("training:roster_import", args=[training_class.pk])
    page = client.get(url).content.decode()
    assert training_class.code in page and 'type="file"' in page
    assert "Required columns: 身份证号." in page  # 班级编号: this class, unless given
    assert reverse("training:import_template") + "?kind=enrolments" in page

    upload = _upload(client, url, tmp_path / "名单.xlsx", django_capture_on_commit_callbacks)

    assert upload.kind == "enrolments" and upload.options == {"training_class": training_class.pk}
    assert upload.status == UploadStatus.READY
    assert (upload.summary["created"], upload.summary["rejected"]) == (2, expected["rejected"])
    assert not training_class.enrolments.exists()  # only checked
    preview = client.get(reverse("training:import_preview", args=[upload.pk])).content.decode()
    assert "Trainees to enrol" in preview and "id_mangled" not in preview
    assert reverse("training:import_report", args=[upload.pk]) in preview

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training:import_preview", args=[upload.pk]))

    job = Job.objects.get(kind="training.enrolments_import")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED
    assert training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 2
    done = client.get(reverse("training:import_preview", args=[upload.pk])).content.decode()
    assert "Trainees enrolled" in done
    assert reverse("training:roster", args=[training_class.pk]) in done
    report = _rows(client.get(reverse("training:import_report", args=[upload.pk])), tmp_path)
    assert report[0][-1] == "错误说明" and len(report) == 1 + expected["rejected"]
    recent = client.get(url).content.decode()
    assert reverse("training:import_preview", args=[upload.pk]) in recent


def test_results_are_imported_from_the_class_page(
        client_for: Any, django_capture_on_commit_callbacks: Any, tmp_path: Path) -> None:
    end = timezone.localdate() - timedelta(days=1)
    training_class = make_class(status=ClassStatus.ENDED, trainees=2,
                                start=end - timedelta(days=9), end=end)
    first, second = training_class.enrolments.select_related("person").order_by("id")
    path = write_results(tmp_path / "成绩.xlsx", [
        ["", first.person.id_number, "", 90, "合格", "", 10],
        ["", second.person.id_number, "", 55, "不合格", "", 9]])
    client = client_for("demo_provider")

    upload = _upload(client, reverse("training:results_import", args=[training_class.pk]), path,
                     django_capture_on_commit_callbacks)
    assert upload.summary["created"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:import_preview", args=[upload.pk]))

    assert list(training_class.enrolments.order_by("id").values_list("passed", flat=True)) == [
        True, False]
    training_class.refresh_from_db()
    assert training_class.results_entered_at is not None


def test_the_results_page_warns_when_the_class_takes_no_results(client_for: Any) -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    page = client_for("demo_provider").get(
        reverse("training:results_import", args=[training_class.pk])).content.decode()
    assert "every row of a file would be rejected" in page


@pytest.mark.parametrize(("kind", "headers"), [
    ("enrolments", ["班级编号", "身份证号", "报名日期", "姓名", "残疾人证号"]),
    ("completions", ["班级编号", "身份证号", "姓名", "考核成绩", "是否合格", "证书编号",
                     "出勤天数"]),
])
def test_the_templates_have_the_headers_and_a_sample_row_of_the_class(
        client_for: Any, tmp_path: Path, kind: str, headers: list[str]) -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    client = client_for("demo_provider")
    url = reverse("training:import_template")

    rows = _rows(client.get(url, {"kind": kind, "class": training_class.pk}), tmp_path)

    assert rows[0][:len(headers)] == headers and len(rows) == 2
    assert rows[1][0] == training_class.code and len(rows[1][1]) == 18
    assert _rows(client.get(url, {"kind": kind}), tmp_path)[1][0] == "HN-430100-2025-0001"
    assert client.get(url, {"kind": "persons"}).status_code == 404
    assert client.get(url).status_code == 200  # the roster template
    assert client.get(url, {"kind": kind, "class": "x"}).status_code == 404


def test_only_those_who_run_the_class_may_import_into_it(client_for: Any,
                                                        tmp_path: Path) -> None:
    training_class: TrainingClass = make_class(status=ClassStatus.APPROVED)
    roster = reverse("training:roster_import", args=[training_class.pk])
    results = reverse("training:results_import", args=[training_class.pk])
    template = reverse("training:import_template")
    for username in ("demo_provider", "demo_county_furong", "demo_city_changsha",
                     "demo_province"):
        assert client_for(username).get(roster).status_code == 200, username
        assert client_for(username).get(results).status_code == 200, username
    for username in ("demo_provider_xiangxi", "demo_county_jishou", "demo_city_xiangxi"):
        client = client_for(username)
        assert client.get(roster).status_code == 404, username
        assert client.get(template, {"kind": "enrolments", "class": training_class.pk}
                          ).status_code == 404, username
    for username in ("demo_trainee", "demo_evaluator", "demo_partner", "demo_sysadmin",
                     "demo_auditor"):
        client = client_for(username)
        assert client.get(roster).status_code == 403, username
        assert client.get(template, {"kind": "enrolments"}).status_code == 403, username
    path = write_messy_roster(tmp_path / "r.xlsx", training_class.code, [make_person()])
    with (tmp_path / "r.xlsx").open("rb") as handle:
        assert client_for("demo_provider_xiangxi").post(
            roster, {"file": handle}).status_code == 404
    assert path and not ImportUpload.objects.exists()


def test_an_upload_is_private_to_its_owner(client_for: Any, tmp_path: Path,
                                           django_capture_on_commit_callbacks: Any) -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    write_messy_roster(tmp_path / "r.xlsx", training_class.code, [make_person()])
    owner = client_for("demo_provider")
    upload = _upload(owner, reverse("training:roster_import", args=[training_class.pk]),
                     tmp_path / "r.xlsx", django_capture_on_commit_callbacks)
    preview = reverse("training:import_preview", args=[upload.pk])
    report = reverse("training:import_report", args=[upload.pk])
    assert owner.get(report).status_code == 200
    for username in ("demo_county_furong", "demo_province", "demo_provider_xiangxi"):
        other = client_for(username)
        assert other.get(preview).status_code == 404
        assert other.get(report).status_code == 404
        assert other.post(preview).status_code == 404
    assert client_for("demo_trainee").get(preview).status_code == 403
    assert not training_class.enrolments.exists()
    assert user("demo_provider").import_uploads.get().status == UploadStatus.READY
