"""Claims (补贴申领): prepared from a finished class's computed entitlements, reviewed by the
county or city, approved by the province, then locked; a correction is a linked adjustment.

草稿 draft → submitted → reviewed → approved (locked) → paid; a reviewer or the approver may
return it with a comment (→ returned; the preparer submits it again). Maker-checker: the
reviewer is never the one who prepared or submitted the claim, and the approver is none of
them nor the reviewer.

Every service is keyword-only and atomic, locks the claim row and checks the status on the
fresh row (two people pressing the same button cannot both succeed), stamps who and when,
writes one :class:`ClaimStep` (the path) and one audit event with before/after. Rule failures
raise :class:`RuleError` with a stable code (``not_allowed``, ``status_invalid``,
``same_person``, ``locked``, ``empty``, ``already_claimed``, ``comment_required`` …).

The same person is never claimed twice for the same item and an overlapping period: the
entitlements of a claim are checked with ``entitlement_conflicts`` when it is submitted and
again when it is approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.audit.services import audit_record
from skillplan.core.errors import RuleError
from skillplan.core.masking import mask_name
from skillplan.subsidies.choices import (
    ClaimAction,
    ClaimKind,
    ClaimStatus,
    EntitlementStatus,
    SubsidyItem,
)
from skillplan.subsidies.models import ZERO, Claim, ClaimLine, ClaimStep, Entitlement
from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass

# A claim is prepared once the class's results are final: completion approved (the
# certificates are out) or closed. The issue says "a closed class"; completion approval is
# when the results the entitlements rest on can no longer change, so both are accepted.
CLAIMABLE_CLASS = frozenset({ClassStatus.COMPLETION_APPROVED, ClassStatus.CLOSED})
# Claims whose entitlements count as claimed by somebody for the no-double rule.
ACTIVE_CLAIM = frozenset({ClaimStatus.SUBMITTED, ClaimStatus.REVIEWED, ClaimStatus.APPROVED,
                          ClaimStatus.PAID})
EDITABLE_CLAIM = frozenset({ClaimStatus.DRAFT, ClaimStatus.RETURNED})
MAX_KEY = 64


# --- who may do what (the pages ask the same predicates) -------------------------------------


def _has(user: Any, permission: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(permission))


def may_prepare_for(user: Any, training_class: TrainingClass) -> bool:
    """A provider's staff for its own class, or a county (federation) clerk over the class."""
    if not _has(user, roles.PREPARE_CLAIM):
        return False
    if getattr(user, "provider_id", None):
        return bool(user.provider_id == training_class.provider_id)
    return can_act_on_region(user, training_class.region_code, permission=roles.PREPARE_CLAIM)


def prepared_by(claim: Claim, user: Any) -> bool:
    """Did ``user`` prepare or submit ``claim`` (then they may not review or approve it)?"""
    pk = getattr(user, "pk", None)
    return pk is not None and pk in (claim.created_by_id, claim.submitted_by_id)


def can_submit(claim: Claim, user: Any) -> bool:
    return claim.status in EDITABLE_CLAIM and may_prepare_for(user, claim.training_class)


def can_review(claim: Claim, user: Any) -> bool:
    return (claim.status == ClaimStatus.SUBMITTED and not prepared_by(claim, user)
            and can_act_on_region(user, claim.region_code, permission=roles.REVIEW_CLAIM))


def can_approve(claim: Claim, user: Any) -> bool:
    return (claim.status == ClaimStatus.REVIEWED and not prepared_by(claim, user)
            and getattr(user, "pk", None) != claim.reviewed_by_id
            and can_act_on_region(user, claim.region_code, permission=roles.APPROVE_CLAIM))


def can_adjust(claim: Claim, user: Any) -> bool:
    return claim.is_locked and claim.kind == ClaimKind.CLAIM and may_prepare_for(
        user, claim.training_class)


# --- helpers -------------------------------------------------------------------------------


def _not_allowed() -> RuleError:
    return RuleError("not_allowed", _("Your account may not take this step for this claim."))


def _status_error(claim: Claim) -> RuleError:
    if claim.is_locked:
        return RuleError("locked", _(
            "This claim is approved and locked; it cannot change. Prepare an adjustment to "
            "correct it."))
    return RuleError("status_invalid", _(
        "This claim is now “%(status)s”, so this step is not possible. Reload the page to see "
        "what has changed.") % {"status": claim.get_status_display()})


def _comment_required(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) < 2:
        raise RuleError("comment_required", _(
            "Say what must change before the claim can go on; the preparer sees your comment."))
    return comment[:500]


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk)


def _state(claim: Claim) -> dict[str, Any]:
    return {"status": claim.status, "total": str(claim.total), "version": claim.version}


def _step(claim: Claim, *, action: str, actor: Any, from_status: str, comment: str = ""
          ) -> ClaimStep:
    return ClaimStep.objects.create(
        claim=claim, action=action, actor_id=getattr(actor, "pk", None),
        from_status=from_status, to_status=claim.status, comment=(comment or "")[:500],
        at=timezone.now())


def _save(claim: Claim, actor: Any, fields: list[str]) -> None:
    claim.updated_at = timezone.now()
    claim.updated_by_id = getattr(actor, "pk", None)
    claim.version += 1
    claim.save(update_fields=[*fields, "updated_at", "updated_by", "version"])


def _transition(claim: Claim, *, actor: Any, to: str, action: str, event: str,
                comment: str = "", stamps: dict[str, Any] | None = None) -> Claim:
    before = _state(claim)
    old = claim.status
    claim.status = to
    for name, value in (stamps or {}).items():
        setattr(claim, name, value)
    _save(claim, actor, ["status", *(stamps or {})])
    _step(claim, action=action, actor=actor, from_status=old, comment=comment)
    after = _state(claim)
    if comment:
        after["comment"] = comment
    audit_record(actor=actor, event=event, target=claim, region_code=claim.region_code,
                 before=before, after=after)
    return claim


def _done(original: Claim, fresh: Claim) -> Claim:
    if original is not fresh:
        original.refresh_from_db()
    return fresh


def _compute(*, actor: Any, training_class: TrainingClass) -> None:
    """Compute (or confirm) the class's entitlements first (the computation service)."""
    from skillplan.subsidies.services import entitlements

    entitlements.entitlements_compute_for_class(actor=actor, training_class=training_class)


def _conflicts(entitlement: Entitlement) -> list[Entitlement]:
    from skillplan.subsidies.services import entitlements

    return list(entitlements.entitlement_conflicts(entitlement))


def _claimed_elsewhere(entitlement: Entitlement, claim: Claim) -> Entitlement | None:
    """Another entitlement of the same person, item and an overlapping period that is paid,
    in a claim on its way (submitted, reviewed, approved), or in this very claim."""
    others = [other.pk for other in _conflicts(entitlement) if other.pk != entitlement.pk]
    if not others:
        return None
    busy = ClaimLine.objects.filter(entitlement=OuterRef("pk"), claim__kind=ClaimKind.CLAIM,
                                    claim__status__in=ACTIVE_CLAIM)
    mine = ClaimLine.objects.filter(entitlement=OuterRef("pk"), claim=claim)
    return (Entitlement.objects.filter(pk__in=others).exclude(status=EntitlementStatus.VOID)
            .filter(Q(status=EntitlementStatus.PAID) | Q(Exists(busy)) | Q(Exists(mine)))
            .select_related("training_class").order_by("id").first())


def _check_no_double(claim: Claim) -> None:
    """Refuse when a person of the claim is already claimed or paid elsewhere."""
    lines = claim.lines.select_related("entitlement", "entitlement__person",
                                       "entitlement__enrolment")
    for line in lines:
        entitlement = line.entitlement
        if entitlement is None or entitlement.person_id is None:
            continue
        other = _claimed_elsewhere(entitlement, claim)
        if other is not None:
            raise RuleError("already_claimed", _(
                "%(name)s is already claimed or paid for “%(item)s” for an overlapping period "
                "in class %(code)s (%(start)s – %(end)s); the same person is never paid twice "
                "for the same thing. Ask the federation to check the other claim.") % {
                "name": mask_name(entitlement.person.name),
                "item": SubsidyItem(entitlement.item).label,
                "code": other.training_class.code, "start": other.period_start.isoformat(),
                "end": other.period_end.isoformat()})


def _next_number(year: int) -> str:
    prefix = f"BZ-{year}-"
    last = (Claim.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    sequence = int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(
        prefix).isdigit() else 1
    return f"{prefix}{sequence:06d}"


def _insert(claim: Claim, actor: Any) -> Claim:
    """Insert with the next free number; a number taken meanwhile by another claim is retried
    (the unique column decides). A taken ``request_key`` is raised to the caller."""
    actor_id = getattr(actor, "pk", None)
    claim.created_by_id = claim.updated_by_id = actor_id
    year = timezone.localdate().year
    for _attempt in range(20):
        claim.number = _next_number(year)
        try:
            with transaction.atomic():
                claim.save(force_insert=True)
            return claim
        except IntegrityError:
            claim.pk = None
            if claim.request_key and Claim.objects.filter(
                    request_key=claim.request_key).exists():
                raise
    raise RuleError("number_busy", _("Too many claims at once; try again in a moment."))


def _clean_key(request_key: str) -> str:
    key = (request_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise RuleError("request_key", _(
            "The form has expired. Open the page again and submit it once more."))
    return key


def _existing(request_key: str, training_class: TrainingClass | None = None,
              adjusts: Claim | None = None) -> Claim | None:
    found = Claim.objects.filter(request_key=request_key).first()
    if found is None:
        return None
    same = (found.training_class_id == training_class.pk if training_class is not None
            else found.adjusts_id == getattr(adjusts, "pk", None))
    if not same:
        raise RuleError("request_key_reused", _(
            "This request key was already used for another claim; open the page again."))
    return found


def unclaimed_entitlements(training_class: TrainingClass) -> QuerySet[Entitlement]:
    """The class's computed entitlements that are in no claim yet."""
    in_claim = ClaimLine.objects.filter(entitlement=OuterRef("pk"), claim__kind=ClaimKind.CLAIM)
    return (Entitlement.objects.filter(training_class=training_class,
                                       status=EntitlementStatus.COMPUTED)
            .exclude(Exists(in_claim)).order_by("enrolment_id", "item", "id"))


def _set_total(claim: Claim) -> None:
    claim.total = claim.lines.aggregate(total=Sum("amount"))["total"] or ZERO


# --- prepare, submit, review, approve ------------------------------------------------------


@transaction.atomic
def claim_prepare(*, actor: Any, training_class: TrainingClass, request_key: str) -> Claim:
    """A draft claim of every computed, unclaimed entitlement of the class (computed first).

    Idempotent by ``request_key``: the same key (a double click, a retry) answers the claim it
    made before and creates nothing."""
    key = _clean_key(request_key)
    found = _existing(key, training_class=training_class)
    if found is not None:
        return found
    if not may_prepare_for(actor, training_class):
        raise _not_allowed()
    # Lock the class: two preparations of it wait for each other (and a retry with the same
    # key finds the claim the first one made).
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    found = _existing(key, training_class=training_class)
    if found is not None:
        return found
    if training_class.status not in CLAIMABLE_CLASS:
        raise RuleError("class_not_finished", _(
            "A claim can be prepared only for a class whose completion is approved or which "
            "is closed; this class is “%(status)s”.") % {
            "status": training_class.get_status_display()})
    _compute(actor=actor, training_class=training_class)
    entitlements = list(unclaimed_entitlements(training_class).select_for_update())
    if not entitlements:
        raise RuleError("empty", _(
            "There is nothing to claim for this class: every computed entitlement is already "
            "in a claim, or none was computed (check the standards and the results)."))
    claim = Claim(kind=ClaimKind.CLAIM, training_class=training_class,
                  provider_id=training_class.provider_id,
                  region_code=training_class.region_code, status=ClaimStatus.DRAFT,
                  request_key=key)
    try:
        with transaction.atomic():
            _insert(claim, actor)
    except IntegrityError:
        found = _existing(key, training_class=training_class)
        if found is not None:
            return found
        raise
    ClaimLine.objects.bulk_create([
        ClaimLine(claim=claim, entitlement=entitlement, item=entitlement.item,
                  amount=entitlement.amount, explanation=entitlement.explanation[:500])
        for entitlement in entitlements])
    Entitlement.objects.filter(pk__in=[e.pk for e in entitlements]).update(
        status=EntitlementStatus.CLAIMED)
    _set_total(claim)
    claim.save(update_fields=["total"])
    _step(claim, action=ClaimAction.CREATED, actor=actor, from_status="")
    audit_record(actor=actor, event="subsidy_claim.prepared", target=claim,
                 region_code=claim.region_code, before=None,
                 after={**_state(claim), "class": training_class.code,
                        "lines": len(entitlements),
                        "entitlements": [e.pk for e in entitlements]})
    return claim


@transaction.atomic
def claim_submit(*, actor: Any, claim: Claim, comment: str = "") -> Claim:
    """Send a draft or returned claim for review; checks the no-double rule first."""
    fresh = _locked(claim)
    if fresh.status not in EDITABLE_CLAIM:
        raise _status_error(fresh)
    if not may_prepare_for(actor, fresh.training_class):
        raise _not_allowed()
    if not fresh.lines.exists():
        raise RuleError("empty", _("This claim has no lines; there is nothing to submit."))
    _check_no_double(fresh)
    _transition(fresh, actor=actor, to=ClaimStatus.SUBMITTED, action=ClaimAction.SUBMITTED,
                event="subsidy_claim.submitted", comment=(comment or "").strip(),
                stamps={"submitted_by_id": getattr(actor, "pk", None),
                        "submitted_at": timezone.now(), "reviewed_by_id": None,
                        "reviewed_at": None})
    return _done(claim, fresh)


@transaction.atomic
def claim_review(*, actor: Any, claim: Claim, approve: bool, comment: str = "") -> Claim:
    """The county or city over the claim's region passes it on to the province, or returns
    it with a comment; never the person who prepared or submitted it."""
    fresh = _locked(claim)
    if fresh.status != ClaimStatus.SUBMITTED:
        raise _status_error(fresh)
    if not can_act_on_region(actor, fresh.region_code, permission=roles.REVIEW_CLAIM):
        raise RuleError("not_reviewer", _(
            "Claims are reviewed by the county or city federation over the class's area; your "
            "account cannot review this claim."))
    if prepared_by(fresh, actor):
        raise RuleError("same_person", _(
            "You prepared or submitted this claim yourself, so another person must review it "
            "(one prepares, another checks)."))
    comment = (comment or "").strip()
    if not approve:
        comment = _comment_required(comment)
        _transition(fresh, actor=actor, to=ClaimStatus.RETURNED, action=ClaimAction.RETURNED,
                    event="subsidy_claim.returned", comment=comment,
                    stamps={"review_comment": comment})
        return _done(claim, fresh)
    _transition(fresh, actor=actor, to=ClaimStatus.REVIEWED, action=ClaimAction.REVIEWED,
                event="subsidy_claim.reviewed", comment=comment,
                stamps={"reviewed_by_id": actor.pk, "reviewed_at": timezone.now()})
    return _done(claim, fresh)


@transaction.atomic
def claim_approve(*, actor: Any, claim: Claim, approve: bool, comment: str = "") -> Claim:
    """The province approves a reviewed claim (then it is locked) or returns it with a
    comment; the approver is never the preparer, the submitter or the reviewer."""
    fresh = _locked(claim)
    if fresh.status != ClaimStatus.REVIEWED:
        raise _status_error(fresh)
    if not can_act_on_region(actor, fresh.region_code, permission=roles.APPROVE_CLAIM):
        raise RuleError("not_approver", _(
            "Claims are approved by the province federation; your account cannot approve this "
            "claim."))
    if prepared_by(fresh, actor):
        raise RuleError("same_person", _(
            "You prepared or submitted this claim yourself, so another person must approve it "
            "(the approver is never the preparer)."))
    if actor.pk == fresh.reviewed_by_id:
        raise RuleError("same_person", _(
            "You reviewed this claim yourself, so another person must approve it."))
    comment = (comment or "").strip()
    if not approve:
        comment = _comment_required(comment)
        _transition(fresh, actor=actor, to=ClaimStatus.RETURNED, action=ClaimAction.RETURNED,
                    event="subsidy_claim.returned", comment=comment,
                    stamps={"review_comment": comment})
        return _done(claim, fresh)
    _check_no_double(fresh)
    _transition(fresh, actor=actor, to=ClaimStatus.APPROVED, action=ClaimAction.APPROVED,
                event="subsidy_claim.approved", comment=comment,
                stamps={"approved_by_id": actor.pk, "approved_at": timezone.now()})
    return _done(claim, fresh)


# --- adjustments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AdjustmentLine:
    """One signed correction: of an entitlement of the adjusted claim, for an item."""

    entitlement_id: int | None
    item: str
    amount: Decimal
    explanation: str


def _adjustment_lines(claim: Claim, lines: list[AdjustmentLine]) -> list[ClaimLine]:
    if not lines:
        raise RuleError("empty", _("An adjustment needs at least one line."))
    own = {line.entitlement_id: line.entitlement for line in
           claim.lines.select_related("entitlement") if line.entitlement_id}
    made = []
    for line in lines:
        if line.entitlement_id is None or line.entitlement_id not in own:
            raise RuleError("line_not_in_claim", _(
                "Each line of an adjustment corrects a line of the approved claim; choose one "
                "of its trainees."))
        amount = Decimal(line.amount).quantize(Decimal("0.01"))
        if amount == ZERO:
            raise RuleError("amount_zero", _(
                "The amount of an adjustment line is the signed difference and cannot be 0."))
        entitlement = own[line.entitlement_id]
        if amount + entitlement.amount < ZERO:
            raise RuleError("amount_below_zero", _(
                "A correction cannot take more than was claimed for the line."))
        made.append(ClaimLine(entitlement=entitlement, item=entitlement.item, amount=amount,
                              explanation=(line.explanation or "").strip()[:500]))
    return made


@transaction.atomic
def claim_adjust(*, actor: Any, claim: Claim, lines: list[AdjustmentLine], reason: str,
                 request_key: str) -> Claim:
    """A new ADJUSTMENT claim linked to the approved ``claim`` (which is never edited), with
    signed lines and a reason; it goes through the same review and approval."""
    key = _clean_key(request_key)
    found = _existing(key, adjusts=claim)
    if found is not None:
        return found
    fresh = _locked(claim)
    if not fresh.is_locked or fresh.kind != ClaimKind.CLAIM:
        raise RuleError("not_adjustable", _(
            "Only an approved claim can be adjusted; correct a claim on its way by returning "
            "it."))
    if not may_prepare_for(actor, fresh.training_class):
        raise _not_allowed()
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise RuleError("reason_required", _("Say why the approved claim must be corrected."))
    made = _adjustment_lines(fresh, lines)
    adjustment = Claim(kind=ClaimKind.ADJUSTMENT, adjusts=fresh,
                       training_class_id=fresh.training_class_id,
                       provider_id=fresh.provider_id, region_code=fresh.region_code,
                       status=ClaimStatus.DRAFT, reason=reason[:500], request_key=key)
    try:
        with transaction.atomic():
            _insert(adjustment, actor)
    except IntegrityError:
        found = _existing(key, adjusts=fresh)
        if found is not None:
            return found
        raise
    for line in made:
        line.claim = adjustment
    ClaimLine.objects.bulk_create(made)
    _set_total(adjustment)
    adjustment.save(update_fields=["total"])
    _step(adjustment, action=ClaimAction.CREATED, actor=actor, from_status="", comment=reason)
    audit_record(actor=actor, event="subsidy_claim.adjustment_prepared", target=adjustment,
                 region_code=adjustment.region_code, before=None,
                 after={**_state(adjustment), "adjusts": fresh.number, "reason": reason,
                        "lines": [{"entitlement": line.entitlement_id,
                                   "amount": str(line.amount)} for line in made]})
    return adjustment
