"""The anomaly list of the fund supervision (资金监管): cases a federation clerk should look at.

(a) a person owed the same item in two classes whose periods overlap; (b) a payment for a
trainee who did not complete (``passed`` is not True), unless the standard pays by days attended
without completion; (c) an amount above the standard's cap; (d) a claim for a class without any
attendance record. Each case names the class and, where there is one, the claim. Scoped: a clerk
sees the cases of their area; the other class of an overlap is named only if it is theirs too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import restrict
from skillplan.subsidies.choices import ClaimStatus, EntitlementStatus
from skillplan.subsidies.models import Claim, ClaimLine, Entitlement, Payment
from skillplan.training.models import AttendanceRecord, TrainingClass

LIMIT = 200  # cases of each kind shown at most


class Kind:
    OVERLAP = "overlap"
    NOT_COMPLETED = "not_completed"
    OVER_CAP = "over_cap"
    NO_ATTENDANCE = "no_attendance"


KIND_LABELS = {
    Kind.OVERLAP: _("Same person and item in two overlapping classes"),
    Kind.NOT_COMPLETED: _("Payment for a trainee who did not complete"),
    Kind.OVER_CAP: _("Amount above the standard's cap"),
    Kind.NO_ATTENDANCE: _("Claim for a class without attendance records"),
}


@dataclass(frozen=True)
class ClassRef:
    pk: int
    code: str


@dataclass(frozen=True)
class ClaimRef:
    pk: int
    number: str


@dataclass(frozen=True)
class Anomaly:
    kind: str
    training_class: ClassRef
    detail: str
    claim: ClaimRef | None = None
    person: str = ""
    amount: Decimal | None = None
    other_class: ClassRef | None = None  # the other class of an overlap, if in scope
    other_period: tuple[date, date] | None = None

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _class_ref(training_class: TrainingClass) -> ClassRef:
    return ClassRef(pk=training_class.pk, code=training_class.code)


def _claim_ref(claim: Claim | None) -> ClaimRef | None:
    return ClaimRef(pk=claim.pk, number=claim.number) if claim is not None else None


def _latest_claim(entitlement: Entitlement) -> Claim | None:
    claims = [line.claim for line in entitlement.claim_lines.all()]
    return max(claims, key=lambda c: c.pk) if claims else None


def _entitlements(user: Any) -> QuerySet[Entitlement]:
    lines = Prefetch("claim_lines", queryset=ClaimLine.objects.select_related("claim"))
    return (restrict(Entitlement.objects.all(), user, permission=roles.VIEW_SUBSIDY)
            .exclude(status=EntitlementStatus.VOID)
            .select_related("training_class", "person", "enrolment", "standard")
            .prefetch_related(lines))


def _person_name(entitlement: Entitlement) -> str:
    if entitlement.person_id and entitlement.person is not None:
        return entitlement.person.masked_name
    return entitlement.enrolment.display_name if entitlement.enrolment_id else ""


def overlaps(*, user: Any) -> list[Anomaly]:
    """(a) Non-void entitlements of a person for an item that another class also owes them
    over an overlapping period."""
    other = (Entitlement.objects.exclude(status=EntitlementStatus.VOID)
             .filter(person_id=OuterRef("person_id"), item=OuterRef("item"),
                     period_start__lte=OuterRef("period_end"),
                     period_end__gte=OuterRef("period_start"))
             .filter(~Q(training_class_id=OuterRef("training_class_id"))))
    flagged = list(_entitlements(user).filter(person__isnull=False).filter(Exists(other))
                   .order_by("person_id", "item", "period_start", "pk")[:LIMIT])
    if not flagged:
        return []
    partners = list(Entitlement.objects.exclude(status=EntitlementStatus.VOID)
                    .filter(person_id__in={e.person_id for e in flagged})
                    .select_related("training_class"))
    visible = set(restrict(TrainingClass.objects.filter(
        pk__in={p.training_class_id for p in partners}), user,
        permission=roles.VIEW_SUBSIDY).values_list("pk", flat=True))
    cases = []
    for entitlement in flagged:
        partner = next(p for p in partners if p.person_id == entitlement.person_id
                       and p.item == entitlement.item
                       and p.training_class_id != entitlement.training_class_id
                       and p.period_start <= entitlement.period_end
                       and p.period_end >= entitlement.period_start)
        shown = partner.training_class_id in visible
        cases.append(Anomaly(
            kind=Kind.OVERLAP, training_class=_class_ref(entitlement.training_class),
            claim=_claim_ref(_latest_claim(entitlement)), person=_person_name(entitlement),
            amount=entitlement.amount, detail=entitlement.get_item_display(),
            other_class=_class_ref(partner.training_class) if shown else None,
            other_period=(partner.period_start, partner.period_end)))
    return cases


def paid_without_completion(*, user: Any) -> list[Anomaly]:
    """(b) Lines of claims with a payment, for trainees whose result is not "passed"."""
    claims = restrict(Claim.objects.all(), user, permission=roles.VIEW_SUBSIDY)
    lines = (ClaimLine.objects
             .filter(claim__in=claims.values("pk"), entitlement__isnull=False)
             .filter(Exists(Payment.objects.filter(claim_id=OuterRef("claim_id"))))
             .filter(Q(entitlement__enrolment__passed__isnull=True)
                     | Q(entitlement__enrolment__passed=False))
             .exclude(entitlement__standard__pays_without_completion=True)
             .select_related("claim", "claim__training_class", "entitlement__person",
                             "entitlement__enrolment")
             .order_by("claim_id", "pk")[:LIMIT])
    return [Anomaly(kind=Kind.NOT_COMPLETED, training_class=_class_ref(line.claim.training_class),
                    claim=_claim_ref(line.claim), person=_person_name(line.entitlement),
                    amount=line.amount, detail=line.get_item_display())
            for line in lines]


def over_cap(*, user: Any) -> list[Anomaly]:
    """(c) Entitlements, and claim lines, above the cap of the standard they used."""
    entitlements = (_entitlements(user).filter(standard__cap__isnull=False,
                                               amount__gt=F("standard__cap"))
                    .order_by("training_class_id", "pk")[:LIMIT])
    cases = [Anomaly(kind=Kind.OVER_CAP, training_class=_class_ref(e.training_class),
                     claim=_claim_ref(_latest_claim(e)), person=_person_name(e),
                     amount=e.amount, detail=_("%(item)s, cap %(cap)s yuan") % {
                         "item": e.get_item_display(), "cap": f"{e.standard.cap:,.2f}"})
             for e in entitlements]
    claims = restrict(Claim.objects.all(), user, permission=roles.VIEW_SUBSIDY)
    lines = (ClaimLine.objects.filter(claim__in=claims.values("pk"))
             .filter(entitlement__standard__cap__isnull=False,
                     amount__gt=F("entitlement__standard__cap"),
                     entitlement__amount__lte=F("entitlement__standard__cap"))
             .select_related("claim", "claim__training_class", "entitlement__standard",
                             "entitlement__person", "entitlement__enrolment")
             .order_by("claim_id", "pk")[:LIMIT])
    cases += [Anomaly(kind=Kind.OVER_CAP, training_class=_class_ref(line.claim.training_class),
                      claim=_claim_ref(line.claim), person=_person_name(line.entitlement),
                      amount=line.amount, detail=_("%(item)s, cap %(cap)s yuan") % {
                          "item": line.get_item_display(),
                          "cap": f"{line.entitlement.standard.cap:,.2f}"})
              for line in lines]
    return cases


def claims_without_attendance(*, user: Any) -> list[Anomaly]:
    """(d) Claims (beyond the draft) for a class with no attendance record at all."""
    records = AttendanceRecord.objects.filter(
        enrolment__training_class_id=OuterRef("training_class_id"))
    claims = (restrict(Claim.objects.select_related("training_class"), user,
                       permission=roles.VIEW_SUBSIDY)
              .exclude(status=ClaimStatus.DRAFT).filter(~Exists(records))
              .order_by("-pk")[:LIMIT])
    return [Anomaly(kind=Kind.NO_ATTENDANCE, training_class=_class_ref(claim.training_class),
                    claim=_claim_ref(claim), amount=claim.total,
                    detail=claim.get_status_display())
            for claim in claims]


def anomalies(*, user: Any) -> dict[str, list[Anomaly]]:
    """Every kind of case in ``user``'s area, by kind."""
    return {
        Kind.OVERLAP: overlaps(user=user),
        Kind.NOT_COMPLETED: paid_without_completion(user=user),
        Kind.OVER_CAP: over_cap(user=user),
        Kind.NO_ATTENDANCE: claims_without_attendance(user=user),
    }
