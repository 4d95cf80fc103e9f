"""The lifecycle of a training class, one service per step:

草稿 draft → 开班申请 submitted → approved (or returned with comments, changed, submitted
again) → in progress → ended → results entered → 结业审核 completion submitted → completion
approved (certificates issued; or returned to "ended") → closed; cancelled with a reason at any
point before completion is approved.

Each service is keyword-only and atomic: it locks the class row, checks the model's predicate on
the fresh row (so two people pressing the same button cannot both succeed), stamps who and
when, writes one :class:`ClassStep` (the timeline) and one audit event. Rule failures raise
:class:`RuleError` with a stable code (``not_allowed``, ``status_invalid``, ``same_person``,
``not_approver`` …) and a message a clerk understands.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.roles import Role
from skillplan.accounts.scoping import can_act_on_region, scope_of
from skillplan.audit.services import audit_record
from skillplan.catalog.rules import Problem
from skillplan.core.errors import RuleError
from skillplan.core.models import save_new, save_versioned
from skillplan.training.choices import (
    CANCELLABLE,
    EDITABLE,
    ApprovalLevel,
    ClassAction,
    ClassStatus,
    EnrolmentStatus,
)
from skillplan.training.models import ClassCodeCounter, TrainingClass, approval_level
from skillplan.training.rules import ClassInvalid, ClassValues, check_class, class_code
from skillplan.training.services.steps import step_record

VALUE_FIELDS = (
    "name", "project", "provider", "region", "start_date", "end_date", "days", "hours",
    "venue", "venue_accessible", "venue_accessibility_note", "capacity", "teachers",
    "accommodations", "budget",
)  # fmt: skip
STORED_FIELDS = [*VALUE_FIELDS, "region_code", "training_type", "code"]


# --- helpers ---------------------------------------------------------------------------------


def snapshot(training_class: TrainingClass) -> dict[str, Any]:
    """The class's values as the audit trail keeps them (the project by its code, the provider
    by its name, the county by its code)."""
    data: dict[str, Any] = {"project": training_class.project.code,
                            "provider": training_class.provider.name}
    for name in STORED_FIELDS:
        if name in ("project", "provider", "region"):
            continue  # named above; the region by region_code
        value = getattr(training_class, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else (
            str(value) if name == "budget" else value)
    return data


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None)


def _not_allowed() -> RuleError:
    return RuleError("not_allowed", _(
        "Your account may not take this step for this class."))


def _status_error(training_class: TrainingClass) -> RuleError:
    return RuleError("status_invalid", _(
        "This class is now “%(status)s”, so this step is not possible. Reload the page to see "
        "what has changed.") % {"status": training_class.get_status_display()})


def _check_may_prepare(actor: Any, values: ClassValues) -> None:
    """Provider staff open classes of their own provider; federation clerks in their area."""
    if not (actor.is_authenticated and actor.has_perm(roles.CHANGE_CLASS)):
        raise _not_allowed()
    if getattr(actor, "provider_id", None):
        if values.provider is not None and values.provider.pk != actor.provider_id:
            raise ClassInvalid([Problem("provider", "provider_not_yours", _(
                "You can open classes of your own institution only."))])
        return
    if values.region is not None and not can_act_on_region(
            actor, values.region.code, permission=roles.CHANGE_CLASS):
        raise ClassInvalid([Problem("region", "region_out_of_scope", _(
            "You can open classes in your own area only; choose a county of your area or ask "
            "that area's federation."))])


def _validate(actor: Any, values: ClassValues) -> None:
    problems = check_class(values)
    if problems:
        raise ClassInvalid(problems)
    _check_may_prepare(actor, values)


def _apply(training_class: TrainingClass, values: ClassValues) -> None:
    for name in VALUE_FIELDS:
        setattr(training_class, name, getattr(values, name))
    training_class.region_code = values.region.code
    training_class.training_type = values.project.training_type


def _next_code(city_code: str, year: int) -> str:
    """The next free code of the city and year; the counter row is locked until commit, so
    concurrent openings in one city wait for each other and never share a number."""
    city_code = city_code[:4]
    counter = (ClassCodeCounter.objects.select_for_update()
               .filter(city_code=city_code, year=year).first())
    if counter is None:
        try:
            with transaction.atomic():
                counter = ClassCodeCounter.objects.create(city_code=city_code, year=year)
        except IntegrityError:  # another opening created it meanwhile: wait for its lock
            counter = ClassCodeCounter.objects.select_for_update().get(city_code=city_code,
                                                                       year=year)
    number = counter.last + 1
    while TrainingClass.objects.filter(code=class_code(city_code, year, number)).exists():
        number += 1  # a code taken outside the counter (e.g. loaded data): skip it
    counter.last = number
    counter.save(update_fields=["last"])
    return class_code(city_code, year, number)


def _locked(training_class: TrainingClass) -> TrainingClass:
    return TrainingClass.objects.select_for_update().get(pk=training_class.pk)


def _transition(actor: Any, training_class: TrainingClass, *, to: str, action: str,
                event: str, comment: str = "", **stamps: Any) -> TrainingClass:
    old = training_class.status
    TrainingClass.objects.filter(pk=training_class.pk).update(
        status=to, updated_at=timezone.now(), updated_by_id=_actor_id(actor),
        version=F("version") + 1, **stamps)
    training_class.refresh_from_db()
    step_record(training_class, action=action, actor=actor, from_status=old, to_status=to,
                comment=comment)
    after: dict[str, Any] = {"status": to}
    if comment:
        after["comment"] = comment[:500]
    audit_record(actor=actor, event=event, target=training_class,
                 region_code=training_class.region_code, before={"status": old}, after=after)
    return training_class


def _done(original: TrainingClass, fresh: TrainingClass) -> TrainingClass:
    """Let the caller's instance see the new state too."""
    if original is not fresh:
        original.refresh_from_db()
    return fresh


def _check_reviewer(actor: Any, training_class: TrainingClass, status: str) -> None:
    """The application or the completion is reviewed by the configured level, never by the
    one who prepared or submitted it."""
    if training_class.status != status:
        raise _status_error(training_class)
    if not (actor.is_authenticated and actor.has_perm(roles.APPROVE_CLASS)
            and actor.role == approval_level()
            and scope_of(actor).covers_region(training_class.region_code)):
        raise RuleError("not_approver", _(
            "Classes are reviewed by the %(level)s over the class's area; your account cannot "
            "review this class.") % {"level": ApprovalLevel(approval_level()).label})
    if status == ClassStatus.SUBMITTED and training_class.prepared_by(actor):
        raise RuleError("same_person", _(
            "You opened or submitted this class yourself, so another person of the federation "
            "must review it (one prepares, another approves)."))
    if status == ClassStatus.COMPLETION_SUBMITTED and (
            actor.pk == training_class.completion_submitted_by_id):
        raise RuleError("same_person", _(
            "You submitted the completion of this class yourself, so another person of the "
            "federation must review it (one prepares, another approves)."))


def _comment_required(comment: str, message: Any) -> str:
    comment = (comment or "").strip()
    if len(comment) < 2:
        raise RuleError("comment_required", message)
    return comment[:500]


def may_ever_review(user: Any) -> bool:
    """Is ``user`` of the federation level that reviews classes (wherever the class is)?"""
    return bool(user.is_authenticated and user.has_perm(roles.APPROVE_CLASS)
                and user.role == approval_level())


def can_assign_evaluator(user: Any, training_class: TrainingClass) -> bool:
    """Federation staff over the class choose its third-party evaluator until it is closed."""
    return (training_class.status not in (ClassStatus.CLOSED, ClassStatus.CANCELLED)
            and user.is_authenticated and user.has_perm(roles.APPROVE_CLASS)
            and scope_of(user).covers_region(training_class.region_code))


# --- create and change -----------------------------------------------------------------------


@transaction.atomic
def class_create(*, actor: Any, values: ClassValues) -> TrainingClass:
    """A new draft class with a generated code (HN-430100-2025-0001)."""
    _validate(actor, values)
    training_class = TrainingClass(status=ClassStatus.DRAFT)
    _apply(training_class, values)
    assert values.start_date is not None
    training_class.code = _next_code(values.region.code, values.start_date.year)
    save_new(training_class, actor=actor)
    step_record(training_class, action=ClassAction.CREATED, actor=actor,
                to_status=ClassStatus.DRAFT)
    audit_record(actor=actor, event="class.created", target=training_class,
                 region_code=training_class.region_code, after=snapshot(training_class))
    return training_class


@transaction.atomic
def class_update(*, actor: Any, training_class: TrainingClass, values: ClassValues,
                 expected_version: int) -> TrainingClass:
    """Change a draft or returned class. When its city or the year of its first day changes,
    the class gets a new code of that city and year (the old number stays unused)."""
    current = _locked(training_class)
    if not current.can_change(actor):
        raise _status_error(current) if current.status not in EDITABLE else _not_allowed()
    _validate(actor, values)
    before = snapshot(current)
    _apply(current, values)
    assert values.start_date is not None
    old_city, old_year = training_class.code.split("-")[1][:4], training_class.code.split("-")[2]
    if (values.region.code[:4], str(values.start_date.year)) != (old_city, old_year):
        current.code = _next_code(values.region.code, values.start_date.year)
    save_versioned(current, actor=actor, expected_version=expected_version,
                   fields=STORED_FIELDS)
    after = snapshot(current)
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        step_record(current, action=ClassAction.CHANGED, actor=actor,
                    from_status=current.status, to_status=current.status)
        audit_record(actor=actor, event="class.changed", target=current,
                     region_code=current.region_code,
                     before={key: before.get(key) for key in changed},
                     after={key: after[key] for key in changed})
    return _done(training_class, current)


# --- the application -------------------------------------------------------------------------


def _values_of(training_class: TrainingClass) -> ClassValues:
    return ClassValues(**{name: getattr(training_class, name) for name in VALUE_FIELDS})


@transaction.atomic
def class_submit(*, actor: Any, training_class: TrainingClass, comment: str = ""
                 ) -> TrainingClass:
    """开班申请: send a draft (or a returned class) to the federation for approval."""
    current = _locked(training_class)
    if not current.can_submit(actor):
        raise _status_error(current) if current.status not in EDITABLE else _not_allowed()
    problems = check_class(_values_of(current))  # the project may have been withdrawn since
    if problems:
        raise ClassInvalid(problems)
    now = timezone.now()
    fresh = _transition(actor, current, to=ClassStatus.SUBMITTED, action=ClassAction.SUBMITTED,
                        event="class.submitted", comment=(comment or "").strip(),
                        submitted_by_id=_actor_id(actor), submitted_at=now)
    return _done(training_class, fresh)


@transaction.atomic
def class_approve(*, actor: Any, training_class: TrainingClass, comment: str = ""
                  ) -> TrainingClass:
    current = _locked(training_class)
    _check_reviewer(actor, current, ClassStatus.SUBMITTED)
    comment = (comment or "").strip()[:500]
    fresh = _transition(actor, current, to=ClassStatus.APPROVED, action=ClassAction.APPROVED,
                        event="class.approved", comment=comment,
                        approved_by_id=_actor_id(actor), approved_at=timezone.now(),
                        review_comment=comment)
    return _done(training_class, fresh)


@transaction.atomic
def class_return(*, actor: Any, training_class: TrainingClass, comment: str) -> TrainingClass:
    """Send the application back to the provider with what must change."""
    comment = _comment_required(comment, _(
        "Say what must change before the class can be approved."))
    current = _locked(training_class)
    _check_reviewer(actor, current, ClassStatus.SUBMITTED)
    fresh = _transition(actor, current, to=ClassStatus.RETURNED, action=ClassAction.RETURNED,
                        event="class.returned", comment=comment, review_comment=comment)
    return _done(training_class, fresh)


# --- running the class -----------------------------------------------------------------------


@transaction.atomic
def class_start(*, actor: Any, training_class: TrainingClass) -> TrainingClass:
    current = _locked(training_class)
    if not current.can_start(actor):
        raise (_status_error(current) if current.status != ClassStatus.APPROVED
               else _not_allowed())
    today = timezone.localdate()
    if today < current.start_date:
        raise RuleError("too_early", _(
            "The class begins on %(date)s; start it on or after its first day.") % {
            "date": current.start_date.isoformat()})
    fresh = _transition(actor, current, to=ClassStatus.IN_PROGRESS, action=ClassAction.STARTED,
                        event="class.started", started_at=timezone.now())
    return _done(training_class, fresh)


@transaction.atomic
def class_end(*, actor: Any, training_class: TrainingClass) -> TrainingClass:
    """The class is over: results may be entered now (they are late after
    ``SKILLPLAN_RESULTS_LATE_DAYS`` days from its last day)."""
    current = _locked(training_class)
    if not current.can_end(actor):
        raise (_status_error(current) if current.status != ClassStatus.IN_PROGRESS
               else _not_allowed())
    fresh = _transition(actor, current, to=ClassStatus.ENDED, action=ClassAction.ENDED,
                        event="class.ended", ended_at=timezone.now())
    return _done(training_class, fresh)


# --- completion ------------------------------------------------------------------------------


@transaction.atomic
def class_submit_completion(*, actor: Any, training_class: TrainingClass, comment: str = ""
                            ) -> TrainingClass:
    """结业审核: the results of every trainee go to the federation for review."""
    current = _locked(training_class)
    if not current.can_submit_completion(actor):
        raise (_status_error(current) if current.status != ClassStatus.ENDED
               else _not_allowed())
    active = current.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    if not active.exists():
        raise RuleError("no_trainees", _(
            "Nobody is enrolled in this class, so there is no completion to review. Cancel the "
            "class instead if it did not take place."))
    missing = active.filter(passed__isnull=True).count()
    if missing:
        raise RuleError("results_missing", ngettext(
            "%(count)s trainee has no result yet: enter pass or fail for every trainee before "
            "submitting the completion.",
            "%(count)s trainees have no result yet: enter pass or fail for every trainee "
            "before submitting the completion.", missing) % {"count": missing})
    fresh = _transition(actor, current, to=ClassStatus.COMPLETION_SUBMITTED,
                        action=ClassAction.COMPLETION_SUBMITTED,
                        event="class.completion_submitted", comment=(comment or "").strip(),
                        completion_submitted_by_id=_actor_id(actor),
                        completion_submitted_at=timezone.now())
    return _done(training_class, fresh)


@transaction.atomic
def class_approve_completion(*, actor: Any, training_class: TrainingClass, comment: str = ""
                             ) -> TrainingClass:
    """Approve the completion; in the same transaction every passed trainee gets a training
    certificate (培训合格证书)."""
    from skillplan.certificates.services import certificates_issue_for_class

    current = _locked(training_class)
    _check_reviewer(actor, current, ClassStatus.COMPLETION_SUBMITTED)
    comment = (comment or "").strip()[:500]
    fresh = _transition(actor, current, to=ClassStatus.COMPLETION_APPROVED,
                        action=ClassAction.COMPLETION_APPROVED,
                        event="class.completion_approved", comment=comment,
                        completion_approved_by_id=_actor_id(actor),
                        completion_approved_at=timezone.now(), review_comment=comment)
    issued = certificates_issue_for_class(actor=actor, training_class=fresh)
    with translation.override(settings.LANGUAGE_CODE):
        note = ngettext("%(count)s training certificate issued.",
                        "%(count)s training certificates issued.", len(issued)) % {
            "count": len(issued)}
    step_record(fresh, action=ClassAction.CERTIFICATES_ISSUED, actor=actor, comment=note)
    return _done(training_class, fresh)


@transaction.atomic
def class_return_completion(*, actor: Any, training_class: TrainingClass, comment: str
                            ) -> TrainingClass:
    """Send the completion back: the class is "ended" again and its results may be corrected."""
    comment = _comment_required(comment, _(
        "Say what must be corrected before the completion can be approved."))
    current = _locked(training_class)
    _check_reviewer(actor, current, ClassStatus.COMPLETION_SUBMITTED)
    fresh = _transition(actor, current, to=ClassStatus.ENDED,
                        action=ClassAction.COMPLETION_RETURNED,
                        event="class.completion_returned", comment=comment,
                        review_comment=comment)
    return _done(training_class, fresh)


@transaction.atomic
def class_close(*, actor: Any, training_class: TrainingClass, comment: str = ""
                ) -> TrainingClass:
    current = _locked(training_class)
    if not current.can_close(actor):
        raise (_status_error(current) if current.status != ClassStatus.COMPLETION_APPROVED
               else _not_allowed())
    fresh = _transition(actor, current, to=ClassStatus.CLOSED, action=ClassAction.CLOSED,
                        event="class.closed", comment=(comment or "").strip(),
                        closed_at=timezone.now())
    return _done(training_class, fresh)


@transaction.atomic
def class_cancel(*, actor: Any, training_class: TrainingClass, reason: str) -> TrainingClass:
    """Cancel the class (any time before its completion is approved), saying why."""
    reason = _comment_required(reason, _(
        "Say why the class is cancelled; the reason is kept with the class."))[:300]
    current = _locked(training_class)
    if not current.can_cancel(actor):
        raise (_status_error(current) if current.status not in CANCELLABLE
               else _not_allowed())
    fresh = _transition(actor, current, to=ClassStatus.CANCELLED, action=ClassAction.CANCELLED,
                        event="class.cancelled", comment=reason, cancelled_at=timezone.now(),
                        cancel_reason=reason)
    return _done(training_class, fresh)


@transaction.atomic
def class_assign_evaluator(*, actor: Any, training_class: TrainingClass, evaluator: Any
                           ) -> TrainingClass:
    """Choose (or, with ``None``, remove) the third-party evaluator who inspects the class."""
    current = _locked(training_class)
    if not can_assign_evaluator(actor, current):
        raise (_status_error(current)
               if current.status in (ClassStatus.CLOSED, ClassStatus.CANCELLED)
               else _not_allowed())
    if evaluator is not None and (evaluator.role != Role.EVALUATOR or not evaluator.is_active):
        raise RuleError("not_evaluator", _(
            "Choose an active account of a third-party evaluator."))
    old_id = current.evaluator_id
    new_id = getattr(evaluator, "pk", None)
    if old_id == new_id:
        return _done(training_class, current)
    TrainingClass.objects.filter(pk=current.pk).update(
        evaluator_id=new_id, updated_at=timezone.now(), updated_by_id=_actor_id(actor),
        version=F("version") + 1)
    current.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        note = (gettext("Third-party evaluator: %(name)s") % {"name": evaluator.display_name}
                if evaluator is not None else gettext("Third-party evaluator removed"))
    step_record(current, action=ClassAction.CHANGED, actor=actor, from_status=current.status,
                to_status=current.status, comment=note)
    audit_record(actor=actor, event="class.evaluator_assigned", target=current,
                 region_code=current.region_code, before={"evaluator": old_id},
                 after={"evaluator": new_id})
    return _done(training_class, current)
