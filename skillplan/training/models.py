"""Training classes (培训班) from 开班申请 to 结业审核: roster, attendance and inspections.

A class is opened by a provider (or a federation clerk on its behalf) for a published catalog
project, approved by the federation level set in ``SKILLPLAN_CLASS_APPROVAL_LEVEL``, run, ended,
its results entered, its completion reviewed, and closed; certificates come out on completion
approval (``skillplan.certificates``). Every transition is one service in ``services.py`` that
stamps who and when and writes a :class:`ClassStep` row (the timeline) and an audit event.

Predicates here say what may happen next; the services check the same predicates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import ScopeFields, can_act_on_region, scope_of
from skillplan.catalog.choices import TrainingType
from skillplan.core.models import TrackedModel
from skillplan.training.choices import (
    CANCELLABLE,
    EDITABLE,
    ENROLMENT_OPEN,
    RESULTS_OPEN,
    ApprovalLevel,
    AttendanceMark,
    ClassAction,
    ClassStatus,
    EnrolmentStatus,
    InspectionRating,
)

# Training types whose participants are not registered disabled persons (employers' staff,
# employment-service staff): they are enrolled by name, employer and role.
NON_REGISTRY_TYPES = frozenset({TrainingType.EMPLOYER, TrainingType.SERVICE_STAFF})


def approval_level() -> str:
    """The federation level that approves applications and completion (configuration)."""
    return str(getattr(settings, "SKILLPLAN_CLASS_APPROVAL_LEVEL", ApprovalLevel.CITY))


def results_late_days() -> int:
    """Days after the class ends within which results must be entered (15 by default)."""
    return int(getattr(settings, "SKILLPLAN_RESULTS_LATE_DAYS", 15))


def _has(user: Any, permission: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(permission))


class ClassCodeCounter(models.Model):
    """The last sequence number used for class codes of one city and year (HN-430100-2025-0001)."""

    city_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city_code", "year"],
                                               name="class_code_counter_unique")]

    def __str__(self) -> str:
        return f"{self.city_code}-{self.year}: {self.last}"


class TrainingClass(TrackedModel):
    code = models.CharField(_("class code"), max_length=24, unique=True, editable=False)
    name = models.CharField(_("class name"), max_length=120)
    project = models.ForeignKey("catalog.TrainingProject", verbose_name=_("training project"),
                                on_delete=models.PROTECT, related_name="classes")
    provider = models.ForeignKey("providers.Provider", verbose_name=_("training provider"),
                                 on_delete=models.PROTECT, related_name="classes")
    region = models.ForeignKey("regions.Region", verbose_name=_("county where it is held"),
                               on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   editable=False)
    training_type = models.CharField(_("training type"), max_length=20,
                                     choices=TrainingType.choices, editable=False)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    days = models.PositiveSmallIntegerField(_("training days"),
                                            validators=[MinValueValidator(1)])
    hours = models.PositiveSmallIntegerField(_("class hours"), validators=[MinValueValidator(1)])
    venue = models.CharField(_("venue"), max_length=200)
    venue_accessible = models.BooleanField(_("the venue is accessible"), default=False)
    venue_accessibility_note = models.CharField(_("accessibility of the venue"),
                                                max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1),
                                                                     MaxValueValidator(1000)])
    # Enrolled (not withdrawn) trainees; changed only by a conditional UPDATE in the enrolment
    # service, so that concurrent enrolments can never pass the capacity.
    enrolled_count = models.PositiveIntegerField(_("enrolled"), default=0, editable=False)
    teachers = models.TextField(_("teachers"), max_length=1000, blank=True,
                                help_text=_("Names and subjects, one teacher per line."))
    accommodations = models.PositiveIntegerField(_("accommodations offered"), default=0)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2,
                                 default=Decimal("0"), validators=[MinValueValidator(0)])
    status = models.CharField(_("status"), max_length=24, choices=ClassStatus.choices,
                              default=ClassStatus.DRAFT, db_index=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="evaluated_classes",
                                  verbose_name=_("third-party evaluator"))
    # Stamps of the lifecycle (the timeline has every step; these are the latest).
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    review_comment = models.CharField(_("review comment"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    results_entered_at = models.DateTimeField(_("results entered at"), null=True, blank=True)
    results_delay_days = models.PositiveIntegerField(
        _("days from the end of the class to the results"), null=True, blank=True)
    results_late = models.BooleanField(_("results entered late"), default=False, db_index=True)
    completion_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("completion submitted by"))
    completion_submitted_at = models.DateTimeField(_("completion submitted at"), null=True,
                                                   blank=True)
    completion_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("completion approved by"))
    completion_approved_at = models.DateTimeField(_("completion approved at"), null=True,
                                                  blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancellation"), max_length=300, blank=True)

    # Federation staff see the classes of their region; providers their own; a third-party
    # evaluator the classes assigned to them.
    scope_fields = ScopeFields(region="region_code", provider="provider_id",
                               owner="evaluator_id")

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        indexes = [
            models.Index(fields=["status", "region_code"], name="class_status_region"),
            models.Index(fields=["provider", "status"], name="class_provider_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="class_dates_in_order"),
            models.CheckConstraint(condition=Q(enrolled_count__lte=models.F("capacity")),
                                   name="class_not_over_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def city_code(self) -> str:
        return self.region_code[:4]

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.enrolled_count, 0)

    @property
    def enrols_non_registered(self) -> bool:
        """Employer and service-staff training: participants need not be registered persons."""
        return self.training_type in NON_REGISTRY_TYPES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    # --- what may happen next (the services check the same predicates) -------------------

    def _run_by(self, user: Any, permission: str = roles.CHANGE_CLASS) -> bool:
        """Does ``user`` run this class: its provider's staff, or federation staff over it?"""
        if not _has(user, permission):
            return False
        if getattr(user, "provider_id", None):
            return user.provider_id == self.provider_id
        return can_act_on_region(user, self.region_code, permission=permission)

    def prepared_by(self, user: Any) -> bool:
        """Did ``user`` create or submit this class (they may not approve it: maker-checker)?"""
        pk = getattr(user, "pk", None)
        return pk is not None and pk in (self.created_by_id, self.submitted_by_id)

    def _approver(self, user: Any) -> bool:
        """Federation staff of the configured level over this class's region."""
        return (_has(user, roles.APPROVE_CLASS) and user.role == approval_level()
                and scope_of(user).covers_region(self.region_code))

    def can_change(self, user: Any) -> bool:
        return self.is_editable and self._run_by(user)

    def can_submit(self, user: Any) -> bool:
        return self.can_change(user)

    def can_review(self, user: Any) -> bool:
        """Approve or return the application; never by the one who prepared it."""
        return (self.status == ClassStatus.SUBMITTED and self._approver(user)
                and not self.prepared_by(user))

    def can_start(self, user: Any) -> bool:
        return self.status == ClassStatus.APPROVED and self._run_by(user)

    def can_end(self, user: Any) -> bool:
        return self.status == ClassStatus.IN_PROGRESS and self._run_by(user)

    def can_enrol(self, user: Any) -> bool:
        return self.status in ENROLMENT_OPEN and self._run_by(user)

    def can_record_attendance(self, user: Any) -> bool:
        return self.status == ClassStatus.IN_PROGRESS and self._run_by(user)

    def can_inspect(self, user: Any) -> bool:
        """Federation staff over the class, or its assigned third-party evaluator."""
        if self.status not in (ClassStatus.IN_PROGRESS, ClassStatus.ENDED):
            return False
        if not _has(user, roles.INSPECT_CLASS):
            return False
        if self.evaluator_id is not None and user.pk == self.evaluator_id:
            return True
        return scope_of(user).covers_region(self.region_code)

    def can_enter_results(self, user: Any) -> bool:
        return self.status in RESULTS_OPEN and self._run_by(user)

    def can_submit_completion(self, user: Any) -> bool:
        return self.status == ClassStatus.ENDED and self._run_by(user)

    def can_review_completion(self, user: Any) -> bool:
        return (self.status == ClassStatus.COMPLETION_SUBMITTED and self._approver(user)
                and user.pk != self.completion_submitted_by_id)

    def can_close(self, user: Any) -> bool:
        return self.status == ClassStatus.COMPLETION_APPROVED and (
            self._run_by(user) or self._approver(user))

    def can_cancel(self, user: Any) -> bool:
        return self.status in CANCELLABLE and (self._run_by(user) or self._approver(user))


class ClassStep(models.Model):
    """One step of a class's timeline: who did what, when, from which status to which, why."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE,
                                       related_name="steps")
    action = models.CharField(max_length=24, choices=ClassAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=24, choices=ClassStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=ClassStatus.choices, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.training_class_id}: {self.action}"


class Enrolment(TrackedModel):
    """One trainee on a class roster: a registered person, or (employer and service-staff
    training) a named participant; with the completion results once entered."""

    training_class = models.ForeignKey(TrainingClass, verbose_name=_("training class"),
                                       on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="enrolments")
    participant_name = models.CharField(_("participant's name"), max_length=50, blank=True)
    participant_employer = models.CharField(_("employer"), max_length=120, blank=True)
    participant_role = models.CharField(_("position"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ENROLLED, db_index=True)
    enrolled_on = models.DateField(_("date of enrolment"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    # Completion results (结业考核): entered after the class ends, by form or import.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True,
                                blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    attendance_days = models.PositiveSmallIntegerField(_("days attended"), null=True,
                                                       blank=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=40, blank=True,
        help_text=_("Leave empty to have the number generated when completion is approved."))
    results_entered_at = models.DateTimeField(_("results entered at"), null=True, blank=True)
    results_entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+",
                                           verbose_name=_("results entered by"))

    scope_fields = ScopeFields(region="training_class__region_code",
                               provider="training_class__provider_id", owner="person__user_id")

    class Meta:
        ordering = ["training_class", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"], condition=Q(status="enrolled"),
                name="enrolment_person_once_per_class"),
            models.UniqueConstraint(
                fields=["certificate_number"], condition=~Q(certificate_number=""),
                name="enrolment_certificate_number_unique"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(participant_name=""),
                name="enrolment_names_someone"),
        ]

    def __str__(self) -> str:
        return f"{self.training_class_id}: {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.participant_name

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ENROLLED

    @property
    def has_results(self) -> bool:
        return self.passed is not None


class AttendanceRecord(models.Model):
    """One trainee's attendance on one day of a class."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE,
                                  related_name="attendance")
    day = models.DateField(_("day"))
    mark = models.CharField(_("attendance"), max_length=10, choices=AttendanceMark.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["enrolment", "day"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"],
                                               name="attendance_once_a_day")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.day}: {self.mark}"


class Inspection(TrackedModel):
    """A 过程检查 visit during the class: who inspected, what they found, how it rated."""

    training_class = models.ForeignKey(TrainingClass, verbose_name=_("training class"),
                                       on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField(_("date of inspection"))
    inspector = models.CharField(_("inspector"), max_length=100)
    findings = models.TextField(_("findings"), max_length=3000)
    rating = models.CharField(_("rating"), max_length=10, choices=InspectionRating.choices)

    scope_fields = ScopeFields(region="training_class__region_code",
                               provider="training_class__provider_id",
                               owner="training_class__evaluator_id")

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.inspected_on}"


class InspectionAttachment(models.Model):
    """Evidence of an inspection (images or PDF), stored under FILES_DIR, served as a download."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE,
                                   related_name="attachments")
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
