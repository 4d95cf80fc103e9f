"""Daily attendance of a running class, saved a day at a time from the grid.

One save is one audit event with the counts (not one per cell). Marks are upserted: a second
save of the same day changes the marks that differ and leaves the rest. The class row is
locked while a day is saved, so two clerks saving the same day cannot collide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.audit.services import audit_record
from skillplan.core.errors import RuleError
from skillplan.training.choices import AttendanceMark, EnrolmentStatus
from skillplan.training.models import AttendanceRecord, TrainingClass


@dataclass(frozen=True)
class AttendanceSaved:
    """What one save did: records created, changed and left as they were; marks per kind."""

    day: date
    created: int
    changed: int
    unchanged: int
    marks: dict[str, int] = field(default_factory=dict)

    @property
    def written(self) -> int:
        return self.created + self.changed


def check_day(training_class: TrainingClass, day: date) -> None:
    """A day of the class that has already come (attendance is not entered in advance)."""
    if not training_class.start_date <= day <= training_class.end_date:
        raise RuleError("day_outside_class", _(
            "%(day)s is not a day of this class; it runs from %(start)s to %(end)s.") % {
            "day": day.isoformat(), "start": training_class.start_date.isoformat(),
            "end": training_class.end_date.isoformat()})
    if day > timezone.localdate():
        raise RuleError("day_in_future", _(
            "%(day)s has not come yet; attendance is entered on the day or afterwards.")
            % {"day": day.isoformat()})


def _locked_class(actor: Any, training_class: TrainingClass) -> TrainingClass:
    current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if not current.can_record_attendance(actor):
        raise RuleError("not_allowed", _(
            "Attendance can be recorded only by the provider or the federation running the "
            "class, while it is in progress."))
    return current


def _save(*, actor: Any, training_class: TrainingClass, day: date,
          marks: Mapping[int, str], bulk: bool) -> AttendanceSaved:
    current = _locked_class(actor, training_class)
    check_day(current, day)
    valid = set(AttendanceMark.values)
    if any(mark not in valid for mark in marks.values()):
        raise RuleError("mark_invalid", _("Choose present, absent, excused or late."))
    active = set(current.enrolments.filter(status=EnrolmentStatus.ENROLLED)
                 .values_list("pk", flat=True))
    unknown = set(marks) - active
    if unknown:
        raise RuleError("enrolment_unknown", _(
            "Some of the trainees are not (or no longer) enrolled in this class. Reload the "
            "page and enter the attendance again."))
    now = timezone.now()
    existing = {record.enrolment_id: record for record in AttendanceRecord.objects.filter(
        enrolment_id__in=list(marks), day=day)}
    new, changed = [], []
    for enrolment_id, mark in marks.items():
        record = existing.get(enrolment_id)
        if record is None:
            new.append(AttendanceRecord(enrolment_id=enrolment_id, day=day, mark=mark,
                                        recorded_by_id=actor.pk, recorded_at=now))
        elif record.mark != mark:
            record.mark, record.recorded_by_id, record.recorded_at = mark, actor.pk, now
            changed.append(record)
    AttendanceRecord.objects.bulk_create(new)
    AttendanceRecord.objects.bulk_update(changed, ["mark", "recorded_by", "recorded_at"])
    counts = Counter(marks.values())
    saved = AttendanceSaved(day=day, created=len(new), changed=len(changed),
                            unchanged=len(marks) - len(new) - len(changed),
                            marks={mark: counts.get(mark, 0) for mark in AttendanceMark.values})
    if saved.written:
        audit_record(actor=actor, event="attendance.saved", target=current,
                     region_code=current.region_code,
                     after={"day": day.isoformat(), "created": saved.created,
                            "changed": saved.changed, "marks": saved.marks, "bulk": bulk})
    return saved


@transaction.atomic
def attendance_save(*, actor: Any, training_class: TrainingClass, day: date,
                    marks: Mapping[int, str]) -> AttendanceSaved:
    """Save the marks of one day (enrolment id → mark). Trainees left out are not touched.

    RuleError codes: ``not_allowed``, ``day_outside_class``, ``day_in_future``,
    ``mark_invalid``, ``enrolment_unknown``.
    """
    return _save(actor=actor, training_class=training_class, day=day, marks=dict(marks),
                 bulk=False)


@transaction.atomic
def attendance_all_present(*, actor: Any, training_class: TrainingClass,
                           day: date) -> AttendanceSaved:
    """Mark every active trainee present on ``day`` (marks already given are overwritten)."""
    ids = training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).values_list(
        "pk", flat=True)
    return _save(actor=actor, training_class=training_class, day=day,
                 marks=dict.fromkeys(ids, AttendanceMark.PRESENT.value), bulk=True)
