"""Scoped reads of the carriers: the staff list and detail, the area summary, the public list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from skillplan.accounts import roles
from skillplan.accounts.scoping import get_in_scope, restrict
from skillplan.carriers.models import Carrier, CarrierKind, CarrierStatus
from skillplan.providers.models import Provider
from skillplan.regions.models import Region, RegionLevel


@dataclass(frozen=True)
class CarrierFilters:
    q: str = ""  # the start of a name, or any part of it
    kind: str = ""
    region_code: str = ""  # a city or county code; the regions under it are included
    status: str = ""


def _apply(carriers: QuerySet[Carrier], filters: CarrierFilters) -> QuerySet[Carrier]:
    if filters.q:
        carriers = carriers.filter(name__contains=filters.q.strip())
    if filters.kind:
        carriers = carriers.filter(kind=filters.kind)
    if filters.region_code:
        carriers = carriers.filter(region_code__startswith=filters.region_code)
    if filters.status:
        carriers = carriers.filter(status=filters.status)
    return carriers


def carrier_queryset(*, user: Any, filters: CarrierFilters | None = None) -> QuerySet[Carrier]:
    """Every carrier ``user`` may see that matches: federation staff their area, provider staff
    the carriers linked to their provider."""
    carriers = restrict(Carrier.objects.all(), user, permission=roles.VIEW_PROVIDER)
    return _apply(carriers, filters or CarrierFilters()).order_by("region_code", "kind", "name",
                                                                  "id")


def carrier_list(*, user: Any, filters: CarrierFilters | None = None) -> QuerySet[Carrier]:
    return carrier_queryset(user=user, filters=filters).select_related("region", "provider")


def carrier_get(*, user: Any, pk: int) -> Carrier:
    return get_in_scope(
        Carrier.objects.select_related("region", "region__parent", "provider", "updated_by"),
        user, permission=roles.VIEW_PROVIDER, pk=pk,
    )


@dataclass(frozen=True)
class KindSummary:
    kind: str
    label: str
    active: int
    total: int
    women_total: int  # women working in active 美丽工坊
    women_disabled: int
    employees_placed: int  # disabled employees placed by active assistance units


def carrier_summary(*, user: Any, region_code: str = "") -> list[KindSummary]:
    """Per kind, for the user's area (or one region of it): how many carriers, how many are
    active, and the people the active ones employ. One row per kind, zeros included."""
    carriers = carrier_queryset(user=user, filters=CarrierFilters(region_code=region_code))
    active = Q(status=CarrierStatus.ACTIVE)
    rows = {
        row["kind"]: row
        for row in carriers.order_by().values("kind").annotate(
            total=Count("id"),
            active=Count("id", filter=active),
            women_total=Sum("women_total", filter=active),
            women_disabled=Sum("women_disabled", filter=active),
            employees_placed=Sum("employees_placed", filter=active),
        )
    }
    summary = []
    for kind in CarrierKind:
        row = rows.get(kind.value, {})
        summary.append(KindSummary(
            kind=kind.value, label=str(kind.label), active=row.get("active") or 0,
            total=row.get("total") or 0, women_total=row.get("women_total") or 0,
            women_disabled=row.get("women_disabled") or 0,
            employees_placed=row.get("employees_placed") or 0,
        ))
    return summary


def provider_choices(*, user: Any) -> QuerySet[Provider]:
    """The providers a carrier of ``user``'s may be linked to: those the user may see."""
    return restrict(Provider.objects.all(), user, permission=roles.VIEW_PROVIDER).order_by(
        "region_code", "name")


# --- Public (no login) ---------------------------------------------------------------------


def public_carrier_list(*, kind: str = "", city_code: str = "") -> QuerySet[Carrier]:
    """Active carriers only, for anyone. Callers show public fields only (no contacts, no
    street address, no notes)."""
    carriers = _apply(
        Carrier.objects.filter(status=CarrierStatus.ACTIVE),
        CarrierFilters(kind=kind, region_code=city_code),
    )
    return carriers.select_related("region", "region__parent", "provider").order_by(
        "region_code", "kind", "name", "id")


def public_cities() -> QuerySet[Region]:
    """The cities of the province, for the public filter."""
    return Region.objects.filter(
        level=RegionLevel.CITY, valid_to__isnull=True,
        code__startswith=settings.SKILLPLAN_PROVINCE_CODE,
    ).order_by("code")
