"""Eligibility for a class (eligibility.py): each rule, with its edge dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import translation

from skillplan.catalog.choices import TrainingType
from skillplan.catalog.models import TrainingProject
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.training.choices import ClassStatus
from skillplan.training.eligibility import (
    WORKING_AGE_TYPES,
    eligibility_problems,
    requires_working_age,
)
from skillplan.training.services.classes import class_cancel
from skillplan.training.services.enrolments import enrol_person, enrolment_withdraw
from tests.training.factories import make_class, make_person, make_project, user

pytestmark = pytest.mark.django_db
START = date(2025, 3, 3)
END = date(2025, 3, 12)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def codes(training_class, person) -> list[str]:
    return [p.code for p in eligibility_problems(training_class=training_class, person=person)]


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


# --- working age --------------------------------------------------------------------------


def test_the_types_that_require_working_age_follow_the_plan():
    assert {TrainingType.EMPLOYMENT, TrainingType.ON_THE_JOB, TrainingType.ENTREPRENEURSHIP,
            TrainingType.MASSAGE} == WORKING_AGE_TYPES
    assert TrainingType.RURAL not in WORKING_AGE_TYPES
    assert TrainingType.HIGH_SKILL not in WORKING_AGE_TYPES


@pytest.mark.parametrize(("gender", "born", "eligible"), [
    ("M", years_before(START, 16), True),  # 16th birthday on the first day
    ("M", date(2009, 3, 4), False),  # 16 the day after the first day: 15 on it
    ("M", date(1965, 3, 4), True),  # 59 on the first day (60 the next day)
    ("M", years_before(START, 60), False),  # 60th birthday on the first day
    ("F", date(1970, 3, 4), True),  # 54 on the first day
    ("F", years_before(START, 55), False),  # 55th birthday on the first day
    ("F", years_before(START, 16), True),
])
def test_working_age_is_taken_on_the_first_day_by_gender(gender, born, eligible):
    training_class = make_class(start=START, end=END)
    assert requires_working_age(training_class)
    person = make_person(birth=born, gender=gender)
    assert person.gender == gender
    assert ("age_out_of_range" not in codes(training_class, person)) is eligible


def test_the_age_reason_names_the_age_and_the_range():
    training_class = make_class(start=START, end=END)
    person = make_person(birth=years_before(START, 60), gender="M")
    (problem,) = eligibility_problems(training_class=training_class, person=person)
    assert problem.code == "age_out_of_range"
    assert "60 years old" in str(problem.message)
    assert "16 to 59" in str(problem.message)


def test_rural_training_has_no_age_limit():
    training_class = make_class(start=START, end=END, training_type=TrainingType.RURAL)
    person = make_person(birth=date(1950, 1, 1), gender="M")
    assert codes(training_class, person) == []


def test_the_working_age_types_are_a_setting(settings):
    settings.SKILLPLAN_WORKING_AGE_TYPES = [TrainingType.RURAL]
    rural = make_class(start=START, end=END, training_type=TrainingType.RURAL)
    employment = make_class(start=START, end=END)
    old = make_person(birth=date(1950, 1, 1), gender="M")
    assert codes(rural, old) == ["age_out_of_range"]
    assert codes(employment, old) == []


# --- certificate --------------------------------------------------------------------------


def test_an_eligible_person_has_no_problems():
    assert codes(make_class(start=START, end=END), make_person()) == []


def test_a_person_without_certificate_number_is_refused():
    person = make_person()
    person.certificate_number = ""
    person.save()
    assert codes(make_class(start=START, end=END), person) == ["cert_invalid"]


def test_a_certificate_of_another_id_number_is_refused():
    person = make_person()
    other = make_id_number("430102", date(1980, 2, 2), 11)
    person.certificate_number = make_certificate_number(other, 4, 3)
    person.save()
    (problem,) = eligibility_problems(training_class=make_class(start=START, end=END),
                                      person=person)
    assert problem.code == "cert_invalid"
    assert "not valid" in str(problem.message)


def test_a_merged_record_is_refused():
    keep, duplicate = make_person(), make_person()
    duplicate.merged_into = keep
    duplicate.save()
    assert codes(make_class(start=START, end=END), duplicate) == ["cert_invalid"]


# --- category -----------------------------------------------------------------------------


def test_a_category_the_project_does_not_serve_is_refused():
    project = make_project(categories="24")
    training_class = make_class(project=project, start=START, end=END)
    problems = eligibility_problems(training_class=training_class,
                                    person=make_person(category="1"))
    assert [p.code for p in problems] == ["category_not_served"]
    assert "Visual" in str(problems[0].message) and "Physical" in str(problems[0].message)
    assert codes(training_class, make_person(category="4")) == []


def test_a_project_with_no_categories_serves_everyone():
    project = make_project(categories="2")
    TrainingProject.objects.filter(pk=project.pk).update(categories="")
    training_class = make_class(project=project, start=START, end=END)
    training_class.project.refresh_from_db()
    assert codes(training_class, make_person(category="6")) == []


# --- the roster: already enrolled, overlapping classes -------------------------------------


def _enrolled(person, **dates):
    training_class = make_class(status=ClassStatus.APPROVED, **dates)
    enrolment = enrol_person(actor=user("demo_provider"), training_class=training_class,
                             person=person)
    return training_class, enrolment


def test_already_enrolled_comes_first_and_can_be_left_out():
    person = make_person()
    training_class, enrolment = _enrolled(person, start=START, end=END)
    assert codes(training_class, person) == ["already_enrolled"]
    assert eligibility_problems(training_class=training_class, person=person,
                                exclude_enrolment_id=enrolment.pk) == []


@pytest.mark.parametrize(("start", "end", "overlaps"), [
    (END, date(2025, 3, 20), True),  # starts on the other's last day
    (date(2025, 2, 20), START, True),  # ends on the other's first day
    (date(2025, 3, 5), date(2025, 3, 8), True),  # inside
    (date(2025, 3, 13), date(2025, 3, 22), False),  # the day after the other ends
    (date(2025, 2, 20), date(2025, 3, 2), False),  # the day before the other starts
])
def test_overlapping_classes_are_refused_at_the_boundaries(start, end, overlaps):
    person = make_person()
    other, _enrolment = _enrolled(person, start=START, end=END)
    training_class = make_class(start=start, end=end)
    problems = eligibility_problems(training_class=training_class, person=person)
    assert [p.code for p in problems] == (["class_overlap"] if overlaps else [])
    if overlaps:
        assert other.code in str(problems[0].message)


def test_a_withdrawn_enrolment_does_not_overlap():
    person = make_person()
    _other, enrolment = _enrolled(person, start=START, end=END)
    enrolment_withdraw(actor=user("demo_provider"), enrolment=enrolment, reason="找到工作")
    assert codes(make_class(start=START, end=END), person) == []


def test_a_cancelled_class_does_not_overlap():
    person = make_person()
    other, _enrolment = _enrolled(person, start=START, end=END)
    class_cancel(actor=user("demo_provider"), training_class=other, reason="场地无法使用")
    assert codes(make_class(start=START, end=END), person) == []


def test_every_problem_is_listed_together():
    project = make_project(categories="1")
    person = make_person(birth=date(1950, 1, 1), gender="M", category="4")
    _enrolled(person, start=START, end=END, training_type=TrainingType.RURAL)
    training_class = make_class(project=project, start=START, end=END)
    assert codes(training_class, person) == ["age_out_of_range", "category_not_served",
                                             "class_overlap"]
