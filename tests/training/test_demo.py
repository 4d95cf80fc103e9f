"""The demo classes of ``seed_demo``: every status in two cities, made through the services,
idempotent, with certificates that verify and a demo trainee who holds one."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.catalog.demo import seed_catalog
from skillplan.certificates.models import TrainingCertificate
from skillplan.certificates.selectors import certificate_verify
from skillplan.people.demo import seed_persons
from skillplan.people.models import Person
from skillplan.people.services import id_hash_of
from skillplan.providers.demo import seed_providers
from skillplan.training.choices import ClassAction, ClassStatus
from skillplan.training.demo import CLASSES, ROSTER_PERSONS, seed_classes
from skillplan.training.eligibility import eligibility_problems
from skillplan.training.models import Enrolment, InspectionAttachment, TrainingClass
from skillplan.training.selectors import classes_with_late_results
from skillplan.training.services.inspections import attachment_path

pytestmark = pytest.mark.django_db
CODE = re.compile(r"HN-43(01|31)00-\d{4}-\d{4}")


@pytest.fixture
def seeded(settings: Any, tmp_path: Path) -> int:
    settings.FILES_DIR = tmp_path / "files"
    seed_providers()
    seed_catalog()
    seed_persons(count=1500)
    return seed_classes()


def test_every_status_in_two_cities_through_the_services_and_idempotent(seeded: int) -> None:
    assert seeded == len(CLASSES)
    assert seed_classes() == 0
    assert TrainingClass.objects.count() == len(CLASSES)
    assert set(TrainingClass.objects.values_list("status", flat=True)) == set(ClassStatus.values)
    for city in ("4301", "4331"):
        statuses = set(TrainingClass.objects.filter(region_code__startswith=city)
                       .values_list("status", flat=True))
        assert {ClassStatus.IN_PROGRESS, ClassStatus.COMPLETION_APPROVED,
                ClassStatus.CANCELLED} <= statuses, city
    # made through the services: codes, timelines, audit rows, maker ≠ checker
    for training_class in TrainingClass.objects.all():
        assert CODE.fullmatch(training_class.code), training_class.code
        actions = list(training_class.steps.values_list("action", flat=True))
        assert actions[0] == ClassAction.CREATED
        assert AuditEvent.objects.filter(event="class.created",
                                         target_id=str(training_class.pk)).exists()
        if training_class.approved_by_id is not None:  # maker ≠ checker
            assert training_class.approved_by_id not in (training_class.created_by_id,
                                                         training_class.submitted_by_id)
    cancelled = TrainingClass.objects.filter(status=ClassStatus.CANCELLED)
    assert all(len(c.cancel_reason) > 10 for c in cancelled)
    returned = TrainingClass.objects.get(status=ClassStatus.RETURNED)
    assert returned.review_comment
    started = TrainingClass.objects.exclude(started_at=None)
    assert all(c.start_date <= c.started_at.date() for c in started)


def test_certificates_are_issued_on_completion_approval_verify_and_reach_the_trainee(
        seeded: int, persona: Callable[[str], User]) -> None:
    certificates = list(TrainingCertificate.objects.select_related("training_class"))
    assert len(certificates) >= 8
    assert {c.training_class.status for c in certificates} == {
        ClassStatus.COMPLETION_APPROVED, ClassStatus.CLOSED}
    for certificate in certificates:
        answer = certificate_verify(number=certificate.number, name=certificate.holder_name)
        assert answer.found and answer.valid, certificate.number
    failed = Enrolment.objects.filter(passed=False,
                                      training_class__status=ClassStatus.COMPLETION_APPROVED)
    assert failed.exists()
    assert not TrainingCertificate.objects.filter(enrolment__in=failed).exists()
    participants = Enrolment.objects.filter(person=None, training_class__status="closed")
    assert participants.count() == 4
    assert TrainingCertificate.objects.filter(enrolment__in=participants).count() == 4
    # the demo trainee holds one, and attends a running class
    person = Person.objects.get(user=persona("demo_trainee"))
    statuses = set(Enrolment.objects.filter(person=person, status="enrolled")
                   .values_list("training_class__status", flat=True))
    assert statuses == {ClassStatus.COMPLETION_APPROVED, ClassStatus.IN_PROGRESS}
    certificate = TrainingCertificate.objects.get(person=person)
    assert certificate.holder_name == person.name == "周小明"


def test_running_class_late_list_and_roster_persons(
        seeded: int, persona: Callable[[str], User]) -> None:
    evaluator = persona("demo_evaluator")
    running = TrainingClass.objects.get(evaluator=evaluator)
    assert running.status == ClassStatus.IN_PROGRESS
    assert running.enrolments.filter(attendance__isnull=False).exists()
    attachment = InspectionAttachment.objects.get(inspection__training_class=running)
    assert attachment.content_type == "image/png"
    path = attachment_path(attachment)
    assert path.is_file() and Path(settings.FILES_DIR) in path.parents
    assert path.read_bytes().startswith(b"\x89PNG")
    # late and overdue results show in the late list of the city clerk
    late = TrainingClass.objects.filter(results_late=True)
    assert late.count() == 1 and late.get().status == ClassStatus.COMPLETION_SUBMITTED
    on_time = TrainingClass.objects.filter(results_late=False).exclude(results_entered_at=None)
    assert on_time.count() >= 3
    rows = classes_with_late_results(user=persona("demo_city_changsha"))
    listed = {row.training_class.code: row.entered for row in rows}
    assert listed[late.get().code] is True
    overdue = TrainingClass.objects.get(name="芙蓉区医疗按摩人员继续教育班")
    assert (overdue.status, listed[overdue.code]) == (ClassStatus.ENDED, False)
    assert not any(code.startswith("HN-433100") for code in listed)
    xiangxi = classes_with_late_results(user=persona("demo_city_xiangxi"))
    assert [row.entered for row in xiangxi] == [False]
    # the roster persons are registered, eligible and never enrolled
    for item in ROSTER_PERSONS:
        person = Person.objects.get(id_hash=id_hash_of(item.id_number))
        assert person.name == item.name and person.region_code == "430102"
        assert not person.enrolments.exists()
        assert eligibility_problems(training_class=running, person=person) == []
