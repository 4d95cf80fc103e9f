"""The computation of each trainee's entitlement (补贴测算), explained line by line.

For each active enrolment of a class whose completion was approved (or that is closed), for each
item with a standard in force on the class's first day (the city's own, else the province's):

- 培训费 per trainee: 1 × rate, if the class lasts at least the standard's minimum days;
  per trainee and day: min(days attended, class days, the standard's maximum days) × rate;
- 生活费 per day attended: days attended (at most the standard's maximum days) × rate;
- 鉴定费 per skill certificate: the person's skill certificates recorded for this class, or
  recorded without a class and issued from the class's first day to
  ``SKILLPLAN_APPRAISAL_WINDOW_DAYS`` (180) days after its last day — unless a later class of the
  person ended before the certificate was issued (then it belongs to that class);
- 竞赛实训补贴 per trainee, covering only the standard's cost kinds (never prizes, travel,
  board or sundries).

Days attended are the enrolment's recorded ``attendance_days`` (the results), else the days
marked present or late. Nothing is paid to a trainee who did not pass, unless the standard pays
without completion: then days-based items are paid by days attended and a per-trainee rate in
proportion to the days attended. The standard's cap per trainee holds. The amount is split by the
standard's shares (rounded half up to fen; the remainder goes to the largest share so the parts
add up). Named participants of employer and service-staff classes are not registered persons
and get no personal subsidies.

Never twice for the same person, item and period: each person's row is locked while their
entitlements are written, and a line whose class dates overlap another non-void entitlement of
the same person and item (any class, any provider) is refused and recorded as skipped.

A computed entitlement keeps the standard it used: recomputing (after late results, say) uses
the same standard, so a change of standard never rewrites what was computed; claimed and paid
entitlements are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.audit.services import PendingEvent, audit_record, audit_record_many
from skillplan.certificates.models import SkillCertificate
from skillplan.core.errors import RuleError
from skillplan.people.models import Person
from skillplan.subsidies.choices import (
    CompetitionCost,
    EntitlementStatus,
    RateBasis,
    SubsidyItem,
)
from skillplan.subsidies.models import Entitlement, EntitlementSkip, SubsidyStandard
from skillplan.subsidies.services.standards import competition_cost_check, standard_in_force
from skillplan.training.choices import ATTENDED, ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment, TrainingClass

__all__ = ["competition_cost_check", "entitlement_conflicts", "entitlement_explain",
           "entitlements_compute_for_class", "may_compute", "split_shares"]

COMPUTABLE = frozenset({ClassStatus.COMPLETION_APPROVED, ClassStatus.CLOSED})
CENT = Decimal("0.01")
LIVE = ~Q(status=EntitlementStatus.VOID)


def appraisal_window_days() -> int:
    return int(getattr(settings, "SKILLPLAN_APPRAISAL_WINDOW_DAYS", 180))


def yuan(value: Decimal) -> str:
    """3600 → "3,600.00"."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def may_compute(user: Any, training_class: TrainingClass) -> bool:
    """Those who may prepare the class's claim: its provider's staff, or county staff over it."""
    if user is None or not user.is_authenticated or not user.has_perm(roles.PREPARE_CLAIM):
        return False
    if getattr(user, "provider_id", None):
        return bool(user.provider_id == training_class.provider_id)
    return can_act_on_region(user, training_class.region_code, permission=roles.PREPARE_CLAIM)


# --- shares --------------------------------------------------------------------------------


def split_shares(amount: Decimal, standard: SubsidyStandard | Any
                 ) -> tuple[Decimal, Decimal, Decimal]:
    """(province, city, county) parts of ``amount`` by the standard's shares, rounded half up
    to fen; the rounding remainder goes to the largest share, so the parts add up exactly."""
    shares = [standard.share_province, standard.share_city, standard.share_county]
    parts = [(amount * share / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
             for share in shares]
    largest = max(range(3), key=lambda index: (shares[index], -index))
    parts[largest] += amount - sum(parts, Decimal("0"))
    return parts[0], parts[1], parts[2]


# --- one line --------------------------------------------------------------------------------


@dataclass
class Line:
    """The outcome for one enrolment and item: an amount with its explanation, or a skip."""

    standard: SubsidyStandard
    quantity: Decimal = Decimal("0")
    amount: Decimal = Decimal("0")
    explanation: str = ""
    skip_code: str = ""


def days_attended(enrolment: Enrolment) -> int:
    """The recorded result's days attended, else the days marked present or late."""
    if enrolment.attendance_days is not None:
        return int(enrolment.attendance_days)
    return enrolment.attendance.filter(mark__in=ATTENDED).count()


def _certificates(enrolment: Enrolment, training_class: TrainingClass) -> int:
    person_id = enrolment.person_id
    last = training_class.end_date + timedelta(days=appraisal_window_days())
    found = SkillCertificate.objects.filter(person_id=person_id).filter(
        Q(training_class=training_class)
        | Q(training_class__isnull=True, issued_on__gte=training_class.start_date,
            issued_on__lte=last))
    later_ends = list(Enrolment.objects.filter(
        person_id=person_id, status=EnrolmentStatus.ENROLLED,
        training_class__end_date__gt=training_class.end_date).exclude(
        training_class=training_class).values_list("training_class__end_date", flat=True))
    count = 0
    for certificate in found:
        if certificate.training_class_id is None and any(
                end < certificate.issued_on for end in later_ends):
            continue  # it follows a later class of the person
        count += 1
    return count


def _basis_note(standard: SubsidyStandard) -> str:
    basis = standard.basis_text or _("standard no. %(number)s") % {"number": standard.pk}
    if standard.is_example:
        return _(" (based on: %(basis)s, example standard)") % {"basis": basis}
    return _(" (based on: %(basis)s)") % {"basis": basis}


def _quantity(line: Line, enrolment: Enrolment, training_class: TrainingClass,
              passed: bool) -> tuple[Decimal, str]:
    """How many of the standard's units, with the words that say so ("36 天 × 100.00 元")."""
    standard = line.standard
    rate = yuan(standard.rate)
    attended = days_attended(enrolment)
    if standard.basis == RateBasis.PER_PERSON:
        if standard.min_days and training_class.days < standard.min_days:
            line.skip_code = "class_too_short"
            return Decimal("0"), _(
                "The class lasts %(days)s days, fewer than the %(min)s days the standard "
                "requires.") % {"days": training_class.days, "min": standard.min_days}
        if not passed:
            days = min(attended, training_class.days)
            fraction = (Decimal(days) / Decimal(training_class.days)).quantize(CENT)
            return fraction, _(
                "%(rate)s yuan × %(days)s/%(total)s days attended (not completed, paid by "
                "days attended)") % {"rate": rate, "days": days, "total": training_class.days}
        return Decimal("1"), _("1 trainee × %(rate)s yuan") % {"rate": rate}
    if standard.basis == RateBasis.PER_CERTIFICATE:
        count = _certificates(enrolment, training_class)
        if not count:
            line.skip_code = "no_certificate"
            return Decimal("0"), _("No skill certificate recorded for this class.")
        return Decimal(count), _("%(count)s skill certificate(s) × %(rate)s yuan") % {
            "count": count, "rate": rate}
    limits = [attended]
    if standard.basis == RateBasis.PER_PERSON_DAY:
        limits.append(training_class.days)
    if standard.max_days:
        limits.append(standard.max_days)
    days = min(limits)
    if days <= 0:
        line.skip_code = "no_days"
        return Decimal("0"), _("No day attended.")
    text = _("%(days)s days × %(rate)s yuan") % {"days": days, "rate": rate}
    if days < attended:
        text += _(" (%(attended)s days attended, paid for at most %(days)s)") % {
            "attended": attended, "days": days}
    return Decimal(days), text


def _compute_line(standard: SubsidyStandard, enrolment: Enrolment,
                  training_class: TrainingClass) -> Line:
    line = Line(standard=standard)
    passed = enrolment.passed is True
    if not passed and not standard.pays_without_completion:
        line.skip_code = "not_completed"
        line.explanation = _("Did not pass the completion assessment; this standard pays only "
                             "trainees who completed the class.")
        return line
    quantity, text = _quantity(line, enrolment, training_class, passed)
    if line.skip_code:
        line.explanation = text
        return line
    amount = (quantity * standard.rate).quantize(CENT, rounding=ROUND_HALF_UP)
    text = _("%(how)s = %(amount)s yuan") % {"how": text, "amount": yuan(amount)}
    if standard.cap is not None and amount > standard.cap:
        amount = standard.cap
        text += _("; cap %(cap)s yuan, paid %(cap)s yuan") % {"cap": yuan(standard.cap)}
    if standard.item == SubsidyItem.COMPETITION and standard.cost_kinds:
        labels = dict(CompetitionCost.choices)
        text += _("; covers: %(costs)s (never prizes, travel, board or sundries)") % {
            "costs": "、".join(str(labels.get(k, k)) for k in standard.cost_kinds.split(","))}
    line.quantity, line.amount = quantity, amount
    line.explanation = f"{text}{_basis_note(standard)}"
    return line


def _shares_text(parts: tuple[Decimal, Decimal, Decimal]) -> str:
    names = (_("province level"), _("city level"), _("county level"))
    paid = [f"{name} {yuan(part)}" for name, part in zip(names, parts, strict=True) if part]
    return _("; paid by: %(parts)s yuan") % {"parts": " / ".join(paid)} if paid else ""


# --- the conflicts (never twice) ---------------------------------------------------------------


def entitlement_conflicts(entitlement: Entitlement) -> list[Entitlement]:
    """Other non-void entitlements of the same person and item whose periods overlap."""
    if entitlement.person_id is None:
        return []
    return list(Entitlement.objects.filter(LIVE).filter(
        person_id=entitlement.person_id, item=entitlement.item,
        period_start__lte=entitlement.period_end, period_end__gte=entitlement.period_start,
    ).exclude(pk=entitlement.pk).exclude(enrolment_id=entitlement.enrolment_id)
        .select_related("training_class", "training_class__provider"))


def entitlement_explain(entitlement: Entitlement) -> str:
    """How the amount was computed, as stored when it was computed."""
    return entitlement.explanation


# --- the class -------------------------------------------------------------------------------


@dataclass
class _Run:
    training_class: TrainingClass
    actor: Any
    now: Any
    events: list[PendingEvent]
    skips: list[EntitlementSkip]

    def skip(self, enrolment: Enrolment, item: str, code: str, reason: str,
             conflicting: Entitlement | None = None) -> None:
        self.skips.append(EntitlementSkip(
            training_class=self.training_class, enrolment=enrolment, item=item, code=code,
            reason=reason[:500], conflicting=conflicting, at=self.now))

    def event(self, event: str, entitlement: Entitlement, **after: Any) -> None:
        self.events.append(PendingEvent(
            event=event, target_type="subsidies.entitlement", target_id=str(entitlement.pk),
            target_repr=str(entitlement), region_code=entitlement.region_code,
            after={"class": self.training_class.code, "enrolment": entitlement.enrolment_id,
                   "item": entitlement.item, "amount": str(entitlement.amount), **after}))


def _same(existing: Entitlement, line: Line) -> bool:
    return (existing.standard_id == line.standard.pk and existing.quantity == line.quantity
            and existing.amount == line.amount)


def _void(run: _Run, entitlement: Entitlement, reason: str) -> None:
    Entitlement.objects.filter(pk=entitlement.pk).update(status=EntitlementStatus.VOID)
    run.event("entitlement.voided", entitlement, reason=reason)


def _write(run: _Run, enrolment: Enrolment, line: Line) -> None:
    training_class = run.training_class
    province, city, county = split_shares(line.amount, line.standard)
    entitlement = Entitlement(
        enrolment=enrolment, training_class=training_class, person_id=enrolment.person_id,
        item=line.standard.item, standard=line.standard, basis=line.standard.basis,
        rate=line.standard.rate, quantity=line.quantity, amount=line.amount,
        amount_province=province, amount_city=city, amount_county=county,
        explanation=(line.explanation + _shares_text((province, city, county)))[:500],
        period_start=training_class.start_date, period_end=training_class.end_date,
        region_code=training_class.region_code, computed_at=run.now,
        computed_by=run.actor if getattr(run.actor, "pk", None) else None)
    conflicts = entitlement_conflicts(entitlement)
    if conflicts:
        other = conflicts[0]
        run.skip(enrolment, line.standard.item, "already_entitled", _(
            "Refused: the same person already has this subsidy for an overlapping period, in "
            "class %(code)s (%(provider)s, %(start)s to %(end)s, %(amount)s yuan). The same "
            "person is never paid twice for the same item and period.") % {
                "code": other.training_class.code,
                "provider": other.training_class.provider.name,
                "start": other.period_start.isoformat(), "end": other.period_end.isoformat(),
                "amount": yuan(other.amount)}, conflicting=other)
        run.events.append(PendingEvent(
            event="entitlement.refused", target_type="training.enrolment",
            target_id=str(enrolment.pk), target_repr=str(enrolment)[:200],
            region_code=training_class.region_code,
            after={"class": training_class.code, "item": line.standard.item,
                   "conflicts_with": other.pk}))
        return
    entitlement.save(force_insert=True)
    run.event("entitlement.computed", entitlement, standard=line.standard.pk,
              quantity=str(line.quantity))


def _item_standard(run: _Run, item: str, existing: Entitlement | None
                   ) -> SubsidyStandard | None:
    if existing is not None:
        return existing.standard  # the standard it was computed on: a change rewrites nothing
    training_class = run.training_class
    return standard_in_force(item=item, training_type=training_class.training_type,
                             region_code=training_class.region_code,
                             on=training_class.start_date)


def _compute_enrolment(run: _Run, enrolment: Enrolment) -> None:
    if enrolment.person_id is None:
        run.skip(enrolment, "", "not_registered", _(
            "A named participant (employer or employment-service staff training) is not a "
            "registered disabled person and gets no personal subsidy."))
        return
    Person.objects.select_for_update().filter(pk=enrolment.person_id).values_list(
        "pk", flat=True).first()  # one person at a time: never twice, even concurrently
    existing_by_item = {e.item: e for e in Entitlement.objects.filter(LIVE, enrolment=enrolment)
                        .select_related("standard")}
    for item in SubsidyItem.values:
        existing = existing_by_item.get(item)
        if existing is not None and existing.status != EntitlementStatus.COMPUTED:
            continue  # in a claim, or paid: never touched
        standard = _item_standard(run, item, existing)
        if standard is None:
            continue
        line = _compute_line(standard, enrolment, run.training_class)
        if existing is not None and not line.skip_code and _same(existing, line):
            continue
        if existing is not None:
            _void(run, existing, line.skip_code or "recomputed")
        if line.skip_code:
            run.skip(enrolment, item, line.skip_code, line.explanation)
            continue
        _write(run, enrolment, line)


@transaction.atomic
def entitlements_compute_for_class(*, actor: Any, training_class: TrainingClass
                                   ) -> list[Entitlement]:
    """Compute (or bring up to date) the entitlements of every active enrolment of the class;
    returns the class's current (non-void) entitlements. ``actor`` None: the system (seed)."""
    if actor is not None and not may_compute(actor, training_class):
        raise PermissionDenied
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if training_class.status not in COMPUTABLE:
        raise RuleError("class_not_completed", gettext_lazy(
            "Subsidies are computed once the class's completion has been approved."))
    run = _Run(training_class=training_class, actor=actor, now=timezone.now(), events=[],
               skips=[])
    enrolments = (training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
                  .order_by("person_id", "pk"))
    with translation.override("zh-hans"):
        for enrolment in enrolments:
            _compute_enrolment(run, enrolment)
    EntitlementSkip.objects.filter(training_class=training_class).delete()
    EntitlementSkip.objects.bulk_create(run.skips)
    # Withdrawn trainees' unclaimed entitlements are voided.
    for gone in Entitlement.objects.filter(
            training_class=training_class, status=EntitlementStatus.COMPUTED).exclude(
            enrolment__status=EnrolmentStatus.ENROLLED):
        _void(run, gone, "withdrawn")
    audit_record_many(actor=actor, events=run.events)
    current = list(Entitlement.objects.filter(LIVE, training_class=training_class)
                   .select_related("enrolment", "person", "standard"))
    audit_record(actor=actor, event="entitlements.computed", target=training_class,
                 region_code=training_class.region_code,
                 after={"entitlements": len(current), "skipped": len(run.skips),
                        "total": str(sum((e.amount for e in current), Decimal("0")))})
    return current
