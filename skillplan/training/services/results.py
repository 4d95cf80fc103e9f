"""Completion results (结业考核) per trainee, and how soon after the class they were entered.

:func:`results_record` is the one write path for a trainee's results: the results form, the
completion import (template 3) and any command call it row by row. After each call
:func:`class_results_timeliness` stamps the class the moment every active trainee has results:
when, how many days after the last day of the class, and whether that was late (more than
``SKILLPLAN_RESULTS_LATE_DAYS`` days, 15 by default). The first stamp stays: results changed
later (still while the class is ended) are audited, but do not move it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skillplan.audit.services import audit_record
from skillplan.core.errors import RuleError
from skillplan.core.models import save_versioned
from skillplan.core.text import normalize_text
from skillplan.training.choices import ClassAction, EnrolmentStatus
from skillplan.training.models import Enrolment, TrainingClass, results_late_days
from skillplan.training.selectors import results_overdue_days
from skillplan.training.services.steps import step_record

SCORE_MIN, SCORE_MAX = Decimal("0"), Decimal("100")
CERTIFICATE_NUMBER = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
CERTIFICATE_MAX = 40
RESULT_FIELDS = ("passed", "score", "attendance_days", "certificate_number")


@dataclass(frozen=True)
class Timeliness:
    """How soon after the end of a class its results were (or are being) entered."""

    end_date: Any
    days_since_end: int  # today − last day, never negative
    late_after_days: int  # the configured threshold
    entered_at: Any  # None until every active trainee has results
    delay_days: int | None
    late: bool  # entered late, or not yet entered and already past the threshold
    overdue: bool  # not yet entered and already past the threshold

    @property
    def days_left(self) -> int:
        """Days still allowed before results not yet entered count as late."""
        return max(self.late_after_days - self.days_since_end, 0)


def _not_allowed(message: Any = None) -> RuleError:
    return RuleError("not_allowed", message or _(
        "Results can be entered only by the provider or the federation running the class, "
        "after the class has ended and before completion is submitted."))


def clean_score(value: Decimal | int | float | str | None) -> Decimal | None:
    """The score as a Decimal with one decimal place at most, 0 to 100; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise _score_error() from exc
    if not score.is_finite() or not SCORE_MIN <= score <= SCORE_MAX:
        raise _score_error()
    exponent = score.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -1:
        raise _score_error()
    return score.quantize(Decimal("0.1"))


def _score_error() -> RuleError:
    return RuleError("score_range", _(
        "The score must be a number from 0 to 100, with at most one decimal place."))


def clean_certificate_number(value: object) -> str:
    """Upper-cased, trimmed; letters, digits and single hyphens, at most 40 characters."""
    number = normalize_text(value).upper()
    if not number:
        return ""
    if len(number) > CERTIFICATE_MAX or not CERTIFICATE_NUMBER.fullmatch(number):
        raise RuleError("certificate_format", _(
            "A certificate number has at most 40 letters, digits and hyphens (for example "
            "HNPX-2025-0001). Leave it empty to have one generated."))
    return number


def _check_certificate_unique(number: str, enrolment: Enrolment) -> None:
    from skillplan.certificates.models import TrainingCertificate

    if not number:
        return
    used = (Enrolment.objects.filter(certificate_number=number).exclude(pk=enrolment.pk)
            .exists()
            or TrainingCertificate.objects.filter(number=number)
            .exclude(enrolment_id=enrolment.pk).exists())
    if used:
        raise RuleError("certificate_duplicate", _(
            "Certificate number %(number)s is already used by another trainee or certificate; "
            "give a different number, or leave it empty to have one generated.")
            % {"number": number})


def _check_attendance(days: int | None, training_class: TrainingClass) -> int | None:
    if days is None:
        return None
    if not 0 <= int(days) <= training_class.days:
        raise RuleError("attendance_range", _(
            "Days attended must be from 0 to %(days)s, the number of training days of the "
            "class.") % {"days": training_class.days})
    return int(days)


def _result_snapshot(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "passed": enrolment.passed,
        "score": str(enrolment.score) if enrolment.score is not None else None,
        "attendance_days": enrolment.attendance_days,
        "certificate_number": enrolment.certificate_number,
    }


@transaction.atomic
def results_record(*, actor: Any, enrolment: Enrolment, passed: bool,
                   score: Decimal | None = None, attendance_days: int | None = None,
                   certificate_number: str = "") -> Enrolment:
    """Record (or change) one trainee's completion results; then stamp the class's timeliness.

    RuleError codes: ``not_allowed``, ``passed_required``, ``score_range``,
    ``attendance_range``, ``certificate_format``, ``certificate_not_passed``,
    ``certificate_duplicate``.
    """
    locked = (Enrolment.objects.select_for_update().select_related("training_class")
              .get(pk=enrolment.pk))
    training_class = locked.training_class
    if not training_class.can_enter_results(actor):
        raise _not_allowed()
    if locked.status != EnrolmentStatus.ENROLLED:
        raise _not_allowed(_("This trainee has withdrawn from the class; results cannot be "
                             "entered for them."))
    if passed is None:
        raise RuleError("passed_required", _("Say whether the trainee passed (合格) or not."))
    new_score = clean_score(score)
    new_days = _check_attendance(attendance_days, training_class)
    number = clean_certificate_number(certificate_number)
    if number and not passed:
        raise RuleError("certificate_not_passed", _(
            "Only a trainee who passed gets a certificate number; clear the number or mark "
            "the trainee as passed."))
    _check_certificate_unique(number, locked)

    before = _result_snapshot(locked)
    locked.passed, locked.score = bool(passed), new_score
    locked.attendance_days, locked.certificate_number = new_days, number
    after = _result_snapshot(locked)
    if before != after:
        first = locked.results_entered_at is None
        if first:
            locked.results_entered_at = timezone.now()
            locked.results_entered_by_id = getattr(actor, "pk", None)
        save_versioned(locked, actor=actor, expected_version=locked.version,
                       fields=[*RESULT_FIELDS, "results_entered_at", "results_entered_by_id"])
        changed = [key for key in after if before[key] != after[key]]
        audit_record(actor=actor, event="enrolment.results_recorded", target=locked,
                     region_code=training_class.region_code,
                     before=None if first else {key: before[key] for key in changed},
                     after={key: after[key] for key in changed})
    class_results_timeliness(training_class, actor=actor)
    # Hand the caller's object the saved values.
    for name in (*RESULT_FIELDS, "results_entered_at", "results_entered_by_id", "version",
                 "updated_at", "updated_by_id"):
        setattr(enrolment, name, getattr(locked, name))
    return enrolment


def _delay_comment(delay: int, late: bool, threshold: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if late:
            return gettext("Results entered %(days)s days after the class ended: late (more "
                           "than %(limit)s days).") % {"days": delay, "limit": threshold}
        return gettext("Results entered %(days)s days after the class ended: on time (within "
                       "%(limit)s days).") % {"days": delay, "limit": threshold}


@transaction.atomic
def class_results_timeliness(training_class: TrainingClass, *, actor: Any = None) -> bool:
    """Stamp when the results of the class were complete, once; True when it stamped now.

    The stamp is written the moment every active (not withdrawn) trainee has results:
    ``results_entered_at`` = now, ``results_delay_days`` = local date of now − last day of the
    class (never negative), ``results_late`` = delay > the configured threshold. A class with
    no active trainee is never stamped.
    """
    current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if current.results_entered_at is not None:
        return False
    active = current.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    if not active.exists() or active.filter(passed__isnull=True).exists():
        return False
    now = timezone.now()
    delay = max((timezone.localdate(now) - current.end_date).days, 0)
    threshold = results_late_days()
    late = delay > threshold
    # A stamp, not an edit: the class's version stays, so nobody's open form goes stale.
    TrainingClass.objects.filter(pk=current.pk).update(
        results_entered_at=now, results_delay_days=delay, results_late=late)
    for target in (current, training_class):
        target.results_entered_at, target.results_delay_days = now, delay
        target.results_late = late
    step_record(current, action=ClassAction.RESULTS_ENTERED, actor=actor,
                from_status=current.status, to_status=current.status,
                comment=_delay_comment(delay, late, threshold))
    audit_record(actor=actor, event="class.results_entered", target=current,
                 region_code=current.region_code,
                 after={"delay_days": delay, "late": late, "late_after_days": threshold,
                        "trainees": active.count()})
    return True


def class_timeliness(training_class: TrainingClass) -> Timeliness:
    """What the results page and the late list say about a class (read only)."""
    today = timezone.localdate()
    threshold = results_late_days()
    since = max((today - training_class.end_date).days, 0)
    entered = training_class.results_entered_at
    overdue = results_overdue_days(training_class, today) is not None
    return Timeliness(
        end_date=training_class.end_date, days_since_end=since, late_after_days=threshold,
        entered_at=entered, delay_days=training_class.results_delay_days,
        late=bool(training_class.results_late) or overdue, overdue=overdue)
