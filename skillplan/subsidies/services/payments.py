"""Payments on approved claims (拨付): each paying level (province, city, county) records what it
paid with its voucher; when every level has paid its share the claim and its entitlements are
PAID.

What a level owes for a claim comes from the lines' shares: a line of an entitlement carries
``amount_province``/``amount_city``/``amount_county``; an adjustment line is split like the
entitlement it corrects (in proportion, the cents left over to the province).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.audit.services import audit_record
from skillplan.core.errors import RuleError
from skillplan.subsidies.choices import (
    ClaimAction,
    ClaimKind,
    ClaimStatus,
    EntitlementStatus,
    PayingLevel,
)
from skillplan.subsidies.models import ZERO, Claim, ClaimLine, ClaimStep, Entitlement, Payment

CENT = Decimal("0.01")
LEVELS = (PayingLevel.PROVINCE, PayingLevel.CITY, PayingLevel.COUNTY)


def line_shares(line: ClaimLine) -> dict[str, Decimal]:
    entitlement = line.entitlement
    if entitlement is None:
        return {PayingLevel.PROVINCE: line.amount, PayingLevel.CITY: ZERO,
                PayingLevel.COUNTY: ZERO}
    parts = {PayingLevel.PROVINCE: entitlement.amount_province,
             PayingLevel.CITY: entitlement.amount_city,
             PayingLevel.COUNTY: entitlement.amount_county}
    if line.amount == entitlement.amount:
        return parts
    if entitlement.amount == ZERO:
        return {PayingLevel.PROVINCE: line.amount, PayingLevel.CITY: ZERO,
                PayingLevel.COUNTY: ZERO}
    city = (line.amount * parts[PayingLevel.CITY] / entitlement.amount).quantize(
        CENT, ROUND_HALF_UP)
    county = (line.amount * parts[PayingLevel.COUNTY] / entitlement.amount).quantize(
        CENT, ROUND_HALF_UP)
    return {PayingLevel.PROVINCE: line.amount - city - county, PayingLevel.CITY: city,
            PayingLevel.COUNTY: county}


@dataclass(frozen=True)
class LevelDue:
    level: str
    label: str
    share: Decimal  # what the level pays for the claim
    paid: Decimal
    owed: Decimal  # what it still owes (never below 0)


def claim_dues(claim: Claim) -> list[LevelDue]:
    """Per paying level: its share of the claim, what it paid, what it still owes."""
    shares = dict.fromkeys(LEVELS, ZERO)
    for line in claim.lines.select_related("entitlement"):
        for level, amount in line_shares(line).items():
            shares[level] += amount
    paid = dict(claim.payments.values("paying_level").annotate(total=Sum("amount"))
                .values_list("paying_level", "total"))
    return [LevelDue(level, str(PayingLevel(level).label), shares[level],
                     paid.get(level) or ZERO, max(shares[level] - (paid.get(level) or ZERO),
                                                  ZERO))
            for level in LEVELS]


def paying_level_of(user: Any) -> str | None:
    """The level a user pays for: their federation level (None for anybody else)."""
    role = getattr(user, "role", "")
    return role if role in PayingLevel.values else None


def can_record_payment(claim: Claim, user: Any) -> bool:
    level = paying_level_of(user)
    if (level is None or claim.status != ClaimStatus.APPROVED
            or not can_act_on_region(user, claim.region_code, permission=roles.RECORD_PAYMENT)):
        return False
    return any(due.level == level and due.owed > ZERO for due in claim_dues(claim))


def _not_payer() -> RuleError:
    return RuleError("not_payer", _(
        "Payments are recorded by the federation level that pays (province, city or county) "
        "over the claim's area; your account cannot record a payment for this claim."))


@transaction.atomic
def payment_record(*, actor: Any, claim: Claim, paid_on: date, voucher_number: str,
                   amount: Decimal) -> Payment:
    """Record what the actor's level paid on an approved claim; at most what it still owes."""
    fresh = Claim.objects.select_for_update().get(pk=claim.pk)
    level = paying_level_of(actor)
    if level is None or not can_act_on_region(actor, fresh.region_code,
                                              permission=roles.RECORD_PAYMENT):
        raise _not_payer()
    if fresh.status != ClaimStatus.APPROVED:
        raise RuleError("status_invalid", _(
            "Payments are recorded on approved claims that are not fully paid; this claim is "
            "“%(status)s”.") % {"status": fresh.get_status_display()})
    voucher = (voucher_number or "").strip()
    if not voucher:
        raise RuleError("voucher_required", _("Enter the number of the payment voucher."))
    amount = Decimal(amount).quantize(CENT) if amount is not None else ZERO
    if amount <= ZERO:
        raise RuleError("amount_invalid", _("The amount paid must be more than 0 yuan."))
    if paid_on > timezone.localdate():
        raise RuleError("paid_on_future", _("The date of payment cannot be in the future."))
    due = next(due for due in claim_dues(fresh) if due.level == level)
    if due.share <= ZERO:
        raise RuleError("no_share", _(
            "Your level (%(level)s) pays no share of this claim.") % {"level": due.label})
    if amount > due.owed:
        raise RuleError("over_owed", _(
            "Your level (%(level)s) still owes %(owed)s yuan for this claim; %(amount)s yuan "
            "is more than that.") % {"level": due.label, "owed": due.owed, "amount": amount})
    if Payment.objects.filter(paying_level=level, voucher_number=voucher).exists():
        raise RuleError("voucher_duplicate", _(
            "The voucher %(voucher)s of your level is already recorded; each voucher is "
            "recorded once.") % {"voucher": voucher})
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                claim=fresh, paying_level=level, paid_on=paid_on, voucher_number=voucher,
                amount=amount, recorded_by_id=actor.pk, recorded_at=timezone.now())
    except IntegrityError as error:
        raise RuleError("voucher_duplicate", _(
            "The voucher %(voucher)s of your level is already recorded; each voucher is "
            "recorded once.") % {"voucher": voucher}) from error
    audit_record(actor=actor, event="subsidy_payment.recorded", target=payment,
                 region_code=fresh.region_code, before={"owed": str(due.owed)},
                 after={"claim": fresh.number, "paying_level": level,
                        "paid_on": paid_on.isoformat(), "voucher_number": voucher,
                        "amount": str(amount), "owed": str(due.owed - amount)})
    _settle(fresh, actor=actor, payment=payment)
    if claim is not fresh:
        claim.refresh_from_db()
    return payment


def _settle(claim: Claim, *, actor: Any, payment: Payment) -> None:
    """One step on the path per payment; the claim (and its entitlements) PAID when every
    level has paid its share."""
    fully = all(due.owed == ZERO for due in claim_dues(claim))
    old = claim.status
    if fully:
        claim.status = ClaimStatus.PAID
        claim.updated_at = timezone.now()
        claim.updated_by_id = actor.pk
        claim.version += 1
        claim.save(update_fields=["status", "updated_at", "updated_by", "version"])
    ClaimStep.objects.create(
        claim=claim, action=ClaimAction.PAID, actor_id=actor.pk, from_status=old,
        to_status=claim.status, at=timezone.now(),
        comment=f"{payment.get_paying_level_display()} {payment.voucher_number} "
                f"{payment.amount}")
    if not fully:
        return
    if claim.kind == ClaimKind.CLAIM:
        Entitlement.objects.filter(claim_lines__claim=claim).update(
            status=EntitlementStatus.PAID)
    audit_record(actor=actor, event="subsidy_claim.paid", target=claim,
                 region_code=claim.region_code, before={"status": old},
                 after={"status": claim.status, "paid": str(claim.payments.aggregate(
                     total=Sum("amount"))["total"] or ZERO)})
