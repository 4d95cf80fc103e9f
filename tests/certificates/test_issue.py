"""Issuing training certificates when the completion of a class is approved."""

from __future__ import annotations

import re

import pytest

from skillplan.audit.models import AuditEvent
from skillplan.certificates.choices import CertificateStatus
from skillplan.certificates.models import CertificateNumberCounter, TrainingCertificate
from skillplan.certificates.services import certificates_issue_for_class
from skillplan.core.errors import RuleError
from skillplan.training.choices import ClassAction
from tests.certificates.conftest import approve, class_ready_for_approval, make_person

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"HNPX-(\d{4})-(\d{6})-(\d{5})")


def test_only_passed_active_trainees_get_certificates(issued):
    passed = make_person(name="李明")
    failed = make_person(name="王芳")
    withdrawn = make_person(name="赵强")
    certificates = issued([{"person": passed}, {"person": failed, "passed": False},
                           {"person": withdrawn, "withdrawn": True}])
    assert [c.person_id for c in certificates] == [passed.pk]
    certificate = certificates[0]
    training_class = certificate.training_class
    assert certificate.holder_name == "李明"
    assert certificate.project_name == training_class.project.name
    assert certificate.provider_name == training_class.provider.name
    assert (certificate.start_date, certificate.end_date, certificate.hours) == (
        training_class.start_date, training_class.end_date, training_class.hours)
    assert certificate.region_code == training_class.region_code
    assert certificate.status == CertificateStatus.VALID
    assert certificate.created_by_id == training_class.completion_approved_by_id


def test_generated_numbers_are_readable_and_unique(issued):
    first = issued([{"person": make_person(name=f"学员{i}")} for i in range(3)])
    second = issued([{"person": make_person(name=f"学员{i}")} for i in range(2)])
    numbers = [c.number for c in first + second]
    assert len(set(numbers)) == 5
    for certificate in first + second:
        match = NUMBER.fullmatch(certificate.number)
        assert match, certificate.number
        assert match[1] == str(certificate.training_class.start_date.year)
        assert match[2] == certificate.training_class.region_code[:6]
    sequences = sorted(int(NUMBER.fullmatch(n)[3]) for n in numbers)
    assert sequences == [1, 2, 3, 4, 5]
    counter = CertificateNumberCounter.objects.get(county_code="430102")
    assert counter.last == 5


def test_given_numbers_are_kept_and_generated_ones_skip_them():
    training_class = class_ready_for_approval([
        {"person": make_person(name="甲"), "number": "FR2025-0007"},
        {"person": make_person(name="乙")},
    ])
    year = training_class.start_date.year
    # Someone typed, for another trainee, the number the generator would hand out next.
    clash = f"HNPX-{year}-430102-00001"
    other = class_ready_for_approval([{"person": make_person(name="丙"), "number": clash}])
    approve(training_class)
    numbers = dict(TrainingCertificate.objects.filter(training_class=training_class)
                   .values_list("holder_name", "number"))
    assert numbers["甲"] == "FR2025-0007"
    assert numbers["乙"] == f"HNPX-{year}-430102-00002"
    approve(other)
    assert TrainingCertificate.objects.get(training_class=other).number == clash


def test_participants_not_in_the_registry_get_certificates(issued):
    certificates = issued([{"participant": "孙丽"}], training_type="employer")
    assert len(certificates) == 1
    assert certificates[0].person_id is None
    assert certificates[0].holder_name == "孙丽"


def test_one_audit_event_for_the_batch_and_a_timeline_step(issued):
    certificates = issued([{"person": make_person(name=f"学员{i}")} for i in range(3)])
    training_class = certificates[0].training_class
    events = AuditEvent.objects.filter(event="certificate.issued",
                                       target_id=str(training_class.pk))
    assert events.count() == 1
    assert events.get().after["count"] == 3
    assert sorted(events.get().after["numbers"]) == sorted(c.number for c in certificates)
    assert training_class.steps.filter(action=ClassAction.CERTIFICATES_ISSUED).exists()


def test_issuing_again_issues_nothing_new(issued, persona):
    certificates = issued([{"person": make_person(name="李明")}])
    training_class = certificates[0].training_class
    assert certificates_issue_for_class(actor=persona("demo_city_changsha"),
                                        training_class=training_class) == []
    assert TrainingCertificate.objects.filter(training_class=training_class).count() == 1


def test_a_given_number_already_on_a_certificate_stops_the_approval(issued):
    existing = issued([{"person": make_person(name="李明")}])[0]
    training_class = class_ready_for_approval([{"person": make_person(name="王芳")}])
    # The number became taken after the results were entered (results check it on entry).
    training_class.enrolments.update(certificate_number=existing.number)
    with pytest.raises(RuleError) as error:
        approve(training_class)
    assert error.value.code == "certificate_duplicate"
    training_class.refresh_from_db()
    assert training_class.status == "completion_submitted"
    assert not TrainingCertificate.objects.filter(training_class=training_class).exists()


def test_no_certificates_before_completion_is_submitted(persona):
    from tests.training.factories import make_class

    training_class = make_class(status="submitted")
    with pytest.raises(RuleError) as error:
        certificates_issue_for_class(actor=persona("demo_city_changsha"),
                                     training_class=training_class)
    assert error.value.code == "not_allowed"
