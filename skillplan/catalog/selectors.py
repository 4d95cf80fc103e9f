"""Scoped reads of the catalog.

Staff see the projects of their own area in every status, and every published project (the
catalog is public once published); providers see the published projects they may run. The
public pages and the public API see published projects only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, get_in_scope, restrict, scope_of
from skillplan.catalog.choices import ProjectStatus
from skillplan.catalog.models import BrandProject, ProjectStep, TrainingProject
from skillplan.catalog.rules import brand_period
from skillplan.providers.models import Provider
from skillplan.regions.models import Region, RegionLevel


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""  # part of the name, the code, the occupation name or code
    training_type: str = ""
    sub_type: str = ""
    delivery: str = ""
    status: str = ""
    category: str = ""  # a DisabilityCategory digit
    accommodation: str = ""  # an Accommodation bit
    city: str = ""  # a city code, or the province code for province-wide projects
    new_economy: str = ""  # "yes": new-economy projects only


def _apply_filters(projects: QuerySet[TrainingProject], filters: ProjectFilters, *,
                   with_province_wide: bool = False) -> QuerySet[TrainingProject]:
    if filters.q.strip():
        text = filters.q.strip()
        projects = projects.filter(Q(name__contains=text) | Q(code__iexact=text)
                                   | Q(occupation_name__contains=text)
                                   | Q(occupation_code__startswith=text))
    for name in ("training_type", "sub_type", "delivery", "status"):
        value = getattr(filters, name)
        if value:
            projects = projects.filter(**{name: value})
    if filters.category.isdigit() and len(filters.category) == 1:
        projects = projects.filter(categories__contains=filters.category)
    if filters.accommodation.isdigit():
        bit = int(filters.accommodation)
        projects = projects.annotate(_bit=F("accommodations").bitand(bit)).filter(_bit=bit)
    if filters.city:
        condition = Q(region_code=filters.city)
        if with_province_wide:
            condition |= Q(region_code=settings.SKILLPLAN_PROVINCE_CODE)
        projects = projects.filter(condition)
    if filters.new_economy == "yes":
        projects = projects.exclude(new_economy="")
    return projects


def project_queryset(*, user: Any, filters: ProjectFilters | None = None
                     ) -> QuerySet[TrainingProject]:
    """The projects ``user`` may see that match ``filters``, newest first."""
    everything = TrainingProject.objects.all()
    if not user.is_authenticated or not user.has_perm(roles.VIEW_PROJECT):
        return everything.none()
    own = restrict(everything, user, permission=roles.VIEW_PROJECT)
    if scope_of(user).reach == Reach.PROVIDER:
        projects = own.filter(status=ProjectStatus.PUBLISHED)
    else:
        projects = everything.filter(Q(pk__in=own.values("pk"))
                                     | Q(status=ProjectStatus.PUBLISHED))
    return _apply_filters(projects, filters or ProjectFilters()).order_by("-id")


def project_page(*, user: Any, filters: ProjectFilters | None = None,
                 after: int | None = None, limit: int = 50
                 ) -> tuple[list[TrainingProject], int | None]:
    projects = project_queryset(user=user, filters=filters).select_related("region")
    if after:
        projects = projects.filter(id__lt=after)
    rows = list(projects[: limit + 1])
    next_after = rows[limit - 1].pk if len(rows) > limit else None
    return rows[:limit], next_after


def _detail_queryset() -> QuerySet[TrainingProject]:
    return TrainingProject.objects.select_related(
        "region", "submitted_by", "published_by", "copied_from", "created_by",
    ).prefetch_related(
        Prefetch("providers", queryset=Provider.objects.select_related("region")),
        Prefetch("steps", queryset=ProjectStep.objects.select_related("actor")),
        "prepared_by",
    )


def project_get(*, user: Any, pk: int) -> TrainingProject:
    """One project the user may see; 404 outside scope, as for a missing one."""
    visible = project_queryset(user=user).values("pk")
    try:
        return _detail_queryset().filter(pk__in=visible).get(pk=pk)
    except TrainingProject.DoesNotExist as exc:
        raise Http404 from exc


def project_get_for_change(*, user: Any, pk: int) -> TrainingProject:
    """A project in the user's own area, to change, submit or copy; 404 outside it."""
    return get_in_scope(_detail_queryset(), user, permission=roles.CHANGE_PROJECT, pk=pk)


def provider_choices(*, user: Any) -> QuerySet[Provider]:
    """Providers the user may name as allowed to run a project (those of their area)."""
    return restrict(Provider.objects.all(), user, permission=roles.VIEW_PROVIDER).order_by(
        "region_code", "name")


def region_choices(*, user: Any) -> list[Region]:
    """The province and the cities the user may prepare projects for."""
    scope = scope_of(user)
    if scope.reach not in (Reach.PROVINCE, Reach.REGION):
        return []
    return list(Region.objects.filter(
        level__in=(RegionLevel.PROVINCE, RegionLevel.CITY), valid_to__isnull=True,
        code__startswith=scope.region_code).order_by("code"))


def cities() -> list[Region]:
    return list(Region.objects.filter(
        level=RegionLevel.CITY, valid_to__isnull=True,
        code__startswith=settings.SKILLPLAN_PROVINCE_CODE).order_by("code"))


# --- public ----------------------------------------------------------------------------------


def public_project_queryset(*, filters: ProjectFilters | None = None
                            ) -> QuerySet[TrainingProject]:
    """Published projects only, for everybody; a city filter includes province-wide ones."""
    filters = filters or ProjectFilters()
    projects = TrainingProject.objects.filter(status=ProjectStatus.PUBLISHED)
    return _apply_filters(projects, filters, with_province_wide=True).order_by("-id")


def public_project_get(*, pk: int) -> TrainingProject:
    try:
        return (_detail_queryset().filter(status=ProjectStatus.PUBLISHED)
                .prefetch_related("brands__city").get(pk=pk))
    except (TrainingProject.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


# --- brand projects --------------------------------------------------------------------------


@dataclass(frozen=True)
class CityBrand:
    city: Region
    brand: BrandProject | None


def brand_overview(*, year: int, published_only: bool = False) -> list[CityBrand]:
    """Every city of the province with its brand project of the period holding ``year``."""
    start, _end = brand_period(year)
    brands = BrandProject.objects.filter(period_start=start).select_related(
        "project", "project__region", "designated_by").prefetch_related("project__providers")
    if published_only:
        brands = brands.filter(project__status=ProjectStatus.PUBLISHED)
    by_city = {brand.city_code: brand for brand in brands}
    return [CityBrand(city, by_city.get(city.code)) for city in cities()]


def brand_overview_in_scope(*, user: Any, year: int) -> list[CityBrand]:
    """:func:`brand_overview` cut down to the cities of the user's area: every city for the
    province, their own city for city and county staff, none for anybody else."""
    if not user.has_perm(roles.VIEW_PROJECT):
        return []
    scope = scope_of(user)
    if scope.reach == Reach.PROVINCE:
        return brand_overview(year=year)
    if scope.reach != Reach.REGION:
        return []
    city_code = scope.region_code[:4]
    return [row for row in brand_overview(year=year) if row.city.code == city_code]


def brand_get(*, user: Any, pk: int) -> BrandProject:
    return get_in_scope(BrandProject.objects.select_related("project", "city"), user,
                        permission=roles.MANAGE_BRAND, pk=pk)


def brand_candidates(*, user: Any) -> QuerySet[TrainingProject]:
    """Published projects the user may make a brand project: their cities' and
    province-wide ones."""
    scope = scope_of(user)
    if not user.has_perm(roles.MANAGE_BRAND) or scope.reach not in (Reach.PROVINCE,
                                                                      Reach.REGION):
        return TrainingProject.objects.none()
    return TrainingProject.objects.filter(
        Q(region_code__startswith=scope.region_code)
        | Q(region_code=settings.SKILLPLAN_PROVINCE_CODE),
        status=ProjectStatus.PUBLISHED).order_by("region_code", "code")


def new_economy_projects() -> QuerySet[TrainingProject]:
    return (TrainingProject.objects.filter(status=ProjectStatus.PUBLISHED)
            .exclude(new_economy="").select_related("region").order_by("region_code", "code"))
