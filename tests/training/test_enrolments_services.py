"""The enrolment services: capacity, named participants, withdrawal, who may enrol whom."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from skillplan.audit.labels import event_label
from skillplan.audit.models import AuditEvent
from skillplan.catalog.choices import TrainingType
from skillplan.core.errors import RuleError
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.services.enrolments import (
    enrol_participant,
    enrol_person,
    enrolment_withdraw,
)
from tests.training.factories import make_class, make_person, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def refused(code: str, call, **kwargs) -> RuleError:
    with pytest.raises(RuleError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def count(training_class: TrainingClass) -> int:
    training_class.refresh_from_db()
    return training_class.enrolled_count


# --- capacity -----------------------------------------------------------------------------


def test_the_conditional_update_refuses_the_31st_enrolment():
    training_class = make_class(status=ClassStatus.APPROVED, capacity=30)
    provider = user("demo_provider")
    for _number in range(30):
        enrol_person(actor=provider, training_class=training_class, person=make_person())
    assert count(training_class) == 30
    extra = make_person()
    error = refused("class_full", enrol_person, actor=provider,
                    training_class=training_class, person=extra)
    assert "30" in str(error.message)
    assert count(training_class) == 30
    assert Enrolment.objects.filter(training_class=training_class).count() == 30
    assert not Enrolment.objects.filter(person=extra).exists()


def test_a_stale_class_object_cannot_pass_the_capacity():
    """The count in memory says there is room; the row says there is not."""
    training_class = make_class(status=ClassStatus.APPROVED, capacity=2)
    TrainingClass.objects.filter(pk=training_class.pk).update(enrolled_count=2)
    assert training_class.enrolled_count == 0  # stale
    refused("class_full", enrol_person, actor=user("demo_provider"),
            training_class=training_class, person=make_person())
    assert count(training_class) == 2


def test_the_database_refuses_a_count_over_capacity():
    training_class = make_class(status=ClassStatus.APPROVED, capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingClass.objects.filter(pk=training_class.pk).update(enrolled_count=3)


def test_withdrawal_frees_a_place():
    training_class = make_class(status=ClassStatus.APPROVED, capacity=1)
    provider = user("demo_provider")
    first = enrol_person(actor=provider, training_class=training_class, person=make_person())
    second = make_person()
    refused("class_full", enrol_person, actor=provider, training_class=training_class,
            person=second)
    refused("reason_required", enrolment_withdraw, actor=provider, enrolment=first,
            reason="  ")
    assert count(training_class) == 1
    withdrawn = enrolment_withdraw(actor=provider, enrolment=first, reason="找到工作，无法参加")
    assert (withdrawn.status, withdrawn.withdraw_reason) == (EnrolmentStatus.WITHDRAWN,
                                                             "找到工作，无法参加")
    assert withdrawn.withdrawn_at is not None
    assert count(training_class) == 0
    enrol_person(actor=provider, training_class=training_class, person=second)
    assert count(training_class) == 1
    refused("already_withdrawn", enrolment_withdraw, actor=provider, enrolment=first,
            reason="再次")
    assert count(training_class) == 1


def test_a_withdrawn_person_may_be_enrolled_again():
    training_class = make_class(status=ClassStatus.APPROVED)
    provider, person = user("demo_provider"), make_person()
    enrolment = enrol_person(actor=provider, training_class=training_class, person=person)
    enrolment_withdraw(actor=provider, enrolment=enrolment, reason="生病")
    again = enrol_person(actor=provider, training_class=training_class, person=person)
    assert again.pk != enrolment.pk and count(training_class) == 1


def test_enrolling_twice_is_refused_and_changes_nothing():
    training_class = make_class(status=ClassStatus.APPROVED)
    provider, person = user("demo_provider"), make_person()
    enrol_person(actor=provider, training_class=training_class, person=person)
    refused("already_enrolled", enrol_person, actor=provider, training_class=training_class,
            person=person)
    assert count(training_class) == 1


def test_ineligible_persons_are_refused_with_the_first_reason():
    training_class = make_class(status=ClassStatus.APPROVED)
    person = make_person()
    person.certificate_number = ""
    person.save()
    refused("cert_invalid", enrol_person, actor=user("demo_provider"),
            training_class=training_class, person=person)
    assert count(training_class) == 0


def test_enrolment_is_audited_with_a_masked_name():
    training_class = make_class(status=ClassStatus.APPROVED)
    person = make_person(name="欧阳娜娜")
    enrolment = enrol_person(actor=user("demo_provider"), training_class=training_class,
                             person=person)
    event = AuditEvent.objects.filter(event="enrolment.created",
                                      target_id=str(enrolment.pk)).get()
    assert event.region_code == training_class.region_code
    assert "欧阳娜娜" not in event.target_repr and "欧**娜" in event.target_repr
    assert event.after["person_id"] == person.pk
    enrolment_withdraw(actor=user("demo_provider"), enrolment=enrolment, reason="搬家")
    assert AuditEvent.objects.filter(event="enrolment.withdrawn", target_id=str(enrolment.pk),
                                     after__reason="搬家").exists()
    assert event_label("enrolment.created") != "enrolment.created"
    assert event_label("enrolment.withdrawn") != "enrolment.withdrawn"


# --- when and by whom ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.ENDED,
                                    ClassStatus.CANCELLED])
def test_the_roster_is_closed_outside_approval_to_end(status):
    training_class = make_class(status=status)
    person = make_person()
    refused("not_allowed", enrol_person, actor=user("demo_provider"),
            training_class=training_class, person=person)
    assert not Enrolment.objects.filter(person=person).exists()


def test_the_roster_is_open_while_the_class_runs():
    training_class = make_class(status=ClassStatus.IN_PROGRESS)
    enrol_person(actor=user("demo_provider"), training_class=training_class,
                 person=make_person())
    assert count(training_class) == 1


def test_another_provider_cannot_enrol():
    training_class = make_class(status=ClassStatus.APPROVED)
    refused("not_allowed", enrol_person, actor=user("demo_provider_xiangxi"),
            training_class=training_class, person=make_person())
    assert count(training_class) == 0


def test_a_changsha_clerk_cannot_enrol_a_xiangxi_person():
    training_class = make_class(status=ClassStatus.APPROVED)
    xiangxi_person = make_person(region="433101")
    error = refused("not_allowed", enrol_person, actor=user("demo_city_changsha"),
                    training_class=training_class, person=xiangxi_person)
    assert "outside your area" in str(error.message)
    assert count(training_class) == 0
    enrol_person(actor=user("demo_city_changsha"), training_class=training_class,
                 person=make_person(region="430102"))
    assert count(training_class) == 1


def test_a_xiangxi_clerk_cannot_enrol_into_a_changsha_class():
    training_class = make_class(status=ClassStatus.APPROVED)
    refused("not_allowed", enrol_person, actor=user("demo_city_xiangxi"),
            training_class=training_class, person=make_person(region="433101"))


def test_providers_enrol_registered_persons_from_anywhere():
    """Provider staff see no registry; they find a person by the full ID number (the search
    and the roster import), so the service lets them enrol any registered person."""
    training_class = make_class(status=ClassStatus.APPROVED)
    enrol_person(actor=user("demo_provider"), training_class=training_class,
                 person=make_person(region="433101"))
    assert count(training_class) == 1


# --- named participants -------------------------------------------------------------------


@pytest.mark.parametrize("kind", [TrainingType.EMPLOYER, TrainingType.SERVICE_STAFF])
def test_employer_and_service_staff_classes_take_named_participants(kind):
    training_class = make_class(status=ClassStatus.APPROVED, training_type=kind, capacity=2)
    provider = user("demo_provider")
    enrolment = enrol_participant(actor=provider, training_class=training_class,
                                  name=" 王五 ", employer="长沙某公司", role="人事专员")
    assert (enrolment.person_id, enrolment.participant_name, enrolment.participant_employer,
            enrolment.participant_role) == (None, "王五", "长沙某公司", "人事专员")
    refused("already_enrolled", enrol_participant, actor=provider,
            training_class=training_class, name="王五", employer="长沙某公司", role="")
    enrol_participant(actor=provider, training_class=training_class, name="王五",
                      employer="湘潭某工厂", role="")
    refused("class_full", enrol_participant, actor=provider, training_class=training_class,
            name="赵六", employer="长沙某公司", role="")
    refused("not_allowed", enrol_person, actor=provider, training_class=training_class,
            person=make_person())
    assert count(training_class) == 2


def test_participants_need_a_name_and_an_employer():
    training_class = make_class(status=ClassStatus.APPROVED, training_type=TrainingType.EMPLOYER)
    provider = user("demo_provider")
    refused("name_required", enrol_participant, actor=provider, training_class=training_class,
            name=" ", employer="长沙某公司", role="")
    refused("employer_required", enrol_participant, actor=provider,
            training_class=training_class, name="王五", employer="", role="")
    assert count(training_class) == 0


def test_registry_classes_refuse_named_participants():
    training_class = make_class(status=ClassStatus.APPROVED)
    refused("not_allowed", enrol_participant, actor=user("demo_provider"),
            training_class=training_class, name="王五", employer="长沙某公司", role="")
    assert count(training_class) == 0


def test_a_participant_is_withdrawn_like_a_person():
    training_class = make_class(status=ClassStatus.APPROVED, training_type=TrainingType.EMPLOYER)
    provider = user("demo_provider")
    enrolment = enrol_participant(actor=provider, training_class=training_class, name="王五",
                                  employer="长沙某公司", role="")
    enrolment_withdraw(actor=provider, enrolment=enrolment, reason="单位另有安排")
    assert count(training_class) == 0


def test_withdrawal_needs_the_roster_open():
    training_class = make_class(status=ClassStatus.APPROVED)
    provider = user("demo_provider")
    enrolment = enrol_person(actor=provider, training_class=training_class,
                             person=make_person())
    refused("not_allowed", enrolment_withdraw, actor=user("demo_provider_xiangxi"),
            enrolment=enrolment, reason="无")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED and count(training_class) == 1
