"""The words of a training class (培训班): its lifecycle, enrolment, attendance and inspections.

Values are stable codes; labels are English msgids translated through the zh_Hans catalog.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Application submitted, awaiting approval")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved, not yet started")
    IN_PROGRESS = "in_progress", _("In progress")
    ENDED = "ended", _("Ended, results being entered")
    COMPLETION_SUBMITTED = "completion_submitted", _("Completion submitted, awaiting review")
    COMPLETION_APPROVED = "completion_approved", _("Completion approved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# The provider may change the class only while it is being prepared.
EDITABLE = frozenset({ClassStatus.DRAFT, ClassStatus.RETURNED})
# Trainees may be enrolled or withdrawn from approval until the class ends.
ENROLMENT_OPEN = frozenset({ClassStatus.APPROVED, ClassStatus.IN_PROGRESS})
# Results may be entered after the class has ended and before completion is submitted.
RESULTS_OPEN = frozenset({ClassStatus.ENDED})
# A class may be cancelled at any point before it is closed (and not twice).
CANCELLABLE = frozenset(set(ClassStatus) - {ClassStatus.CLOSED, ClassStatus.CANCELLED,
                                             ClassStatus.COMPLETION_APPROVED})
# Statuses in which the class is "running" (counted in lists of current work).
ACTIVE = frozenset({ClassStatus.APPROVED, ClassStatus.IN_PROGRESS, ClassStatus.ENDED,
                    ClassStatus.COMPLETION_SUBMITTED})


class ClassAction(models.TextChoices):
    """The steps of the timeline shown on the class page (one ClassStep row each)."""

    CREATED = "created", _("Class created")
    CHANGED = "changed", _("Class details changed")
    SUBMITTED = "submitted", _("Application submitted (开班申请)")
    APPROVED = "approved", _("Application approved")
    RETURNED = "returned", _("Application returned with comments")
    STARTED = "started", _("Class started")
    ENDED = "ended", _("Class ended")
    RESULTS_ENTERED = "results_entered", _("Results entered")
    COMPLETION_SUBMITTED = "completion_submitted", _("Completion submitted (结业审核)")
    COMPLETION_APPROVED = "completion_approved", _("Completion approved")
    COMPLETION_RETURNED = "completion_returned", _("Completion returned with comments")
    CERTIFICATES_ISSUED = "certificates_issued", _("Certificates issued")
    CLOSED = "closed", _("Class closed")
    CANCELLED = "cancelled", _("Class cancelled")
    INSPECTED = "inspected", _("Inspection recorded (过程检查)")


class ApprovalLevel(models.TextChoices):
    """Which federation level approves class applications and completion (configuration)."""

    PROVINCE = "province", _("Province federation")
    CITY = "city", _("City federation")
    COUNTY = "county", _("County federation")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AttendanceMark(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused absence")
    LATE = "late", _("Late or left early")


# Marks that count as a day attended.
ATTENDED = frozenset({AttendanceMark.PRESENT, AttendanceMark.LATE})


class InspectionRating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    ADEQUATE = "adequate", _("Adequate")
    POOR = "poor", _("Needs improvement")
