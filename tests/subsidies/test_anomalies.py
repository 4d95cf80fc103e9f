"""The anomaly list finds each kind of case, links to its class and claim, and keeps to the
reader's area."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillplan.subsidies.choices import ClaimStatus, SubsidyItem
from skillplan.subsidies.selectors_anomalies import (
    Kind,
    anomalies,
    claims_without_attendance,
    over_cap,
    overlaps,
    paid_without_completion,
)
from skillplan.training.choices import AttendanceMark
from skillplan.training.models import AttendanceRecord, Enrolment, TrainingClass
from tests.subsidies.funds_support import (
    Line,
    claim,
    closed_class,
    entitlement,
    funds_english,
    funds_files,
    funds_hooks,
    payment,
    roster,
    standard,
)

pytestmark = pytest.mark.django_db
__all__ = ["funds_english", "funds_files", "funds_hooks"]


def _attend(training_class: TrainingClass) -> None:
    for enrolment in roster(training_class):
        AttendanceRecord.objects.create(enrolment=enrolment, day=training_class.start_date,
                                        mark=AttendanceMark.PRESENT,
                                        recorded_at=timezone.now())


def test_same_person_and_item_in_two_overlapping_classes(persona: Callable) -> None:
    first = closed_class(trainees=1)
    second = closed_class(trainees=1)
    (one,) = roster(first)
    (two,) = roster(second)
    fee = standard()
    mine = entitlement(one, amount="3600", the_standard=fee)
    # the same person owed the fee again in the second class, over an overlapping period
    entitlement(two, amount="3600", the_standard=fee, person=one.person)
    # a different item in the second class is no case; neither is a void row
    entitlement(two, amount="500", item=SubsidyItem.LIVING, person=one.person)
    cases = overlaps(user=persona("demo_province"))
    assert sorted(case.training_class.pk for case in cases) == sorted([first.pk, second.pk])
    case = next(c for c in cases if c.training_class.pk == first.pk)
    assert case.kind == Kind.OVERLAP and case.other_class.pk == second.pk
    assert case.amount == mine.amount and "*" in case.person  # the name is masked


def test_classes_that_do_not_overlap_are_no_case(persona: Callable) -> None:
    first = closed_class(trainees=1)
    second = closed_class(trainees=1)
    (one,) = roster(first)
    (two,) = roster(second)
    entitlement(one, amount="3600")
    later = (first.end_date + timedelta(days=1), first.end_date + timedelta(days=10))
    entitlement(two, amount="3600", person=one.person, period=later)
    assert overlaps(user=persona("demo_province")) == []


def test_payment_for_a_trainee_who_did_not_complete(persona: Callable) -> None:
    training_class = closed_class(trainees=3)
    passed, failed, unknown = roster(training_class)
    Enrolment.objects.filter(pk=failed.pk).update(passed=False)
    Enrolment.objects.filter(pk=unknown.pk).update(passed=None)
    fee = standard()
    lines = [Line(entitlement(e, amount="1000", the_standard=fee))
             for e in (passed, failed, unknown)]
    paid = claim(training_class, status=ClaimStatus.PAID, lines=lines)
    payment(paid, level="province", amount="3000")
    # an approved but unpaid claim for a failed trainee is not (yet) this case
    other = closed_class(trainees=1)
    (not_paid,) = roster(other)
    Enrolment.objects.filter(pk=not_paid.pk).update(passed=False)
    claim(other, status=ClaimStatus.APPROVED, lines=[Line(entitlement(not_paid, amount="10"))])
    cases = paid_without_completion(user=persona("demo_province"))
    assert len(cases) == 2
    assert {case.claim.number for case in cases} == {paid.number}
    assert {case.training_class.pk for case in cases} == {training_class.pk}


def test_standard_paying_by_days_without_completion_is_no_case(persona: Callable) -> None:
    training_class = closed_class(trainees=1)
    (failed,) = roster(training_class)
    Enrolment.objects.filter(pk=failed.pk).update(passed=False)
    by_days = standard(item=SubsidyItem.LIVING, pays_without_completion=True)
    paid = claim(training_class, status=ClaimStatus.PAID,
                 lines=[Line(entitlement(failed, amount="300", item=SubsidyItem.LIVING,
                                         the_standard=by_days))])
    payment(paid, level="city", amount="300")
    assert paid_without_completion(user=persona("demo_province")) == []


def test_amount_over_the_cap(persona: Callable) -> None:
    training_class = closed_class(trainees=2)
    high, fine = roster(training_class)
    capped = standard(cap="3600")
    over = entitlement(high, amount="4000", the_standard=capped)
    within = entitlement(fine, amount="3600", the_standard=capped)
    made = claim(training_class, status=ClaimStatus.SUBMITTED,
                 lines=[Line(over), Line(within, amount="3700")])
    cases = over_cap(user=persona("demo_province"))
    assert sorted(case.amount for case in cases) == [3700, 4000]
    assert all(case.claim.number == made.number for case in cases)
    assert "3,600.00" in cases[0].detail


def test_claim_for_a_class_without_attendance(persona: Callable) -> None:
    bare = closed_class(trainees=1)
    kept = closed_class(trainees=1)
    _attend(kept)
    bare_claim = claim(bare, status=ClaimStatus.SUBMITTED,
                       lines=[Line(entitlement(roster(bare)[0], amount="100"))])
    claim(kept, status=ClaimStatus.SUBMITTED,
          lines=[Line(entitlement(roster(kept)[0], amount="100"))])
    draft = closed_class(trainees=1)
    claim(draft, status=ClaimStatus.DRAFT,
          lines=[Line(entitlement(roster(draft)[0], amount="100"))])
    cases = claims_without_attendance(user=persona("demo_province"))
    assert [(case.training_class.pk, case.claim.number) for case in cases] == [
        (bare.pk, bare_claim.number)]


def test_cases_stay_in_the_readers_area(persona: Callable) -> None:
    changsha = closed_class(key="430102", trainees=1)
    xiangxi = closed_class(key="433101", trainees=1)
    (one,) = roster(changsha)
    (two,) = roster(xiangxi)
    capped = standard(cap="100")
    claim(changsha, status=ClaimStatus.SUBMITTED,
          lines=[Line(entitlement(one, amount="200", the_standard=capped))])
    # the 长沙 trainee also owed the fee in the 湘西 class, over the same days
    claim(xiangxi, status=ClaimStatus.SUBMITTED,
          lines=[Line(entitlement(two, amount="200", the_standard=capped,
                                  person=one.person))])
    found = anomalies(user=persona("demo_city_changsha"))
    classes = {case.training_class.pk for cases in found.values() for case in cases}
    assert classes == {changsha.pk}
    (overlap,) = found[Kind.OVERLAP]
    assert overlap.other_class is None  # the 湘西 class is not named to the 长沙 clerk
    assert overlap.other_period is not None
    seen = anomalies(user=persona("demo_city_xiangxi"))
    assert {case.training_class.pk for cases in seen.values() for case in cases} == {
        xiangxi.pk}


def test_page_links_each_case_and_is_for_federation_staff(
        client_for: Callable[[str], Client]) -> None:
    changsha = closed_class(key="430102", trainees=1)
    xiangxi = closed_class(key="433101", trainees=1)
    here = claim(changsha, status=ClaimStatus.SUBMITTED,
                 lines=[Line(entitlement(roster(changsha)[0], amount="100"))])
    there = claim(xiangxi, status=ClaimStatus.SUBMITTED,
                  lines=[Line(entitlement(roster(xiangxi)[0], amount="100"))])
    response = client_for("demo_city_changsha").get(reverse("subsidies:anomalies"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("training:detail", args=[changsha.pk]) in page
    assert here.number in page
    assert there.number not in page and xiangxi.code not in page
    province = client_for("demo_province").get(reverse("subsidies:anomalies")).content.decode()
    assert here.number in province and there.number in province
    for persona in ("demo_provider", "demo_evaluator", "demo_trainee", "demo_auditor"):
        assert client_for(persona).get(reverse("subsidies:anomalies")).status_code == 403


def test_anomaly_page_keeps_to_a_query_budget(client_for: Callable[[str], Client],
                                              django_assert_max_num_queries: Callable
                                              ) -> None:
    client = client_for("demo_province")
    fee = standard(cap="100")
    for _number in range(3):
        first = closed_class(trainees=1)
        second = closed_class(trainees=1)
        (one,) = roster(first)
        (two,) = roster(second)
        made = claim(first, status=ClaimStatus.PAID,
                     lines=[Line(entitlement(one, amount="200", the_standard=fee))])
        Enrolment.objects.filter(pk=one.pk).update(passed=False)
        payment(made, level="province", amount="200")
        entitlement(two, amount="200", the_standard=fee, person=one.person)
    client.get(reverse("subsidies:anomalies"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("subsidies:anomalies"))
    assert response.status_code == 200
    assert response.content.decode().count("/classes/") >= 9
