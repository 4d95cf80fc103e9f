"""Scoped fund views: budget, computed, claimed, approved and paid money per class, per
provider and per region, and the computed money of a region by item and paying level.

Every figure is summed in the database (a fixed number of queries whatever the number of
classes); grouping by provider and region is done on the per-class rows in Python. "Claimed" is
the lines of claims that left the draft (adjustments included, signed); "approved" the lines of
approved or paid claims; "paid" the payments recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, restrict, scope_of
from skillplan.regions.models import Region
from skillplan.subsidies.choices import ClaimStatus, EntitlementStatus, PayingLevel, SubsidyItem
from skillplan.subsidies.models import ZERO, Claim, ClaimLine, Entitlement, Payment
from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass

MONEY = DecimalField(max_digits=14, decimal_places=2)
APPROVED_STATUSES = (ClaimStatus.APPROVED, ClaimStatus.PAID)
# Classes that may carry money: approved and later, not cancelled.
FUNDED_STATUSES = (ClassStatus.APPROVED, ClassStatus.IN_PROGRESS, ClassStatus.ENDED,
                   ClassStatus.COMPLETION_SUBMITTED, ClassStatus.COMPLETION_APPROVED,
                   ClassStatus.CLOSED)
FIGURES = ("budget", "computed", "claimed", "approved", "paid")
LEVELS = tuple(PayingLevel.values)
ITEMS = tuple(SubsidyItem.values)


@dataclass(frozen=True)
class FundFilters:
    year: int
    city: str = ""  # a city code (4 digits) inside the user's area, or "" for all of it
    provider: int | None = None


@dataclass
class Figures:
    budget: Decimal = ZERO
    computed: Decimal = ZERO
    claimed: Decimal = ZERO
    approved: Decimal = ZERO
    paid: Decimal = ZERO

    def add(self, other: Figures) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def unpaid(self) -> Decimal:
        return self.approved - self.paid


@dataclass
class ClassFunds:
    pk: int
    code: str
    name: str
    provider_id: int
    provider_name: str
    region_code: str
    status: str
    figures: Figures


@dataclass
class GroupFunds:
    key: str
    label: str
    classes: int = 0
    figures: Figures = field(default_factory=Figures)


def _sum(queryset: QuerySet[Any], group: str, amount: str) -> Coalesce:
    sub = (queryset.order_by().values(group).annotate(total=Sum(amount)).values("total")[:1])
    return Coalesce(Subquery(sub, output_field=MONEY), Value(ZERO), output_field=MONEY)


def classes_in_scope(*, user: Any, filters: FundFilters) -> QuerySet[TrainingClass]:
    queryset = restrict(TrainingClass.objects.all(), user, permission=roles.VIEW_SUBSIDY)
    queryset = queryset.filter(status__in=FUNDED_STATUSES, start_date__year=filters.year)
    if filters.city:
        queryset = queryset.filter(region_code__startswith=filters.city)
    if filters.provider:
        queryset = queryset.filter(provider_id=filters.provider)
    return queryset


def class_funds(*, user: Any, filters: FundFilters) -> list[ClassFunds]:
    """Every class of the year in ``user``'s area with its five figures (one query)."""
    here = OuterRef("pk")
    lines = ClaimLine.objects.filter(claim__training_class=here)
    rows = (
        classes_in_scope(user=user, filters=filters)
        .annotate(
            f_computed=_sum(Entitlement.objects.filter(training_class=here)
                            .exclude(status=EntitlementStatus.VOID), "training_class", "amount"),
            f_claimed=_sum(lines.exclude(claim__status=ClaimStatus.DRAFT),
                           "claim__training_class", "amount"),
            f_approved=_sum(lines.filter(claim__status__in=APPROVED_STATUSES),
                            "claim__training_class", "amount"),
            f_paid=_sum(Payment.objects.filter(claim__training_class=here),
                        "claim__training_class", "amount"),
        )
        .order_by("region_code", "code")
        .values("pk", "code", "name", "provider_id", "provider__name", "region_code", "status",
                "budget", "f_computed", "f_claimed", "f_approved", "f_paid")
    )
    return [
        ClassFunds(pk=row["pk"], code=row["code"], name=row["name"],
                   provider_id=row["provider_id"], provider_name=row["provider__name"],
                   region_code=row["region_code"], status=row["status"],
                   figures=Figures(budget=row["budget"] or ZERO, computed=row["f_computed"],
                                   claimed=row["f_claimed"], approved=row["f_approved"],
                                   paid=row["f_paid"]))
        for row in rows
    ]


def total_of(rows: Iterable[ClassFunds | GroupFunds]) -> Figures:
    total = Figures()
    for row in rows:
        total.add(row.figures)
    return total


def by_provider(rows: Iterable[ClassFunds]) -> list[GroupFunds]:
    groups: dict[int, GroupFunds] = {}
    for row in rows:
        group = groups.setdefault(row.provider_id,
                                  GroupFunds(key=str(row.provider_id), label=row.provider_name))
        group.classes += 1
        group.figures.add(row.figures)
    return sorted(groups.values(), key=lambda g: g.label)


def region_depth(*, user: Any, filters: FundFilters) -> int:
    """How many characters of a region code make one row: cities (4) for the whole province,
    counties (6) inside one city."""
    scope = scope_of(user)
    if filters.city or (scope.reach == Reach.REGION and len(scope.region_code) >= 4):
        return 6
    return 4


def region_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def by_region(rows: list[ClassFunds], *, depth: int) -> list[GroupFunds]:
    groups: dict[str, GroupFunds] = {}
    for row in rows:
        code = row.region_code[:depth]
        group = groups.setdefault(code, GroupFunds(key=code, label=code))
        group.classes += 1
        group.figures.add(row.figures)
    names = region_names(groups)
    for group in groups.values():
        group.label = names.get(group.key, group.key)
    return [groups[key] for key in sorted(groups)]


# --- by item and paying level ------------------------------------------------------------------


@dataclass
class ItemLevelRow:
    """One region's computed money by item, the share of each paying level, and what each level
    has paid."""

    key: str
    label: str
    items: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(ITEMS, ZERO))
    shares: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(LEVELS, ZERO))
    paid: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(LEVELS, ZERO))

    @property
    def total(self) -> Decimal:
        return sum(self.items.values(), ZERO)

    @property
    def paid_total(self) -> Decimal:
        return sum(self.paid.values(), ZERO)

    def item_list(self) -> list[Decimal]:
        return [self.items[item] for item in ITEMS]

    def share_list(self) -> list[Decimal]:
        return [self.shares[level] for level in LEVELS]

    def paid_list(self) -> list[Decimal]:
        return [self.paid[level] for level in LEVELS]

    def add(self, other: ItemLevelRow) -> None:
        for item in ITEMS:
            self.items[item] += other.items[item]
        for level in LEVELS:
            self.shares[level] += other.shares[level]
            self.paid[level] += other.paid[level]


def entitlements_in_scope(*, user: Any, filters: FundFilters) -> QuerySet[Entitlement]:
    queryset = restrict(Entitlement.objects.all(), user, permission=roles.VIEW_SUBSIDY)
    queryset = queryset.exclude(status=EntitlementStatus.VOID).filter(
        period_start__year=filters.year)
    if filters.city:
        queryset = queryset.filter(region_code__startswith=filters.city)
    if filters.provider:
        queryset = queryset.filter(training_class__provider_id=filters.provider)
    return queryset


def claims_in_scope(*, user: Any) -> QuerySet[Claim]:
    return restrict(Claim.objects.all(), user, permission=roles.VIEW_SUBSIDY)


def payments_in_scope(*, user: Any, filters: FundFilters) -> QuerySet[Payment]:
    queryset = Payment.objects.filter(
        claim__in=claims_in_scope(user=user).values("pk"),
        claim__training_class__start_date__year=filters.year)
    if filters.city:
        queryset = queryset.filter(claim__region_code__startswith=filters.city)
    if filters.provider:
        queryset = queryset.filter(claim__provider_id=filters.provider)
    return queryset


def item_level_by_region(*, user: Any, filters: FundFilters) -> list[ItemLevelRow]:
    """Per region (cities, or the counties of one city) of the year: computed money by item,
    each level's share of it, and what each level has paid (two queries plus the names)."""
    depth = region_depth(user=user, filters=filters)
    rows: dict[str, ItemLevelRow] = {}
    computed = (
        entitlements_in_scope(user=user, filters=filters)
        .annotate(area=Substr("region_code", 1, depth)).order_by()
        .values("area", "item")
        .annotate(total=Sum("amount"), province=Sum("amount_province"),
                  city=Sum("amount_city"), county=Sum("amount_county"))
    )
    for entry in computed:
        row = rows.setdefault(entry["area"], ItemLevelRow(key=entry["area"], label=""))
        row.items[entry["item"]] += entry["total"] or ZERO
        for level in LEVELS:
            row.shares[level] += entry[level] or ZERO
    paid = (
        payments_in_scope(user=user, filters=filters)
        .annotate(area=Substr("claim__region_code", 1, depth)).order_by()
        .values("area", "paying_level").annotate(total=Sum("amount"))
    )
    for entry in paid:
        row = rows.setdefault(entry["area"], ItemLevelRow(key=entry["area"], label=""))
        row.paid[entry["paying_level"]] += entry["total"] or ZERO
    names = region_names(rows)
    for row in rows.values():
        row.label = names.get(row.key, row.key)
    return [rows[key] for key in sorted(rows)]


def item_level_total(rows: Iterable[ItemLevelRow]) -> ItemLevelRow:
    total = ItemLevelRow(key="", label="")
    for row in rows:
        total.add(row)
    return total


def cities_in_scope(*, user: Any) -> list[Region]:
    """The cities a user may pick on the fund pages (none for a county or provider)."""
    scope = scope_of(user)
    if scope.reach != Reach.PROVINCE:
        return []
    return list(Region.objects.filter(level="city", code__startswith=scope.region_code,
                                      valid_to__isnull=True).order_by("code"))
