"""Demo claims (补贴申领) for ``seed_demo``, made through the real services by the people who
would take each step, after the standards and entitlements are seeded:

- 芙蓉区 电商客服 (第二期): prepared and submitted by ``demo_provider``, reviewed by
  ``demo_city_changsha``, approved by ``demo_province``, paid by every level with a share
  (province, city, county) — a PAID claim; then an adjustment of it (one more day of living
  costs found on review of the attendance sheets), submitted and awaiting review;
- 湘西 土家织锦 (第一期): prepared and submitted by ``demo_provider_xiangxi``, returned by
  ``demo_city_xiangxi`` with a comment.

Idempotent: each preparation carries a fixed request key, and a step already taken is skipped.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.core.errors import RuleError
from skillplan.subsidies.choices import ClaimStatus, PayingLevel
from skillplan.subsidies.models import Claim
from skillplan.subsidies.services import claims, payments
from skillplan.training.models import TrainingClass

PAID_CLASS = "电商客服专项技能培训班（第二期）"
RETURNED_CLASS = "湘西州土家织锦民族传统技艺培训班（第一期）"
RETURN_COMMENT = "请补充学员签到表扫描件：第 3 天的签到与考勤记录不一致，核实后重新提交。"
ADJUST_REASON = "复核签到表，补记 1 名学员 1 天出勤的生活费（含交通费）。"


def _user(username: str) -> User | None:
    return User.objects.select_related("region", "provider").filter(username=username).first()


def _class(name_part: str) -> TrainingClass | None:
    return (TrainingClass.objects.filter(name__contains=name_part,
                                         entitlements__isnull=False)
            .distinct().order_by("pk").first())


def _prepare(actor: User, training_class: TrainingClass, key: str) -> Claim | None:
    try:
        return claims.claim_prepare(actor=actor, training_class=training_class,
                                    request_key=key)
    except RuleError:
        return Claim.objects.filter(request_key=key).first()


def _payer(level: str, claim: Claim) -> User | None:
    code = {PayingLevel.PROVINCE: "43", PayingLevel.CITY: claim.region_code[:4],
            PayingLevel.COUNTY: claim.region_code}[level]
    return User.objects.filter(role=level, region__code=code, is_active=True).order_by(
        "pk").first()


def _pay_all(claim: Claim) -> None:
    paid_on = timezone.localdate() - timedelta(days=2)
    for due in payments.claim_dues(claim):
        payer = _payer(due.level, claim)
        if due.owed <= 0 or payer is None:
            continue
        payments.payment_record(actor=payer, claim=claim, paid_on=paid_on,
                                voucher_number=f"{due.level[:2].upper()}-{claim.number}",
                                amount=due.owed)


def _paid_claim() -> Claim | None:
    training_class = _class(PAID_CLASS)
    provider, city, province = (_user("demo_provider"), _user("demo_city_changsha"),
                                _user("demo_province"))
    if training_class is None or provider is None or city is None or province is None:
        return None
    claim = _prepare(provider, training_class, f"demo-claim-{training_class.code}")
    if claim is None:
        return None
    if claim.status == ClaimStatus.DRAFT:
        claims.claim_submit(actor=provider, claim=claim, comment="培训已结业，申请拨付补贴。")
    if claim.status == ClaimStatus.SUBMITTED:
        claims.claim_review(actor=city, claim=claim, approve=True,
                            comment="已核对花名册、考勤和结业成绩，同意上报。")
    if claim.status == ClaimStatus.REVIEWED:
        claims.claim_approve(actor=province, claim=claim, approve=True, comment="同意拨付。")
    if claim.status == ClaimStatus.APPROVED:
        _pay_all(claim)
    return claim


def _adjustment(claim: Claim) -> Claim | None:
    provider = _user("demo_provider")
    line = claim.lines.filter(item="living").select_related("entitlement").first() or (
        claim.lines.select_related("entitlement").first())
    if provider is None or line is None or not claim.is_locked:
        return None
    rate = line.entitlement.rate if line.entitlement_id else Decimal("30")
    adjustment = claims.claim_adjust(
        actor=provider, claim=claim, reason=ADJUST_REASON,
        request_key=f"demo-adjust-{claim.number}",
        lines=[claims.AdjustmentLine(line.entitlement_id, line.item, rate,
                                     f"补记 1 天 × {rate} 元 = {rate} 元")])
    if adjustment.status == ClaimStatus.DRAFT:
        claims.claim_submit(actor=provider, claim=adjustment)
    return adjustment


def _returned_claim() -> Claim | None:
    training_class = _class(RETURNED_CLASS)
    provider, city = _user("demo_provider_xiangxi"), _user("demo_city_xiangxi")
    if training_class is None or provider is None or city is None:
        return None
    claim = _prepare(provider, training_class, f"demo-claim-{training_class.code}")
    if claim is None:
        return None
    if claim.status == ClaimStatus.DRAFT and not claim.steps.filter(action="returned").exists():
        claims.claim_submit(actor=provider, claim=claim)
    if claim.status == ClaimStatus.SUBMITTED:
        claims.claim_review(actor=city, claim=claim, approve=False, comment=RETURN_COMMENT)
    return claim


@transaction.atomic
def seed_claims() -> int:
    """The demo claims; returns how many claims (and adjustments) there are after seeding."""
    paid = _paid_claim()
    if paid is not None:
        _adjustment(paid)
    _returned_claim()
    return Claim.objects.filter(request_key__startswith="demo-").count()
