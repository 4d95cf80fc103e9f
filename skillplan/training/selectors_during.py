"""Reads of what happens during a class and at its end: attendance, inspections, results.

The class itself comes from ``selectors.class_get`` (scoped, 404 outside scope); these read its
rows, and the evidence files through the scope of their inspection.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from skillplan.accounts import roles
from skillplan.accounts.scoping import restrict
from skillplan.training.choices import ATTENDED, EnrolmentStatus
from skillplan.training.models import (
    AttendanceRecord,
    Enrolment,
    Inspection,
    InspectionAttachment,
    TrainingClass,
)


def active_enrolments(training_class: TrainingClass) -> QuerySet[Enrolment]:
    """The trainees still on the roster, in roster order."""
    return (training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
            .select_related("person").order_by("id"))


def class_days(training_class: TrainingClass) -> list[date]:
    """Every calendar day from the first to the last day of the class."""
    span = (training_class.end_date - training_class.start_date).days
    return [training_class.start_date + timedelta(days=n) for n in range(span + 1)]


def default_day(training_class: TrainingClass) -> date:
    """Today, moved into the dates of the class."""
    return min(max(timezone.localdate(), training_class.start_date), training_class.end_date)


def marks_on(training_class: TrainingClass, day: date) -> dict[int, str]:
    """Enrolment id → mark on ``day``."""
    return dict(AttendanceRecord.objects.filter(
        enrolment__training_class=training_class, day=day).values_list("enrolment_id", "mark"))


def attendance_marks(training_class: TrainingClass) -> dict[int, dict[date, str]]:
    """Enrolment id → {day → mark} for the whole class (the export grid)."""
    grid: dict[int, dict[date, str]] = defaultdict(dict)
    for enrolment_id, day, mark in AttendanceRecord.objects.filter(
            enrolment__training_class=training_class).values_list("enrolment_id", "day",
                                                                  "mark"):
        grid[enrolment_id][day] = mark
    return grid


def attended_days(training_class: TrainingClass) -> dict[int, int]:
    """Enrolment id → days attended (present, or late / left early) from the records."""
    rows = (AttendanceRecord.objects
            .filter(enrolment__training_class=training_class, mark__in=list(ATTENDED))
            .values("enrolment_id").annotate(days=Count("id")))
    return {row["enrolment_id"]: row["days"] for row in rows}


@dataclass(frozen=True)
class DaySummary:
    day: date
    marks: dict[str, int]
    recorded: int

    @property
    def present(self) -> int:
        return sum(self.marks.get(mark, 0) for mark in ATTENDED)


def day_summaries(training_class: TrainingClass) -> list[DaySummary]:
    """Per day with any record: how many trainees had each mark (active trainees only)."""
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for row in (AttendanceRecord.objects
                .filter(enrolment__training_class=training_class,
                        enrolment__status=EnrolmentStatus.ENROLLED)
                .values("day", "mark").annotate(n=Count("id"))):
        counts[row["day"]][row["mark"]] += row["n"]
    return [DaySummary(day=day, marks=dict(marks), recorded=sum(marks.values()))
            for day, marks in sorted(counts.items())]


def inspections_of(training_class: TrainingClass) -> QuerySet[Inspection]:
    return (training_class.inspections.select_related("created_by")
            .prefetch_related("attachments").order_by("-inspected_on", "-id"))


def attachment_get(*, user: Any, pk: int) -> InspectionAttachment:
    """An evidence file of an inspection whose class ``user`` may see; 404 otherwise."""
    inspections = restrict(Inspection.objects.all(), user, permission=roles.VIEW_CLASS)
    attachment = (InspectionAttachment.objects.select_related("inspection__training_class")
                  .filter(inspection__in=inspections, pk=pk).first())
    if attachment is None:
        raise Http404
    return attachment
