"""Pages: the daily attendance grid of a class, and its Excel export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillplan.accounts import roles
from skillplan.core.errors import RuleError
from skillplan.training import exports_during, selectors_during
from skillplan.training.choices import AttendanceMark
from skillplan.training.forms_during import AttendanceForm, DayForm
from skillplan.training.models import TrainingClass
from skillplan.training.services import attendance as service
from skillplan.training.views.during import class_context, scoped_class


def _picked_day(request: HttpRequest, training_class: TrainingClass) -> tuple[date, DayForm]:
    """The day asked for (``?day=``), or today moved into the class dates."""
    fallback = selectors_during.default_day(training_class)
    if "day" not in request.GET:
        return fallback, DayForm(initial={"day": fallback})
    form = DayForm(request.GET)
    if not form.is_valid():
        return fallback, form
    day = form.cleaned_data["day"]
    if not training_class.start_date <= day <= training_class.end_date:
        form.add_error("day", _("Choose a day from %(start)s to %(end)s.") % {
            "start": training_class.start_date.isoformat(),
            "end": training_class.end_date.isoformat()})
        return fallback, form
    return day, form


def _day_url(training_class: TrainingClass, day: date) -> str:
    return f"{reverse('training:attendance', args=[training_class.pk])}?day={day.isoformat()}"


def _neighbours(training_class: TrainingClass, day: date) -> dict[str, Any]:
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    return {
        "previous_day": before if before >= training_class.start_date else None,
        "next_day": after if after <= training_class.end_date else None,
        "previous_url": _day_url(training_class, before),
        "next_url": _day_url(training_class, after),
    }


def _saved_message(saved: service.AttendanceSaved) -> str:
    present = saved.marks.get(AttendanceMark.PRESENT, 0) + saved.marks.get(AttendanceMark.LATE, 0)
    return _("Attendance of %(day)s saved: %(present)s present of %(marked)s marked.") % {
        "day": saved.day.isoformat(), "present": present, "marked": sum(saved.marks.values())}


def _post(request: HttpRequest, training_class: TrainingClass,
          form: AttendanceForm) -> HttpResponse | None:
    """Save the grid (or mark everyone present); a redirect when done, None on errors."""
    if not form.is_valid():
        return None
    day = form.cleaned_data["day"]
    try:
        if "all_present" in request.POST:
            saved = service.attendance_all_present(actor=request.user,
                                                   training_class=training_class, day=day)
        else:
            saved = service.attendance_save(actor=request.user, training_class=training_class,
                                            day=day, marks=form.marks())
    except RuleError as error:
        # Only a tampered or stale page gets here (the grid offers the class's past days
        # and its active trainees): say why, and show the grid again.
        messages.error(request, str(error.message))
        return redirect(_day_url(training_class, selectors_during.default_day(training_class)))
    messages.success(request, _saved_message(saved))
    return redirect(_day_url(training_class, day))


def _overview(training_class: TrainingClass, enrolments: list[Any]) -> list[dict[str, Any]]:
    attended = selectors_during.attended_days(training_class)
    return [{"enrolment": e, "attended": attended.get(e.pk, 0)} for e in enrolments]


@login_required
@permission_required(roles.VIEW_CLASS, raise_exception=True)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    can_record = training_class.can_record_attendance(request.user)
    enrolments = list(selectors_during.active_enrolments(training_class))
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        form = AttendanceForm(request.POST, enrolments=enrolments)
        done = _post(request, training_class, form)
        if done is not None:
            return done
        day = form.cleaned_data.get("day") or selectors_during.default_day(training_class)
        if not training_class.start_date <= day <= training_class.end_date:
            day = selectors_during.default_day(training_class)
        day_form = DayForm(initial={"day": day})
        marks = selectors_during.marks_on(training_class, day)
    else:
        day, day_form = _picked_day(request, training_class)
        marks = selectors_during.marks_on(training_class, day)
        form = AttendanceForm(enrolments=enrolments, initial={
            "day": day, **{f"mark_{pk}": mark for pk, mark in marks.items()}})
    future = day > timezone.localdate()
    labels = dict(AttendanceMark.choices)
    return render(request, "training/attendance.html", {
        **class_context(request, training_class), "day": day, "day_form": day_form,
        "form": form if can_record and not future else None, "future": future,
        "can_record": can_record, **_neighbours(training_class, day),
        "rows": [{"enrolment": e, "mark": labels.get(marks.get(e.pk, ""), "")}
                 for e in enrolments],
        "summaries": selectors_during.day_summaries(training_class),
        "overview": _overview(training_class, enrolments),
    })


@login_required
@permission_required(roles.EXPORT_CLASSES, raise_exception=True)
@require_POST
def attendance_export(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    job = exports_during.attendance_export_start(actor=request.user,
                                                 training_class=training_class)
    return redirect("jobs:detail", pk=job.pk)
