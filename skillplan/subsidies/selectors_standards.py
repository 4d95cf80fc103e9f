"""Reads of standards and of a class's computed entitlements, scoped.

Standards are rules, not personal data: whoever may see subsidies sees the province defaults
and the overrides of their own city (the province sees every city's); another city's override
answers 404 like a missing one. A class's entitlements follow the class's scope (its region for
federation staff, its provider for the provider's staff).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, get_in_scope, scope_of
from skillplan.subsidies.choices import EntitlementStatus, SubsidyItem
from skillplan.subsidies.models import Entitlement, EntitlementSkip, SubsidyStandard
from skillplan.subsidies.services.standards import province_code, standard_in_force
from skillplan.training.models import TrainingClass

ZERO = Decimal("0.00")


def _city_of(user: Any) -> str | None:
    """The city whose overrides ``user`` sees besides the defaults; "" for every city."""
    scope = scope_of(user)
    if scope.reach == Reach.PROVINCE:
        return ""
    if scope.reach == Reach.REGION:
        return scope.region_code[:4]
    provider = getattr(user, "provider", None)
    if scope.reach == Reach.PROVIDER and provider is not None:
        return str(provider.region_code)[:4]
    return None


def standards_visible(user: Any) -> QuerySet[SubsidyStandard]:
    if not user.is_authenticated or not user.has_perm(roles.VIEW_SUBSIDY):
        return SubsidyStandard.objects.none()
    city = _city_of(user)
    base = SubsidyStandard.objects.select_related("region")
    if city is None:
        return base.none()
    if city == "":
        return base.all()
    return base.filter(Q(region_code=province_code()) | Q(region_code=city))


def standard_list(*, user: Any, item: str = "", training_type: str = "", region: str = "",
                  when: str = "current", today: date | None = None) -> QuerySet[SubsidyStandard]:
    """``when``: "current" (in force today or later), "past" (ended), or "all"."""
    today = today or timezone.localdate()
    standards = standards_visible(user)
    if item:
        standards = standards.filter(item=item)
    if training_type:
        standards = standards.filter(training_type=training_type)
    if region:
        standards = standards.filter(region_code=region)
    if when == "current":
        standards = standards.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
    elif when == "past":
        standards = standards.filter(effective_to__lt=today)
    return standards.order_by("item", "training_type", "region_code", "-effective_from")


def standard_get(*, user: Any, pk: int) -> SubsidyStandard:
    try:
        return standards_visible(user).get(pk=pk)
    except (SubsidyStandard.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def class_for_subsidies(*, user: Any, pk: int) -> TrainingClass:
    return get_in_scope(TrainingClass.objects.select_related("provider", "region", "project"),
                        user, permission=roles.VIEW_SUBSIDY, pk=pk)


@dataclass
class Totals:
    amount: Decimal = ZERO
    province: Decimal = ZERO
    city: Decimal = ZERO
    county: Decimal = ZERO
    count: int = 0

    def add(self, entitlement: Entitlement) -> None:
        self.amount += entitlement.amount
        self.province += entitlement.amount_province
        self.city += entitlement.amount_city
        self.county += entitlement.amount_county
        self.count += 1


@dataclass
class ClassEntitlements:
    lines: list[Entitlement]
    skips: list[EntitlementSkip]
    by_item: list[tuple[str, Totals]]
    total: Totals
    voided: int
    standards: list[tuple[str, SubsidyStandard | None]] = field(default_factory=list)


def class_entitlements(training_class: TrainingClass) -> ClassEntitlements:
    """The class's current entitlements with totals by item and paying level, the skipped
    lines with their reasons, and the standard in force for each item."""
    lines = list(Entitlement.objects.filter(training_class=training_class)
                 .exclude(status=EntitlementStatus.VOID)
                 .select_related("enrolment", "enrolment__person", "standard")
                 .order_by("enrolment_id", "item"))
    totals: dict[str, Totals] = {}
    total = Totals()
    for line in lines:
        totals.setdefault(line.item, Totals()).add(line)
        total.add(line)
    labels = dict(SubsidyItem.choices)
    by_item = [(str(labels[item]), totals[item]) for item in SubsidyItem.values if item in totals]
    skips = list(EntitlementSkip.objects.filter(training_class=training_class)
                 .select_related("enrolment", "enrolment__person", "conflicting",
                                 "conflicting__training_class"))
    standards = [(str(labels[item]), standard_in_force(
        item=item, training_type=training_class.training_type,
        region_code=training_class.region_code, on=training_class.start_date))
        for item in SubsidyItem.values]
    voided = Entitlement.objects.filter(training_class=training_class,
                                        status=EntitlementStatus.VOID).count()
    return ClassEntitlements(lines=lines, skips=skips, by_item=by_item, total=total,
                             voided=voided, standards=standards)
