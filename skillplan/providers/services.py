"""Every write of the provider registry and the training-base lifecycle.

One service per transition: it checks who may act (role, area, maker-checker), that the record
is still in the status the user saw (optimistic locking with the version), stamps who and when,
writes a :class:`BaseStep` history row and an audit event, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region
from skillplan.audit.services import audit_record
from skillplan.core.credit_code import parse_credit_code
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.core.models import save_new, save_versioned
from skillplan.core.phone import normalize_phone
from skillplan.providers.models import (
    ACCESSIBILITY_FEATURES,
    CLOSED_STATUSES,
    LEVEL_ORDER,
    BaseEvaluation,
    BaseLevel,
    BaseStatus,
    BaseStep,
    EvaluationIndicator,
    EvaluationOutcome,
    EvaluationScore,
    EvaluationStatus,
    Provider,
    StepAction,
    TrainingBase,
)
from skillplan.regions.models import Region, RegionLevel

# --- Providers ------------------------------------------------------------------------------

PROVIDER_FIELDS = (
    "name", "credit_code", "kind", "licence_type", "licence_number", "licence_issuer",
    "licence_valid_until", "address", "public_phone", "contact_name", "contact_phone",
    "capacity", *(name for name, _label in ACCESSIBILITY_FEATURES), "accessibility_note",
    "published",
)  # fmt: skip
# What only federation staff may change (provider staff edit the rest of their own record).
FEDERATION_ONLY = ("region_code", "published")


@dataclass(frozen=True)
class ProviderValues:
    """Checked values of a provider, as the services take them (``region`` a county)."""

    region: Region
    fields: Mapping[str, Any]


def _audit_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _snapshot(provider: Provider) -> dict[str, Any]:
    data = {name: _audit_value(getattr(provider, name)) for name in PROVIDER_FIELDS}
    data["region_code"] = provider.region_code
    return data


def clean_credit_code(value: object) -> str:
    """The code upper-cased and checked (GB 32100-2015); RuleError otherwise."""
    return parse_credit_code(value)


def clean_phone(value: object) -> str:
    return normalize_phone(value) if str(value or "").strip() else ""


def _check_values(values: ProviderValues, *, current: Provider | None, actor: Any
                  ) -> dict[str, Any]:
    fields = dict(values.fields)
    if values.region.level != RegionLevel.COUNTY:
        raise RuleError("region_level", _(
            "Choose the county (县市区) where the provider is, not a city or the province."))
    raw_code = fields.get("credit_code") or ""
    if raw_code:
        fields["credit_code"] = clean_credit_code(raw_code)
    elif current is None or current.credit_code:
        raise RuleError("credit_code_required", _(
            "Give the provider's 18-character unified social credit code (统一社会信用代码)."))
    else:
        fields["credit_code"] = None
    for name in ("public_phone", "contact_phone"):
        fields[name] = clean_phone(fields.get(name))
    code = fields["credit_code"]
    clash = (Provider.objects.filter(credit_code=code).exclude(pk=getattr(current, "pk", None))
             .first() if code else None)
    if clash is not None:
        if can_act_on_region(actor, clash.region_code, permission=roles.CHANGE_PROVIDER):
            raise RuleError("credit_code_exists", _(
                "Another provider is already registered with this unified social credit code: "
                "%(name)s.") % {"name": clash.name})
        # Outside the actor's area: say that it exists, not whose it is.
        raise RuleError("credit_code_exists", _(
            "A provider outside your area is already registered with this unified social "
            "credit code; check the code, or ask the province federation."))
    return fields


def _check_area(actor: Any, region_code: str) -> None:
    if not can_act_on_region(actor, region_code, permission=roles.CHANGE_PROVIDER):
        raise RuleError("region_out_of_scope", _(
            "This county lies outside your area; you can only register or move providers "
            "in your own area."))


@transaction.atomic
def provider_create(*, actor: Any, values: ProviderValues) -> Provider:
    """Register a provider (federation staff, in their own area)."""
    if not actor.has_perm(roles.CHANGE_PROVIDER):
        raise PermissionDenied
    _check_area(actor, values.region.code)
    fields = _check_values(values, current=None, actor=actor)
    provider = Provider(region=values.region, region_code=values.region.code, **fields)
    save_new(provider, actor=actor)
    audit_record(actor=actor, event="provider.created", target=provider,
                 region_code=provider.region_code, after=_snapshot(provider))
    return provider


def may_change_provider(actor: Any, provider: Provider) -> bool:
    """Federation staff of the provider's area, or the provider's own staff."""
    if not actor.has_perm(roles.CHANGE_PROVIDER):
        return False
    if can_act_on_region(actor, provider.region_code, permission=roles.CHANGE_PROVIDER):
        return True
    return bool(actor.has_perm(roles.REACH_PROVIDER) and actor.provider_id == provider.pk)


@transaction.atomic
def provider_update(*, actor: Any, provider: Provider, values: ProviderValues,
                    expected_version: int) -> Provider:
    if not may_change_provider(actor, provider):
        raise PermissionDenied
    federation = can_act_on_region(actor, provider.region_code,
                                   permission=roles.CHANGE_PROVIDER)
    fields = _check_values(values, current=provider, actor=actor)
    if not federation and (values.region.code != provider.region_code
                           or bool(fields.get("published")) != provider.published):
        raise RuleError("federation_only", _(
            "Only the federation can move a provider to another county or publish it; ask "
            "your county or city federation."))
    if federation:
        _check_area(actor, values.region.code)
    before = _snapshot(provider)
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.region = values.region
    provider.region_code = values.region.code
    after = _snapshot(provider)
    if before == after:
        return provider
    save_versioned(provider, actor=actor, expected_version=expected_version,
                   fields=[*fields.keys(), "region", "region_code"])
    TrainingBase.objects.filter(provider=provider).update(region_code=provider.region_code)
    changed = [key for key in after if before.get(key) != after[key]]
    audit_record(actor=actor, event="provider.updated", target=provider,
                 region_code=provider.region_code,
                 before={key: before.get(key) for key in changed},
                 after={key: after[key] for key in changed})
    return provider


# --- Training bases: application ----------------------------------------------------------

APPLICATION_FIELDS = ("name", "requested_level", "training_offer", "facilities")


def _actor_name(actor: Any) -> str:
    return getattr(actor, "display_name", "") or getattr(actor, "username", "")


def _step(base: TrainingBase, *, actor: Any, action: str, from_status: str, comment: str = "",
          level: str = "") -> BaseStep:
    return BaseStep.objects.create(
        base=base, action=action, from_status=from_status, to_status=base.status,
        level=level or base.level, actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor), comment=comment[:1000], at=timezone.now(),
    )


def _audit(base: TrainingBase, *, actor: Any, event: str, **after: Any) -> None:
    audit_record(actor=actor, event=event, target=base, region_code=base.region_code,
                 after={"status": base.status, "level": base.level, **after})


def _locked(base: TrainingBase, expected_version: int) -> TrainingBase:
    current = TrainingBase.objects.select_for_update().select_related("provider").get(
        pk=base.pk)
    if current.version != expected_version:
        raise ConcurrentUpdateError()
    return current


def _status_error(base: TrainingBase) -> RuleError:
    return RuleError("base_status", _(
        "This step is not possible now: the application is “%(status)s”. Reload the page "
        "to see what happened.") % {"status": base.get_status_display()})


@transaction.atomic
def base_application_save(*, actor: Any, provider: Provider, values: Mapping[str, Any],
                          base: TrainingBase | None = None,
                          expected_version: int | None = None) -> TrainingBase:
    """Create or change a draft (or returned) application of the actor's own provider."""
    if not actor.has_perm(roles.APPLY_BASE) or actor.provider_id != provider.pk:
        raise PermissionDenied
    fields = {name: values[name] for name in APPLICATION_FIELDS if name in values}
    if base is None:
        for other in (TrainingBase.objects.select_for_update().select_related("provider")
                      .filter(provider=provider).exclude(status__in=CLOSED_STATUSES)):
            if not other.is_expired:
                raise RuleError("base_open_exists", _(
                    "Your institution already has an application or a base in progress; "
                    "change that one instead of starting another."))
            _close_expired(other, actor=actor)
        base = TrainingBase(provider=provider, status=BaseStatus.DRAFT, **fields)
        save_new(base, actor=actor)
        _step(base, actor=actor, action=StepAction.SAVED, from_status="")
        _audit(base, actor=actor, event="base.created", **fields)
        return base
    current = _locked(base, expected_version or 0)
    if not current.can_edit_application(actor):
        if not current.is_provider_staff(actor):
            raise PermissionDenied
        raise _status_error(current)
    for name, value in fields.items():
        setattr(current, name, value)
    save_versioned(current, actor=actor, expected_version=current.version,
                   fields=list(fields))
    _audit(current, actor=actor, event="base.application_changed", **fields)
    return current


def _close_expired(base: TrainingBase, *, actor: Any) -> None:
    """An accreditation that has ended is closed (kept with its history) when the provider
    applies again; the new application goes through city review and accreditation."""
    before = base.status
    base.status = BaseStatus.EXPIRED
    save_versioned(base, actor=actor, expected_version=base.version, fields=["status"])
    _step(base, actor=actor, action=StepAction.EXPIRED, from_status=before)
    _audit(base, actor=actor, event="base.expired",
           valid_until=_audit_value(base.valid_until))


@transaction.atomic
def base_submit(*, actor: Any, base: TrainingBase, expected_version: int) -> TrainingBase:
    current = _locked(base, expected_version)
    if not current.is_provider_staff(actor):
        raise PermissionDenied
    if not current.can_submit(actor):
        raise _status_error(current)
    before = current.status
    current.status = BaseStatus.APPLIED
    current.applied_by = actor
    current.applied_at = timezone.now()
    save_versioned(current, actor=actor, expected_version=expected_version,
                   fields=["status", "applied_by", "applied_at"])
    _step(current, actor=actor, action=StepAction.SUBMITTED, from_status=before)
    _audit(current, actor=actor, event="base.submitted")
    return current


# --- Training bases: city review and accreditation ------------------------------------------


def _require_comment(comment: str, message: Any) -> str:
    comment = (comment or "").strip()
    if len(comment) < 2:
        raise RuleError("comment_required", message)
    return comment


@transaction.atomic
def base_city_review(*, actor: Any, base: TrainingBase, approve: bool, comment: str,
                     expected_version: int) -> TrainingBase:
    """The city federation recommends the application to the province, or returns it."""
    current = _locked(base, expected_version)
    if not (actor.has_perm(roles.REVIEW_BASE) and current._covers(actor)):
        raise PermissionDenied
    if current.status != BaseStatus.APPLIED:
        raise _status_error(current)
    if getattr(actor, "pk", None) == current.applied_by_id:
        raise RuleError("maker_checker", _(
            "You submitted this application, so someone else must review it."))
    if not approve:
        comment = _require_comment(comment, _(
            "Say what the provider must change before applying again."))
    before = current.status
    current.status = BaseStatus.CITY_REVIEWED if approve else BaseStatus.RETURNED
    current.city_reviewed_by = actor
    current.city_reviewed_at = timezone.now()
    current.last_comment = comment.strip()
    save_versioned(current, actor=actor, expected_version=expected_version,
                   fields=["status", "city_reviewed_by", "city_reviewed_at", "last_comment"])
    action = StepAction.CITY_APPROVED if approve else StepAction.CITY_RETURNED
    _step(current, actor=actor, action=action, from_status=before, comment=comment)
    _audit(current, actor=actor, event=f"base.{action}", comment=comment)
    return current


def max_validity_years() -> int:
    """The longest accreditation, in years (setting SKILLPLAN_BASE_MAX_VALIDITY_YEARS, 5)."""
    return int(getattr(settings, "SKILLPLAN_BASE_MAX_VALIDITY_YEARS", 5))


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _check_validity(valid_from: date | None, valid_until: date | None) -> None:
    if valid_from is None or valid_until is None or valid_until <= valid_from:
        raise RuleError("validity", _(
            "Give the first and last day of the accreditation; the last day must come "
            "after the first."))
    today = timezone.localdate()
    earliest, latest = _years_later(today, -1), _years_later(today, 1)
    if not earliest <= valid_from <= latest:
        raise RuleError("valid_from_range", _(
            "The first day of the accreditation must lie within a year of today: between "
            "%(earliest)s and %(latest)s.") % {"earliest": earliest.isoformat(),
                                               "latest": latest.isoformat()})
    years = max_validity_years()
    last = _years_later(valid_from, years)
    if valid_until > last:
        raise RuleError("validity_too_long", _(
            "An accreditation lasts at most %(years)s years: from %(first)s the last day can "
            "be %(last)s at the latest.") % {"years": years, "first": valid_from.isoformat(),
                                              "last": last.isoformat()})


def _maker_checker(base: TrainingBase, actor: Any) -> None:
    if base.prepared_by(actor):
        raise RuleError("maker_checker", _(
            "You applied for or reviewed this base, so another person must decide on it "
            "(maker-checker rule)."))


@transaction.atomic
def base_accredit(*, actor: Any, base: TrainingBase, accredit: bool, comment: str,
                  expected_version: int, level: str = "", valid_from: date | None = None,
                  valid_until: date | None = None) -> TrainingBase:
    """The province accredits a city-recommended application with a level and a validity, or
    refuses it (a reason is then required)."""
    current = _locked(base, expected_version)
    if not (actor.has_perm(roles.ACCREDIT_BASE) and current._covers(actor)):
        raise PermissionDenied
    if current.status != BaseStatus.CITY_REVIEWED:
        raise _status_error(current)
    _maker_checker(current, actor)
    before = current.status
    fields = ["status", "accredited_by", "accredited_at", "last_comment"]
    if accredit:
        if level not in BaseLevel.values:
            raise RuleError("level_required", _("Choose the level of the base."))
        _check_validity(valid_from, valid_until)
        current.status, current.level = BaseStatus.ACCREDITED, level
        current.valid_from, current.valid_until = valid_from, valid_until
        fields += ["level", "valid_from", "valid_until"]
    else:
        comment = _require_comment(comment, _(
            "Say why the base is not accredited; the provider will read this."))
        current.status = BaseStatus.REJECTED
    current.accredited_by = actor
    current.accredited_at = timezone.now()
    current.last_comment = (comment or "").strip()
    save_versioned(current, actor=actor, expected_version=expected_version, fields=fields)
    action = StepAction.ACCREDITED if accredit else StepAction.REJECTED
    _step(current, actor=actor, action=action, from_status=before, comment=comment)
    _audit(current, actor=actor, event=f"base.{action}", comment=comment,
           valid_from=_audit_value(current.valid_from),
           valid_until=_audit_value(current.valid_until))
    return current


# --- Annual evaluation -------------------------------------------------------------------

DEFAULT_THRESHOLDS = {"raise": 90, "keep": 75, "lower": 60}


def thresholds() -> dict[str, Decimal]:
    """Totals from which an outcome is proposed (setting SKILLPLAN_BASE_EVALUATION_THRESHOLDS);
    below ``lower`` the base is proposed for withdrawal."""
    configured = getattr(settings, "SKILLPLAN_BASE_EVALUATION_THRESHOLDS", DEFAULT_THRESHOLDS)
    return {key: Decimal(str(configured.get(key, DEFAULT_THRESHOLDS[key])))
            for key in DEFAULT_THRESHOLDS}


def proposed_outcome(total: Decimal, level: str) -> str:
    limits = thresholds()
    if total >= limits["raise"]:
        outcome = EvaluationOutcome.RAISE
    elif total >= limits["keep"]:
        outcome = EvaluationOutcome.KEEP
    elif total >= limits["lower"]:
        outcome = EvaluationOutcome.LOWER
    else:
        return EvaluationOutcome.WITHDRAW
    if outcome == EvaluationOutcome.RAISE and level == LEVEL_ORDER[-1]:
        return EvaluationOutcome.KEEP
    if outcome == EvaluationOutcome.LOWER and level == LEVEL_ORDER[0]:
        return EvaluationOutcome.WITHDRAW
    return outcome


def level_after(level: str, outcome: str) -> str:
    """The level an outcome leads to ("" when withdrawn); RuleError when impossible."""
    if outcome == EvaluationOutcome.WITHDRAW:
        return ""
    index = LEVEL_ORDER.index(BaseLevel(level))
    if outcome == EvaluationOutcome.RAISE:
        if index == len(LEVEL_ORDER) - 1:
            raise RuleError("level_highest", _(
                "The base already has the highest level; keep the level instead."))
        return LEVEL_ORDER[index + 1]
    if outcome == EvaluationOutcome.LOWER:
        if index == 0:
            raise RuleError("level_lowest", _(
                "The base already has the lowest level; withdraw it instead of lowering."))
        return LEVEL_ORDER[index - 1]
    return level


def weighted_total(scores: list[tuple[EvaluationIndicator, Decimal]]) -> Decimal:
    weights = sum((indicator.weight for indicator, _value in scores), Decimal(0))
    if not weights:
        return Decimal("0.00")
    total = sum((indicator.weight * indicator.points_for(value) for indicator, value in scores),
                Decimal(0))
    return (total / weights).quantize(Decimal("0.01"))


@transaction.atomic
def evaluation_record(*, actor: Any, base: TrainingBase, year: int,
                      values: Mapping[str, Decimal], comment: str = "",
                      expected_version: int) -> BaseEvaluation:
    """Score an accredited base's year on every active indicator; the total and the proposed
    outcome follow. The province decides afterwards (another person)."""
    current = _locked(base, expected_version)
    if not current.can_record_evaluation(actor):
        if current.is_expired and current._covers(actor):
            raise RuleError("base_expired", _(
                "The accreditation of this base ended on %(date)s, so it is no longer "
                "evaluated. The provider can apply again to renew it.") % {
                "date": current.valid_until.isoformat() if current.valid_until else "—"})
        if current.status != BaseStatus.ACCREDITED and current._covers(actor):
            raise _status_error(current)
        raise PermissionDenied
    if BaseEvaluation.objects.filter(base=current, year=year).exists():
        raise RuleError("evaluation_exists", _(
            "The base already has an evaluation for %(year)s.") % {"year": year})
    indicators = list(EvaluationIndicator.objects.filter(active=True))
    missing = [indicator.name for indicator in indicators if values.get(indicator.code) is None]
    if missing:
        raise RuleError("scores_missing", _("Give a value for: %(names)s.") % {
            "names": "、".join(missing)})
    scores = [(indicator, Decimal(values[indicator.code])) for indicator in indicators]
    total = weighted_total(scores)
    evaluation = BaseEvaluation(
        base=current, year=year, total=total, region_code=current.region_code,
        proposed_outcome=proposed_outcome(total, current.level), scored_by=actor,
        scored_comment=(comment or "").strip()[:1000], level_before=current.level,
    )
    save_new(evaluation, actor=actor)
    EvaluationScore.objects.bulk_create([
        EvaluationScore(evaluation=evaluation, indicator=indicator, value=value,
                        weight=indicator.weight, points=indicator.points_for(value))
        for indicator, value in scores
    ])
    _step(current, actor=actor, action=StepAction.EVALUATION_RECORDED,
          from_status=current.status,
          comment=str(_("%(year)s: total %(total)s, proposed: %(outcome)s") % {
              "year": year, "total": total,
              "outcome": evaluation.get_proposed_outcome_display()}))
    _audit(current, actor=actor, event="base.evaluation_recorded", year=year, total=str(total),
           proposed=evaluation.proposed_outcome,
           values={code: str(value) for code, value in values.items()})
    return evaluation


_OUTCOME_ACTIONS = {
    EvaluationOutcome.KEEP: StepAction.KEPT, EvaluationOutcome.RAISE: StepAction.RAISED,
    EvaluationOutcome.LOWER: StepAction.LOWERED, EvaluationOutcome.WITHDRAW: StepAction.WITHDRAWN,
}


@transaction.atomic
def evaluation_decide(*, actor: Any, evaluation: BaseEvaluation, outcome: str, reason: str,
                      expected_version: int) -> BaseEvaluation:
    """The province's decision on a scored evaluation: keep, raise, lower or withdraw."""
    current = BaseEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if current.version != expected_version:
        raise ConcurrentUpdateError()
    base = TrainingBase.objects.select_for_update().select_related("provider").get(
        pk=current.base_id)
    if not (actor.has_perm(roles.EVALUATE_BASE) and base._covers(actor)):
        raise PermissionDenied
    if current.status != EvaluationStatus.SCORED or base.status != BaseStatus.ACCREDITED:
        raise RuleError("evaluation_decided", _(
            "This evaluation has already been decided, or the base is no longer accredited."))
    if getattr(actor, "pk", None) == current.scored_by_id:
        raise RuleError("maker_checker", _(
            "You scored this evaluation, so another person must decide on it "
            "(maker-checker rule)."))
    _maker_checker(base, actor)
    if outcome not in EvaluationOutcome.values:
        raise RuleError("outcome_required", _("Choose the decision."))
    reason = _require_comment(reason, _(
        "Give the reason for the decision; it is kept with the base's history."))
    new_level = level_after(base.level, outcome)
    now = timezone.now()
    current.status, current.outcome, current.reason = EvaluationStatus.DECIDED, outcome, reason
    current.level_after, current.decided_by, current.decided_at = new_level, actor, now
    save_versioned(current, actor=actor, expected_version=expected_version,
                   fields=["status", "outcome", "reason", "level_after", "decided_by",
                           "decided_at"])
    before = base.status
    if outcome == EvaluationOutcome.WITHDRAW:
        base.status = BaseStatus.WITHDRAWN
    else:
        base.level = new_level
    base.last_comment = reason
    save_versioned(base, actor=actor, expected_version=base.version,
                   fields=["status", "level", "last_comment"])
    _step(base, actor=actor, action=_OUTCOME_ACTIONS[EvaluationOutcome(outcome)],
          from_status=before, comment=reason, level=new_level or current.level_before)
    _audit(base, actor=actor, event="base.evaluation_decided", year=current.year,
           outcome=outcome, level_before=current.level_before, reason=reason)
    return current


# --- Indicators ---------------------------------------------------------------------------

INDICATOR_FIELDS = ("code", "name", "unit", "weight", "reference", "negative", "active",
                    "order")


@transaction.atomic
def indicator_save(*, actor: Any, values: Mapping[str, Any],
                   indicator: EvaluationIndicator | None = None) -> EvaluationIndicator:
    """Add or change an evaluation indicator (province). Past evaluations keep their weights."""
    if not actor.has_perm(roles.EVALUATE_BASE):
        raise PermissionDenied
    creating = indicator is None
    target = indicator or EvaluationIndicator()
    before = {name: str(getattr(target, name)) for name in INDICATOR_FIELDS}
    for name in INDICATOR_FIELDS:
        if name in values and not (name == "code" and not creating):
            setattr(target, name, values[name])
    if EvaluationIndicator.objects.filter(code=target.code).exclude(pk=target.pk).exists():
        raise RuleError("indicator_exists", _("Another indicator already has this code."))
    target.full_clean()
    target.save()
    after = {name: str(getattr(target, name)) for name in INDICATOR_FIELDS}
    audit_record(actor=actor, event="indicator.created" if creating else "indicator.updated",
                 target=target, before=None if creating else before, after=after)
    return target
