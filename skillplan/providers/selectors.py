"""Reads of providers, bases and coverage: scoped for staff, public ones for everybody.

Staff reads go through ``accounts.scoping.restrict``; the public reads return only what is
published (providers marked public or holding an accredited base, accredited bases in force,
decisions on them) and every list is bounded (a page at a time, related rows joined).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, get_in_scope, restrict, scope_of
from skillplan.providers.models import (
    LEVEL_ORDER,
    PUBLISHED_ACTIONS,
    BaseEvaluation,
    BaseStatus,
    BaseStep,
    Provider,
    TrainingBase,
)
from skillplan.regions.models import Region, RegionLevel


def in_force_q(today: date | None = None, prefix: str = "") -> Q:
    """Accredited and within its validity (begun, not yet ended)."""
    today = today or timezone.localdate()
    return (Q(**{f"{prefix}status": BaseStatus.ACCREDITED})
            & (Q(**{f"{prefix}valid_from__isnull": True})
               | Q(**{f"{prefix}valid_from__lte": today}))
            & (Q(**{f"{prefix}valid_until__isnull": True})
               | Q(**{f"{prefix}valid_until__gte": today})))


def _with_base_level(providers: QuerySet[Provider]) -> QuerySet[Provider]:
    """Annotate ``base_level`` / ``base_valid_until``: the provider's base in force, if any."""
    current = TrainingBase.objects.filter(in_force_q(), provider=OuterRef("pk"))
    return providers.annotate(base_level=Subquery(current.values("level")[:1]),
                              base_valid_until=Subquery(current.values("valid_until")[:1]),
                              base_id=Subquery(current.values("pk")[:1]))


@dataclass(frozen=True)
class ProviderFilters:
    q: str = ""
    region_code: str = ""
    kind: str = ""
    level: str = ""  # a BaseLevel, or "none" for providers without a base in force


def _filter_providers(providers: QuerySet[Provider], filters: ProviderFilters
                      ) -> QuerySet[Provider]:
    if filters.q:
        providers = providers.filter(Q(name__icontains=filters.q)
                                     | Q(credit_code=filters.q.upper()))
    if filters.region_code:
        providers = providers.filter(region_code__startswith=filters.region_code)
    if filters.kind:
        providers = providers.filter(kind=filters.kind)
    if filters.level == "none":
        providers = providers.filter(base_level__isnull=True)
    elif filters.level:
        providers = providers.filter(base_level=filters.level)
    return providers


def provider_list(*, user: Any, filters: ProviderFilters | None = None) -> QuerySet[Provider]:
    providers = restrict(Provider.objects.all(), user, permission=roles.VIEW_PROVIDER)
    providers = _with_base_level(providers.select_related("region", "region__parent"))
    return _filter_providers(providers, filters or ProviderFilters()).order_by("region_code",
                                                                               "name", "id")


def provider_get(*, user: Any, pk: int) -> Provider:
    return get_in_scope(_with_base_level(Provider.objects.select_related("region",
                                                                         "region__parent")),
                        user, permission=roles.VIEW_PROVIDER, pk=pk)


def provider_staff(*, provider: Provider) -> QuerySet[Any]:
    return provider.staff.select_related("region").order_by("full_name", "username")


# --- Bases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseFilters:
    q: str = ""
    region_code: str = ""
    status: str = ""
    level: str = ""


def base_list(*, user: Any, filters: BaseFilters | None = None) -> QuerySet[TrainingBase]:
    filters = filters or BaseFilters()
    bases = restrict(TrainingBase.objects.all(), user, permission=roles.VIEW_PROVIDER)
    if filters.q:
        bases = bases.filter(Q(name__icontains=filters.q) | Q(provider__name__icontains=filters.q))
    if filters.region_code:
        bases = bases.filter(region_code__startswith=filters.region_code)
    if filters.status:
        bases = bases.filter(status=filters.status)
    if filters.level:
        bases = bases.filter(level=filters.level)
    return bases.select_related("provider", "provider__region").order_by("region_code", "name",
                                                                         "id")


def base_get(*, user: Any, pk: int) -> TrainingBase:
    return get_in_scope(
        TrainingBase.objects.select_related("provider", "provider__region", "applied_by",
                                            "city_reviewed_by", "accredited_by"),
        user, permission=roles.VIEW_PROVIDER, pk=pk)


def base_steps(*, base: TrainingBase) -> QuerySet[BaseStep]:
    return base.steps.select_related("actor").order_by("at", "id")


def base_evaluations(*, base: TrainingBase) -> QuerySet[BaseEvaluation]:
    return (base.evaluations.select_related("scored_by", "decided_by")
            .prefetch_related("scores__indicator").order_by("-year"))


def evaluation_get(*, user: Any, pk: int) -> BaseEvaluation:
    return get_in_scope(
        BaseEvaluation.objects.select_related("base", "base__provider", "scored_by")
        .prefetch_related("scores__indicator"),
        user, permission=roles.VIEW_PROVIDER, pk=pk)


def evaluations_awaiting_decision(*, user: Any) -> list[BaseEvaluation]:
    if not user.has_perm(roles.EVALUATE_BASE):
        return []
    evaluations = restrict(BaseEvaluation.objects.filter(status="scored"), user,
                           permission=roles.VIEW_PROVIDER)
    return list(evaluations.select_related("base", "base__provider")[:100])


# --- Coverage -----------------------------------------------------------------------------


@dataclass
class CityCoverage:
    code: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)  # level → bases in force
    names: dict[str, list[str]] = field(default_factory=dict)  # level → base names

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def covered(self) -> bool:
        return self.total > 0

    def by_level(self) -> list[tuple[str, int, list[str]]]:
        """(level, count, names), highest level first."""
        return [(level, self.counts.get(level, 0), self.names.get(level, []))
                for level in reversed(LEVEL_ORDER)]


def coverage_cities(*, user: Any | None) -> QuerySet[Region]:
    """The cities a user sees in the coverage table: all of the province for the province
    (and the public), their own city for city and county staff."""
    cities = Region.objects.filter(level=RegionLevel.CITY, valid_to__isnull=True,
                                   code__startswith=settings.SKILLPLAN_PROVINCE_CODE)
    if user is None:
        return cities.order_by("code")
    scope = scope_of(user)
    if scope.reach == Reach.REGION:
        cities = cities.filter(code=scope.region_code[:4])
    elif scope.reach != Reach.PROVINCE:
        cities = cities.none()
    return cities.order_by("code")


def coverage(*, user: Any | None = None, today: date | None = None) -> list[CityCoverage]:
    """For each city, its accredited bases in force by level (two queries).

    Accredited bases are public, so a city or county clerk sees every base of their city.
    """
    rows = {city.code: CityCoverage(city.code, city.name)
            for city in coverage_cities(user=user).only("code", "name")}
    if not rows:
        return []
    bases = (TrainingBase.objects.filter(in_force_q(today))
             .order_by("region_code", "name").values_list("region_code", "level", "name"))
    if len(rows) == 1:
        bases = bases.filter(region_code__startswith=next(iter(rows)))
    for region_code, level, name in bases:
        row = rows.get(region_code[:4])
        if row is not None:
            row.counts[level] = row.counts.get(level, 0) + 1
            row.names.setdefault(level, []).append(name)
    return list(rows.values())


def cities_without_base(rows: list[CityCoverage]) -> list[CityCoverage]:
    return [row for row in rows if not row.covered]


# --- Public disclosure ------------------------------------------------------------------------


def public_providers(*, filters: ProviderFilters | None = None) -> QuerySet[Provider]:
    """Providers shown to the public: published ones and every holder of a base in force."""
    holders = TrainingBase.objects.filter(in_force_q()).values("provider_id")
    providers = Provider.objects.filter(Q(published=True) | Q(pk__in=holders))
    providers = _with_base_level(providers.select_related("region", "region__parent"))
    return _filter_providers(providers, filters or ProviderFilters()).order_by(
        "region_code", "name", "id")


def public_provider_get(*, pk: int) -> Provider:
    return public_providers().get(pk=pk)


def public_bases(*, region_code: str = "", level: str = "", q: str = ""
                 ) -> QuerySet[TrainingBase]:
    bases = TrainingBase.objects.filter(in_force_q())
    if region_code:
        bases = bases.filter(region_code__startswith=region_code)
    if level:
        bases = bases.filter(level=level)
    if q:
        bases = bases.filter(Q(name__icontains=q) | Q(provider__name__icontains=q))
    return bases.select_related("provider", "provider__region", "provider__region__parent"
                                ).order_by("region_code", "name", "id")


def public_base_get(*, pk: int) -> TrainingBase:
    return public_bases().get(pk=pk)


def public_results(*, region_code: str = "", base: TrainingBase | None = None
                   ) -> QuerySet[BaseStep]:
    """Published review results (accreditations and evaluation decisions), newest first."""
    steps = BaseStep.objects.filter(action__in=PUBLISHED_ACTIONS)
    if base is not None:
        steps = steps.filter(base=base)
    if region_code:
        steps = steps.filter(base__region_code__startswith=region_code)
    return steps.select_related("base", "base__provider").order_by("-at", "-id")


def city_choices() -> list[tuple[str, str]]:
    return list(coverage_cities(user=None).values_list("code", "name"))

