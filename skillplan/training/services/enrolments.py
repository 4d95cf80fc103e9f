"""The roster of a class: enrolling registered persons and named participants, withdrawing.

Capacity holds under concurrency: a place is taken by one conditional UPDATE
(``enrolled_count = enrolled_count + 1 WHERE id = … AND enrolled_count < capacity``), never by
reading the count and writing it back; the database's row lock makes concurrent enrolments
queue on that row, and the one that finds the class full changes nothing. A CHECK constraint
(``class_not_over_capacity``) backs it up. Withdrawal gives the place back the same way.

Who may be enrolled by whom (:func:`person_in_reach`): federation staff enrol persons of the
registry in their own area (the persons they may see); provider staff, who do not see the
registry, enrol a person they find by the full ID number (the roster search and the roster
import both need the number; neither lists names).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, scope_of
from skillplan.audit.services import audit_record
from skillplan.core.errors import RuleError
from skillplan.core.masking import mask_name
from skillplan.core.models import save_new
from skillplan.core.text import normalize_text
from skillplan.people.models import Person
from skillplan.training.choices import ENROLMENT_OPEN, EnrolmentStatus
from skillplan.training.eligibility import eligibility_problems
from skillplan.training.models import Enrolment, TrainingClass

# Audit events of this module, with their labels (registered in ``apps.py``).
AUDIT_EVENTS = {
    "enrolment.created": _("Trainee enrolled in a class"),
    "enrolment.withdrawn": _("Trainee withdrawn from a class"),
    "roster.exported": _("Class roster exported"),
}


def _not_allowed() -> RuleError:
    return RuleError("not_allowed", _(
        "You may not change the roster of this class: trainees are enrolled or withdrawn by the "
        "provider or the federation over it, from approval until the class ends."))


def _class_full(training_class: TrainingClass) -> RuleError:
    return RuleError("class_full", _(
        "The class is full: all %(capacity)s places are taken.")
        % {"capacity": training_class.capacity})


def person_in_reach(actor: Any, person: Person) -> bool:
    """May ``actor`` put ``person`` on a roster? Federation staff: a person of their area;
    provider staff: any registered person (they find them by the full ID number only)."""
    scope = scope_of(actor)
    if scope.reach == Reach.PROVIDER:
        return True
    return bool(actor.has_perm(roles.VIEW_PERSON)) and scope.covers_region(person.region_code)


def _take_place(training_class: TrainingClass) -> None:
    """One conditional UPDATE; RuleError ``class_full`` (or ``not_allowed`` when the class
    left the enrolment statuses meanwhile) when no row changed."""
    taken = TrainingClass.objects.filter(
        pk=training_class.pk, status__in=ENROLMENT_OPEN, enrolled_count__lt=F("capacity"),
    ).update(enrolled_count=F("enrolled_count") + 1)
    if taken != 1:
        current = TrainingClass.objects.filter(pk=training_class.pk).values_list(
            "status", flat=True).first()
        if current not in ENROLMENT_OPEN:
            raise _not_allowed()
        raise _class_full(training_class)
    training_class.refresh_from_db(fields=["enrolled_count"])


def _free_place(training_class: TrainingClass) -> None:
    TrainingClass.objects.filter(pk=training_class.pk, enrolled_count__gt=0).update(
        enrolled_count=F("enrolled_count") - 1)
    training_class.refresh_from_db(fields=["enrolled_count"])


def _check_roster_open(actor: Any, training_class: TrainingClass) -> None:
    if not training_class.can_enrol(actor):
        raise _not_allowed()


def _insert(enrolment: Enrolment, *, actor: Any) -> Enrolment:
    """Insert in a savepoint: a concurrent enrolment of the same person into the same class
    breaks the unique constraint, which says "already enrolled"."""
    try:
        with transaction.atomic():
            return save_new(enrolment, actor=actor)  # type: ignore[return-value]
    except IntegrityError as error:
        raise RuleError("already_enrolled", _(
            "The person is already enrolled in this class.")) from error


def _audit(actor: Any, event: str, enrolment: Enrolment, after: dict[str, Any]) -> None:
    training_class = enrolment.training_class
    audit_record(
        actor=actor, event=event, target=enrolment, region_code=training_class.region_code,
        target_repr=f"{training_class.code} {mask_name(enrolment.display_name)}",
        after={"class": training_class.code, **after})


@transaction.atomic
def enrol_person(*, actor: Any, training_class: TrainingClass, person: Person,
                 enrolled_on: date | None = None) -> Enrolment:
    """Put a registered person on the roster; RuleError with the first reason they may not.

    Codes: ``not_allowed`` (the actor may not change this roster, the person is outside the
    actor's area, or the class takes named participants), the eligibility codes
    (``eligibility.py``) and ``class_full``.
    """
    _check_roster_open(actor, training_class)
    if training_class.enrols_non_registered:
        raise RuleError("not_allowed", _(
            "Employer and employment-service staff training enrols participants by name, "
            "employer and position, not persons of the registry."))
    if not person_in_reach(actor, person):
        raise RuleError("not_allowed", _(
            "This person is registered outside your area: ask the federation of their area "
            "to enrol them."))
    # One enrolment of a person at a time: the overlap check cannot race another class.
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
    problems = eligibility_problems(training_class=training_class, person=person)
    if problems:
        raise problems[0]
    _take_place(training_class)
    enrolment = _insert(Enrolment(
        training_class=training_class, person=person, status=EnrolmentStatus.ENROLLED,
        enrolled_on=enrolled_on or timezone.localdate()), actor=actor)
    _audit(actor, "enrolment.created", enrolment, {
        "person_id": person.pk, "enrolled_on": enrolment.enrolled_on.isoformat(),
        "enrolled_count": training_class.enrolled_count})
    return enrolment


def _clean(value: str, limit: int) -> str:
    return normalize_text(value)[:limit].strip()


@transaction.atomic
def enrol_participant(*, actor: Any, training_class: TrainingClass, name: str, employer: str,
                      role: str, enrolled_on: date | None = None) -> Enrolment:
    """Put a named participant (employer or employment-service staff) on the roster.

    Codes: ``not_allowed`` (not this actor, or the class enrols registered persons),
    ``name_required``, ``employer_required``, ``already_enrolled`` (the same name and employer
    are on the roster), ``class_full``.
    """
    _check_roster_open(actor, training_class)
    if not training_class.enrols_non_registered:
        raise RuleError("not_allowed", _(
            "This class enrols persons of the registry; named participants are only for "
            "employer and employment-service staff training."))
    name, employer, role = _clean(name, 50), _clean(employer, 120), _clean(role, 60)
    if not name:
        raise RuleError("name_required", _("Enter the participant's name."))
    if not employer:
        raise RuleError("employer_required", _("Enter the participant's employer."))
    if Enrolment.objects.filter(training_class=training_class, person__isnull=True,
                                participant_name=name, participant_employer=employer,
                                status=EnrolmentStatus.ENROLLED).exists():
        raise RuleError("already_enrolled", _(
            "%(name)s of %(employer)s is already enrolled in this class.")
            % {"name": name, "employer": employer})
    _take_place(training_class)
    enrolment = save_new(Enrolment(
        training_class=training_class, participant_name=name, participant_employer=employer,
        participant_role=role, status=EnrolmentStatus.ENROLLED,
        enrolled_on=enrolled_on or timezone.localdate()), actor=actor)
    assert isinstance(enrolment, Enrolment)
    _audit(actor, "enrolment.created", enrolment, {
        "participant": mask_name(name), "employer": employer, "role": role,
        "enrolled_on": enrolment.enrolled_on.isoformat(),
        "enrolled_count": training_class.enrolled_count})
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor: Any, enrolment: Enrolment, reason: str) -> Enrolment:
    """Take a trainee off the roster with a reason; the place is free again.

    Codes: ``not_allowed``, ``reason_required``, ``already_withdrawn``.
    """
    training_class = enrolment.training_class
    _check_roster_open(actor, training_class)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise RuleError("reason_required", _("Give the reason for the withdrawal."))
    now = timezone.now()
    changed = Enrolment.objects.filter(pk=enrolment.pk, status=EnrolmentStatus.ENROLLED).update(
        status=EnrolmentStatus.WITHDRAWN, withdrawn_at=now, withdraw_reason=reason,
        updated_at=now, updated_by_id=getattr(actor, "pk", None), version=F("version") + 1)
    if changed != 1:
        raise RuleError("already_withdrawn", _("This trainee has already been withdrawn."))
    _free_place(training_class)
    enrolment.refresh_from_db()
    _audit(actor, "enrolment.withdrawn", enrolment, {
        "reason": reason, "enrolled_count": training_class.enrolled_count})
    return enrolment
