"""Timeliness: the day every trainee has results, the class records how many days after its end
that was, and whether that was late (more than SKILLPLAN_RESULTS_LATE_DAYS, 15 by default).
Late and overdue classes are listed where the clerk and the province see them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.audit.models import AuditEvent
from skillplan.training.choices import ClassAction
from skillplan.training.models import ClassStep, TrainingClass
from skillplan.training.selectors import ClassFilters, class_list
from skillplan.training.services.results import class_timeliness, results_record
from tests.training.during_support import ended_class, roster
from tests.training.factories import user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _enter_all(training_class: TrainingClass, username: str = "demo_provider") -> None:
    for enrolment in roster(training_class):
        results_record(actor=user(username), enrolment=enrolment, passed=True,
                       score=Decimal("80"), attendance_days=10)
    training_class.refresh_from_db()


def test_results_entered_3_days_after_the_end_are_on_time() -> None:
    training_class = ended_class(trainees=2, ended_days_ago=3)
    _enter_all(training_class)
    assert training_class.results_entered_at is not None
    assert (training_class.results_delay_days, training_class.results_late) == (3, False)
    step = ClassStep.objects.get(training_class=training_class,
                                 action=ClassAction.RESULTS_ENTERED)
    assert step.comment == ("Results entered 3 days after the class ended: on time (within "
                            "15 days).")
    event = AuditEvent.objects.get(event="class.results_entered",
                                   target_id=str(training_class.pk))
    assert event.after["delay_days"] == 3 and event.after["late"] is False


def test_results_entered_20_days_after_the_end_are_late() -> None:
    training_class = ended_class(trainees=2, ended_days_ago=20)
    _enter_all(training_class)
    assert (training_class.results_delay_days, training_class.results_late) == (20, True)
    step = ClassStep.objects.get(training_class=training_class,
                                 action=ClassAction.RESULTS_ENTERED)
    assert "20 days" in step.comment and "late" in step.comment


def test_exactly_the_threshold_is_still_on_time_and_the_threshold_is_configurable(
        settings: Settings) -> None:
    on_the_day = ended_class(trainees=1, ended_days_ago=15)
    _enter_all(on_the_day)
    assert (on_the_day.results_delay_days, on_the_day.results_late) == (15, False)
    settings.SKILLPLAN_RESULTS_LATE_DAYS = 2
    strict = ended_class(trainees=1, ended_days_ago=3)
    _enter_all(strict)
    assert strict.results_late is True


def test_the_stamp_waits_for_every_trainee_and_then_stays() -> None:
    training_class = ended_class(trainees=2, ended_days_ago=3)
    first, second = roster(training_class)
    staff = user("demo_provider")
    results_record(actor=staff, enrolment=first, passed=True)
    training_class.refresh_from_db()
    assert training_class.results_entered_at is None
    results_record(actor=staff, enrolment=second, passed=False, score=Decimal("30"))
    training_class.refresh_from_db()
    stamped = training_class.results_entered_at
    assert stamped is not None
    results_record(actor=staff, enrolment=second, passed=True, score=Decimal("60"))
    training_class.refresh_from_db()
    assert training_class.results_entered_at == stamped
    assert ClassStep.objects.filter(training_class=training_class,
                                    action=ClassAction.RESULTS_ENTERED).count() == 1


def test_the_results_page_says_in_words_when_results_came_late(client_for: Any) -> None:
    training_class = ended_class(trainees=1, ended_days_ago=20)
    url = reverse("training:results", args=[training_class.pk])
    client = client_for("demo_provider")
    before = client.get(url).content.decode()
    assert "Overdue" in before and "1 trainee still has no results" in before
    _enter_all(training_class)
    page = client.get(url).content.decode()
    assert "20 days after the class ended: late." in page
    assert "more than 15 days after the class ended" in page
    assert training_class.end_date.isoformat() in page


def test_the_results_page_counts_down_the_days_left(client_for: Any) -> None:
    training_class = ended_class(trainees=2, ended_days_ago=5)
    page = client_for("demo_county_furong").get(
        reverse("training:results", args=[training_class.pk])).content.decode()
    assert "2 trainees still have no results." in page
    assert "10 days left before they count as late." in page


def test_late_and_overdue_classes_show_in_the_class_list_and_late_list(
        client_for: Any) -> None:
    late = ended_class(trainees=1, ended_days_ago=20)
    _enter_all(late)
    overdue = ended_class(trainees=1, ended_days_ago=18)
    on_time = ended_class(trainees=1, ended_days_ago=3)
    _enter_all(on_time)
    waiting = ended_class(trainees=1, ended_days_ago=4)

    def late_for(username: str) -> set[int]:
        return set(class_list(user=user(username), filters=ClassFilters(late="yes"))
                   .values_list("pk", flat=True))

    assert late_for("demo_city_changsha") == {late.pk, overdue.pk}
    assert late_for("demo_province") >= {late.pk, overdue.pk}
    assert late_for("demo_city_xiangxi") == set()
    assert class_timeliness(overdue).overdue is True
    assert class_timeliness(waiting).overdue is False and class_timeliness(late).late is True

    page = client_for("demo_province").get(reverse("training:late")).content.decode()
    assert late.code in page and overdue.code in page
    assert on_time.code not in page and waiting.code not in page
