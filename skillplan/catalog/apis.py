"""API: the published training catalog and the brand projects — public data, no token needed.

These operations answer with published projects only, whoever asks (with or without a
token), exactly as the public pages show them; drafts, projects under review and withdrawn
ones are never listed, and asking for one answers 404 like a missing project.
"""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time through a wrapper whose globals are not this module's.

from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from skillplan.api.errors import error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.catalog.choices import Accommodation
from skillplan.catalog.models import TrainingProject
from skillplan.catalog.rules import brand_period
from skillplan.catalog.selectors import (
    ProjectFilters,
    brand_overview,
    public_project_get,
    public_project_queryset,
)
from skillplan.core.disability import DisabilityCategory

router = Router(tags=["catalog"])


class LabelOut(Schema):
    code: str
    label: str


class ProviderRefOut(Schema):
    id: int
    name: str
    region_code: str


class ProjectOut(Schema):
    id: int
    code: str = Field(..., description="the catalog code, e.g. HN-2025-0001")
    name: str
    training_type: str
    training_type_label: str
    sub_type: str
    sub_type_label: str
    employer_name: str
    occupation_code: str = Field(..., description="2022 Occupational Classification, 4-02-02-01")
    occupation_name: str
    days: int
    hours: int
    delivery: str
    delivery_label: str
    fee_standard: Decimal = Field(..., description="yuan per trainee")
    categories: list[LabelOut] = Field(..., description="disability categories served")
    accommodations: list[LabelOut]
    region_code: str = Field(..., description="the province code for province-wide projects")
    region_name: str
    new_economy: str = Field(..., description="the new-economy kind, or empty")
    summary: str
    published_at: datetime | None
    providers: list[ProviderRefOut]

    @staticmethod
    def resolve_training_type_label(obj: TrainingProject) -> str:
        return str(obj.get_training_type_display())

    @staticmethod
    def resolve_sub_type_label(obj: TrainingProject) -> str:
        return str(obj.get_sub_type_display()) if obj.sub_type else ""

    @staticmethod
    def resolve_delivery_label(obj: TrainingProject) -> str:
        return str(obj.get_delivery_display())

    @staticmethod
    def resolve_categories(obj: TrainingProject) -> list[dict[str, str]]:
        return [{"code": code, "label": str(DisabilityCategory(code).label)}
                for code in obj.categories if code in DisabilityCategory.values]

    @staticmethod
    def resolve_accommodations(obj: TrainingProject) -> list[dict[str, str]]:
        return [{"code": str(item.value), "label": str(item.label)} for item in Accommodation
                if obj.accommodations & item.value]

    @staticmethod
    def resolve_region_name(obj: TrainingProject) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_providers(obj: TrainingProject) -> list[dict[str, object]]:
        return [{"id": p.pk, "name": p.name, "region_code": p.region_code}
                for p in obj.providers.all()]


class BrandOut(Schema):
    city_code: str
    city_name: str
    period: str = Field(..., description="e.g. 2024-2025")
    project: ProjectOut | None = Field(..., description="null when the city has none yet")


@router.get("/projects", response={200: list[ProjectOut], **error_responses(422)}, auth=None,
            summary="Published training projects (public, no token needed)",
            url_name="catalog_projects")
@cursor_paginate(key="-id")
def projects(
    request: HttpRequest,
    q: str = Query("", description="part of the name or occupation, or a project code"),
    training_type: str = Query("", description="employment, rural, massage, special …"),
    sub_type: str = "",
    delivery: str = Query("", description="offline, online or blended"),
    category: str = Query("", description="a disability category served, 1–7"),
    accommodation: str = Query("", description="an accommodation code (1, 2, 4 …)"),
    city: str = Query("", description="a city code; includes province-wide projects"),
    new_economy: bool = False,
) -> QuerySet[TrainingProject]:
    filters = ProjectFilters(q=q, training_type=training_type, sub_type=sub_type,
                             delivery=delivery, category=category, accommodation=accommodation,
                             city=city, new_economy="yes" if new_economy else "")
    return (public_project_queryset(filters=filters).select_related("region")
            .prefetch_related("providers"))


@router.get("/projects/{int:project_id}", response={200: ProjectOut, **error_responses(404)},
            auth=None, summary="One published training project (public, no token needed)",
            url_name="catalog_project")
def project_detail(request: HttpRequest, project_id: int) -> TrainingProject:
    return public_project_get(pk=project_id)


@router.get("/brands", response={200: list[BrandOut], **error_responses(422)}, auth=None,
            summary="Each city's brand project for a period (public, no token needed)",
            url_name="catalog_brands")
def brands(request: HttpRequest,
           year: int | None = Query(None, ge=2000, le=2100,
                                    description="a year of the period; this year if left out"),
           ) -> list[dict[str, object]]:
    year = year or timezone.localdate().year
    start, end = brand_period(year)
    return [{"city_code": row.city.code, "city_name": row.city.name, "period": f"{start}-{end}",
             "project": row.brand.project if row.brand else None}
            for row in brand_overview(year=year, published_only=True)]
