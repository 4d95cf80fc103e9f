"""The computation of entitlements, hand-calculated line by line."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext

from skillplan.audit.models import AuditEvent
from skillplan.catalog.choices import TrainingType
from skillplan.core.errors import RuleError
from skillplan.subsidies.choices import EntitlementStatus, RateBasis, SubsidyItem
from skillplan.subsidies.models import Entitlement, EntitlementSkip
from skillplan.subsidies.services.entitlements import (
    entitlement_conflicts,
    entitlements_compute_for_class,
    split_shares,
)
from skillplan.subsidies.services.standards import standard_supersede
from skillplan.training.choices import ClassStatus
from skillplan.training.models import Enrolment
from tests.subsidies.computation_support import (
    finished_class,
    provider_staff,
    result,
    standard,
    trainees,
)
from tests.training.factories import user

pytestmark = pytest.mark.django_db
D = Decimal


def compute(training_class):  # type: ignore[no-untyped-def]
    return entitlements_compute_for_class(actor=provider_staff(training_class),
                                          training_class=training_class)


def only(training_class, item=SubsidyItem.TRAINING_FEE):  # type: ignore[no-untyped-def]
    return Entitlement.objects.exclude(status="void").get(training_class=training_class,
                                                          item=item)


def test_employment_36_days_attended_times_100_is_3600_split_60_40() -> None:
    standard(max_days=36, is_example=True, basis_text="湘残联发〔2025〕1号")
    training_class = finished_class(days=36)
    result(trainees(training_class)[0], attended=36)
    compute(training_class)
    line = only(training_class)
    assert (line.quantity, line.rate, line.amount) == (D("36"), D("100.00"), D("3600.00"))
    assert (line.amount_province, line.amount_city, line.amount_county) == (
        D("2160.00"), D("1440.00"), D("0.00"))
    assert re.match(r"36\D+100\.00\D+= 3,600\.00\D", line.explanation), line.explanation
    assert "湘残联发〔2025〕1号" in line.explanation
    with translation.override("zh-hans"):
        note = gettext(" (based on: %(basis)s, example standard)") % {
            "basis": "湘残联发〔2025〕1号"}
    assert note in line.explanation, line.explanation
    assert (line.period_start, line.period_end) == (training_class.start_date,
                                                    training_class.end_date)
    assert line.region_code == training_class.region_code
    assert line.computed_by == provider_staff(training_class)


def test_40_days_attended_are_paid_for_36_days_at_most() -> None:
    standard(max_days=36)
    training_class = finished_class(days=40)
    result(trainees(training_class)[0], attended=40)
    compute(training_class)
    line = only(training_class)
    assert (line.quantity, line.amount) == (D("36"), D("3600.00"))
    assert "40" in line.explanation and "36" in line.explanation


def test_days_paid_are_the_days_attended_when_fewer() -> None:
    standard(max_days=36)
    training_class = finished_class(days=20)
    result(trainees(training_class)[0], attended=17)
    compute(training_class)
    assert (only(training_class).quantity, only(training_class).amount) == (D("17"),
                                                                            D("1700.00"))


def test_rural_2500_per_person_split_1500_province_1000_city() -> None:
    standard(training_type=TrainingType.RURAL, basis=RateBasis.PER_PERSON, rate="2500",
             min_days=7)
    training_class = finished_class(training_type=TrainingType.RURAL, days=7)
    compute(training_class)
    line = only(training_class)
    assert (line.quantity, line.amount) == (D("1"), D("2500.00"))
    assert (line.amount_province, line.amount_city, line.amount_county) == (
        D("1500.00"), D("1000.00"), D("0.00"))
    assert re.search(r"\D1,500\.00 / \D+1,000\.00", line.explanation), line.explanation


def test_entrepreneurship_class_of_9_days_gets_nothing_and_says_why() -> None:
    standard(training_type=TrainingType.ENTREPRENEURSHIP, basis=RateBasis.PER_PERSON,
             rate="2500", min_days=10)
    short = finished_class(training_type=TrainingType.ENTREPRENEURSHIP, days=9)
    assert compute(short) == []
    skip = EntitlementSkip.objects.get(training_class=short)
    assert skip.code == "class_too_short" and "9" in skip.reason and "10" in skip.reason
    full = finished_class(training_type=TrainingType.ENTREPRENEURSHIP, days=10)
    compute(full)
    assert only(full).amount == D("2500.00")


def test_a_trainee_who_failed_gets_nothing() -> None:
    standard(max_days=36)
    training_class = finished_class(days=10, trainees=2)
    failed, passed = trainees(training_class)
    result(failed, passed=False, attended=10)
    result(passed, attended=10)
    current = compute(training_class)
    assert [e.enrolment_id for e in current] == [passed.pk]
    skip = EntitlementSkip.objects.get(enrolment=failed)
    assert skip.code == "not_completed" and skip.item == SubsidyItem.TRAINING_FEE


def test_results_not_entered_means_not_completed() -> None:
    standard(max_days=36)
    training_class = finished_class(days=10)
    result(trainees(training_class)[0], passed=None, attended=10)
    assert compute(training_class) == []


def test_a_standard_that_pays_without_completion_pays_by_days_attended() -> None:
    standard(item=SubsidyItem.LIVING, basis=RateBasis.PER_DAY_ATTENDED, rate="30",
             pays_without_completion=True)
    training_class = finished_class(days=10)
    result(trainees(training_class)[0], passed=False, attended=6)
    compute(training_class)
    line = only(training_class, SubsidyItem.LIVING)
    assert (line.quantity, line.amount) == (D("6"), D("180.00"))


def test_a_per_trainee_standard_without_completion_pays_in_proportion_to_days() -> None:
    standard(training_type=TrainingType.RURAL, basis=RateBasis.PER_PERSON, rate="2500",
             pays_without_completion=True)
    training_class = finished_class(training_type=TrainingType.RURAL, days=10)
    result(trainees(training_class)[0], passed=False, attended=5)
    compute(training_class)
    assert only(training_class).amount == D("1250.00")


def test_attendance_records_count_when_no_days_were_entered() -> None:
    from django.utils import timezone

    from skillplan.training.models import AttendanceRecord

    standard(item=SubsidyItem.LIVING, basis=RateBasis.PER_DAY_ATTENDED, rate="30")
    training_class = finished_class(days=5)
    enrolment = trainees(training_class)[0]
    result(enrolment, attended=None)
    for offset, mark in enumerate(["present", "late", "absent", "excused", "present"]):
        AttendanceRecord.objects.create(
            enrolment=enrolment, day=training_class.start_date + timedelta(days=offset),
            mark=mark, recorded_at=timezone.now())
    compute(training_class)
    assert only(training_class, SubsidyItem.LIVING).amount == D("90.00")  # 3 days × 30


def test_the_cap_per_trainee_holds() -> None:
    standard(item=SubsidyItem.LIVING, basis=RateBasis.PER_DAY_ATTENDED, rate="30",
             max_days=36, cap=D("1000"), shares=("50", "30", "20"))
    training_class = finished_class(days=36)
    result(trainees(training_class)[0], attended=36)
    compute(training_class)
    line = only(training_class, SubsidyItem.LIVING)
    assert line.amount == D("1000.00")  # 36 × 30 = 1,080 > cap 1,000
    assert re.search(r"1,080\.00\D+1,000\.00", line.explanation), line.explanation
    assert (line.amount_province, line.amount_city, line.amount_county) == (
        D("500.00"), D("300.00"), D("200.00"))


def test_the_city_standard_wins_over_the_province_default() -> None:
    standard(rate="100", max_days=36)
    standard(rate="120", max_days=36, region="4301", shares=("50", "30", "20"),
             actor=user("demo_city_changsha"))
    changsha = finished_class(days=10)
    jishou = finished_class(days=10, provider_key="433101")
    compute(changsha)
    compute(jishou)
    assert only(changsha).amount == D("1200.00")
    assert only(changsha).amount_county == D("240.00")
    assert only(jishou).amount == D("1000.00")


def test_a_changed_standard_does_not_rewrite_what_was_computed() -> None:
    old = standard(max_days=36)
    training_class = finished_class(days=10)
    compute(training_class)
    before = only(training_class)
    standard_supersede(actor=user("demo_province"), standard=old, values={
        "basis": RateBasis.PER_PERSON_DAY, "rate": D("150"), "max_days": 36,
        "share_province": D("100"), "share_city": D("0"), "share_county": D("0"),
        "effective_from": training_class.start_date - timedelta(days=5)})
    compute(training_class)  # recomputed after the change
    after = only(training_class)
    assert after.pk == before.pk
    assert (after.rate, after.amount, after.standard_id) == (D("100.00"), D("1000.00"), old.pk)


def test_recomputing_changes_nothing_when_nothing_changed() -> None:
    standard(max_days=36)
    training_class = finished_class(days=10, trainees=2)
    first = {e.pk for e in compute(training_class)}
    second = {e.pk for e in compute(training_class)}
    assert first == second and len(first) == 2
    assert not Entitlement.objects.filter(status="void").exists()


def test_late_corrected_results_void_and_replace_the_line() -> None:
    standard(max_days=36)
    training_class = finished_class(days=10)
    compute(training_class)
    old = only(training_class)
    result(trainees(training_class)[0], attended=8)
    compute(training_class)
    new = only(training_class)
    assert new.pk != old.pk and new.amount == D("800.00")
    assert Entitlement.objects.get(pk=old.pk).status == EntitlementStatus.VOID


def test_same_person_in_overlapping_classes_of_two_providers_is_refused_the_second_time() -> None:
    standard(max_days=36)
    start = finished_class(days=10).start_date  # dates only
    first = finished_class(days=10, start=start)
    second = finished_class(days=10, start=start + timedelta(days=3), provider_key="433101")
    person = trainees(first)[0].person
    Enrolment.objects.filter(pk=trainees(second)[0].pk).update(person=person)
    compute(first)
    assert compute(second) == []
    skip = EntitlementSkip.objects.get(training_class=second)
    assert skip.code == "already_entitled" and skip.conflicting == only(first)
    assert first.code in skip.reason
    assert AuditEvent.objects.filter(event="entitlement.refused").exists()
    # the first class recomputed still has its line: the refusal never removes the first
    compute(first)
    assert only(first).amount == D("1000.00")


def test_conflicts_lists_the_other_overlapping_entitlement() -> None:
    standard(max_days=36)
    first = finished_class(days=10)
    compute(first)
    line = only(first)
    copy = Entitlement(enrolment=trainees(finished_class(days=3))[0], person=line.person,
                       item=line.item, period_start=line.period_end,
                       period_end=line.period_end + timedelta(days=2))
    assert entitlement_conflicts(copy) == [line]
    copy.period_start = line.period_end + timedelta(days=1)
    assert entitlement_conflicts(copy) == []


def test_same_person_in_consecutive_classes_is_paid_for_both() -> None:
    standard(max_days=36)
    first = finished_class(days=10)
    second = finished_class(days=10, start=first.end_date + timedelta(days=1))
    Enrolment.objects.filter(pk=trainees(second)[0].pk).update(
        person=trainees(first)[0].person)
    compute(first)
    compute(second)
    assert only(second).amount == D("1000.00")


def test_named_participants_get_no_personal_subsidy() -> None:
    standard(training_type=TrainingType.EMPLOYER, basis=RateBasis.PER_PERSON, rate="200")
    training_class = finished_class(training_type=TrainingType.EMPLOYER, days=2, trainees=1)
    assert compute(training_class) == []
    assert set(EntitlementSkip.objects.filter(training_class=training_class)
               .values_list("code", flat=True)) == {"not_registered"}


def test_appraisal_fee_per_skill_certificate() -> None:
    from skillplan.certificates.models import SkillCertificate

    standard(item=SubsidyItem.APPRAISAL, basis=RateBasis.PER_CERTIFICATE, rate="200",
             shares=("100", "0", "0"))
    training_class = finished_class(days=10, trainees=2)
    holder, other = trainees(training_class)
    person = holder.person
    for number, (linked, issued) in enumerate([
            (True, training_class.end_date + timedelta(days=400)),  # linked: counts
            (False, training_class.end_date + timedelta(days=30)),  # within 180 days: counts
            (False, training_class.end_date + timedelta(days=200)),  # too late
            (False, training_class.start_date - timedelta(days=1))]):  # before the class
        SkillCertificate.objects.create(
            person=person, kind="skill_level", occupation_name="电子商务师",
            number=f"S{number}-{person.pk}", issuer="湖南省职业技能鉴定中心", issued_on=issued,
            training_class=training_class if linked else None, region_code=person.region_code)
    compute(training_class)
    line = only(training_class, SubsidyItem.APPRAISAL)
    assert (line.enrolment_id, line.quantity, line.amount) == (holder.pk, D("2"), D("400.00"))
    assert EntitlementSkip.objects.get(enrolment=other).code == "no_certificate"


def test_shares_that_do_not_divide_evenly_still_add_up() -> None:
    class Shares:
        share_province, share_city, share_county = D("33.33"), D("33.33"), D("33.34")

    parts = split_shares(D("100.01"), Shares())
    assert sum(parts) == D("100.01")
    assert parts == (D("33.33"), D("33.33"), D("33.35"))
    standard(rate="33.33", shares=("33.33", "33.33", "33.34"))
    training_class = finished_class(days=7)
    compute(training_class)
    line = only(training_class)
    assert line.amount == D("233.31")
    assert line.amount_province + line.amount_city + line.amount_county == line.amount


def test_a_class_still_running_cannot_be_computed() -> None:
    standard(max_days=36)
    training_class = finished_class(days=10, status=ClassStatus.ENDED)
    with pytest.raises(RuleError) as caught:
        compute(training_class)
    assert caught.value.code == "class_not_completed"
    assert not Entitlement.objects.filter(training_class=training_class).exists()


def test_only_those_who_prepare_the_claim_may_compute() -> None:
    standard(max_days=36)
    training_class = finished_class(days=10)
    for username in ("demo_provider_xiangxi", "demo_county_jishou", "demo_city_changsha",
                     "demo_province", "demo_trainee"):
        with pytest.raises(PermissionDenied):
            entitlements_compute_for_class(actor=user(username), training_class=training_class)
    assert not Entitlement.objects.filter(training_class=training_class).exists()
    assert entitlements_compute_for_class(actor=user("demo_county_furong"),
                                          training_class=training_class)


def test_withdrawn_trainee_loses_the_unclaimed_line() -> None:
    standard(max_days=36)
    training_class = finished_class(days=10, trainees=2)
    compute(training_class)
    gone = trainees(training_class)[0]
    Enrolment.objects.filter(pk=gone.pk).update(status="withdrawn")
    current = compute(training_class)
    assert gone.pk not in {e.enrolment_id for e in current} and len(current) == 1

