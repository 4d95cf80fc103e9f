"""The lifecycle of a class through its services: codes, every step, every refusal, the
timeline and the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from skillplan.accounts.roles import Role
from skillplan.audit.models import AuditEvent
from skillplan.certificates.models import TrainingCertificate
from skillplan.core.errors import RuleError
from skillplan.training.choices import ClassAction, ClassStatus
from skillplan.training.models import ClassCodeCounter, TrainingClass
from skillplan.training.rules import ClassInvalid
from skillplan.training.services import classes as svc
from skillplan.training.services.enrolments import enrol_person
from skillplan.training.services.results import results_record
from tests.training.factories import (
    approver_for,
    class_values,
    demo_provider,
    make_class,
    make_person,
    make_project,
    staff,
    user,
)

pytestmark = pytest.mark.django_db
LIFECYCLE_EVENTS = {"class.created", "class.changed", "class.submitted", "class.approved",
                    "class.returned", "class.started", "class.ended",
                    "class.completion_submitted", "class.completion_approved",
                    "class.completion_returned", "class.closed", "class.cancelled"}
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _steps(training_class: TrainingClass) -> list[tuple[str, str, str]]:
    return [(step.action, step.from_status, step.to_status)
            for step in training_class.steps.order_by("at", "id")]


# --- codes -----------------------------------------------------------------------------------


def test_codes_count_per_city_and_year() -> None:
    project = make_project()
    this_year = TODAY().year
    first = make_class(project=project, start=TODAY().replace(month=1, day=2),
                       end=TODAY().replace(month=1, day=11))
    second = make_class(project=project, start=TODAY().replace(month=1, day=2),
                        end=TODAY().replace(month=1, day=11))
    last_year = make_class(project=project, start=TODAY().replace(year=this_year - 1, month=3,
                                                                   day=1),
                           end=TODAY().replace(year=this_year - 1, month=3, day=10))
    assert first.code == f"HN-430100-{this_year}-0001"
    assert second.code == f"HN-430100-{this_year}-0002"
    assert last_year.code == f"HN-430100-{this_year - 1}-0001"
    counter = ClassCodeCounter.objects.get(city_code="4301", year=this_year)
    assert counter.last == 2


def test_another_city_has_its_own_sequence() -> None:
    changsha = make_class()
    xiangxi = make_class(provider=demo_provider("433101"))
    year = changsha.start_date.year
    assert changsha.code == f"HN-430100-{year}-0001"
    assert xiangxi.code == f"HN-433100-{year}-0001"
    assert xiangxi.region_code == "433101"


def test_a_code_taken_outside_the_counter_is_skipped() -> None:
    first = make_class()
    year = first.start_date.year
    TrainingClass.objects.filter(pk=first.pk).update(code=f"HN-430100-{year}-0002")
    second = make_class()
    assert second.code == f"HN-430100-{year}-0003"


def test_moving_a_draft_to_another_year_gives_it_a_code_of_that_year() -> None:
    training_class = make_class()
    old_code = training_class.code
    start = training_class.start_date.replace(year=training_class.start_date.year - 1)
    values = class_values(project=training_class.project, provider=training_class.provider,
                          start=start, end=start + timedelta(days=9))
    svc.class_update(actor=user("demo_provider"), training_class=training_class,
                     values=values, expected_version=training_class.version)
    training_class.refresh_from_db()
    assert training_class.code == f"HN-430100-{start.year}-0001"
    assert training_class.code != old_code
    assert AuditEvent.objects.filter(event="class.changed",
                                     target_id=str(training_class.pk)).exists()


# --- the application ------------------------------------------------------------------------


def test_the_whole_path_stamps_every_step() -> None:
    provider_staff = user("demo_provider")
    training_class = make_class(status=ClassStatus.CLOSED, trainees=2)
    assert training_class.status == ClassStatus.CLOSED
    assert [action for action, _old, _new in _steps(training_class)] == [
        ClassAction.CREATED, ClassAction.SUBMITTED, ClassAction.APPROVED,
        ClassAction.STARTED, ClassAction.ENDED, ClassAction.RESULTS_ENTERED,
        ClassAction.COMPLETION_SUBMITTED, ClassAction.COMPLETION_APPROVED,
        ClassAction.CERTIFICATES_ISSUED, ClassAction.CLOSED]
    assert training_class.submitted_by == provider_staff
    assert training_class.approved_by == user("demo_city_changsha")
    for stamp in ("submitted_at", "approved_at", "started_at", "ended_at",
                  "completion_submitted_at", "completion_approved_at", "closed_at"):
        assert getattr(training_class, stamp) is not None, stamp
    assert training_class.completion_approved_by == user("demo_city_changsha")
    assert TrainingCertificate.objects.filter(
        enrolment__training_class=training_class).count() == 2
    issued = training_class.steps.get(action=ClassAction.CERTIFICATES_ISSUED)
    assert "2" in issued.comment
    events = [event for event in AuditEvent.objects.filter(
        target_type="training.trainingclass", target_id=str(training_class.pk))
        .order_by("seq").values_list("event", flat=True) if event in LIFECYCLE_EVENTS]
    assert events == ["class.created", "class.submitted", "class.approved", "class.started",
                      "class.ended", "class.completion_submitted",
                      "class.completion_approved", "class.closed"]


def test_a_returned_class_carries_the_comment_and_can_be_submitted_again() -> None:
    training_class = make_class(status=ClassStatus.RETURNED)
    assert training_class.review_comment == "请补充师资情况"
    assert _steps(training_class)[-1] == (ClassAction.RETURNED, ClassStatus.SUBMITTED,
                                          ClassStatus.RETURNED)
    step = training_class.steps.get(action=ClassAction.RETURNED)
    assert step.comment == "请补充师资情况" and step.actor == user("demo_city_changsha")
    svc.class_submit(actor=user("demo_provider"), training_class=training_class)
    assert training_class.status == ClassStatus.SUBMITTED


def test_return_needs_a_comment() -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    with pytest.raises(RuleError) as error:
        svc.class_return(actor=user("demo_city_changsha"), training_class=training_class,
                         comment=" ")
    assert error.value.code == "comment_required"
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED


def test_the_clerk_who_opened_a_class_cannot_approve_it() -> None:
    clerk = user("demo_city_changsha")
    training_class = make_class(actor=clerk, status=ClassStatus.SUBMITTED)
    assert not training_class.can_review(clerk)
    with pytest.raises(RuleError) as error:
        svc.class_approve(actor=clerk, training_class=training_class)
    assert error.value.code == "same_person"
    other = staff(Role.CITY, "4301")
    svc.class_approve(actor=other, training_class=training_class)
    assert training_class.status == ClassStatus.APPROVED
    assert training_class.approved_by == other


@pytest.mark.parametrize("username", ["demo_province", "demo_county_furong"])
def test_only_the_configured_level_approves(username: str) -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    with pytest.raises(RuleError) as error:
        svc.class_approve(actor=user(username), training_class=training_class)
    assert error.value.code == "not_approver"
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.SUBMITTED
    assert not training_class.steps.filter(action=ClassAction.APPROVED).exists()


def test_the_approval_level_is_configuration(settings: Settings) -> None:
    settings.SKILLPLAN_CLASS_APPROVAL_LEVEL = "province"
    training_class = make_class(status=ClassStatus.SUBMITTED)
    with pytest.raises(RuleError):
        svc.class_approve(actor=user("demo_city_changsha"), training_class=training_class)
    svc.class_approve(actor=user("demo_province"), training_class=training_class)
    assert training_class.status == ClassStatus.APPROVED


def test_a_clerk_of_another_city_cannot_approve() -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    with pytest.raises(RuleError) as error:
        svc.class_approve(actor=user("demo_city_xiangxi"), training_class=training_class)
    assert error.value.code == "not_approver"


def test_providers_cannot_approve() -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    with pytest.raises(RuleError):
        svc.class_approve(actor=user("demo_provider"), training_class=training_class)


def test_another_provider_cannot_submit() -> None:
    training_class = make_class()
    with pytest.raises(RuleError) as error:
        svc.class_submit(actor=user("demo_provider_xiangxi"), training_class=training_class)
    assert error.value.code == "not_allowed"
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.DRAFT


def test_approving_twice_is_refused_with_the_current_status() -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    with pytest.raises(RuleError) as error:
        svc.class_approve(actor=user("demo_city_changsha"), training_class=training_class)
    assert error.value.code == "status_invalid"
    assert "Approved" in str(error.value.message)


def test_a_class_whose_project_was_withdrawn_cannot_be_submitted() -> None:
    training_class = make_class()
    project = training_class.project
    from skillplan.catalog import services as catalog_services

    catalog_services.project_withdraw(actor=user("demo_province"), project=project,
                                      reason="停办")
    with pytest.raises(ClassInvalid) as error:
        svc.class_submit(actor=user("demo_provider"), training_class=training_class)
    assert error.value.code == "project_not_published"


def test_an_approved_class_can_no_longer_be_changed() -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    values = class_values(project=training_class.project, provider=training_class.provider)
    with pytest.raises(RuleError) as error:
        svc.class_update(actor=user("demo_provider"), training_class=training_class,
                         values=values, expected_version=training_class.version)
    assert error.value.code == "status_invalid"


def test_a_stale_version_is_refused() -> None:
    training_class = make_class()
    values = class_values(project=training_class.project, provider=training_class.provider)
    with pytest.raises(RuleError) as error:
        svc.class_update(actor=user("demo_provider"), training_class=training_class,
                         values=values, expected_version=training_class.version - 1 or 99)
    assert error.value.code == "stale_version"


# --- running ------------------------------------------------------------------------------


def test_a_class_starts_on_its_first_day_not_before() -> None:
    start = TODAY() + timedelta(days=3)
    training_class = make_class(status=ClassStatus.APPROVED, start=start,
                                end=start + timedelta(days=9))
    with pytest.raises(RuleError) as error:
        svc.class_start(actor=user("demo_provider"), training_class=training_class)
    assert error.value.code == "too_early"
    assert start.isoformat() in str(error.value.message)


def test_ending_needs_a_started_class() -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    with pytest.raises(RuleError) as error:
        svc.class_end(actor=user("demo_provider"), training_class=training_class)
    assert error.value.code == "status_invalid"


def test_federation_clerks_over_the_class_may_run_it() -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    svc.class_start(actor=user("demo_county_furong"), training_class=training_class)
    svc.class_end(actor=user("demo_county_furong"), training_class=training_class)
    assert training_class.status == ClassStatus.ENDED
    assert training_class.steps.get(action=ClassAction.ENDED).actor == user(
        "demo_county_furong")


def test_a_clerk_of_another_county_may_not_run_it() -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    with pytest.raises(RuleError) as error:
        svc.class_start(actor=user("demo_county_jishou"), training_class=training_class)
    assert error.value.code == "not_allowed"


# --- completion ---------------------------------------------------------------------------


def test_completion_needs_a_trainee() -> None:
    training_class = make_class(status=ClassStatus.ENDED)
    with pytest.raises(RuleError) as error:
        svc.class_submit_completion(actor=user("demo_provider"), training_class=training_class)
    assert error.value.code == "no_trainees"


def test_completion_needs_a_result_for_every_trainee() -> None:
    training_class = make_class(status=ClassStatus.ENDED, trainees=2)
    first, second = training_class.enrolments.order_by("id")
    results_record(actor=user("demo_provider"), enrolment=first, passed=True)
    with pytest.raises(RuleError) as error:
        svc.class_submit_completion(actor=user("demo_provider"), training_class=training_class)
    assert error.value.code == "results_missing"
    assert "1 trainee has no result" in str(error.value.message)
    results_record(actor=user("demo_provider"), enrolment=second, passed=False)
    svc.class_submit_completion(actor=user("demo_provider"), training_class=training_class)
    assert training_class.status == ClassStatus.COMPLETION_SUBMITTED


def test_withdrawn_trainees_need_no_result() -> None:
    from skillplan.training.services.enrolments import enrolment_withdraw

    training_class = make_class(status=ClassStatus.APPROVED, trainees=2)
    first, second = training_class.enrolments.order_by("id")
    enrolment_withdraw(actor=user("demo_provider"), enrolment=second, reason="生病")
    svc.class_start(actor=user("demo_provider"), training_class=training_class)
    svc.class_end(actor=user("demo_provider"), training_class=training_class)
    results_record(actor=user("demo_provider"), enrolment=first, passed=True)
    svc.class_submit_completion(actor=user("demo_provider"), training_class=training_class)
    assert training_class.status == ClassStatus.COMPLETION_SUBMITTED


def test_the_completion_submitter_cannot_approve_it() -> None:
    clerk = user("demo_city_changsha")
    training_class = make_class(status=ClassStatus.ENDED, trainees=1)
    results_record(actor=clerk, enrolment=training_class.enrolments.get(), passed=True)
    svc.class_submit_completion(actor=clerk, training_class=training_class)
    with pytest.raises(RuleError) as error:
        svc.class_approve_completion(actor=clerk, training_class=training_class)
    assert error.value.code == "same_person"
    assert not TrainingCertificate.objects.exists()


def test_approving_completion_issues_certificates_to_passed_trainees_only() -> None:
    training_class = make_class(status=ClassStatus.ENDED, trainees=3)
    provider_staff = user("demo_provider")
    for enrolment, passed in zip(training_class.enrolments.order_by("id"), (True, True, False),
                                 strict=True):
        results_record(actor=provider_staff, enrolment=enrolment, passed=passed)
    svc.class_submit_completion(actor=provider_staff, training_class=training_class)
    svc.class_approve_completion(actor=approver_for(training_class),
                                 training_class=training_class, comment="材料齐全")
    assert training_class.status == ClassStatus.COMPLETION_APPROVED
    assert training_class.review_comment == "材料齐全"
    assert TrainingCertificate.objects.filter(
        enrolment__training_class=training_class).count() == 2


def test_a_returned_completion_goes_back_to_ended() -> None:
    training_class = make_class(status=ClassStatus.COMPLETION_SUBMITTED)
    with pytest.raises(RuleError):
        svc.class_return_completion(actor=approver_for(training_class),
                                    training_class=training_class, comment="")
    svc.class_return_completion(actor=approver_for(training_class),
                                training_class=training_class, comment="成绩有误，请更正")
    assert training_class.status == ClassStatus.ENDED
    assert _steps(training_class)[-1] == (ClassAction.COMPLETION_RETURNED,
                                          ClassStatus.COMPLETION_SUBMITTED, ClassStatus.ENDED)
    assert not TrainingCertificate.objects.exists()


def test_only_an_approved_completion_can_be_closed() -> None:
    training_class = make_class(status=ClassStatus.COMPLETION_SUBMITTED)
    with pytest.raises(RuleError) as error:
        svc.class_close(actor=user("demo_provider"), training_class=training_class)
    assert error.value.code == "status_invalid"


# --- cancellation -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ClassStatus.DRAFT, ClassStatus.SUBMITTED,
                                    ClassStatus.RETURNED, ClassStatus.APPROVED,
                                    ClassStatus.IN_PROGRESS, ClassStatus.ENDED,
                                    ClassStatus.COMPLETION_SUBMITTED])
def test_a_class_can_be_cancelled_with_a_reason_before_completion_is_approved(
        status: str) -> None:
    training_class = make_class(status=status)
    svc.class_cancel(actor=user("demo_provider"), training_class=training_class,
                     reason="场地无法使用")
    assert training_class.status == ClassStatus.CANCELLED
    assert training_class.cancel_reason == "场地无法使用"
    assert training_class.cancelled_at is not None
    assert _steps(training_class)[-1] == (ClassAction.CANCELLED, status, ClassStatus.CANCELLED)
    event = AuditEvent.objects.filter(event="class.cancelled").latest("seq")
    assert event.after["comment"] == "场地无法使用"


@pytest.mark.parametrize("status", [ClassStatus.COMPLETION_APPROVED, ClassStatus.CLOSED,
                                    ClassStatus.CANCELLED])
def test_a_completed_closed_or_cancelled_class_cannot_be_cancelled(status: str) -> None:
    training_class = make_class(status=status)
    with pytest.raises(RuleError) as error:
        svc.class_cancel(actor=user("demo_provider"), training_class=training_class,
                         reason="重复")
    assert error.value.code == "status_invalid"


def test_cancelling_needs_a_reason() -> None:
    training_class = make_class()
    with pytest.raises(RuleError) as error:
        svc.class_cancel(actor=user("demo_provider"), training_class=training_class,
                         reason="  ")
    assert error.value.code == "comment_required"
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.DRAFT


def test_the_approver_may_cancel_a_submitted_class() -> None:
    training_class = make_class(status=ClassStatus.SUBMITTED)
    svc.class_cancel(actor=user("demo_city_changsha"), training_class=training_class,
                     reason="机构资质过期")
    assert training_class.status == ClassStatus.CANCELLED


def test_another_provider_cannot_cancel() -> None:
    training_class = make_class()
    with pytest.raises(RuleError) as error:
        svc.class_cancel(actor=user("demo_provider_xiangxi"), training_class=training_class,
                         reason="恶意取消")
    assert error.value.code == "not_allowed"


# --- evaluator ----------------------------------------------------------------------------


def test_the_federation_assigns_an_evaluator_who_then_sees_the_class() -> None:
    from skillplan.training.selectors import classes_visible

    training_class = make_class(status=ClassStatus.APPROVED)
    evaluator = user("demo_evaluator")
    assert not classes_visible(user=evaluator).filter(pk=training_class.pk).exists()
    svc.class_assign_evaluator(actor=user("demo_county_furong"), training_class=training_class,
                               evaluator=evaluator)
    assert training_class.evaluator == evaluator
    assert classes_visible(user=evaluator).filter(pk=training_class.pk).exists()
    assert AuditEvent.objects.filter(event="class.evaluator_assigned").exists()
    assert evaluator.display_name in training_class.steps.latest("id").comment
    svc.class_assign_evaluator(actor=user("demo_county_furong"), training_class=training_class,
                               evaluator=None)
    assert training_class.evaluator is None


def test_providers_cannot_choose_the_evaluator_and_only_evaluators_can_be_chosen() -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    with pytest.raises(RuleError) as error:
        svc.class_assign_evaluator(actor=user("demo_provider"), training_class=training_class,
                                   evaluator=user("demo_evaluator"))
    assert error.value.code == "not_allowed"
    with pytest.raises(RuleError) as error:
        svc.class_assign_evaluator(actor=user("demo_city_changsha"),
                                   training_class=training_class, evaluator=user("demo_partner"))
    assert error.value.code == "not_evaluator"


def test_enrolment_is_open_once_approved() -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    enrol_person(actor=user("demo_provider"), training_class=training_class,
                 person=make_person())
    training_class.refresh_from_db()
    assert training_class.enrolled_count == 1
