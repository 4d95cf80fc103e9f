"""Payments: each paying level pays its share of an approved claim, once per voucher, never more
than it owes; fully paid → the claim and its entitlements are PAID, and the audit trail shows
the whole path of the money."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from skillplan.audit.models import AuditEvent
from skillplan.core.errors import RuleError
from skillplan.subsidies.choices import ClaimAction, ClaimStatus, EntitlementStatus
from skillplan.subsidies.models import Claim, Payment
from skillplan.subsidies.services.payments import claim_dues, payment_record
from tests.subsidies.claims_support import claim_in
from tests.training.factories import user

pytestmark = pytest.mark.django_db


def _pay(username: str, claim: Claim, amount: Decimal, voucher: str) -> Payment:
    return payment_record(actor=user(username), claim=claim, paid_on=timezone.localdate(),
                          voucher_number=voucher, amount=amount)


def _dues(claim: Claim) -> dict[str, tuple[Decimal, Decimal]]:
    return {due.level: (due.share, due.owed) for due in claim_dues(claim)}


def test_province_and_city_pay_their_shares_then_the_claim_is_paid():
    claim = claim_in(ClaimStatus.APPROVED, trainees=1)
    total = claim.total
    province, city = total * Decimal("0.6"), total * Decimal("0.4")
    assert _dues(claim) == {"province": (province, province), "city": (city, city),
                            "county": (Decimal("0"), Decimal("0"))}
    _pay("demo_province", claim, province, "省财-2025-001")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    _pay("demo_city_changsha", claim, city - Decimal("100"), "长财-001")
    _pay("demo_city_changsha", claim, Decimal("100"), "长财-002")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID
    assert set(claim.lines.values_list("entitlement__status", flat=True)) == {
        EntitlementStatus.PAID}
    assert [s.action for s in claim.steps.all()][-3:] == [ClaimAction.PAID] * 3


def test_the_audit_trail_shows_the_whole_path_of_a_payment_in_order():
    claim = claim_in(ClaimStatus.APPROVED, trainees=1)
    dues = _dues(claim)
    _pay("demo_province", claim, dues["province"][1], "省财-2025-101")
    _pay("demo_city_changsha", claim, dues["city"][1], "长财-101")
    payment_ids = [str(pk) for pk in claim.payments.values_list("pk", flat=True)]
    events = list(AuditEvent.objects.filter(
        target_type__in=("subsidies.claim", "subsidies.payment"),
        target_id__in=[str(claim.pk), *payment_ids]).order_by("seq"))
    trail = [(e.event, e.target_type) for e in events
             if e.target_type == "subsidies.claim" and e.target_id == str(claim.pk)
             or e.target_type == "subsidies.payment"]
    assert [event for event, _type in trail] == [
        "subsidy_claim.prepared", "subsidy_claim.submitted", "subsidy_claim.reviewed",
        "subsidy_claim.approved", "subsidy_payment.recorded", "subsidy_payment.recorded",
        "subsidy_claim.paid"]
    who = [e.actor_username for e in events]
    assert who == ["demo_provider", "demo_provider", "demo_city_changsha", "demo_province",
                   "demo_province", "demo_city_changsha", "demo_city_changsha"]
    recorded = [e for e in events if e.event == "subsidy_payment.recorded"][0]
    assert recorded.after["voucher_number"] == "省财-2025-101"
    assert recorded.after["claim"] == claim.number


def test_paying_more_than_owed_or_the_same_voucher_twice_is_refused():
    claim = claim_in(ClaimStatus.APPROVED, trainees=1)
    owed = _dues(claim)["province"][1]
    with pytest.raises(RuleError) as caught:
        _pay("demo_province", claim, owed + Decimal("0.01"), "省财-201")
    assert caught.value.code == "over_owed"
    _pay("demo_province", claim, Decimal("10"), "省财-202")
    with pytest.raises(RuleError) as caught:
        _pay("demo_province", claim, Decimal("10"), "省财-202")
    assert caught.value.code == "voucher_duplicate"
    _pay("demo_province", claim, owed - Decimal("10"), "省财-203")
    with pytest.raises(RuleError) as caught:  # all paid: a second payment is over what is owed
        _pay("demo_province", claim, Decimal("1"), "省财-204")
    assert caught.value.code == "over_owed"
    assert claim.payments.count() == 2


def test_who_may_not_record_a_payment():
    claim = claim_in(ClaimStatus.APPROVED, trainees=1)
    for username, code in (("demo_provider", "not_payer"), ("demo_city_xiangxi", "not_payer"),
                           ("demo_auditor", "not_payer"), ("demo_county_furong", "no_share")):
        with pytest.raises(RuleError) as caught:
            _pay(username, claim, Decimal("1"), f"V-{username}")
        assert caught.value.code == code
    assert not claim.payments.exists()


def test_a_claim_not_approved_cannot_be_paid():
    claim = claim_in(ClaimStatus.REVIEWED, trainees=1)
    with pytest.raises(RuleError) as caught:
        _pay("demo_province", claim, Decimal("1"), "省财-301")
    assert caught.value.code == "status_invalid"
    assert not Payment.objects.filter(claim=claim).exists()


def test_a_paid_claim_is_locked_against_more_payments():
    claim = claim_in(ClaimStatus.APPROVED, trainees=1)
    dues = _dues(claim)
    _pay("demo_province", claim, dues["province"][1], "省财-401")
    _pay("demo_city_changsha", claim, dues["city"][1], "长财-401")
    with pytest.raises(RuleError) as caught:
        _pay("demo_province", claim, Decimal("1"), "省财-402")
    assert caught.value.code == "status_invalid"
