"""Daily attendance: the grid saves a day at a time (one audit event per save), "all present"
marks everyone, days outside the class or still to come are refused, and only the people
running a class in progress may record it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.audit.models import AuditEvent
from skillplan.core.errors import RuleError
from skillplan.training import selectors_during
from skillplan.training.choices import AttendanceMark
from skillplan.training.models import AttendanceRecord
from skillplan.training.services.attendance import attendance_all_present, attendance_save
from skillplan.training.services.enrolments import enrolment_withdraw
from tests.training.during_support import ended_class, roster, running_class, today
from tests.training.factories import user

pytestmark = pytest.mark.django_db
P, A, E, L = (AttendanceMark.PRESENT.value, AttendanceMark.ABSENT.value,
              AttendanceMark.EXCUSED.value, AttendanceMark.LATE.value)


@pytest.fixture(autouse=True)
def _setup(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _url(training_class: Any, day: Any = None) -> str:
    url = reverse("training:attendance", args=[training_class.pk])
    return f"{url}?day={day.isoformat()}" if day else url


def _marks(training_class: Any, day: Any) -> dict[int, str]:
    return selectors_during.marks_on(training_class, day)


def test_grid_save_records_each_mark_and_writes_one_audit_event(client_for: Any) -> None:
    training_class = running_class(trainees=3)
    first, second, third = roster(training_class)
    before = AuditEvent.objects.filter(event="attendance.saved").count()

    response = client_for("demo_provider").post(_url(training_class), {
        "day": today().isoformat(), f"mark_{first.pk}": P, f"mark_{second.pk}": A,
        f"mark_{third.pk}": L})

    assert response.status_code == 302
    assert _marks(training_class, today()) == {first.pk: P, second.pk: A, third.pk: L}
    events = AuditEvent.objects.filter(event="attendance.saved")
    assert events.count() == before + 1
    event = events.latest("seq")
    assert event.after["created"] == 3 and event.after["marks"][P] == 1
    assert event.after["marks"][A] == 1 and event.after["day"] == today().isoformat()


def test_saving_a_day_again_changes_only_what_differs() -> None:
    training_class = running_class(trainees=3)
    first, second, third = roster(training_class)
    clerk = user("demo_county_furong")
    attendance_save(actor=clerk, training_class=training_class, day=today(),
                    marks={first.pk: P, second.pk: P})
    saved = attendance_save(actor=clerk, training_class=training_class, day=today(),
                            marks={first.pk: P, second.pk: E, third.pk: A})
    assert (saved.created, saved.changed, saved.unchanged) == (1, 1, 1)
    assert _marks(training_class, today()) == {first.pk: P, second.pk: E, third.pk: A}
    assert AttendanceRecord.objects.filter(enrolment__training_class=training_class).count() == 3


def test_all_present_marks_every_active_trainee_but_not_the_withdrawn(client_for: Any) -> None:
    training_class = running_class(trainees=3)
    first, second, gone = roster(training_class)
    staff = user("demo_provider")
    enrolment_withdraw(actor=staff, enrolment=gone, reason="因病退出")
    yesterday = today() - timedelta(days=1)
    attendance_save(actor=staff, training_class=training_class, day=yesterday,
                    marks={first.pk: A})

    response = client_for("demo_provider").post(
        _url(training_class), {"day": yesterday.isoformat(), "all_present": "1"})

    assert response.status_code == 302 and response["Location"] == _url(training_class,
                                                                          yesterday)
    assert _marks(training_class, yesterday) == {first.pk: P, second.pk: P}
    event = AuditEvent.objects.filter(event="attendance.saved").latest("seq")
    assert event.after["bulk"] is True and event.after["marks"][P] == 2


@pytest.mark.parametrize("offset", [-4, 4])
def test_a_day_outside_the_class_is_refused_and_nothing_is_stored(
        client_for: Any, offset: int) -> None:
    training_class = running_class(trainees=2)
    first, _second = roster(training_class)
    day = today() + timedelta(days=offset)  # the class runs from today − 3 to today + 3
    with pytest.raises(RuleError) as error:
        attendance_save(actor=user("demo_provider"), training_class=training_class, day=day,
                        marks={first.pk: P})
    assert error.value.code == "day_outside_class"

    response = client_for("demo_provider").post(
        _url(training_class), {"day": day.isoformat(), f"mark_{first.pk}": P}, follow=True)
    assert "is not a day of this class" in response.content.decode()
    assert not AttendanceRecord.objects.filter(enrolment__training_class=training_class).exists()


def test_a_day_still_to_come_is_refused_and_shown_without_a_form(client_for: Any) -> None:
    training_class = running_class(trainees=2)
    first, _second = roster(training_class)
    tomorrow = today() + timedelta(days=1)
    with pytest.raises(RuleError) as error:
        attendance_all_present(actor=user("demo_provider"), training_class=training_class,
                               day=tomorrow)
    assert error.value.code == "day_in_future"
    page = client_for("demo_provider").get(_url(training_class, tomorrow)).content.decode()
    assert "has not come yet" in page and f'name="mark_{first.pk}"' not in page
    assert not AttendanceRecord.objects.exists()


def test_a_trainee_of_another_class_cannot_be_marked() -> None:
    training_class, other = running_class(trainees=1), running_class(trainees=1)
    stranger = roster(other)[0]
    with pytest.raises(RuleError) as error:
        attendance_save(actor=user("demo_provider"), training_class=training_class,
                        day=today(), marks={stranger.pk: P})
    assert error.value.code == "enrolment_unknown"
    assert not AttendanceRecord.objects.exists()


def test_an_unknown_mark_is_refused() -> None:
    training_class = running_class(trainees=1)
    with pytest.raises(RuleError) as error:
        attendance_save(actor=user("demo_provider"), training_class=training_class,
                        day=today(), marks={roster(training_class)[0].pk: "asleep"})
    assert error.value.code == "mark_invalid"


def test_the_grid_has_a_labelled_radio_group_per_trainee_and_a_day_picker(
        client_for: Any) -> None:
    training_class = running_class(trainees=2)
    first, second = roster(training_class)
    attendance_save(actor=user("demo_provider"), training_class=training_class, day=today(),
                    marks={first.pk: L})

    page = client_for("demo_provider").get(_url(training_class)).content.decode()

    for enrolment in (first, second):
        assert f"<legend>{enrolment.display_name}" in page
        assert page.count(f'name="mark_{enrolment.pk}"') == 4  # one radio per mark
    assert f'value="late" id="id_mark_{first.pk}_3" checked' in page  # saved mark shown
    assert 'name="all_present"' in page
    assert f"?day={(today() - timedelta(days=1)).isoformat()}" in page  # previous day
    assert f"?day={(today() + timedelta(days=1)).isoformat()}" in page  # next day
    assert 'type="date"' in page and "<caption" in page


def test_the_default_day_is_today_moved_into_the_class_dates(client_for: Any) -> None:
    training_class = ended_class(trainees=1, ended_days_ago=5)
    page = client_for("demo_provider").get(_url(training_class)).content.decode()
    assert f'value="{training_class.end_date.isoformat()}"' in page


def test_an_ended_class_is_shown_read_only_and_cannot_be_changed(client_for: Any) -> None:
    training_class = ended_class(trainees=1)
    enrolment = roster(training_class)[0]
    client = client_for("demo_provider")
    page = client.get(_url(training_class, training_class.end_date)).content.decode()
    assert f'name="mark_{enrolment.pk}"' not in page and "read-only" in page
    response = client.post(_url(training_class), {
        "day": training_class.end_date.isoformat(), f"mark_{enrolment.pk}": P})
    assert response.status_code == 403
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize(("username", "get_status", "post_status"), [
    ("demo_province", 200, 302), ("demo_city_changsha", 200, 302),
    ("demo_county_furong", 200, 302), ("demo_provider", 200, 302),
    ("demo_city_xiangxi", 404, 404), ("demo_provider_xiangxi", 404, 404),
    ("demo_evaluator", 404, 404), ("demo_trainee", 403, 403), ("demo_partner", 403, 403),
])
def test_who_may_see_and_record_attendance(client_for: Any, username: str, get_status: int,
                                            post_status: int) -> None:
    training_class = running_class(trainees=1)
    enrolment = roster(training_class)[0]
    client = client_for(username)
    assert client.get(_url(training_class)).status_code == get_status
    response = client.post(_url(training_class),
                           {"day": today().isoformat(), f"mark_{enrolment.pk}": P})
    assert response.status_code == post_status
    assert AttendanceRecord.objects.exists() == (post_status == 302)


def test_days_attended_count_present_and_late_but_not_absent_or_excused() -> None:
    training_class = running_class(trainees=2)
    first, second = roster(training_class)
    staff = user("demo_provider")
    for offset, marks in ((3, {first.pk: P, second.pk: A}), (2, {first.pk: L, second.pk: E}),
                          (1, {first.pk: A, second.pk: P})):
        attendance_save(actor=staff, training_class=training_class,
                        day=today() - timedelta(days=offset), marks=marks)
    assert selectors_during.attended_days(training_class) == {first.pk: 2, second.pk: 1}
    summaries = selectors_during.day_summaries(training_class)
    assert [s.present for s in summaries] == [1, 1, 1]
    assert [s.recorded for s in summaries] == [2, 2, 2]
