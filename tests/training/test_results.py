"""Completion results per trainee: the rules of results_record, the results grid (one request,
all rows or none, errors next to the field and in the summary), changes audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from skillplan.audit.models import AuditEvent
from skillplan.certificates.models import TrainingCertificate
from skillplan.core.errors import RuleError
from skillplan.training.choices import ClassStatus
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.services.attendance import attendance_save
from skillplan.training.services.results import results_record
from tests.training.during_support import ended_class, roster, running_class
from tests.training.factories import make_class, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _record(enrolment: Enrolment, username: str = "demo_provider", **values: Any) -> Enrolment:
    values.setdefault("passed", True)
    return results_record(actor=user(username), enrolment=enrolment, **values)


def _code(enrolment: Enrolment, username: str = "demo_provider", **values: Any) -> str:
    with pytest.raises(RuleError) as error:
        _record(enrolment, username, **values)
    return error.value.code


def test_results_are_stored_with_who_and_when() -> None:
    training_class = ended_class(trainees=2)
    enrolment = roster(training_class)[0]
    _record(enrolment, score=Decimal("86.5"), attendance_days=9,
            certificate_number=" hnpx-2026-0001 ")
    enrolment.refresh_from_db()
    assert (enrolment.passed, enrolment.score, enrolment.attendance_days) == (
        True, Decimal("86.5"), 9)
    assert enrolment.certificate_number == "HNPX-2026-0001"
    assert enrolment.results_entered_by == user("demo_provider")
    assert enrolment.results_entered_at is not None
    event = AuditEvent.objects.get(event="enrolment.results_recorded",
                                   target_id=str(enrolment.pk))
    assert event.after == {"passed": True, "score": "86.5", "attendance_days": 9,
                           "certificate_number": "HNPX-2026-0001"}


@pytest.mark.parametrize(("values", "code"), [
    ({"score": Decimal("100.5")}, "score_range"),
    ({"score": Decimal("-1")}, "score_range"),
    ({"score": Decimal("85.25")}, "score_range"),
    ({"attendance_days": 11}, "attendance_range"),
    ({"attendance_days": -1}, "attendance_range"),
    ({"certificate_number": "HNPX 2026/01"}, "certificate_format"),
    ({"certificate_number": "A" * 41}, "certificate_format"),
    ({"certificate_number": "HNPX-1", "passed": False}, "certificate_not_passed"),
])
def test_values_out_of_range_are_refused_and_nothing_changes(values: dict[str, Any],
                                                             code: str) -> None:
    enrolment = roster(ended_class(trainees=1))[0]  # a class of 10 training days
    assert _code(enrolment, **values) == code
    enrolment.refresh_from_db()
    assert enrolment.passed is None and enrolment.version == 1


def test_a_certificate_number_used_by_another_trainee_is_refused() -> None:
    first, second = roster(ended_class(trainees=2))
    _record(first, certificate_number="HNPX-2026-0007")
    assert _code(second, certificate_number="hnpx-2026-0007") == "certificate_duplicate"
    _record(first, certificate_number="HNPX-2026-0007", score=Decimal("90"))  # its own: fine


def test_a_certificate_number_already_issued_is_refused() -> None:
    issued_class = make_class(status=ClassStatus.COMPLETION_APPROVED, trainees=1)
    holder = roster(issued_class)[0]
    number = TrainingCertificate.objects.filter(enrolment=holder).values_list(
        "number", flat=True).first()
    if number is None:  # certificates not issued by the lifecycle yet: issue one by hand
        number = "HNPX-2026-430102-00001"
        TrainingCertificate.objects.create(
            number=number, enrolment=holder, training_class=issued_class,
            holder_name=holder.display_name, project_name="面点", provider_name="阳光",
            start_date=issued_class.start_date, end_date=issued_class.end_date, hours=60,
            issued_on=timezone.localdate(), region_code=issued_class.region_code)
    enrolment = roster(ended_class(trainees=1))[0]
    assert _code(enrolment, certificate_number=number) == "certificate_duplicate"


@pytest.mark.parametrize("username", ["demo_evaluator", "demo_city_xiangxi",
                                      "demo_provider_xiangxi"])
def test_only_those_running_the_class_may_enter_results(username: str) -> None:
    enrolment = roster(ended_class(trainees=1))[0]
    assert _code(enrolment, username) == "not_allowed"


def test_results_wait_for_the_end_of_the_class() -> None:
    enrolment = roster(running_class(trainees=1))[0]
    assert _code(enrolment) == "not_allowed"


def test_a_changed_result_is_audited_with_before_and_after() -> None:
    enrolment = roster(ended_class(trainees=1))[0]
    _record(enrolment, score=Decimal("55"), attendance_days=6)
    _record(enrolment, passed=False, score=Decimal("55"), attendance_days=6)
    _record(enrolment, passed=False, score=Decimal("55"), attendance_days=6)  # no change
    events = AuditEvent.objects.filter(event="enrolment.results_recorded",
                                       target_id=str(enrolment.pk)).order_by("seq")
    assert events.count() == 2
    assert (events[1].before, events[1].after) == ({"passed": True}, {"passed": False})


# --- the results page ------------------------------------------------------------------------


def _url(training_class: TrainingClass) -> str:
    return reverse("training:results", args=[training_class.pk])


def _row(enrolment: Enrolment, passed: str = "yes", score: str = "", days: str = "",
         number: str = "") -> dict[str, str]:
    prefix = f"r{enrolment.pk}"
    return {f"{prefix}-passed": passed, f"{prefix}-score": score,
            f"{prefix}-attendance_days": days, f"{prefix}-certificate_number": number}


def test_the_grid_saves_every_row_in_one_request(client_for: Any) -> None:
    training_class = ended_class(trainees=3)
    first, second, third = roster(training_class)
    response = client_for("demo_county_furong").post(_url(training_class), {
        **_row(first, "yes", "91.5", "10"), **_row(second, "no", "40", "4"),
        **_row(third, "yes", "", "", "HNPX-X-1")})
    assert response.status_code == 302
    saved = {e.pk: (e.passed, e.score, e.attendance_days, e.certificate_number)
             for e in roster(training_class)}
    assert saved == {first.pk: (True, Decimal("91.5"), 10, ""),
                     second.pk: (False, Decimal("40.0"), 4, ""),
                     third.pk: (True, None, None, "HNPX-X-1")}


def test_a_refused_row_saves_nothing_and_is_shown_next_to_the_field(client_for: Any) -> None:
    first, second = roster(ended_class(trainees=2))
    _record(first, certificate_number="HNPX-DUP-1")
    training_class = ended_class(trainees=2)
    mine, other = roster(training_class)
    response = client_for("demo_provider").post(_url(training_class), {
        **_row(mine, "yes", "80", "10", "HNPX-DUP-1"), **_row(other, "", "70")})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_r{mine.pk}-certificate_number_error"' in page
    assert f'href="#id_r{mine.pk}-certificate_number"' in page
    assert f'href="#id_r{other.pk}-passed"' in page  # pass/fail is required
    assert f'id="id_r{other.pk}-passed"' in page  # the fieldset the link points to
    assert "already used by another trainee" in page and "Nothing was saved" in page
    assert not Enrolment.objects.filter(pk__in=[mine.pk, other.pk],
                                        passed__isnull=False).exists()


def test_days_attended_are_prefilled_from_the_attendance_records(client_for: Any) -> None:
    training_class = running_class(trainees=1)
    enrolment = roster(training_class)[0]
    staff = user("demo_provider")
    for offset in (3, 2, 1):
        attendance_save(actor=staff, training_class=training_class,
                        day=timezone.localdate() - timedelta(days=offset),
                        marks={enrolment.pk: "present" if offset != 2 else "absent"})
    from skillplan.training.services.classes import class_end

    class_end(actor=staff, training_class=training_class)
    page = client_for("demo_provider").get(_url(training_class)).content.decode()
    assert f'name="r{enrolment.pk}-attendance_days" value="2"' in page
    assert "合格" in page and "不合格" in page


@pytest.mark.parametrize(("username", "status"), [
    ("demo_province", 200), ("demo_city_changsha", 200), ("demo_county_furong", 200),
    ("demo_provider", 200), ("demo_city_xiangxi", 404), ("demo_provider_xiangxi", 404),
    ("demo_evaluator", 404), ("demo_trainee", 403), ("demo_partner", 403),
])
def test_who_may_open_the_results(client_for: Any, username: str, status: int) -> None:
    training_class = ended_class(trainees=1)
    assert client_for(username).get(_url(training_class)).status_code == status


def test_results_are_read_only_once_completion_is_submitted(client_for: Any) -> None:
    training_class = make_class(status=ClassStatus.COMPLETION_SUBMITTED, trainees=1)
    enrolment = roster(training_class)[0]
    client = client_for("demo_provider")
    page = client.get(_url(training_class)).content.decode()
    assert f'name="r{enrolment.pk}-passed"' not in page and "Passed (合格)" in page
    response = client.post(_url(training_class), _row(enrolment, "no", "10"))
    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.passed is True
