"""Claims through the services: prepare, submit, review, approve, return, adjust; maker-checker,
the lock, the request key, and the no-double rule."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from skillplan.audit.models import AuditEvent
from skillplan.core.errors import RuleError
from skillplan.subsidies.choices import ClaimAction, ClaimKind, ClaimStatus, EntitlementStatus
from skillplan.subsidies.models import Claim, ClaimLine, Entitlement
from skillplan.subsidies.services import claims
from skillplan.subsidies.services.claims import AdjustmentLine
from skillplan.subsidies.services.entitlements import entitlements_compute_for_class
from skillplan.training.choices import ClassStatus
from tests.subsidies.claims_support import claim_in, finished_class, key
from tests.training.factories import make_class, user

pytestmark = pytest.mark.django_db


def _codes(claim: Claim) -> list[str]:
    return list(AuditEvent.objects.filter(target_type="subsidies.claim",
                                          target_id=str(claim.pk))
                .order_by("seq").values_list("event", flat=True))


def test_provider_prepares_a_claim_of_the_computed_entitlements():
    training_class = finished_class(trainees=2)
    claim = claims.claim_prepare(actor=user("demo_provider"), training_class=training_class,
                                 request_key=key())
    assert re.fullmatch(r"BZ-\d{4}-\d{6}", claim.number)
    assert claim.status == ClaimStatus.DRAFT and claim.kind == ClaimKind.CLAIM
    lines = list(claim.lines.select_related("entitlement"))
    assert len(lines) == 2
    days = training_class.days
    for line in lines:
        assert line.amount == Decimal(days) * Decimal("100.00")
        assert line.entitlement.status == EntitlementStatus.CLAIMED
        assert line.explanation == line.entitlement.explanation[:500]
    assert claim.total == Decimal(days) * Decimal("200.00")
    assert [s.action for s in claim.steps.all()] == [ClaimAction.CREATED]
    assert _codes(claim) == ["subsidy_claim.prepared"]


def test_county_clerk_prepares_for_a_class_of_the_county_completion_approved_too():
    training_class = finished_class(trainees=1, status=ClassStatus.COMPLETION_APPROVED)
    claim = claims.claim_prepare(actor=user("demo_county_furong"),
                                 training_class=training_class, request_key=key())
    assert claim.lines.count() == 1


@pytest.mark.parametrize("username", ["demo_provider_xiangxi", "demo_county_jishou",
                                      "demo_city_changsha", "demo_province", "demo_auditor"])
def test_others_may_not_prepare_and_nothing_is_made(username):
    training_class = finished_class(trainees=1)
    with pytest.raises(RuleError) as caught:
        claims.claim_prepare(actor=user(username), training_class=training_class,
                             request_key=key())
    assert caught.value.code == "not_allowed"
    assert not Claim.objects.filter(training_class=training_class).exists()


def test_a_class_not_finished_cannot_be_claimed():
    training_class = make_class(status=ClassStatus.ENDED, trainees=1)
    with pytest.raises(RuleError) as caught:
        claims.claim_prepare(actor=user("demo_provider"), training_class=training_class,
                             request_key=key())
    assert caught.value.code == "class_not_finished"


def test_an_empty_claim_is_refused_and_lines_are_never_claimed_twice():
    training_class = finished_class(trainees=1)
    claims.claim_prepare(actor=user("demo_provider"), training_class=training_class,
                         request_key=key())
    with pytest.raises(RuleError) as caught:
        claims.claim_prepare(actor=user("demo_provider"), training_class=training_class,
                             request_key=key())
    assert caught.value.code == "empty"
    assert Claim.objects.filter(training_class=training_class).count() == 1


def test_the_same_request_key_twice_creates_the_claim_once():
    training_class = finished_class(trainees=1)
    same = key()
    first = claims.claim_prepare(actor=user("demo_provider"), training_class=training_class,
                                 request_key=same)
    events = AuditEvent.objects.count()
    second = claims.claim_prepare(actor=user("demo_provider"), training_class=training_class,
                                  request_key=same)
    assert second.pk == first.pk
    assert Claim.objects.filter(training_class=training_class).count() == 1
    assert ClaimLine.objects.filter(claim__training_class=training_class).count() == 1
    assert AuditEvent.objects.count() == events


def test_the_whole_path_stamps_and_records_every_step():
    claim = claim_in(ClaimStatus.APPROVED)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.is_locked
    assert claim.created_by == user("demo_provider") == claim.submitted_by
    assert claim.reviewed_by == user("demo_city_changsha")
    assert claim.approved_by == user("demo_province")
    assert [s.action for s in claim.steps.all()] == [
        ClaimAction.CREATED, ClaimAction.SUBMITTED, ClaimAction.REVIEWED, ClaimAction.APPROVED]
    assert _codes(claim) == ["subsidy_claim.prepared", "subsidy_claim.submitted",
                             "subsidy_claim.reviewed", "subsidy_claim.approved"]
    approved = AuditEvent.objects.get(target_id=str(claim.pk), event="subsidy_claim.approved")
    assert approved.before["status"] == "reviewed" and approved.after["status"] == "approved"


def test_the_preparer_may_not_review_the_claim():
    claim = claim_in(ClaimStatus.SUBMITTED, preparer="demo_county_furong")
    with pytest.raises(RuleError) as caught:
        claims.claim_review(actor=user("demo_county_furong"), claim=claim, approve=True)
    assert caught.value.code == "same_person"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.reviewed_by is None


def test_the_preparer_may_never_approve():
    claim = claim_in(ClaimStatus.REVIEWED)
    with pytest.raises(RuleError) as caught:
        claims.claim_approve(actor=user("demo_provider"), claim=claim, approve=True)
    assert caught.value.code == "not_approver"
    # A province account that prepared it (stamped so, e.g. on behalf of a county) is refused.
    Claim.objects.filter(pk=claim.pk).update(created_by=user("demo_province"))
    with pytest.raises(RuleError) as caught:
        claims.claim_approve(actor=user("demo_province"), claim=claim, approve=True)
    assert caught.value.code == "same_person"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REVIEWED and claim.approved_by is None


def test_the_reviewer_may_not_approve():
    claim = claim_in(ClaimStatus.REVIEWED)
    Claim.objects.filter(pk=claim.pk).update(reviewed_by=user("demo_province"))
    with pytest.raises(RuleError) as caught:
        claims.claim_approve(actor=user("demo_province"), claim=claim, approve=True)
    assert caught.value.code == "same_person"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REVIEWED


def test_reviewers_of_another_area_are_refused():
    claim = claim_in(ClaimStatus.SUBMITTED)
    for username in ("demo_city_xiangxi", "demo_county_jishou", "demo_province"):
        with pytest.raises(RuleError) as caught:
            claims.claim_review(actor=user(username), claim=claim, approve=True)
        assert caught.value.code == "not_reviewer"


def test_returned_at_review_with_a_comment_then_resubmitted_keeps_the_comment():
    claim = claim_in(ClaimStatus.SUBMITTED)
    with pytest.raises(RuleError) as caught:
        claims.claim_review(actor=user("demo_county_furong"), claim=claim, approve=False,
                            comment=" ")
    assert caught.value.code == "comment_required"
    claims.claim_review(actor=user("demo_county_furong"), claim=claim, approve=False,
                        comment="请补充考勤记录")
    assert claim.status == ClaimStatus.RETURNED and claim.review_comment == "请补充考勤记录"
    claims.claim_submit(actor=user("demo_provider"), claim=claim, comment="已补充")
    assert claim.status == ClaimStatus.SUBMITTED
    steps = [(s.action, s.comment) for s in claim.steps.all()]
    assert (ClaimAction.RETURNED, "请补充考勤记录") in steps
    assert steps[-1] == (ClaimAction.SUBMITTED, "已补充")


def test_returned_at_approval_goes_back_to_the_preparer():
    claim = claim_in(ClaimStatus.REVIEWED)
    claims.claim_approve(actor=user("demo_province"), claim=claim, approve=False,
                         comment="培训天数与课表不符")
    assert claim.status == ClaimStatus.RETURNED
    assert claim.steps.last().comment == "培训天数与课表不符"
    claims.claim_submit(actor=user("demo_provider"), claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.reviewed_by is None


def test_an_approved_claim_is_locked():
    claim = claim_in(ClaimStatus.APPROVED)
    version = claim.version
    for call in (
        lambda: claims.claim_submit(actor=user("demo_provider"), claim=claim),
        lambda: claims.claim_review(actor=user("demo_county_furong"), claim=claim,
                                    approve=False, comment="改一下"),
        lambda: claims.claim_approve(actor=user("demo_province"), claim=claim, approve=False,
                                     comment="改一下"),
    ):
        with pytest.raises(RuleError) as caught:
            call()
        assert caught.value.code == "locked"
    claim.refresh_from_db()
    assert claim.version == version and claim.status == ClaimStatus.APPROVED


def test_an_adjustment_is_a_new_linked_claim_through_the_same_path():
    claim = claim_in(ClaimStatus.APPROVED)
    line = claim.lines.first()
    lines_before = list(claim.lines.values_list("pk", "amount"))
    same = key()
    adjustment = claims.claim_adjust(
        actor=user("demo_provider"), claim=claim, reason="考勤复核少计 1 天",
        request_key=same, lines=[AdjustmentLine(line.entitlement_id, line.item,
                                                Decimal("-100"), "少计 1 天，扣减 100 元")])
    again = claims.claim_adjust(
        actor=user("demo_provider"), claim=claim, reason="考勤复核少计 1 天",
        request_key=same, lines=[AdjustmentLine(line.entitlement_id, line.item,
                                                Decimal("-100"), "少计 1 天，扣减 100 元")])
    assert again.pk == adjustment.pk
    assert adjustment.kind == ClaimKind.ADJUSTMENT and adjustment.adjusts_id == claim.pk
    assert adjustment.total == Decimal("-100.00") and adjustment.reason == "考勤复核少计 1 天"
    assert list(claim.lines.values_list("pk", "amount")) == lines_before
    claims.claim_submit(actor=user("demo_provider"), claim=adjustment)
    claims.claim_review(actor=user("demo_county_furong"), claim=adjustment, approve=True)
    claims.claim_approve(actor=user("demo_province"), claim=adjustment, approve=True)
    assert adjustment.status == ClaimStatus.APPROVED
    assert "subsidy_claim.adjustment_prepared" in _codes(adjustment)


def test_an_adjustment_needs_a_reason_lines_of_the_claim_and_an_approved_claim():
    claim = claim_in(ClaimStatus.APPROVED)
    line = claim.lines.first()
    good = [AdjustmentLine(line.entitlement_id, line.item, Decimal("50"), "补 0.5 天")]
    with pytest.raises(RuleError) as caught:
        claims.claim_adjust(actor=user("demo_provider"), claim=claim, lines=good, reason="",
                            request_key=key())
    assert caught.value.code == "reason_required"
    other = Entitlement.objects.exclude(claim_lines__claim=claim).first()
    if other is not None:
        with pytest.raises(RuleError) as caught:
            claims.claim_adjust(actor=user("demo_provider"), claim=claim, reason="更正",
                                request_key=key(), lines=[AdjustmentLine(
                                    other.pk, other.item, Decimal("10"), "x")])
        assert caught.value.code == "line_not_in_claim"
    draft = claim_in(ClaimStatus.SUBMITTED)
    with pytest.raises(RuleError) as caught:
        claims.claim_adjust(actor=user("demo_provider"), claim=draft, lines=good,
                            reason="更正", request_key=key())
    assert caught.value.code == "not_adjustable"
    assert not Claim.objects.filter(kind=ClaimKind.ADJUSTMENT, adjusts__in=[claim, draft]
                                    ).exists()


def _double(claim_a: Claim) -> Claim:
    """A second class overlapping claim A's class, whose entitlement names the same person
    (as another path would have made it), prepared as a claim."""
    first = claim_a.lines.select_related("entitlement").first().entitlement
    class_b = finished_class(trainees=1, start=first.period_start + timedelta(days=1))
    entitlements_compute_for_class(actor=user("demo_provider"), training_class=class_b)
    own = Entitlement.objects.get(training_class=class_b)
    Entitlement.objects.filter(pk=own.pk).update(person_id=first.person_id)
    return claims.claim_prepare(actor=user("demo_provider"), training_class=class_b,
                                request_key=key())


def test_a_person_already_claimed_in_an_overlapping_class_is_refused_at_submit():
    claim_a = claim_in(ClaimStatus.SUBMITTED)
    claim_b = _double(claim_a)
    with pytest.raises(RuleError) as caught:
        claims.claim_submit(actor=user("demo_provider"), claim=claim_b)
    assert caught.value.code == "already_claimed"
    assert claim_a.training_class.code in str(caught.value)
    claim_b.refresh_from_db()
    assert claim_b.status == ClaimStatus.DRAFT


def test_the_no_double_rule_is_checked_again_at_approval():
    claim_a = claim_in(ClaimStatus.DRAFT)  # a draft claims nobody yet: B may be submitted
    claim_b = _double(claim_a)
    claims.claim_submit(actor=user("demo_provider"), claim=claim_b)
    claims.claim_review(actor=user("demo_county_furong"), claim=claim_b, approve=True)
    # Meanwhile A's entitlement of the same person was paid by another path.
    Entitlement.objects.filter(claim_lines__claim=claim_a).update(status=EntitlementStatus.PAID)
    with pytest.raises(RuleError) as caught:
        claims.claim_approve(actor=user("demo_province"), claim=claim_b, approve=True)
    assert caught.value.code == "already_claimed"
    claim_b.refresh_from_db()
    assert claim_b.status == ClaimStatus.REVIEWED
