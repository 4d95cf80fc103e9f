"""Targets for the access matrix: records with a known owner and region."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from skillplan.accounts.models import ApiToken, User
from skillplan.accounts.tokens import token_create
from skillplan.audit.models import AuditEvent
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.imports.models import ImportUpload
from skillplan.jobs.models import Job, JobStatus
from skillplan.people.rules import check_person
from skillplan.people.services import person_create
from skillplan.regions.selectors import region_index

MATRIX_ID = make_id_number("430102", date(1988, 8, 8), 501)
TWIN_ID = make_id_number("430102", date(1988, 8, 8), 503)


@pytest.fixture
def access_targets(db, tmp_path, settings) -> dict[str, dict[str, object]]:
    settings.FILES_DIR = tmp_path / "files"
    furong = User.objects.select_related("region").get(username="demo_county_furong")
    token_create(user=furong, name="matrix")
    token = ApiToken.objects.filter(user=furong).latest("created_at")
    settings.FILES_DIR.mkdir(parents=True, exist_ok=True)
    result = settings.FILES_DIR / "exports" / "matrix.xlsx"
    result.parent.mkdir(parents=True, exist_ok=True)
    result.write_bytes(b"PK\x03\x04 matrix")
    job = Job.objects.create(
        kind="accounts.users_export", title="matrix", owner=furong,
        region_code=furong.region_code, status=JobStatus.SUCCEEDED, progress=100,
        result_file="exports/matrix.xlsx", result_filename="matrix.xlsx",
        finished_at=timezone.now(),
    )
    person = person_create(actor=furong, values=check_person(
        {"name": "访问矩阵", "id_number": MATRIX_ID, "region": "430102",
         "certificate_number": make_certificate_number(MATRIX_ID, 4, 3)},
        regions=region_index(), today=date.today()).values)
    twin = person_create(actor=furong, values=check_person(
        {"name": "访问矩阵", "id_number": TWIN_ID, "region": "430102",
         "certificate_number": make_certificate_number(TWIN_ID, 4, 3)},
        regions=region_index(), today=date.today()).values)
    trainee_id = make_id_number("430102", date(1999, 9, 9), 11)
    own = person_create(actor=furong, values=check_person(
        {"name": "周小明", "id_number": trainee_id, "region": "430102",
         "certificate_number": make_certificate_number(trainee_id, 1, 2)},
        regions=region_index(), today=date.today()).values)
    own.user = User.objects.get(username="demo_trainee")
    own.save(update_fields=["user"])
    report = settings.FILES_DIR / "reports" / "matrix-report.xlsx"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_bytes(b"PK\x03\x04 report")
    upload = ImportUpload.objects.create(
        owner=furong, kind="persons", original_filename="花名册.xlsx",
        stored_path="uploads/matrix.xlsx", size=10, sha256="0" * 64, status="ready",
        report_file="reports/matrix-report.xlsx",
    )
    event = AuditEvent.objects.order_by("-seq").first()
    return {
        "furong_account": {"pk": furong.pk},
        "furong_account_id": {"user_id": furong.pk},
        "furong_token": {"pk": token.pk},
        "furong_job": {"pk": job.pk},
        "region_furong": {"code": "430102"},
        "audit_event": {"pk": event.pk},
        "furong_person": {"pk": person.pk},
        "furong_person_id": {"person_id": person.pk},
        "furong_twin": {"pk": twin.pk},
        "furong_upload": {"pk": upload.pk},
    }
