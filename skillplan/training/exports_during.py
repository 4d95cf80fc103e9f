"""Excel exports of one class: its attendance (one row per trainee, one column per day) and its
results, as background jobs (kinds ``training.attendance_export`` and
``training.results_export``).

Each job loads the class again through the scoped selector with the job owner as the user, at
run time, so a job never shows what its owner may no longer see. ID numbers are masked. Each
export is one audit event (``attendance.exported``, ``results.exported``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillplan.accounts import roles
from skillplan.audit.services import audit_record
from skillplan.core.exports import Column, export_xlsx
from skillplan.core.masking import mask_id_number
from skillplan.jobs.models import Job
from skillplan.jobs.services import job_finish, job_start
from skillplan.training import selectors_during
from skillplan.training.choices import AttendanceMark
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.selectors import class_get

ATTENDANCE_KIND = "training.attendance_export"
RESULTS_KIND = "training.results_export"
EXPORTS_DIR = "exports"


def _start(actor: Any, kind: str, title: Any, training_class: TrainingClass) -> Job:
    if not actor.has_perm(roles.EXPORT_CLASSES):
        raise PermissionDenied
    return job_start(owner=actor, kind=kind,
                     title=f"{title} {training_class.code}",
                     params={"class": training_class.pk})


def attendance_export_start(*, actor: Any, training_class: TrainingClass) -> Job:
    return _start(actor, ATTENDANCE_KIND, gettext_lazy("Attendance export"), training_class)


def results_export_start(*, actor: Any, training_class: TrainingClass) -> Job:
    return _start(actor, RESULTS_KIND, gettext_lazy("Results export"), training_class)


def _id_number(enrolment: Enrolment) -> str:
    return mask_id_number(enrolment.person.id_number) if enrolment.person_id else ""


def _trainee_columns() -> list[Column[Enrolment]]:
    return [
        Column(gettext_lazy("Full name"), lambda e: e.display_name,
               text=True),
        Column(gettext_lazy("ID number (masked)"), _id_number,
               text=True),
        Column(gettext_lazy("Employer"),
               lambda e: e.participant_employer, text=True),
    ]


def attendance_columns(training_class: TrainingClass) -> list[Column[Enrolment]]:
    marks = selectors_during.attendance_marks(training_class)
    attended = selectors_during.attended_days(training_class)
    labels = {value: str(label) for value, label in AttendanceMark.choices}

    def mark_on(day: Any) -> Callable[[Enrolment], str]:
        return lambda e: labels.get(marks.get(e.pk, {}).get(day, ""), "")

    columns = _trainee_columns()
    columns += [Column(day.isoformat(), mark_on(day), text=True)
                for day in selectors_during.class_days(training_class)]
    columns.append(Column(gettext_lazy("Days attended"),
                          lambda e: attended.get(e.pk, 0)))
    return columns


def results_columns() -> list[Column[Enrolment]]:
    def passed(enrolment: Enrolment) -> str:
        if enrolment.passed is None:
            return ""
        return _("Passed (合格)") if enrolment.passed else _("Failed (不合格)")

    return [
        *_trainee_columns(),
        Column(gettext_lazy("Result"), passed),
        Column(gettext_lazy("Score"), lambda e: e.score),
        Column(gettext_lazy("Days attended"),
               lambda e: e.attendance_days),
        Column(gettext_lazy("Certificate number"),
               lambda e: e.certificate_number, text=True),
        Column(gettext_lazy("Results entered at"),
               lambda e: e.results_entered_at, datetime=True),
    ]


def _write(job: Job, training_class: TrainingClass, *, name: str, columns: list[Column[Any]],
           event: str) -> None:
    relative = f"{EXPORTS_DIR}/{job.pk}.xlsx"
    target = Path(settings.FILES_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = selectors_during.active_enrolments(training_class)
    count = export_xlsx(target, sheet_title=training_class.code, columns=columns, rows=rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    with transaction.atomic():
        job_finish(job, result={"rows": count}, result_file=relative,
                   result_filename=f"{name}-{training_class.code}-{stamp}.xlsx",
                   message=_("%(count)s rows exported.") % {"count": count})
        audit_record(actor=job.owner, event=event, target=training_class,
                     region_code=training_class.region_code,
                     after={"rows": count, "job": str(job.pk)})


def _class_of(job: Job) -> TrainingClass:
    """The job's class, if its owner may still see and export it (Http404 otherwise)."""
    if not job.owner.has_perm(roles.EXPORT_CLASSES):
        raise PermissionDenied
    return class_get(user=job.owner, pk=int(job.params["class"]))


def export_attendance(job: Job) -> None:
    training_class = _class_of(job)
    with translation.override(settings.LANGUAGE_CODE):
        _write(job, training_class, name="attendance",
               columns=attendance_columns(training_class), event="attendance.exported")


def export_results(job: Job) -> None:
    training_class = _class_of(job)
    with translation.override(settings.LANGUAGE_CODE):
        _write(job, training_class, name="results", columns=results_columns(),
               event="results.exported")
